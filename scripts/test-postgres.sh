#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the team-mode tests.
#   scripts/test-postgres.sh start DIR PORT   initdb + start; prints the URL for WVCONSOLE_TEST_PG
#   scripts/test-postgres.sh stop DIR         stops it and removes DIR
# Runs the server as the invoking user, or as `postgres` when invoked as root
# (PostgreSQL refuses to run as root). Trust authentication on 127.0.0.1 only;
# the data folder is removed on stop. Never point it at a real cluster.
#   scripts/test-postgres.sh restart DIR      restarts it (the team-crowd benchmark)
# WVTEST_PG_MAX_CONNECTIONS sets max_connections (default 200).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data folder}; port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "test-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
case "$cmd" in
start)
  rm -rf "$dir"; mkdir -p "$dir"
  [ ${#as[@]} -gt 0 ] && chown postgres "$dir"
  "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=${WVTEST_PG_MAX_CONNECTIONS:-200}" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
    -c "CREATE ROLE wvtest LOGIN SUPERUSER" -c "CREATE DATABASE wvtest OWNER wvtest" >/dev/null
  echo "postgresql://wvtest@127.0.0.1:$port/wvtest"
  ;;
restart)
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 restart >/dev/null
  ;;
stop)
  [ -d "$dir/data" ] && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|restart|stop DIR [PORT]" >&2; exit 2 ;;
esac
