#!/usr/bin/env bash
# Provides the Temporal CLI (which embeds the dev server) at .tools/bin/temporal.
# Built once from the Go module proxy at a pinned tag, then reused (DESIGN.md §8): later
# tags carry a `replace` directive that `go install` refuses. Without Go, a `temporal`
# already on PATH is linked instead. Never replaced by anything home-made: if neither
# works, this fails with the build's own error.
set -euo pipefail

TEMPORAL_CLI_VERSION="v1.5.1"
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-install.sh"
target="$tools_bin/temporal"

if [[ -x "$target" ]]; then
  exit 0
fi

if command -v go >/dev/null 2>&1; then
  if ! go_install_once "github.com/temporalio/cli/cmd/temporal" "$TEMPORAL_CLI_VERSION" "the Temporal CLI"; then
    echo "[temporal] could not build the Temporal CLI (error above): Greenlight cannot run without it." >&2
    exit 1
  fi
elif command -v temporal >/dev/null 2>&1; then
  mkdir -p "$tools_bin"
  ln -sf "$(command -v temporal)" "$target"
  echo "[temporal] Go is absent; using $(command -v temporal)"
else
  echo "[temporal] neither Go (to build the Temporal CLI $TEMPORAL_CLI_VERSION) nor a 'temporal' on PATH was found." >&2
  echo "[temporal] Install Go (https://go.dev/dl) or the Temporal CLI, then run this again." >&2
  exit 1
fi
