#!/usr/bin/env bash
# A deliberately broken "Go side" (CONFORMANCE_SELF_TEST=broken): the stand-in with a few
# wire faults injected (selftest/broken-server.mjs). The harness must report them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export NODE_ENV=production CONFORMANCE_STANDIN=1 CONFORMANCE_BETTER_AUTH=better-auth
exec node --import "$here/broken-server.mjs" "$here/../servers/node-server.mjs"
