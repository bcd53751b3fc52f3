#!/usr/bin/env bash
# The machine-wide gate (issue 17): uncontended acquire+release of the
# lock-file gate, and the throughput of 1,000 small finds against wvsim from
# one process vs three processes sharing the token (max_in_flight = 1).
# Uses the main package's wvsim (release if built, else debug).
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product GateProbe >/dev/null
probe="$(swift build -c release --show-bin-path)/GateProbe"
sim=../.build/release/wvsim
[ -x "$sim" ] || sim=../.build/debug/wvsim
[ -x "$sim" ] || { echo "build wvsim first: (cd .. && swift build --product wvsim)"; exit 1; }
port=$(( 20000 + RANDOM % 20000 ))
token="bench-$RANDOM-$RANDOM"
WVSIM_TOKEN="$token" "$sim" --port "$port" --licenses 1000 --records 500 >/dev/null 2>&1 &
simpid=$!
locks=$(mktemp -d)
trap 'kill $simpid 2>/dev/null; rm -rf "$locks"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/_sim/state" && break; sleep 0.1; done
echo "wvsim: $sim"
"$probe" gate
url="http://127.0.0.1:$port/api/v2/"
"$probe" finds "$url" "$token" 100 1 "$locks" >/dev/null   # warm up
for run in 1 2 3; do
  "$probe" finds "$url" "$token" 1000 1 "$locks"
  "$probe" finds "$url" "$token" 1000 3 "$locks"
done
echo "wvsim peak in flight: $(curl -s "http://127.0.0.1:$port/_sim/state" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["peak_in_flight"], "· refused as simultaneous:", s["rejected_for_concurrency"])')"
