#!/usr/bin/env bash
# Provides stripe-mock (Stripe's own API mock, which serves Stripe's OpenAPI description and
# rejects requests Stripe would reject) at .tools/bin/stripe-mock, for the payment contract
# test (test/integration/stripe-contract.test.ts). Built once from the Go module proxy at a
# pinned tag and reused, like the Temporal CLI (scripts/lib/go-install.sh). Without Go the
# contract test says it is skipped and why; nothing else needs stripe-mock.
set -euo pipefail

STRIPE_MOCK_VERSION="v0.203.0"
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-install.sh"

if [[ -x "$tools_bin/stripe-mock" ]]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "[stripe-mock] Go is absent: the Stripe contract test will be skipped (install Go, then run this again)." >&2
  exit 0
fi
if ! go_install_once "github.com/stripe/stripe-mock" "$STRIPE_MOCK_VERSION" "stripe-mock"; then
  echo "[stripe-mock] could not build stripe-mock (error above)." >&2
  exit 1
fi
