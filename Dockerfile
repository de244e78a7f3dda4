# One image for the API, the worker and the migration job (docker-compose.yml picks the
# command): Greenlight compiled to JavaScript, production dependencies only, run as the
# unprivileged `node` user under tini. Node 24 LTS, as in development and CI
# (scripts/install-node.sh).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# Every dependency, exactly as package-lock.json pins them.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# npm run build: the Prisma client generated, tsc to dist/, the workflows bundled once
# (dist/workflow-bundle.js, which the worker loads instead of bundling at its start) and the
# migrations beside the compiled migration runner.
FROM deps AS build
COPY . .
RUN npm run build

# Production dependencies only: no tsx, Jest or eslint in the final image (the Prisma CLI and
# TypeScript still come, as @prisma/client's peer dependencies).
FROM ${NODE_IMAGE} AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
# tini: PID 1 that forwards SIGTERM to node and reaps children (pdftoppm runs per page).
# Proof uploads and rendering: pdfinfo/pdftoppm (poppler-utils, run under prlimit from
# util-linux) and the DejaVu fonts the watermark is drawn with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini poppler-utils fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
# glibc's mmap threshold held at 128 KiB: libvips' freed page buffers go back to the system
# instead of staying in malloc's arenas (platform/malloc.ts).
ENV MALLOC_MMAP_THRESHOLD_=131072
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Named volumes mounted on /data and /files take these folders' owner: the node user.
RUN mkdir -p /files /data && chown node:node /files /data
USER node
EXPOSE 3000
# The API's readiness (PostgreSQL and Temporal reachable); docker-compose.yml gives the worker
# its own check (its /healthz) and the migration job none.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/api/server.js"]
