#!/usr/bin/env bash
# npm run bench: measures ubdg, side by side with the in-kernel VXLAN bridge, in
# the 4-namespace benchmark topology of this directory (topo.sh, run.sh,
# summarize.py: the same harness that measured the anchor figures in
# README.md), measures ubdg's memory with many peers (rss-probe.mjs), and prints
# the median tables, the ratios to the kernel and the goals of issue 9.
#   RUNS=3                      runs per variant, interleaved (A B C A B C …)
#   VARIANTS="kernel native native-key js js-key udp"   see cmd_for below
#                               (for comparison: native-nothread, native-key-nothread: the
#                               native data plane on Node's thread, VXB_DATA_THREAD=0;
#                               native-nort: its thread not real-time, VXB_REALTIME=0)
#   BENCH_PREFIX=vxb_           namespace name prefix (names are machine-global)
#   QUIET_WAIT_S=120            wait up to this long before each run for an idle machine
#   RSS_PROBE=1                 once per round and data plane: RSS of a provider with
#   RSS_PEERS=1000 RSS_MACS=10000   this many learned VTEPs and MACs (0: skip)
#   RESULTS_DIR=e2e/artifacts/bench-<time>   results.jsonl, summary.md, summary.jsonl, logs/
#   BENCH_DIR=e2e/bench         use another copy of the harness
# run.sh's knobs (TCP_TIME, UDP_TIME, PING_COUNT, PING_LOAD, …) pass through.
# Needs root, iperf3, ethtool, python3. Takes about 1 minute per run.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BENCH="${BENCH_DIR:-$HERE}"
[ -x "$BENCH/run.sh" ] || { echo "bench: harness not found at $BENCH (run.sh missing or not executable; BENCH_DIR overrides)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces, pcap)" >&2; exit 1; }
RUNS="${RUNS:-3}"
VARIANTS="${VARIANTS:-kernel native native-key js js-key udp}"
RSS_PROBE="${RSS_PROBE:-1}"; RSS_PEERS="${RSS_PEERS:-1000}"; RSS_MACS="${RSS_MACS:-10000}"
export BENCH_PREFIX="${BENCH_PREFIX:-vxb_}"
OUT="${RESULTS_DIR:-$REPO/e2e/artifacts/bench-$(date +%Y%m%dT%H%M%S)}"
KEYFILE="$OUT/bench.key"

