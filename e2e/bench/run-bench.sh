#!/usr/bin/env bash
# npm run bench: measures ubdg in the shared 4-namespace benchmark topology
# (../shared/bench, the same harness that measured the anchors: kernel VXLAN,
# ubridge pcap/raw, n2n) and prints the median table.
#   RUNS=3 (runs per variant, interleaved)   VARIANTS="vxlan udp"   BENCH_PREFIX=vxb_
# Needs root, iperf3, ethtool, python3. Takes about 1 minute per run.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="${BENCH_DIR:-$REPO/../shared/bench}"
[ -x "$BENCH/repeat.sh" ] || { echo "bench: harness not found at $BENCH (set BENCH_DIR)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces, pcap)" >&2; exit 1; }
RUNS="${RUNS:-3}"
VARIANTS="${VARIANTS:-vxlan udp}"
export BENCH_PREFIX="${BENCH_PREFIX:-vxb_}"
OUT="${RESULTS_DIR:-$REPO/e2e/artifacts/bench-$(date +%Y%m%dT%H%M%S)}"
mkdir -p "$OUT"

(cd "$REPO" && npm run --silent build:node)
UBDG="node $REPO/bin/ubdg.js"
cmd_for() {
  case "$1" in
    vxlan) echo "exec $UBDG 5000#V:E@\$LOCAL_IP:\$PEER_IP 5000#W:E@\$LAN_IF" ;;
    udp)   echo "exec $UBDG 7#U:E@\$LOCAL_IP:40000:\$PEER_IP:40000 7#W:E@\$LAN_IF" ;;
    # the buffer-size measurements behind the defaults (README "Performance")
    vxlan-udpbuf256k) echo "exec $UBDG --udp-buffer 256K 5000#V:E@\$LOCAL_IP:\$PEER_IP 5000#W:E@\$LAN_IF" ;;
    vxlan-pcapbuf1m)  echo "exec $UBDG --pcap-buffer 1M 5000#V:E@\$LOCAL_IP:\$PEER_IP 5000#W:E@\$LAN_IF" ;;
    *) echo "bench: unknown variant $1 (vxlan, udp, vxlan-udpbuf256k, vxlan-pcapbuf1m)" >&2; return 2 ;;
  esac
}
for v in $VARIANTS; do cmd_for "$v" >/dev/null; done

# Interleaved (A B A B …) so that slow drift of the machine hits every variant alike.
export QUIET_WAIT_S="${QUIET_WAIT_S:-120}"
for round in $(seq "$RUNS"); do
  for v in $VARIANTS; do
    echo "bench: round $round/$RUNS, ubdg-$v" >&2
    RESULTS_FILE="$OUT/results.jsonl" "$BENCH/run.sh" "ubdg-$v" "$(cmd_for "$v")" >/dev/null || echo "bench: run failed (see its log)" >&2
  done
done
python3 "$BENCH/summarize.py" "$OUT/results.jsonl" | tee "$OUT/summary.txt"
echo "bench: results in $OUT (runs with foreign CPU load are reported as contaminated)" >&2
