#!/usr/bin/env bash
# Makes sure the PostgreSQL that DATABASE_URL names (default: the local server) answers.
# A local Debian cluster that is merely stopped is started; anything else is explained.
set -euo pipefail

local_server="postgresql://postgres@127.0.0.1:5432"
url="${DATABASE_URL:-$local_server/greenlight}"
# pg_isready only needs the server: point it at the always-present `postgres` database.
server_url="${url%/*}/postgres"

if pg_isready -q -d "$server_url" 2>/dev/null; then
  exit 0
fi
# Only the local server is ours to start (make cluster names another database on it).
if [[ "${url%/*}" == "$local_server" ]] && command -v pg_ctlcluster >/dev/null 2>&1 && [[ "$(id -u)" -eq 0 ]]; then
  for version in $(ls /etc/postgresql 2>/dev/null); do
    echo "[postgres] starting the local PostgreSQL $version cluster"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do
    pg_isready -q -d "$server_url" && exit 0
    sleep 1
  done
fi
echo "[postgres] no PostgreSQL answers at ${server_url%/postgres}." >&2
echo "[postgres] Start one (Debian: apt-get install postgresql; pg_ctlcluster 15 main start) or set DATABASE_URL." >&2
exit 1