UBDG="node $REPO/bin/ubdg.js"
# the kernel VXLAN anchor: no process, an in-kernel bridge + vxlan device set up
# on both sides before the clock starts (exactly as the anchor was measured)
KERNEL_SETUP='ip link add vx0 type vxlan id 5000 dstport 4789 remote $PEER_IP local $LOCAL_IP dev $WAN_IF && ip link add br0 type bridge && ip link set vx0 master br0 && ip link set $LAN_IF master br0 && ip link set vx0 up && ip link set br0 up'
VX='5000#V:E@$LOCAL_IP:$PEER_IP'          # plain VXLAN to the other side
VXKEY="5000#V:E@\$LOCAL_IP:\$PEER_IP*file:$KEYFILE"   # encrypted (README "Secure legs"), a key made for this run
NIC='5000#W:E@$LAN_IF'
name_for() { case "$1" in kernel) echo kernel-vxlan ;; *) echo "ubdg-$1" ;; esac; }
VARIANT_NAMES="kernel, native, native-key, native-nothread, native-key-nothread, native-nort, js, js-key, udp, vxlan, vxlan-key, vxlan-udpbuf256k, vxlan-pcapbuf1m"
cmd_for() {
  case "$1" in
    kernel) echo "" ;;
    # the data planes, chosen explicitly (a ubdg without --data-plane fails these runs, clearly)
    native)     echo "exec $UBDG --data-plane native $VX $NIC" ;;
    native-key) echo "exec $UBDG --data-plane native $VXKEY $NIC" ;;
    # the native data plane on Node's thread instead of its own (comparison)
    native-nothread) echo "VXB_DATA_THREAD=0 exec $UBDG --data-plane native $VX $NIC" ;;
    native-key-nothread) echo "VXB_DATA_THREAD=0 exec $UBDG --data-plane native $VXKEY $NIC" ;;
    # its data thread scheduled like any other (comparison)
    native-nort) echo "VXB_REALTIME=0 exec $UBDG --data-plane native $VX $NIC" ;;
    js)         echo "exec $UBDG --data-plane js $VX $NIC" ;;
    js-key)     echo "exec $UBDG --data-plane js $VXKEY $NIC" ;;
    # Ethernet-over-UDP, default data plane
    udp)   echo "exec $UBDG 7#U:E@\$LOCAL_IP:40000:\$PEER_IP:40000 7#W:E@\$LAN_IF" ;;
    # older names: the default data plane (native where it loads, else js)
    vxlan)     echo "exec $UBDG $VX $NIC" ;;
    vxlan-key) echo "exec $UBDG $VXKEY $NIC" ;;
    # the buffer-size measurements behind the defaults (README "Performance")
    vxlan-udpbuf256k) echo "exec $UBDG --udp-buffer 256K $VX $NIC" ;;
    vxlan-pcapbuf1m)  echo "exec $UBDG --pcap-buffer 1M $VX $NIC" ;;
    *) echo "bench: unknown variant $1 ($VARIANT_NAMES)" >&2; return 2 ;;
  esac
}
# what summarize.py needs to pair them: data plane, encrypted or not, tunnel
plane_for() { case "$1" in kernel) echo kernel ;; native|native-key|native-nothread|native-key-nothread|native-nort) echo native ;; js|js-key) echo js ;; *) echo default ;; esac; }
tags_for() {
  local enc=0 tun=vxlan
  case "$1" in *-key) enc=1 ;; esac
  case "$1" in kernel) tun=kernel-vxlan ;; udp) tun=udp ;; esac
  echo "variant=$1 data_plane=$(plane_for "$1") encrypted=$enc tunnel=$tun"
}
setup_for() { case "$1" in kernel) echo "$KERNEL_SETUP" ;; *) echo "" ;; esac; }
need_build=0; planes=""
for v in $VARIANTS; do
  cmd_for "$v" >/dev/null
  [ "$v" = kernel ] && continue
  need_build=1
  p="$(plane_for "$v")"; case " $planes " in *" $p "*) ;; *) planes="$planes $p" ;; esac
done
# the RSS probe runs once per data plane; "default" is native or js, so it is
# probed only when neither is
case " $planes " in *" native "*|*" js "*) planes="${planes/ default/}" ;; esac
[ "$RSS_PROBE" = 1 ] || planes=""
mkdir -p "$OUT/logs"
(umask 077 && head -c 24 /dev/urandom | base64 > "$KEYFILE")

[ "$need_build" = 0 ] || (cd "$REPO" && npm run --silent build:node)

