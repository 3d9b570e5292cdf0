#!/usr/bin/env bash
# Conformance harness entry point: installs the pinned Node packages, finds or starts
# PostgreSQL, and runs every scenario against Node Better Auth and the Go server.
#
#   GO_SERVER_BIN=/path/to/server conformance/run.sh [runner args…]
#   CONFORMANCE_SELF_TEST=1 conformance/run.sh       # Node stand-in on the Go side
#
# KERNIA_TEST_DATABASE_URL: admin URL of a PostgreSQL cluster; when unset, a throwaway
# cluster is started with scripts/postgres.sh and removed on exit.
# Under CI=true a missing PostgreSQL or GO_SERVER_BIN fails the run; elsewhere the run
# is skipped with a message. See README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ci=false
[ "${CI:-}" = "true" ] && ci=true

missing() { # missing <what>: fail under CI, skip elsewhere
  if $ci; then
    echo "conformance: $1 (required under CI)" >&2
    echo "conformance: 0 passed, 1 failed"
    exit 1
  fi
  echo "conformance: skipped: $1" >&2
  exit 0
}

# The Go side: a path relative to the caller's directory is resolved before we cd.
self_test=${CONFORMANCE_SELF_TEST:-}
[ "$self_test" = "0" ] && self_test=
if [ -n "${GO_SERVER_BIN:-}" ]; then
  if [ ! -x "$GO_SERVER_BIN" ]; then
    echo "conformance: GO_SERVER_BIN=$GO_SERVER_BIN is not an executable file" >&2
    echo "conformance: 0 passed, 1 failed"
    exit 2
  fi
  GO_SERVER_BIN=$(cd "$(dirname "$GO_SERVER_BIN")" && pwd)/$(basename "$GO_SERVER_BIN")
  export GO_SERVER_BIN
elif [ -z "$self_test" ]; then
  missing "GO_SERVER_BIN is not set (the server built by 'kernia-gen init --server'; or CONFORMANCE_SELF_TEST=1)"
fi

command -v node >/dev/null && command -v npm >/dev/null || missing "node and npm are not installed"

# npm ci, unless node_modules was installed from this very lockfile already.
cd "$here"
"$here/install.sh"

# PostgreSQL: the given cluster, or a throwaway one.
if [ -z "${KERNIA_TEST_DATABASE_URL:-}" ]; then
  # shellcheck source=../scripts/postgres.sh
  source "$repo/scripts/postgres.sh"
  pg_start || missing "no PostgreSQL: KERNIA_TEST_DATABASE_URL is unset and a throwaway cluster could not be started"
fi

# The harness's own unit tests (normaliser, comparison, cookie jar, the identity provider, and
# the Node server's social sign-in, which needs the database): a harness that masks too much
# would pass anything.
if ! node --test --test-reporter=dot "$here/test/" >&2; then
  echo "conformance: the harness's unit tests failed (node --test conformance/test)" >&2
  echo "conformance: 0 passed, 1 failed"
  exit 1
fi

# Not exec: the throwaway cluster's EXIT trap must run after the runner.
status=0
node "$here/runner.mjs" "$@" || status=$?
exit "$status"
