#!/usr/bin/env bash
# npm ci in conformance/, unless node_modules was installed from this very lockfile with this
# Node already (a hash stamp in node_modules). Used by run.sh and bench/run.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.kernia-lockfile.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1) $(node --version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "conformance: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
fi
