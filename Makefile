# Greenlight on one machine. Two commands matter:
#   make start   install what is missing, then run Temporal, worker, API + portal and mail outbox
#   make test    install what is missing, then lint (eslint + tsc) and run every Jest project
# and a third shows the production topology: make cluster (README, "Running in production").
# Every install step is skipped when its result is already there and up to date.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Node.js 24 LTS (scripts/install-node.sh) first on PATH: every node process of ours runs on it,
# whatever Node the machine has — the supervisor and its children, Jest, eslint, tsc, and npm/npx
# themselves (their `#!/usr/bin/env node` finds it).
export PATH := $(CURDIR)/.tools/node/bin:$(PATH)
NPX := npx --no-install
# Two cores: one Jest worker per core; the Temporal dev server and PostgreSQL share them.
JEST_WORKERS ?= 2
JEST_RESULTS := .data/jest-results.json

.PHONY: help start cluster test lint bench deps node system database temporal-server

help:
	@echo "make start   run Greenlight locally (installs what is missing first)"
	@echo "make cluster the production topology locally: Temporal's server on PostgreSQL, 2 workers, 2 APIs behind a load balancer"
	@echo "make test    lint + the whole test suite against a real Temporal dev server and PostgreSQL"
	@echo "make bench   quote lifecycles per second versus a bare Temporal workflow"

# node --import tsx rather than npx tsx: one process between make and the supervisor, so
# signals (Ctrl-C, SIGTERM) reach it directly.
start: deps database
	node --import tsx scripts/start.ts

# The cluster keeps state of its own (its database, Temporal's two beside it, and .data/cluster):
# its documents and their workflows always live on the same Temporal.
cluster: export DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/greenlight_cluster
cluster: export DATA_DIR ?= .data/cluster
cluster: deps database temporal-server
	node --import tsx scripts/start.ts cluster

# The cluster test (test/cluster/) runs Temporal's own server: built once, then cached.
test: deps system temporal-server
	bash scripts/ensure-postgres.sh
	bash scripts/install-stripe-mock.sh
	npm run lint
	@mkdir -p .data && rm -f $(JEST_RESULTS)
	status=0; $(NPX) jest --maxWorkers=$(JEST_WORKERS) --json --outputFile=$(JEST_RESULTS) || status=$$?; \
	  if [[ -f $(JEST_RESULTS) ]]; then $(NPX) tsx scripts/test-summary.ts $(JEST_RESULTS); fi; \
	  exit $$status

lint: deps
	npm run lint

bench: deps database
	npm run bench

deps: node node_modules/.package-lock.json .tools/bin/temporal generated/prisma/client.ts clients/typescript/src/schema.d.ts

# Fetched once; the script returns at once when the pinned version is there.
node:
	bash scripts/install-node.sh

# npm writes node_modules/.package-lock.json on every install: older than the lock file means stale.
# `npm ci`: exactly the locked versions, never a rewritten lock file. The lock file holds every
# platform's optional packages (@swc/core-*, @img/sharp-*, @esbuild/*), as a fresh `npm install`
# writes it, so it stays as committed on any machine. Run with Node 24 (| node).
node_modules/.package-lock.json: package-lock.json | node
	npm ci --no-audit --no-fund

.tools/bin/temporal:
	bash scripts/install-temporal.sh

# Temporal's server and schema tool (a few minutes' build, once); the script skips what is there.
temporal-server:
	bash scripts/install-temporal-server.sh

generated/prisma/client.ts: prisma/schema.prisma node_modules/.package-lock.json
	$(NPX) tsx scripts/prisma-generate.ts --force
	@touch $@

# The TypeScript client's types, generated like the Prisma client: from the OpenAPI document
# the routes and schemas describe, again whenever one of them changes.
clients/typescript/src/schema.d.ts: generated/prisma/client.ts $(shell git ls-files api domain)
	npm run client:generate

system:
	bash scripts/install-system.sh

database: node_modules/.package-lock.json
	bash scripts/ensure-postgres.sh
	$(NPX) tsx scripts/migrate.ts
