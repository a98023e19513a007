#!/usr/bin/env bash
# npm run bench: measures ubdg, side by side with the in-kernel VXLAN bridge, in
# the 4-namespace benchmark topology of this directory (topo.sh, run.sh,
# summarize.py: the same harness that measured the anchor figures in
# README.md) and prints the median table, plus ratios to the kernel.
#   RUNS=3                      runs per variant, interleaved (A B C A B C …)
#   VARIANTS="kernel vxlan vxlan-key udp"  see cmd_for below
#   BENCH_PREFIX=vxb_           namespace name prefix (names are machine-global)
#   QUIET_WAIT_S=120            wait up to this long before each run for an idle machine
#   RESULTS_DIR=e2e/artifacts/bench-<time>   results.jsonl, summary.md, summary.jsonl, logs/
#   BENCH_DIR=e2e/bench         use another copy of the harness
# run.sh's knobs (TCP_TIME, UDP_TIME, PING_COUNT, …) pass through.
# Needs root, iperf3, ethtool, python3. Takes about 1 minute per run.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BENCH="${BENCH_DIR:-$HERE}"
[ -x "$BENCH/run.sh" ] || { echo "bench: harness not found at $BENCH (run.sh missing or not executable; BENCH_DIR overrides)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces, pcap)" >&2; exit 1; }
RUNS="${RUNS:-3}"
VARIANTS="${VARIANTS:-kernel vxlan vxlan-key udp}"
export BENCH_PREFIX="${BENCH_PREFIX:-vxb_}"
OUT="${RESULTS_DIR:-$REPO/e2e/artifacts/bench-$(date +%Y%m%dT%H%M%S)}"
KEYFILE="$OUT/bench.key"

UBDG="node $REPO/bin/ubdg.js"
# the kernel VXLAN anchor: no process, an in-kernel bridge + vxlan device set up
# on both sides before the clock starts (exactly as the anchor was measured)
KERNEL_SETUP='ip link add vx0 type vxlan id 5000 dstport 4789 remote $PEER_IP local $LOCAL_IP dev $WAN_IF && ip link add br0 type bridge && ip link set vx0 master br0 && ip link set $LAN_IF master br0 && ip link set vx0 up && ip link set br0 up'
name_for() { case "$1" in kernel) echo kernel-vxlan ;; *) echo "ubdg-$1" ;; esac; }
cmd_for() {
  case "$1" in
    kernel) echo "" ;;
    vxlan) echo "exec $UBDG 5000#V:E@\$LOCAL_IP:\$PEER_IP 5000#W:E@\$LAN_IF" ;;
    # encrypted (README "Secure legs"), the key from a file made for this run
    vxlan-key) echo "exec $UBDG 5000#V:E@\$LOCAL_IP:\$PEER_IP*file:$KEYFILE 5000#W:E@\$LAN_IF" ;;
    udp)   echo "exec $UBDG 7#U:E@\$LOCAL_IP:40000:\$PEER_IP:40000 7#W:E@\$LAN_IF" ;;
    # the buffer-size measurements behind the defaults (README "Performance")
    vxlan-udpbuf256k) echo "exec $UBDG --udp-buffer 256K 5000#V:E@\$LOCAL_IP:\$PEER_IP 5000#W:E@\$LAN_IF" ;;
    vxlan-pcapbuf1m)  echo "exec $UBDG --pcap-buffer 1M 5000#V:E@\$LOCAL_IP:\$PEER_IP 5000#W:E@\$LAN_IF" ;;
    *) echo "bench: unknown variant $1 (kernel, vxlan, vxlan-key, udp, vxlan-udpbuf256k, vxlan-pcapbuf1m)" >&2; return 2 ;;
  esac
}
setup_for() { case "$1" in kernel) echo "$KERNEL_SETUP" ;; *) echo "" ;; esac; }
need_build=0
for v in $VARIANTS; do cmd_for "$v" >/dev/null; [ "$v" = kernel ] || need_build=1; done
mkdir -p "$OUT/logs"
(umask 077 && head -c 24 /dev/urandom | base64 > "$KEYFILE")

[ "$need_build" = 0 ] || (cd "$REPO" && npm run --silent build:node)

# Interleaved (A B A B …) so that slow drift of the machine hits every variant alike.
export QUIET_WAIT_S="${QUIET_WAIT_S:-120}"
for round in $(seq "$RUNS"); do
  for v in $VARIANTS; do
    name="$(name_for "$v")"
    echo "bench: round $round/$RUNS, $name" >&2
    SETUP_S1="$(setup_for "$v")" SETUP_S2="$(setup_for "$v")" \
      BENCH_LOGDIR="$OUT/logs/$name-$round" RESULTS_FILE="$OUT/results.jsonl" \
      "$BENCH/run.sh" "$name" "$(cmd_for "$v")" "$(cmd_for "$v")" >/dev/null \
      || echo "bench: run failed (log: $OUT/logs/$name-$round)" >&2
  done
done
[ -s "$OUT/results.jsonl" ] || { echo "bench: no results (every run failed to start?)" >&2; exit 1; }

# summary: markdown table (+ ratios to the kernel measured in the same run) and JSON lines
python3 "$BENCH/summarize.py" --json "$OUT/results.jsonl" > "$OUT/summary.jsonl"
{
  python3 "$BENCH/summarize.py" "$OUT/results.jsonl" | sed '/^$/,$d'
  python3 - "$OUT/summary.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
k = next((r for r in rows if r["name"] == "kernel-vxlan"), None)
others = [r for r in rows if r["name"] != "kernel-vxlan"]
if k and others:
    def ratio(r, key):
        a, b = r.get(key), k.get(key)
        return "—" if a is None or not b else "×%.2f" % (a / b)
    print()
    print("Ratios to kernel-vxlan measured in this run (medians; the kernel's flood figure is")
    print("generator-bound, so the flood ratio is an upper bound):")
    print()
    print("| name | ping avg (lower is better) | TCP Mbit/s | flood forwarded pps |")
    print("|---|---|---|---|")
    for r in others:
        print("| %s | %s | %s | %s |" % (r["name"], ratio(r, "ping_ms.avg"), ratio(r, "tcp.mbps"),
                                        ratio(r, "udp.forwarded_pps")))
PY
} > "$OUT/summary.md"
cat "$OUT/summary.md"
echo
cat "$OUT/summary.jsonl"
echo "bench: results in $OUT (summary.md, summary.jsonl, results.jsonl, logs/); runs with foreign CPU load are reported as contaminated" >&2