# ---- the RSS probe, in a namespace of its own (loopback + a veth for the adapter leg)
RSS_NS="${BENCH_PREFIX}rss"; RSS_NS_OURS=0
rss_ns_down() {
  [ "$RSS_NS_OURS" = 1 ] || return 0
  local pid
  for pid in $(ip netns pids "$RSS_NS" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.3
  for pid in $(ip netns pids "$RSS_NS" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  ip netns del "$RSS_NS" 2>/dev/null || true
  RSS_NS_OURS=0
}
trap 'rss_ns_down' EXIT
trap 'exit 130' INT TERM
rss_probe() { # plane round -> appends one JSON line to results.jsonl
  local plane="$1" round="$2" name="rss-$1" log line
  log="$OUT/logs/$name-$round"; mkdir -p "$log"
  echo "bench: round $round, $name ($RSS_PEERS peers, $RSS_MACS MACs)" >&2
  line=""
  if ! ip netns add "$RSS_NS" 2>"$log/setup.log"; then
    line="{\"kind\":\"rss\",\"name\":\"$name\",\"data_plane\":\"$plane\",\"error\":\"namespace $RSS_NS exists and is not ours (set BENCH_PREFIX)\"}"
  else
    RSS_NS_OURS=1
    if { ip netns exec "$RSS_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
      && ip -n "$RSS_NS" link set lo up \
      && ip -n "$RSS_NS" link add rss0 type veth peer name rss1 \
      && ip netns exec "$RSS_NS" ethtool -K rss0 tx off rx off gso off tso off gro off >/dev/null \
      && ip -n "$RSS_NS" link set rss0 up && ip -n "$RSS_NS" link set rss1 up; } 2>>"$log/setup.log"; then
      line="$(ip netns exec "$RSS_NS" node "$BENCH/rss-probe.mjs" --ubdg "$REPO/bin/ubdg.js" --data-plane "$plane" \
        --peers "$RSS_PEERS" --macs "$RSS_MACS" --nic rss0 --name "$name" 2>"$log/probe.log" | tail -1)" || true
      [ -n "$line" ] || line="{\"kind\":\"rss\",\"name\":\"$name\",\"data_plane\":\"$plane\",\"error\":\"rss-probe printed nothing (log: $log/probe.log)\"}"
    else
      line="{\"kind\":\"rss\",\"name\":\"$name\",\"data_plane\":\"$plane\",\"error\":\"namespace setup failed (log: $log/setup.log)\"}"
    fi
    rss_ns_down
  fi
  echo "$line" > "$log/result.json"
  echo "$line" >> "$OUT/results.jsonl"
  python3 - "$line" "$log" <<'PY' >&2
import json, sys
r = json.loads(sys.argv[1])
if r.get("error"): print("bench: %s failed: %s (log: %s)" % (r["name"], r["error"], sys.argv[2]))
else: print("bench: %s: RSS %s MB with %s peers and %s MACs (idle %s MB)" % (r["name"], r["rss_mb"], r["peers"], r["macs"], r["rss_idle_mb"]))
PY
}

# Interleaved (A B A B …) so that slow drift of the machine hits every variant alike.
export QUIET_WAIT_S="${QUIET_WAIT_S:-120}"
for round in $(seq "$RUNS"); do
  for v in $VARIANTS; do
    name="$(name_for "$v")"
    echo "bench: round $round/$RUNS, $name" >&2
    if ! SETUP_S1="$(setup_for "$v")" SETUP_S2="$(setup_for "$v")" BENCH_TAGS="$(tags_for "$v")" \
      BENCH_LOGDIR="$OUT/logs/$name-$round" RESULTS_FILE="$OUT/results.jsonl" \
      "$BENCH/run.sh" "$name" "$(cmd_for "$v")" "$(cmd_for "$v")" >/dev/null; then
      err="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("error") or "no error recorded")' "$OUT/logs/$name-$round/result.json" 2>/dev/null || echo "run.sh printed no result")"
      echo "bench: run failed: $name round $round: $err" >&2
    fi
  done
  for plane in $planes; do rss_probe "$plane" "$round"; done
done
[ -s "$OUT/results.jsonl" ] || { echo "bench: no results (every run failed to start?)" >&2; exit 1; }

# ---- summary: medians, ratios to the kernel of this run, encrypted vs plain, goals
machine="$(nproc) CPUs ($(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), Linux $(uname -r), node $(node --version), $(iperf3 --version 2>/dev/null | head -1 | awk '{print $1, $2}')"
{
  echo "# npm run bench, $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $machine. RUNS=$RUNS, TCP_TIME=${TCP_TIME:-10} s, UDP_TIME=${UDP_TIME:-10} s, variants: $VARIANTS."
  echo
  python3 "$BENCH/summarize.py" --report "$OUT/results.jsonl"
} > "$OUT/summary.md"
{
  python3 -c 'import json,sys; print(json.dumps({"kind":"machine","date":sys.argv[1],"machine":sys.argv[2],"runs":int(sys.argv[3]),"variants":sys.argv[4].split()}, separators=(",",":")))' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$machine" "$RUNS" "$VARIANTS"
  python3 "$BENCH/summarize.py" --json "$OUT/results.jsonl"
} > "$OUT/summary.jsonl"
cat "$OUT/summary.md"
echo
cat "$OUT/summary.jsonl"
echo "bench: results in $OUT (summary.md, summary.jsonl, results.jsonl, logs/); runs with foreign CPU load are reported as contaminated" >&2
