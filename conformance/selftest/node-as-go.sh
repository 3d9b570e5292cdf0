#!/usr/bin/env bash
# Self-test stand-in for the Go server: the pinned Node Better Auth, started through the
# Go server's environment contract (DATABASE_URL, KERNIA_*, ADDR). It adopts a
# 1.7.0–1.7.2 schema the way the Go migrations must (servers/standin.mjs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export NODE_ENV=production CONFORMANCE_STANDIN=1 CONFORMANCE_BETTER_AUTH=better-auth
exec node "$here/../servers/node-server.mjs"
