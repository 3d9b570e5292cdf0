#!/usr/bin/env bash
# The local development identity provider (conformance/servers/dev-idp.mjs): Google, GitHub and
# a generic OpenID Connect provider on loopback, whose sign-in page signs in whoever is named
# there, without a password. For scripts/demo and scripts/demo-test, when social is on.
#
#   source scripts/dev-idp.sh && idp_start   # exports the server's KERNIA_GOOGLE_*, KERNIA_GITHUB_*, KERNIA_OIDC_*
#   ...; idp_stop
#
# It runs on the conformance harness's Node packages (conformance/install.sh installs them).

idp_start() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  "$root/conformance/install.sh" || return 1
  IDP_ENV=$(mktemp /tmp/kernia-dev-idp.XXXXXX)
  rm -f "$IDP_ENV"
  node "$root/conformance/servers/dev-idp.mjs" "$IDP_ENV" >&2 &
  IDP_PID=$!
  local _
  for _ in $(seq 300); do
    [ -f "$IDP_ENV" ] && break
    kill -0 "$IDP_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ ! -f "$IDP_ENV" ]; then
    echo "dev-idp: the development identity provider did not start" >&2
    idp_stop
    return 1
  fi
  local name value
  while IFS='=' read -r name value; do
    export "$name=$value"
  done <"$IDP_ENV"
  IDP_URL=${KERNIA_GOOGLE_TOKEN_URL%%/oauth2.googleapis.com/*}
  export IDP_URL
}

idp_stop() {
  if [ -n "${IDP_PID:-}" ]; then
    kill "$IDP_PID" 2>/dev/null || true
    wait "$IDP_PID" 2>/dev/null || true
  fi
  IDP_PID=
  rm -f "${IDP_ENV:-}" "${IDP_ENV:-}.tmp"
}
