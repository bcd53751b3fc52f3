#!/usr/bin/env bash
# Regenerates screenshots/*.png from tmux captures of `wvconsole --demo`.
#   scripts/screenshot.sh            all screens
# Needs tmux and Debian's python3-pil python3-wcwidth fonts-dejavu-core fonts-wqy-zenhei.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product wvconsole >/dev/null
bin=.build/debug/wvconsole
out=screenshots
mkdir -p "$out"
home=$(mktemp -d)
n=0
sock="wvshot-$$-$n"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$home"' EXIT

start() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  n=$((n + 1)); sock="wvshot-$$-$n"
  tmux -L "$sock" -u -f /dev/null new-session -d -x "${2:-120}" -y "${3:-36}" \
    "env HOME=$home XDG_STATE_HOME=$home/state LANG=${4:-C.UTF-8} TERM=xterm-256color WVCONSOLE_DEMO_FAULTS=${FAULTS:-} $bin --demo $1; sleep 60"
  sleep 1.2
}
keys() { tmux -L "$sock" send-keys "$@"; sleep 0.4; }
typed() { tmux -L "$sock" send-keys -l "$1"; sleep 0.3; }
shot() {
  tmux -L "$sock" capture-pane -e -p > "$out/$1.ansi"
  ANSI2PNG_LIGHT=${LIGHT:-} /usr/bin/python3 scripts/ansi2png.py "$out/$1.ansi" "$out/$1.png" "${2:-120}" "${3:-36}"
  rm "$out/$1.ansi"
  echo "screenshots/$1.png"
}

start ""
typed "3001234567"; keys Enter; sleep 0.5; shot main
keys Enter; shot detail
keys Escape; keys d; typed "CC10"; shot delete-dialog
keys Escape; keys r; shot recall-dialog
keys Escape; keys b; typed ", 12"; shot dnc-dialog
keys Escape; keys "?"; shot help
keys Escape; keys Tab Tab; sleep 0.3; keys "/"; typed "co"; shot campaign-filter
start ""; typed "6015550000"; keys Enter; sleep 0.6; keys B; keys Down Down; shot breakdown
start "--theme light"; typed "6015550000"; keys Enter; sleep 0.6; LIGHT=1 shot light-theme-many-results
start "--theme high-contrast --read-only"; typed "JP-77"; keys Enter; sleep 0.5; shot high-contrast-read-only
start "--lang es"; typed "3001234567"; keys Enter; sleep 0.5; keys d; shot delete-dialog-es
start "--lang pt"; typed "3001234567"; keys Enter; sleep 0.5; keys r; shot recall-dialog-pt
start "" 80 24; typed "3001234567"; keys Enter; sleep 0.5; shot narrow-80x24 80 24
# The unhappy path: the answer to a delete is cut, so its outcome is unknown; c reads it back.
FAULTS="remove_record:truncated" start "" 80 24; typed "3001234567"; keys Enter; sleep 0.5
keys d; typed "CC1001"; keys Enter Enter; sleep 0.8; shot unknown-outcome-80x24 80 24
keys c; sleep 0.8; shot unknown-outcome-checked-80x24 80 24
# Esc on a search the server is still working on, then a new search: it waits for the first.
FAULTS="find_record:latency=5000*1" start "" 80 24; typed "3001234567"; keys Enter; sleep 0.8
keys Escape; keys s C-u; typed "CC1001"; keys Enter; sleep 0.5; shot waiting-cancelled-80x24 80 24
FAULTS="find_record:latency=5000*1" start "--lang es"; typed "3001234567"; keys Enter; sleep 0.8
keys Escape; keys s C-u; typed "CC1001"; keys Enter; sleep 0.5; shot waiting-cancelled-es
FAULTS="remove_record:truncated" start "--lang es"; typed "3001234567"; keys Enter; sleep 0.5
keys d; typed "CC1001"; keys Enter Enter; sleep 0.8; keys Enter; keys ":"; typed "history"; keys Enter; sleep 0.6; shot history-unconfirmed-es
