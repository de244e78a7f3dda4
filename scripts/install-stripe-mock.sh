#!/usr/bin/env bash
# Provides stripe-mock (Stripe's own API mock, which serves Stripe's OpenAPI description and
# rejects requests Stripe would reject) at .tools/bin/stripe-mock, for the payment contract
# test (test/integration/stripe-contract.test.ts). Built once from the Go module proxy at a
# pinned tag and reused, like the Temporal CLI (scripts/install-temporal.sh). Without Go the
# contract test says it is skipped and why; nothing else needs stripe-mock.
set -euo pipefail

STRIPE_MOCK_VERSION="v0.203.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.tools/bin"
target="$bin_dir/stripe-mock"

if [[ -x "$target" ]]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "[stripe-mock] Go is absent: the Stripe contract test will be skipped (install Go, then run this again)." >&2
  exit 0
fi
mkdir -p "$bin_dir"
# One build at a time, whoever asks (another terminal, make test).
exec 9>"$bin_dir/.stripe-mock-build.lock"
flock 9
[[ -x "$target" ]] && exit 0

echo "[stripe-mock] building stripe-mock $STRIPE_MOCK_VERSION with go install (once)..."
log="$(mktemp)"
if ! GOBIN="$bin_dir" go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION" 2>&1 | tee "$log"; then
  if grep -qiE 'sum\.golang\.org|verifying .*(module|go\.mod)|checksum database' "$log"; then
    # The checksum database is out of reach; the module's own go.sum still pins every dependency.
    echo "[stripe-mock] checksum database unreachable; retrying this one build with GOSUMDB=off"
    GOSUMDB=off GOBIN="$bin_dir" go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
  else
    rm -f "$log"
    echo "[stripe-mock] could not build stripe-mock (error above)." >&2
    exit 1
  fi
fi
rm -f "$log"
echo "[stripe-mock] built $target"
