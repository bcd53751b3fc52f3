# Sourced by wire.sh and console.sh: the tree's release builds, and release
# simulators on free loopback ports, stopped (with the work folder) on exit.
# Set `tools` (the commands the script needs) before sourcing.
#   start_sim ARGS...   a wvsim on a free port, waited for; sets sim_base
#   on_exit COMMAND     also run COMMAND on exit
#   $bin, $work, $token the build folder, a scratch folder, the demo token
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
for tool in ${tools:-} swift; do command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y $tool)"; exit 1; }; done
swift build -c release --product wvsim >/dev/null
swift build -c release --product wvconsole >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
token=$(sed -n 's/.*demoToken = "\(.*\)".*/\1/p' Sources/Simulator/SimulatorConfig.swift | head -1)
exit_commands=("rm -rf '$work'")
on_exit() { exit_commands=("$1" "${exit_commands[@]}"); }
trap 'for c in "${exit_commands[@]}"; do eval "$c" 2>/dev/null || true; done' EXIT

start_sim() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin/wvsim" --port "$port" "$@" >"$work/sim-$port.log" 2>&1 &
  on_exit "kill $!"
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.1; done
  sim_base="http://127.0.0.1:$port/api/v2/"
}
