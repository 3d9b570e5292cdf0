#!/usr/bin/env bash
# Throwaway PostgreSQL for tests and demos.
#
#   source scripts/postgres.sh && pg_start   # exports KERNIA_TEST_DATABASE_URL, registers teardown
#
# When KERNIA_TEST_DATABASE_URL is already set, that server is used and nothing is started.
# Otherwise a new cluster is initdb'd into a temp dir as the `postgres` user (root cannot run
# PostgreSQL), started on a free loopback port, and removed again by pg_stop (an EXIT trap).
# Missing binaries are installed with apt-get.

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

pg_install() {
  echo "postgres: binaries missing; installing the postgresql package" >&2
  source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
  apt_install postgresql
}

pg_free_port() {
  python3 - <<'PY' 2>/dev/null || node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# as_pg runs a command as the postgres user when we are root, directly otherwise.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  if [ -n "${KERNIA_TEST_DATABASE_URL:-}" ]; then
    echo "postgres: using KERNIA_TEST_DATABASE_URL" >&2
    return 0
  fi
  local bin
  bin=$(pg_bindir) || { pg_install && bin=$(pg_bindir); } || {
    echo "postgres: no PostgreSQL binaries and apt-get could not install them" >&2
    return 1
  }
  PG_TMP=$(mktemp -d /tmp/kernia-pg.XXXXXX)
  chmod 755 "$PG_TMP"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_TMP"; fi
  PG_PORT=$(pg_free_port)
  as_pg "$bin/initdb" -D "$PG_TMP/data" -U postgres -A trust -E UTF8 --no-locale >"$PG_TMP/initdb.log" 2>&1 || {
    cat "$PG_TMP/initdb.log" >&2; return 1; }
  as_pg "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$PG_TMP/server.log" >&2; return 1; }
  export PG_BIN="$bin" PG_TMP PG_PORT
  export KERNIA_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
  trap pg_stop EXIT
  echo "postgres: throwaway cluster on 127.0.0.1:$PG_PORT ($PG_TMP)" >&2
}

pg_stop() {
  [ -n "${PG_TMP:-}" ] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
  PG_TMP=
}
