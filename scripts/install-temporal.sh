#!/usr/bin/env bash
# Provides the Temporal CLI (which embeds the dev server) at .tools/bin/temporal.
# Built once from the Go module proxy at a pinned tag, then reused (DESIGN.md §8): later
# tags carry a `replace` directive that `go install` refuses. Without Go, a `temporal`
# already on PATH is linked instead. Never replaced by anything home-made: if neither
# works, this fails with the build's own error.
set -euo pipefail

TEMPORAL_CLI_VERSION="v1.5.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.tools/bin"
target="$bin_dir/temporal"

if [[ -x "$target" ]]; then
  exit 0
fi
mkdir -p "$bin_dir"

if command -v go >/dev/null 2>&1; then
  # A build interrupted or running elsewhere (another terminal, the CI step before) must
  # not be doubled: two concurrent builds of ~250 MB each would starve 2 cores.
  exec 9>"$bin_dir/.temporal-build.lock"
  flock 9
  [[ -x "$target" ]] && exit 0

  echo "[temporal] building the Temporal CLI $TEMPORAL_CLI_VERSION with go install (once; a few minutes)..."
  log="$(mktemp)"
  if ! GOBIN="$bin_dir" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" 2>&1 | tee "$log"; then
    if grep -qiE 'sum\.golang\.org|verifying .*(module|go\.mod)|checksum database' "$log"; then
      # The checksum database is out of reach; the module's own go.sum still pins every dependency.
      echo "[temporal] checksum database unreachable; retrying this one build with GOSUMDB=off"
      GOSUMDB=off GOBIN="$bin_dir" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
    else
      echo "[temporal] could not build the Temporal CLI (error above): Greenlight cannot run without it." >&2
      rm -f "$log"
      exit 1
    fi
  fi
  rm -f "$log"
  echo "[temporal] built $target"
elif command -v temporal >/dev/null 2>&1; then
  ln -sf "$(command -v temporal)" "$target"
  echo "[temporal] Go is absent; using $(command -v temporal)"
else
  echo "[temporal] neither Go (to build the Temporal CLI $TEMPORAL_CLI_VERSION) nor a 'temporal' on PATH was found." >&2
  echo "[temporal] Install Go (https://go.dev/dl) or the Temporal CLI, then run this again." >&2
  exit 1
fi
