#!/usr/bin/env bash
# Console (issue 20): Enter -> the 60,000-row list on screen, measured end to
# end on the real binary in tmux (120x40) against a release wvsim, beside
# curl's time for the same URL in the same run. Between two timed searches a
# search with no match clears the list, so each timed frame is new.
# Usage: Benchmarks/console.sh [WVCONSOLE]   (default: this tree's release build)
# RUNS=10 by default; prints every run, then min and median.
tools="curl tmux python3"
source "$(dirname "$0")/common.sh"
runs=${RUNS:-10}
exe=${1:-$bin/wvconsole}
sock="wvbench$$"
on_exit "tmux -L $sock kill-server"
start_sim --records 60004 --hot-phone-every 1 --licenses 100000
base=$sim_base
url="${base}campaign.php?api=find_record&campaign_id=&customer_phone=6015550000&customer_id="
mkdir -p "$work/run" && chmod 700 "$work/run"
now() { date +%s%N; }

curl_times=()
for _ in $(seq "$runs"); do
  s=$(now); curl -s -H "wolkvox-token: $token" -o /dev/null "$url"; e=$(now)
  curl_times+=($(( (e - s) / 1000000 )))
done

tmux -L "$sock" -f /dev/null new-session -d -s b -x 120 -y 40 \
  "env WOLKVOX_SERVER=sim WOLKVOX_TOKEN=$token WOLKVOX_BASE_URL=$base XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run WVCONSOLE_GATE_DIR=$work/run/wvconsole LANG=C.UTF-8 TERM=xterm-256color $exe"
screen() { tmux -L "$sock" capture-pane -p -t b; }
waitfor() { # text, timeout in s
  local deadline=$(( $(date +%s) + $2 ))
  until screen | grep -qF "$1"; do
    (( $(date +%s) > deadline )) && { echo "timed out waiting for: $1"; screen; exit 1; }
    sleep 0.002
  done
}
# `s` takes the focus to the search box (after a list, Enter leaves it on
# the results); typed into the box, it goes with C-u.
search() { tmux -L "$sock" send-keys -t b s C-u "$1"; sleep 0.2; }
waitfor "Campaigns" 20
console_times=()
for _ in $(seq "$runs"); do
  search 3000000001
  tmux -L "$sock" send-keys -t b Enter
  waitfor "││0 records ·" 70
  search 6015550000
  s=$(now)
  tmux -L "$sock" send-keys -t b Enter
  waitfor "Results (60,000)" 70
  e=$(now)
  console_times+=($(( (e - s) / 1000000 )))
done

python3 - "${curl_times[*]}" "${console_times[*]}" <<'PY'
import sys, statistics
c = [int(x) for x in sys.argv[1].split()]
t = [int(x) for x in sys.argv[2].split()]
print("curl -o /dev/null, same URL (ms):", *c)
print("console Enter -> 60,000-row list (ms):", *t)
print(f"min: curl {min(c)} ms, console {min(t)} ms (server + {min(t) - min(c)} ms)")
print(f"median: curl {statistics.median(c):.0f} ms, console {statistics.median(t):.0f} ms (server + {statistics.median(t) - statistics.median(c):.0f} ms)")
PY
