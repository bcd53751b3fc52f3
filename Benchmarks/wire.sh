#!/usr/bin/env bash
# Wire speed (issue 20): the CLI against a release wvsim on loopback, beside
# curl on the same URL in the same run, so the ratios mean something on any box.
#   find --json of 60,000 rows  vs  curl -o /dev/null  and  curl | jq -c '.data[]'
#   peak RSS of that run; a 3-record find end to end; `wvconsole --version` alone.
# Usage: Benchmarks/wire.sh [OTHER_WVCONSOLE ...]   (other binaries, e.g. a
# build of main, are timed in the same run for a before/after table)
# RUNS=5 by default; each figure is the minimum over the runs.
tools="curl jq python3"
source "$(dirname "$0")/common.sh"
runs=${RUNS:-5}
# Every seeded record from the 5th on shares the switchboard number: 60,004 records, 60,000 matches.
start_sim --records 60004 --hot-phone-every 1 --licenses 1000
base=$sim_base
# A second server where it is shared by records 900, 1800 and 2700: a 3-record find.
start_sim --records 3000 --hot-phone-every 900 --licenses 1000
base3=$sim_base
q="campaign.php?api=find_record&campaign_id=&customer_phone=6015550000&customer_id="
url="$base$q"
export WOLKVOX_SERVER=sim WOLKVOX_TOKEN="$token" WOLKVOX_BASE_URL="$base"
export XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/run" WVCONSOLE_GATE_DIR="$work/run/wvconsole"
mkdir -p "$work/run" && chmod 700 "$work/run"

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
best() { local b=999999 t; for _ in $(seq "$runs"); do t=$(ms "$@"); (( t < b )) && b=$t; done; echo "$b"; }
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

# One warm-up each, then the minimum of $runs.
curl -s -H "wolkvox-token: $token" -o /dev/null "$url"
bytes=$(curl -s -H "wolkvox-token: $token" "$url" | wc -c)
small_rows=$(curl -s -H "wolkvox-token: $token" "$base3$q" | jq '.data | length')

t_curl=$(best curl -s -H "wolkvox-token: $token" -o /dev/null "$url")
t_jq=$(best sh -c "curl -s -H 'wolkvox-token: $token' '$url' | jq -c '.data[]' >/dev/null")
t_curl_small=$(best curl -s -H "wolkvox-token: $token" -o /dev/null "$base3$q")

report() {
  local exe=$1 name=$2
  "$exe" find --phone 6015550000 --json >/dev/null 2>&1 || true
  local t_json t_table t_small t_version rss_json rss_table
  t_json=$(best "$exe" find --phone 6015550000 --json)
  t_table=$(best "$exe" find --phone 6015550000)
  t_small=$(WOLKVOX_BASE_URL="$base3" best "$exe" find --phone 6015550000 --json)
  t_version=$(best "$exe" --version)
  rss_json=$(rss "$exe" find --phone 6015550000 --json)
  rss_table=$(rss "$exe" find --phone 6015550000)
  rows=$("$exe" find --phone 6015550000 --json 2>/dev/null | jq '.count')
  python3 - "$name" "$t_json" "$t_table" "$t_small" "$t_version" "$rss_json" "$rss_table" "$t_curl" "$t_jq" "$rows" <<'PY'
import sys
name, tj, tt, ts, tv, rj, rt, tc, tq, rows = sys.argv[1:]
tj, tt, ts, tv, rj, rt, tc, tq = map(int, (tj, tt, ts, tv, rj, rt, tc, tq))
print(f"{name}: find --json {rows} rows {tj} ms = {tj/tc:.2f}x curl -o /dev/null, {tj/tq:.2f}x curl|jq -c; "
      f"peak RSS {rj//1024} MB | table {tt} ms, {rt//1024} MB | 3-record find {ts} ms | --version {tv} ms")
PY
}

echo "same run: answer $bytes bytes · curl -o /dev/null ${t_curl} ms · curl | jq -c '.data[]' ${t_jq} ms · curl of the ${small_rows}-record find ${t_curl_small} ms (min of $runs)"
report "$bin/wvconsole" "this build"
for other in "$@"; do report "$other" "$other"; done
