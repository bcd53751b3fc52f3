#!/usr/bin/env bash
# Crash torture: `kill -9` of a bulk write at a random moment, then the
# recovery an operator would run, then what the simulator holds and received
# compared with the file and with the local journal.
#
#   scripts/torture.sh [TRIALS] [--bin DIR | --release] [--seed N]
#                      [--workloads import,dnc,delete] [--rows N] [--keep]
#
# TRIALS (default 100) are dealt round-robin to three workloads, each run
# against a fresh `wvsim` (the simulator has no reset) and a fresh HOME /
# XDG / gate folder / config.toml of its own:
#   import  `wvconsole import` of a generated 25,000-row CSV (3 chunks);
#   dnc     `wvconsole dnc import` of 25,000 generated numbers (3 chunks);
#   delete  10 `wvconsole delete --ids` of 250 IDs each (there is no delete
#           from a file), after an unkilled import of those 2,500 records.
# The kill moment is uniform in [0, T), T being the workload's duration
# measured by one unkilled calibration run (which is checked too).
#
# Recovery, as README says: `audit --reconcile`, then
#   import/dnc  rerun with `--resume`; when it refuses because chunks are
#               unconfirmed: import adds --resend-unconfirmed if the
#               read-back settled every add_record (the rest are known not
#               applied), else --skip-unconfirmed; dnc (a block cannot be
#               read back) adds --resend-unconfirmed (--dnc-policy skip to
#               change it);
#   delete      rerun each batch the journal does not show applied (deletes
#               have no --resume); a batch still open is left alone.
# Then the counts, from GET /_sim/state, GET /_sim/requests and `audit --json`:
#   lost           rows of the file not on the server (import, dnc), or IDs
#                  still there (delete);
#   twice          items the server processed more than once (request log;
#                  for add_record also checked against duplicates_received),
#                  except numbers blocked again by an explicit
#                  --resend-unconfirmed of a DNC chunk no read-back can
#                  settle (harmless; shown as dnc_reblocked_by_choice);
#   wrong_journal  per request body: journal entries that say applied
#                  (succeeded/partial, or reconciled applied) without a
#                  matching effect on the server, effects on the server the
#                  journal neither claims nor leaves open, and writes the
#                  server received with no journal entry at all;
#   open           (reported, not counted as wrong) entries still unconfirmed.
# Exit 1 when lost, twice or wrong_journal is non-zero anywhere; 2 on a
# set-up failure. Trial folders with a non-zero count are kept (--keep: all).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
trials=100 bin="$root/.build/debug" seed="" keep=0 rows=25000 dnc_policy=resend
workloads="import,dnc,delete" del_batches=10 del_batch=250
usage() { sed -n '2,40p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$(cd "$2" && pwd) || exit 2; shift 2 ;;
    --release) bin="$root/.build/release"; shift ;;
    --seed) seed=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --dnc-policy) dnc_policy=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    ''|*[!0-9]*) echo "torture: unknown argument $1 (see --help)" >&2; exit 2 ;;
    *) trials=$1; shift ;;
  esac
done
case "$dnc_policy" in resend|skip) ;; *) echo "torture: --dnc-policy resend|skip" >&2; exit 2 ;; esac
for tool in curl python3 setsid awk; do command -v "$tool" >/dev/null || { echo "torture: needs $tool" >&2; exit 2; }; done
for b in wvconsole wvsim; do [ -x "$bin/$b" ] || { echo "torture: no $bin/$b (build first, or --bin DIR)" >&2; exit 2; }; done
IFS=, read -r -a wl_list <<<"$workloads"
for w in "${wl_list[@]}"; do case "$w" in import|dnc|delete) ;; *) echo "torture: unknown workload $w" >&2; exit 2 ;; esac; done
seed=${seed:-$(( $(date +%s) % 1000000 ))}
RANDOM=$seed

