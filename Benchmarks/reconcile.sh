#!/usr/bin/env bash
# What `wvconsole audit --reconcile` costs: N unconfirmed deletes (distinct
# IDs, so none is read back from another's answer) planted in a fresh local
# journal, read back against a release wvsim on loopback. Prints, per N, the
# find_record calls spent and the wall time.
#   Benchmarks/reconcile.sh [N ...]     (default: 1 100 10000)
tools="sqlite3 curl python3 jq"
source "$(dirname "$0")/common.sh"
start_sim --records 1000 --campaigns 3 --seed 42 --token "$token" --licenses 50
sizes=("${@:-1 100 10000}")
printf '%8s %8s %10s %12s\n' actions calls seconds ms/action
for n in ${sizes[@]}; do
  home="$work/home-$n"
  mkdir -p "$home/state/wvconsole" "$home/run"
  export HOME="$home" XDG_STATE_HOME="$home/state" XDG_RUNTIME_DIR="$home/run" WVCONSOLE_GATE_DIR="$home/run/wvconsole" XDG_CONFIG_HOME="$home/config"
  export WOLKVOX_SERVER=sim WOLKVOX_BASE_URL="$sim_base" WOLKVOX_TOKEN="$token" LANG=C.UTF-8
  "$bin/wvconsole" audit >/dev/null  # creates the journal
  db="$home/state/wvconsole/wvconsole.sqlite"
  python3 - "$db" "$n" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
rows = [("2026-12-07T10:00:00Z", "bench", "sim", "101", "remove_record", "DELETE",
         "http://127.0.0.1/api/v2/campaign.php?api=remove_record&type_campaign=predictive&campaign_id=101",
         '{"customer_id":"GONE-%d"}' % i, 1) for i in range(n)]
c.executemany("INSERT INTO intent (created_at, os_user, server, campaign_id, api, method, url, body, item_count) VALUES (?,?,?,?,?,?,?,?,?)", rows)
c.commit()
PY
  curl -s -X DELETE "${sim_base%api/v2/}_sim/requests" >/dev/null
  start=$(date +%s.%N)
  "$bin/wvconsole" audit --reconcile --json --over-quota >"$work/out-$n.json" 2>/dev/null || true
  end=$(date +%s.%N)
  calls=$(jq .calls "$work/out-$n.json")
  left=$(jq .still_unconfirmed "$work/out-$n.json")
  [ "$left" = 0 ] || echo "  ($left left unconfirmed)"
  python3 -c "n=$n; s=$end-$start; print('%8d %8s %10.2f %12.2f' % (n, '$calls', s, s*1000/n))"
done
