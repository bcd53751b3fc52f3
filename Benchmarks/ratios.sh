#!/usr/bin/env bash
# Prints wvconsole's figures next to a reference measured on the same
# machine in the same run, so the ratio means something whatever the box.
#   decode: a 60,000-record find_record answer, wvconsole's decoder vs jq.
set -euo pipefail
cd "$(dirname "$0")"
command -v jq >/dev/null || { echo "needs jq (apt-get install -y jq)"; exit 1; }
swift build -c release --product DecodeProbe >/dev/null
probe="$(swift build -c release --show-bin-path)/DecodeProbe"
file=$(mktemp --suffix=.json)
trap 'rm -f "$file"' EXIT
python3 - "$file" <<'PY'
import json, sys
names = ["María José", "João", "山田", "Ana 😀", "Zoë", "Peñaloza Ñúñez"]
rows = []
for i in range(60000):
    r = {"customer_name": names[i % 6], "customer_last_name": f"Gómez {i}", "customer_id": f"CC{100000+i}"}
    for o in range(1, 13): r[f"opt{o}"] = f"saldo {i*7 % 100000}" if o == 1 else ""
    r.update({"tel1": f"300{1000000+i}", "tel2": f"601{2000000+i}" if i % 3 == 0 else "", "tel3": "",
              "date": f"2026-11-{10 + i % 18} 14:05:00", "calls": str(i % 9), "conn_id": f"c{i}",
              "result": "no-answer", "campaign_id": str(101 + i % 6)})
    rows.append(r)
json.dump({"code": "200", "error": None, "msg": "60000 records were found", "data": rows}, open(sys.argv[1], "w"), ensure_ascii=False)
PY
bytes=$(stat -c %s "$file")
best_jq=999999
for _ in 1 2 3 4 5; do
  s=$(date +%s%N); jq '.data | length' "$file" >/dev/null; e=$(date +%s%N)
  t=$(( (e - s) / 1000000 )); (( t < best_jq )) && best_jq=$t
done
read -r ms rows rss < <("$probe" "$file" 5)
echo "decode 60k find_record ($bytes bytes): wvconsole ${ms} ms (peak RSS ${rss} MB, $rows rows) · jq ${best_jq} ms · ratio $(python3 -c "print(round($ms/$best_jq, 2))")"