work=$(mktemp -d "${TMPDIR:-/tmp}/wvtorture.XXXXXX")
# A private copy of the binaries: a build that relinks them mid-run ("Text
# file busy", or a different program in later trials) must not touch this run.
mkdir "$work/bin" && cp "$bin/wvconsole" "$bin/wvsim" "$work/bin/" || { echo "torture: cannot copy the binaries" >&2; rm -rf "$work"; exit 2; }
echo "torture: binaries $("$bin/wvconsole" --version 2>/dev/null | head -1) from $bin"
bin="$work/bin"
sim_pids=() groups=() kept=0
cleanup() {
  local g p
  for g in "${groups[@]}"; do kill -9 -- "-$g" 2>/dev/null; done
  for p in "${sim_pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${sim_pids[@]}"; do wait "$p" 2>/dev/null; done
  if [ "$kept" = 0 ] && [ "$keep" = 0 ]; then rm -rf "$work"; else echo "torture: kept $work" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# ---- inputs, generated once ------------------------------------------------
token="torture-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$token" >"$work/token" && chmod 600 "$work/token"
python3 - "$work" "$rows" "$del_batches" "$del_batch" <<'PY'
import sys
work, rows, nb, bs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with open(f"{work}/import.csv", "w") as f:
    f.write("customer_id,customer_name,customer_last_name,tel1\n")
    for i in range(rows): f.write(f"IMP-{i:06d},Name{i},Torture,{3000000000 + i}\n")
with open(f"{work}/dnc.csv", "w") as f:
    f.write("telephone\n")
    for i in range(rows): f.write(f"{3100000000 + i}\n")
ids = [f"DEL-{i:05d}" for i in range(nb * bs)]
with open(f"{work}/delete.csv", "w") as f:
    f.write("customer_id,customer_name,customer_last_name,tel1\n")
    for i, x in enumerate(ids): f.write(f"{x},Del{i},Torture,{3200000000 + i}\n")
for b in range(nb):
    with open(f"{work}/batch-{b}", "w") as f: f.write(",".join(ids[b * bs:(b + 1) * bs]))
with open(f"{work}/batch-all", "w") as f: f.write(",".join(ids))
PY

# ---- the analysis, in one place ---------------------------------------------
cat >"$work/analyze.py" <<'PY'
"""analyze.py MODE WORKLOAD TRIALDIR WORKDIR CAMPAIGN
MODE count: prints 'lost= twice= wrong_journal= open= note=' (details in TRIALDIR/analysis.txt)
MODE todo:  prints the delete batches the journal does not show applied (or open)."""
import json, re, sys
from collections import Counter, defaultdict
from urllib.parse import urlsplit, parse_qs

mode, wl, tdir, work, camp = sys.argv[1:6]
WRITES = ("add_record", "add_dnc", "remove_record")
CUT = 65536

def load(name, default):
    try:
        with open(f"{tdir}/{name}") as f: return json.load(f)
    except Exception:
        return default

def q(query, key):
    return parse_qs(query).get(key, [None])[0]

def items(api, body):
    if api == "remove_record":
        m = re.search(r'"customer_id"\s*:\s*"([^"]*)"', body)
        return [x.strip() for x in m.group(1).split(",") if x.strip()] if m else []
    field = "telephone" if api == "add_dnc" else "customer_id"
    return re.findall(r'"%s"\s*:\s*"([^"]*)"' % field, body)

def verdict(e):
    out = e.get("outcome") or "unconfirmed"
    if out in ("succeeded", "partial"): return "A"
    if out == "rejected": return "N"
    note = e.get("resolution_note") or ""
    if e.get("resolved_at") and note.startswith("reconciled: applied"): return "A"
    if e.get("resolved_at") and note.startswith("reconciled: not_applied"): return "N"
    return "O"

journal = [e for e in load("journal.json", []) if e.get("api") in WRITES]
journal.sort(key=lambda e: e["id"])

def jkey(e):
    b = e["body"].encode()
    camp_ = e.get("campaign_id") if e["api"] != "add_dnc" else None
    return (e["api"], camp_, len(b), b[:CUT])

if mode == "todo":
    nb = int(sys.argv[6])
    by_ids = defaultdict(list)
    for e in journal:
        if e["api"] == "remove_record": by_ids[frozenset(items("remove_record", e["body"]))].append(verdict(e))
    for b in range(nb):
        ids = frozenset(open(f"{work}/batch-{b}").read().split(","))
        v = by_ids.get(ids, [])
        print(b, "skip" if "A" in v else ("open" if "O" in v else "run"))
    sys.exit(0)

state = load("state.json", {})
reqs = load("requests.json", [])
notes, detail = [], []

# What the server received, in order: processed (2xx, or 0 = answer lost
# after processing) or refused; a delete's effect by replay.
present = set()
if wl == "delete":
    present = set(open(f"{work}/batch-all").read().split(","))
full = {jkey(e): e["body"] for e in journal}   # the log keeps 64 KiB of a body; the journal all of it
received = defaultdict(lambda: [0, 0])   # key -> [effective, refused/no effect]
seen = Counter()
for r in reqs:
    api = q(r.get("query", ""), "api")
    if api not in WRITES: continue
    body = r.get("body", "")
    raw = body.encode()
    if r.get("body_bytes", len(raw)) > CUT and body.endswith("\u2026"): raw = raw[:-len("\u2026".encode())]
    camp_ = q(r["query"], "campaign_id") if api != "add_dnc" else None
    key = (api, camp_, r.get("body_bytes", len(raw)), raw[:CUT])
    st = r.get("status", 0)
    processed = st == 0 or 200 <= st < 300
    effective = processed
    its = items(api, full.get(key, body))
    if key not in full and r.get("body_bytes", 0) > CUT: notes.append(f"{api}: a {r['body_bytes']}-byte body outside the journal, items counted from its first 64 KiB")
    if processed:
        for x in its: seen[(api, camp_, x)] += 1
        if api == "remove_record":
            gone = present & set(its)
            present -= gone
            effective = bool(gone)
    received[key][0 if effective else 1] += 1

twice = sum(c - 1 for c in seen.values() if c > 1)
dup_ids = [k[2] for k, c in seen.items() if c > 1]
if dup_ids: detail.append("received more than once: " + " ".join(sorted(dup_ids)[:20]) + (" …" if len(dup_ids) > 20 else ""))
add_twice = sum(c - 1 for k, c in seen.items() if c > 1 and k[0] == "add_record")
if add_twice != state.get("duplicates_received", 0):
    notes.append(f"duplicates_received={state.get('duplicates_received')}≠log {add_twice}")
    twice += max(0, state.get("duplicates_received", 0) - add_twice)  # log cut at 64 KiB per body: trust the counter

# The journal against it, body by body.
jcount = defaultdict(Counter)
for e in journal: jcount[jkey(e)][verdict(e)] += 1
wrong = 0
for key in set(jcount) | set(received):
    ja, jo = jcount[key]["A"], jcount[key]["O"]
    jtotal = sum(jcount[key].values())
    sa, sn = received[key] if key in received else (0, 0)
    bad = 0
    if jtotal == 0:
        bad = sa + sn
        detail.append(f"{key[0]} {key[2]} bytes: received {sa + sn}× with no journal entry")
    else:
        bad = max(0, ja - sa) + max(0, sa - ja - jo)
        if bad: detail.append(f"{key[0]} {key[2]} bytes: journal applied={ja} not={jcount[key]['N']} open={jo}; server effective={sa} other={sn}")
    wrong += bad
opened = sum(c["O"] for c in jcount.values())

# What the server holds after recovery.
def records_in(c):
    return next((x["records"] for x in state.get("campaigns", []) if x["id"] == c), 0)
if wl == "import":
    want = sum(1 for _ in open(f"{work}/import.csv")) - 1
    have = records_in(camp)
    lost = max(0, want - have)
    if have > want: notes.append(f"{have - want} extra records")
elif wl == "dnc":
    want = [l.strip() for l in open(f"{work}/dnc.csv")][1:]
    blocked = set(state.get("dnc", {}))
    missing = [p for p in want if p not in blocked]
    lost = len(missing)
    if missing: detail.append("not blocked: " + " ".join(missing[:20]) + (" …" if len(missing) > 20 else ""))
else:
    lost = records_in(camp)
    if lost: detail.append(f"{lost} records of the delete list still in campaign {camp}")

with open(f"{tdir}/analysis.txt", "w") as f:
    f.write("\n".join(detail + notes) + "\n")
print(f"lost={lost} twice={twice} wrong_journal={wrong} open={opened}" + (" note=" + ";".join(notes).replace(" ", "_") if notes else ""))
PY

# ---- one simulator and one operator per trial -------------------------------
# start_sim DIR: a fresh wvsim on a free port, waited for until /_sim/state answers.
start_sim() {
  local dir=$1 deadline port=""
  "$bin/wvsim" --port 0 --records 0 --campaigns 3 --seed 42 --licenses 1000 --token-file "$work/token" \
    >"$dir/sim.out" 2>"$dir/sim.err" </dev/null &
  sim_pid=$!
  sim_pids+=("$sim_pid")
  deadline=$(( $(date +%s) + 60 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    kill -0 "$sim_pid" 2>/dev/null || { echo "torture: wvsim died: $(cat "$dir/sim.err")" >&2; return 1; }
    port=$(sed -n 's|^wvsim listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$dir/sim.out")
    if [ -n "$port" ] && curl -fs -o "$dir/state0.json" "http://127.0.0.1:$port/_sim/state"; then
      admin="http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.05
  done
  echo "torture: wvsim did not answer within 60 s" >&2
  return 1
}
stop_sim() {
  kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null
  local p keep_pids=()
  for p in "${sim_pids[@]}"; do [ "$p" = "$sim_pid" ] || keep_pids+=("$p"); done
  sim_pids=("${keep_pids[@]}")
}

# operator DIR: HOME, XDG folders, gate folder and config.toml of this trial only.
operator() {
  local dir=$1 h="$1/home"
  mkdir -p "$h/.config/wvconsole" "$h/.local/state" "$h/.cache" "$dir/run" "$dir/gate"
  chmod 700 "$dir/run" "$dir/gate"
  cat >"$h/.config/wvconsole/config.toml" <<EOF
server = "sim"
token_file = "$work/token"
licenses = 1000
max_in_flight = 1
language = "en"
operator = "torture"
EOF
  unset WOLKVOX_TOKEN WOLKVOX_SERVER WVCONSOLE_CONFIG WVCONSOLE_STORE WVCONSOLE_DEMO_FAULTS \
    HTTPS_PROXY HTTP_PROXY https_proxy http_proxy ALL_PROXY all_proxy WVCONSOLE_LOG_LEVEL
  export HOME="$h" XDG_CONFIG_HOME="$h/.config" XDG_STATE_HOME="$h/.local/state" XDG_CACHE_HOME="$h/.cache" \
    XDG_RUNTIME_DIR="$dir/run" WVCONSOLE_GATE_DIR="$dir/gate" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    WOLKVOX_BASE_URL="$admin/api/v2/"
  campaign=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["campaigns"][0]; print(c["id"], c["type"])' "$dir/state0.json")
  ctype=${campaign#* } campaign=${campaign%% *}
}

wv() { "$bin/wvconsole" "$@" </dev/null; }

# The workload as one process group, so `kill -9 -- -PGID` takes all of it.
workload_cmd() {
  local w=$1 dir=$2
  case "$w" in
    import) echo "exec '$bin/wvconsole' import '$work/import.csv' --campaign $campaign --json" ;;
    dnc) echo "exec '$bin/wvconsole' dnc import '$work/dnc.csv' --json" ;;
    delete)
      echo "for b in \$(seq 0 $((del_batches - 1))); do echo \$b >>'$dir/driver.log';" \
        "'$bin/wvconsole' delete --campaign $campaign --type $ctype --ids \$(cat '$work'/batch-\$b) --yes --json >>'$dir/work.out' 2>>'$dir/work.err' || echo rc=\$? >>'$dir/driver.log'; done" ;;
  esac
}

# setup W DIR: what the workload needs on the server first (never killed).
setup() {
  [ "$1" = delete ] || return 0
  wv import "$work/delete.csv" --campaign "$campaign" --json >"$2/setup.json" 2>"$2/setup.err" || {
    echo "torture: set-up import for delete failed: $(head -c 300 "$2/setup.err")" >&2; return 1; }
}

# run_workload W DIR DELAY: runs it, kill -9 at DELAY seconds (none if empty);
# sets died (killed|exited rc=N) and took.
run_workload() {
  local w=$1 dir=$2 delay=$3 start rc
  start=$(now)
  setsid bash -c "$(workload_cmd "$w" "$dir")" >>"$dir/work.out" 2>>"$dir/work.err" </dev/null &
  local g=$!
  groups+=("$g")
  if [ -n "$delay" ]; then
    sleep "$delay"
    if kill -0 "$g" 2>/dev/null; then kill -9 -- "-$g" 2>/dev/null; fi
  fi
  { wait "$g"; } 2>/dev/null; rc=$?  # (no "Killed" job notice)
  # The group may hold a wvconsole the driver had just started: make sure nothing is left.
  kill -9 -- "-$g" 2>/dev/null
  local x rest=()
  for x in "${groups[@]}"; do [ "$x" = "$g" ] || rest+=("$x"); done
  groups=("${rest[@]}")
  took=$(since "$start")
  if [ "$rc" = 137 ] && [ -n "$delay" ]; then died=killed; else died="exited_rc=$rc"; fi
}

# recover W DIR: the operator's recovery; sets rec (the steps and their exits).
recover() {
  local w=$1 dir=$2 rc flag b what
  wv audit --reconcile --json >"$dir/reconcile.json" 2>"$dir/reconcile.err"; rc=$?
  rec="reconcile=$rc"
  case "$w" in
    import|dnc)
      local cmd=(import "$work/import.csv" --campaign "$campaign")
      [ "$w" = dnc ] && cmd=(dnc import "$work/dnc.csv")
      wv "${cmd[@]}" --resume --json >"$dir/resume.json" 2>"$dir/resume.err"; rc=$?
      rec+=" resume=$rc"
      if [ "$rc" = 1 ] && grep -q 'unconfirmed' "$dir/resume.json" "$dir/resume.err"; then
        if [ "$w" = dnc ]; then
          flag="--$dnc_policy-unconfirmed"
        else
          # Resend only what the read-back proved not applied: nothing add_record left open.
          if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if all(r.get("resolved") for r in d.get("reconciled",[]) if r["api"]=="add_record") else 1)' "$dir/reconcile.json" 2>/dev/null
          then flag=--resend-unconfirmed; else flag=--skip-unconfirmed; fi
        fi
        wv "${cmd[@]}" --resume "$flag" --json >"$dir/resume2.json" 2>"$dir/resume2.err"; rc=$?
        rec+=" resume+${flag#--}=$rc"
      fi
      ;;
    delete)
      wv audit --json >"$dir/journal-pre.json" 2>/dev/null
      cp "$dir/journal-pre.json" "$dir/journal.json"
      local reran=0 open=0
      while read -r b what; do
        case "$what" in
          run) wv delete --campaign "$campaign" --type "$ctype" --ids "$(cat "$work/batch-$b")" --yes --json \
                 >>"$dir/redo.json" 2>>"$dir/redo.err" || rec+=" redo$b=$?"; reran=$((reran + 1)) ;;
          open) open=$((open + 1)) ;;
        esac
      done < <(python3 "$work/analyze.py" todo delete "$dir" "$work" "$campaign" "$del_batches")
      rec+=" reran=$reran"
      [ "$open" = 0 ] || rec+=" left_open=$open"
      ;;
  esac
}

