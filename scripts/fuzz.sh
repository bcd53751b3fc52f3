#!/usr/bin/env bash
# libFuzzer on every decoder of untrusted input: find_record answers, answers
# to changes, campaigns/token_info, the operator's CSV files, the config file,
# theme files, and the token's redaction.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 60 s each, all targets)
#
# Builds Fuzz/ with -sanitize=fuzzer,address (its own .build), runs each
# target from the seeds in Fuzz/corpus/TARGET (new inputs go to a scratch
# folder, not the repository), two at a time on two cores. A crash, an
# AddressSanitizer report or a failed property stops that target, keeps the
# input in Fuzz/crashes/, and makes the script exit 1. Every such input
# becomes a regression test (Tests/WolkvoxAPITests/FuzzRegressionTests.swift).
#   scripts/fuzz.sh --ci                      (what .ci/run does)
# --ci: a fixed seed and a fixed number of inputs per target (about a minute
# each on a 2-core machine), so CI repeats a run that passed here rather than
# drawing new inputs each time; new ground is broken by timed runs like the
# hour this round's note reports.
set -euo pipefail
cd "$(dirname "$0")/.."
ci=0
if [ "${1:-}" = "--ci" ]; then ci=1; shift; set -- 60 "$@"; fi
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(find write campaigns csv config theme redact)
jobs=${FUZZ_JOBS:-2}

echo "fuzz: building Fuzz/ (sanitizers: fuzzer, address)…"
swift build --package-path Fuzz -c debug --sanitize=fuzzer --sanitize=address 2>&1 | grep -E "error|warning: unre|Compiling wvfuzz|Build complete" || true
bin=$(swift build --package-path Fuzz -c debug --sanitize=fuzzer --sanitize=address --show-bin-path)/wvfuzz
[ -x "$bin" ] || { echo "fuzz: the build failed" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p Fuzz/crashes
run() {
    local target=$1
    mkdir -p "$scratch/$target"
    local log="$scratch/$target.log"
    # TOMLKit 0.6.0 leaks the strings and key lists it hands to Swift (a few
    # KB per parse; docs/upstream/tomlkit-leaks.md): config and theme files
    # are read once per run, so those targets look for crashes, not leaks.
    local leaks=1
    case $target in config | theme) leaks=0 ;; esac
    local budget=(-max_total_time="$seconds")
    if [ "$ci" = 1 ]; then
        local runs=10000
        case $target in
        find) runs=300000 ;; write) runs=125000 ;; campaigns) runs=125000 ;; csv) runs=20000 ;;
        redact) runs=60000 ;; config) runs=50000 ;; theme) runs=50000 ;; *) runs=10000 ;;
        esac
        budget=(-seed=1 -runs="$runs")
    fi
    if ASAN_OPTIONS=detect_leaks=$leaks SWIFT_BACKTRACE=enable=no WVFUZZ_TARGET=$target "$bin" "$scratch/$target" "Fuzz/corpus/$target" \
        "${budget[@]}" -rss_limit_mb=2048 -max_len=65536 -timeout=10 -detect_leaks=$leaks \
        -artifact_prefix="Fuzz/crashes/$target-" -print_final_stats=1 >"$log" 2>&1; then
        local done_runs
        done_runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
        echo "fuzz: $target: ${done_runs:-?} inputs, no crash"
    else
        echo "fuzz: $target: FAILED — input kept in Fuzz/crashes/; the report:" >&2
        grep -E 'ERROR|property failed|Fatal error|SUMMARY|Test unit written' "$log" | head -20 >&2
        return 1
    fi
}
export -f run
export bin seconds scratch ci
status=0
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run {}' || status=1
exit $status
