#!/usr/bin/env bash
# 200 operators on one team gate (issue 32): TeamCrowd against a throwaway
# PostgreSQL cluster, restarted once mid-run; the connections it holds are
# sampled every 5 s.
#   Benchmarks/team-crowd.sh [OPERATORS] [SECONDS] [THINK_MIN_MS THINK_MAX_MS]
#   (default 200 operators, 180 s, 2,000–10,000 ms between one operator's actions;
#   CONFIG=debug to use a debug build)
set -euo pipefail
cd "$(dirname "$0")"
operators=${1:-200}; seconds=${2:-180}; think=(${3:-2000} ${4:-10000})
config=${CONFIG:-release}
swift build -c "$config" --product TeamCrowd >/dev/null
crowd="$(swift build -c "$config" --show-bin-path)/TeamCrowd"
dir=$(mktemp -d /tmp/wvcrowd-pg.XXXXXX); port=$(( 40000 + RANDOM % 10000 ))
chmod 755 "$dir"
url=$(WVTEST_PG_MAX_CONNECTIONS=$(( operators * 6 + 20 )) ../scripts/test-postgres.sh start "$dir" "$port")
trap '../scripts/test-postgres.sh stop "$dir"' EXIT
samples="$dir/connections"
( while sleep 5; do psql "$url" -qAt -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'wvtest'" >>"$samples" 2>/dev/null || echo "down" >>"$samples"; done ) &
sampler=$!
( sleep $(( seconds / 2 )); echo "— restarting PostgreSQL at $(( seconds / 2 )) s —"; ../scripts/test-postgres.sh restart "$dir" "$port"; echo "— PostgreSQL is back —" ) &
restarter=$!
WVCONSOLE_TEST_PG=$url "$crowd" "$operators" "$seconds" "${think[@]}"
kill $sampler 2>/dev/null || true; wait $restarter 2>/dev/null || true
echo "PostgreSQL connections held (5 s samples): max $(grep -v down "$samples" | sort -n | tail -1), median $(grep -v down "$samples" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'), samples while down: $(grep -c down "$samples" || true)"