# trial W DIR DELAY: one complete trial; prints its line; sets counts.
trial() {
  local w=$1 dir=$2 delay=$3 label=$4 result
  mkdir -p "$dir"
  start_sim "$dir" || return 2
  operator "$dir"
  setup "$w" "$dir" || { stop_sim; return 2; }
  run_workload "$w" "$dir" "$delay"
  if [ -n "$delay" ]; then
    # What the kill left in the journal, before any recovery: confirmed / rejected / open entries.
    wv audit --json >"$dir/journal-kill.json" 2>/dev/null
    at_kill=$(python3 -c 'import json,sys
e=[x for x in json.load(open(sys.argv[1])) if x["api"] in ("add_record","add_dnc","remove_record") and (sys.argv[2]!="delete" or x["api"]=="remove_record")]
o=[x.get("outcome") or "unconfirmed" for x in e]
print("%d/%d/%d" % (sum(x in ("succeeded","partial") for x in o), sum(x=="rejected" for x in o), sum(x in ("unknown","unconfirmed") for x in o)))' "$dir/journal-kill.json" "$w" 2>/dev/null || echo "?")
    recover "$w" "$dir"; rec="at_kill(ok/rej/open)=$at_kill $rec"
  else rec="(no kill, no recovery)"; fi
  curl -fs -o "$dir/state.json" "$admin/_sim/state"
  curl -fs -o "$dir/requests.json" "$admin/_sim/requests"
  wv audit --json >"$dir/journal.json" 2>"$dir/journal.err"
  stop_sim
  result=$(python3 "$work/analyze.py" count "$w" "$dir" "$work" "$campaign")
  [[ "$result" =~ ^lost=([0-9]+)\ twice=([0-9]+)\ wrong_journal=([0-9]+)\ open=([0-9]+) ]] || {
    echo "torture: analysis failed for $dir: $result" >&2; kept=1; return 2; }
  t_lost=${BASH_REMATCH[1]} t_twice=${BASH_REMATCH[2]} t_wrong_journal=${BASH_REMATCH[3]} t_open=${BASH_REMATCH[4]}
  printf '%s %-6s kill@%ss/%ss %s %s %s\n' "$label" "$w" "${delay:--}" "$took" "$died" "$rec" "$result"
  if [ $((t_lost + t_twice + t_wrong_journal)) -gt 0 ]; then
    sed 's/^/    /' "$dir/analysis.txt" | head -8
    kept=1
  elif [ "$keep" = 0 ]; then
    rm -rf "$dir"
  fi
  return 0
}

# ---- calibration: one unkilled run per workload, to learn its duration -------
began=$(now)
echo "torture: $trials trials, workloads $workloads, seed $seed, work $work"
declare -A dur
for w in "${wl_list[@]}"; do
  for c in 1 2; do  # twice: the first run pays for cold caches; the shorter one counts
    trial "$w" "$work/calib-$w-$c" "" "calib" || exit 2
    if [ "$died" != "exited_rc=0" ] || [ $((t_lost + t_twice + t_wrong_journal)) -gt 0 ]; then
      echo "torture: the unkilled $w run is not clean ($died); see $work/calib-$w-$c" >&2; kept=1; exit 2
    fi
    dur[$w]=$(awk -v a="${dur[$w]:-}" -v b="$took" 'BEGIN { print (a == "" || b < a) ? b : a }')
  done
done

# ---- the trials ---------------------------------------------------------------
declare -A n_w lost_w twice_w wrong_w open_w killed_w chosen_w
tot_lost=0 tot_twice=0 tot_wrong=0 tot_open=0
for i in $(seq 1 "$trials"); do
  w=${wl_list[$(( (i - 1) % ${#wl_list[@]} ))]}
  r1=$RANDOM r2=$RANDOM  # drawn here: a subshell would reseed
  delay=$(awk -v d="${dur[$w]}" -v r="$r1" -v s="$r2" 'BEGIN { printf "%.3f", d * (r * 32768 + s) / 1073741824 }')
  trial "$w" "$work/trial-$i" "$delay" "$(printf 'trial %3d/%d' "$i" "$trials")" || exit 2
  n_w[$w]=$(( ${n_w[$w]:-0} + 1 ))
  [ "$died" = killed ] && killed_w[$w]=$(( ${killed_w[$w]:-0} + 1 ))
  lost_w[$w]=$(( ${lost_w[$w]:-0} + t_lost )); twice_w[$w]=$(( ${twice_w[$w]:-0} + t_twice ))
  # Items sent twice because recovery chose --resend-unconfirmed for a chunk no read-back can settle (DNC).
  # Blocking a number again is harmless (it stays blocked), losing a block
  # is not: those resends are the operator's choice, counted apart, not as
  # "sent twice".
  chosen=0
  case "$rec" in *resume+resend-unconfirmed*) [ "$w" = dnc ] && chosen=$t_twice ;; esac
  chosen_w[$w]=$(( ${chosen_w[$w]:-0} + chosen ))
  wrong_w[$w]=$(( ${wrong_w[$w]:-0} + t_wrong_journal )); open_w[$w]=$(( ${open_w[$w]:-0} + t_open ))
  tot_lost=$((tot_lost + t_lost)) tot_twice=$((tot_twice + t_twice - chosen)) tot_wrong=$((tot_wrong + t_wrong_journal)) tot_open=$((tot_open + t_open))
  tot_reblocked=$(( ${tot_reblocked:-0} + chosen ))
done

for w in "${wl_list[@]}"; do
  [ -n "${n_w[$w]:-}" ] || continue
  echo "workload $w: trials=${n_w[$w]} killed=${killed_w[$w]:-0} run=${dur[$w]}s lost=${lost_w[$w]} twice=${twice_w[$w]} wrong_journal=${wrong_w[$w]} open=${open_w[$w]}${chosen_w[$w]:+ (twice after an explicit --resend-unconfirmed of unreadable DNC chunks: ${chosen_w[$w]})}"
done
echo "elapsed $(since "$began")s, seed $seed (rerun the same kill moments with --seed $seed)"
echo "trials=$trials lost=$tot_lost twice=$tot_twice wrong_journal=$tot_wrong dnc_reblocked_by_choice=${tot_reblocked:-0}"
[ $((tot_lost + tot_twice + tot_wrong)) -eq 0 ]
