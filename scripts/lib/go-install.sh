# Sourced by the scripts that provide a Go tool at .tools/bin (install-temporal.sh,
# install-stripe-mock.sh, install-temporal-server.sh): each tool is built once from the Go
# module proxy at a pinned version with `go install`, then reused.

tools_bin="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.tools/bin"

# go_install_once MODULE VERSION WHAT [NAME]
# Builds .tools/bin/NAME (default: MODULE's last path element; WHAT names it in the messages)
# unless it is there. Needs Go on PATH. Returns 1, after the build's own error, when the build
# fails. Builds run at low priority (nice): the cores are shared with everything else running.
go_install_once() {
  local module="$1" version="$2" what="$3"
  local name="${4:-${module##*/}}"
  local target="$tools_bin/$name"
  mkdir -p "$tools_bin" || return 1
  # A build interrupted or running elsewhere (another terminal, the CI step before) must not
  # be doubled: two concurrent Go builds would starve 2 cores. The lock lasts as long as the
  # calling script.
  exec 9>"$tools_bin/.$name-build.lock"
  flock 9 || return 1
  [[ -x "$target" ]] && return 0

  # Failures are checked one by one: set -e does not hold inside a function called from an `if`.
  echo "[$name] building $what $version with go install (once; it may take a few minutes)..."
  # go install names the binary after the module's last path element ("server", "sql"): it is
  # built in a private GOBIN and moved to its own name, so a half-written binary is never seen.
  local build_bin log status=0
  build_bin="$(mktemp -d)"
  log="$(mktemp)"
  GOBIN="$build_bin" nice -n 10 go install "$module@$version" 2>&1 | tee "$log" || status=$?
  if ((status != 0)) && grep -qiE 'sum\.golang\.org|verifying .*(module|go\.mod)|checksum database' "$log"; then
    # The checksum database is out of reach; the module's own go.sum still pins every dependency.
    echo "[$name] checksum database unreachable; retrying this one build with GOSUMDB=off"
    status=0
    GOSUMDB=off GOBIN="$build_bin" nice -n 10 go install "$module@$version" || status=$?
  fi
  rm -f "$log"
  if ((status == 0)); then mv "$build_bin/${module##*/}" "$target" || status=$?; fi
  rm -rf "$build_bin"
  ((status == 0)) || return 1
  echo "[$name] built $target"
}
