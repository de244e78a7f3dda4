#!/usr/bin/env bash
# Provides Temporal's full server for `make cluster` (DESIGN.md §8), built once from the Go
# module proxy at a pinned version and reused, like the CLI:
#   .tools/bin/temporal-server, .tools/bin/temporal-sql-tool   (the names of Temporal's release binaries)
#   .tools/temporal-server/{schema,config}                     (the module's PostgreSQL schema files and
#                                                                sample configs, copied out of the module
#                                                                cache so `go clean -modcache` cannot break a cluster)
set -euo pipefail

TEMPORAL_SERVER_VERSION="v1.29.1"
MODULE="go.temporal.io/server"
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-install.sh"
files="$(dirname "$tools_bin")/temporal-server"

if [[ -x "$tools_bin/temporal-server" && -x "$tools_bin/temporal-sql-tool" && -d "$files/schema" ]]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "[temporal-server] Go is absent: make cluster builds Temporal's server from source. Install Go (https://go.dev/dl), then run this again." >&2
  exit 1
fi
for tool in "server temporal-server" "tools/sql temporal-sql-tool"; do
  read -r package name <<<"$tool"
  if ! go_install_once "$MODULE/cmd/$package" "$TEMPORAL_SERVER_VERSION" "Temporal's $name" "$name"; then
    echo "[temporal-server] could not build $name (error above): make cluster cannot run without it." >&2
    exit 1
  fi
done

module_dir="$(go env GOMODCACHE)/$MODULE@$TEMPORAL_SERVER_VERSION"
rm -rf "$files.partial"
mkdir -p "$files.partial/schema"
cp -r "$module_dir/schema/postgresql" "$files.partial/schema/"
cp -r "$module_dir/config" "$files.partial/"
chmod -R u+w "$files.partial"
rm -rf "$files"
mv "$files.partial" "$files"
echo "[temporal-server] schema files and sample configs of $MODULE $TEMPORAL_SERVER_VERSION in $files"
