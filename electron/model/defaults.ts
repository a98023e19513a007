// Every number the bridge runs by, in one place (after wireguard-go's
// device/constants.go). Protocol constants are fixed by a standard or by our
// wire format: changing one breaks interoperability. Tunable defaults are
// choices: each names its unit and the reason or measurement behind it.
// Pure: the engine, the CLI, the backend and the renderer all read these.

// ---- Protocol constants

/** VXLAN UDP port assigned by IANA (RFC 7348). */
export const VXLAN_PORT_IANA = 4789;
/** The Linux kernel's historical VXLAN port (`ip link add … type vxlan` without dstport). */
export const VXLAN_PORT_LINUX = 8472;
/** A segment is a VXLAN VNI: 24 bits. */
export const SEGMENT_MAX = 0xffffff;

// ---- Tunable defaults: switch

/** MAC table entry lifetime, ms: 300 s, the Linux bridge's default ageing time. */
export const MAC_AGEING_MS = 300_000;
/** MAC table entries per segment: bounds memory when outsiders send random source MACs. */
export const MAC_TABLE_MAX = 65_536;
/** Period of the one sweep that ages MACs and peers, ms. */
export const SWEEP_MS = 1_000;

// ---- Tunable defaults: learned VTEPs (provider and multicast legs)

/** Lifetime of a learned VTEP that announced no keepalive period, ms (same as MACs). */
export const PEER_AGEING_MS = 300_000;
/** Learned VTEPs per leg. */
export const LEARNED_PEERS_MAX = 4096;
/** Learned VTEPs behind one public address: many sit behind one PAT, but not
 *  thousands; one host cycling source ports must not fill the table. */
export const PEERS_PER_ADDRESS_MAX = 16;
/** A VTEP that announced a keepalive period is dead after this many silent periods. */
export const KEEPALIVE_PERIODS_TO_EXPIRE = 3;
/** An announced keepalive period below this counts as this for expiry, ms, so
 *  that a peer cannot make itself (and its MACs) churn every few seconds. */
export const MIN_EXPIRY_PERIOD_MS = 5_000;

// ---- Tunable defaults: access legs

/** Keepalive period of access legs, s: NAT UDP mappings commonly expire after 30 s. */
export const ACCESS_KEEPALIVE_S = 20;
/** Multicast TTL of VXLAN legs: reaches across a routed data centre, not the Internet. */
export const MULTICAST_TTL = 16;

// ---- Tunable defaults: kernel buffers

/** UDP socket send/receive buffer of tunnel legs, bytes. Measured (README
 *  "Performance"): 256 KiB gave 820 Mbit/s TCP with 91,740 retransmits, 4 MiB
 *  960 Mbit/s with none. */
export const UDP_BUFFER_BYTES = 4 * 1024 * 1024;
/** Kernel capture buffer of NIC legs, bytes. Measured (native/bench/README.md),
 *  offloads off: 1 MiB lost 8-24 % of small-frame floods and bursts, 8 MiB lost
 *  nothing at up to 410 k frames/s, 32 MiB gained nothing more. */
export const PCAP_BUFFER_BYTES = 8 * 1024 * 1024;

/** Native data plane: after traffic, keep polling the sockets up to this long,
 *  µs, before the thread sleeps. A reply within it needs no wake-up (most of an
 *  idle round trip's cost on a VM); idle, it costs nothing. Polling that finds
 *  nothing is paid from a budget of 2 % of wall time (native/dataplane/src/loop.h),
 *  so steady traffic cannot make it cost more. VXB_SPIN_US overrides. */
export const NATIVE_SPIN_US = 300;

/** Native data plane: CoDel (RFC 8289) on every socket's receive queue, µs.
 *  While frames have waited longer than the target for a whole interval, some
 *  are dropped (counted as queue-delay), so that under a full TCP load the
 *  standing queue, and everybody's ping, stays near the target. Sized for a
 *  LAN-like path (CoDel's own 5 ms / 100 ms are for the Internet's RTTs).
 *  VXB_CODEL_TARGET_US / VXB_CODEL_INTERVAL_US override; a target of 0 turns it off. */
export const NATIVE_CODEL_TARGET_US = 500;
export const NATIVE_CODEL_INTERVAL_US = 5_000;

// ---- Tunable defaults: what the UI and the CLI see

/** Snapshots list at most this many peers and MACs (with totals): outsiders
 *  can fill the tables of provider and multicast legs, and snapshots go out
 *  several times a second. */
export const SNAPSHOT_LIST_MAX = 2000;
/** Period of the snapshots the backend pushes to the UI, ms (4 Hz). */
export const SNAPSHOT_INTERVAL_MS = 250;
/** Warnings a leg keeps (distinct texts). */
export const LEG_WARNINGS_MAX = 16;

// ---- Tunable defaults: switch safety (the tunnel side is the open Internet)

/** How long a MAC seen on a local adapter stays there against tunnel frames
 *  that claim it, ms (60 s). Without it any admitted peer takes over a LAN
 *  host's unicast by sending one frame with its MAC; a host that really moved
 *  to a remote site stops sending locally, so it is free again a minute later. */
export const MAC_LOCAL_HOLD_MS = 60_000;
/** Moves of one MAC between ports or peers per second. Real hosts move seldom
 *  (migration, failover); more is a loop or two senders claiming one MAC, and
 *  the entry then stays where it is for the rest of the second. */
export const MAC_MOVES_PER_S = 2;
/** MACs learned behind one tunnel peer. A remote site rarely has more hosts on
 *  one segment; without a limit one peer fills the table (MAC_TABLE_MAX) with
 *  random source MACs. Its frames still pass; replies to the rest are flooded. */
export const MACS_PER_PEER_MAX = 1024;
/** An active MAC entry moves to the recent end of its table's eviction order at
 *  most once per this period, ms: per frame that is one comparison, not a Map
 *  delete+set, and the order (eviction, snapshots) is exact to within it. */
export const MAC_RECENCY_MS = 1_000;

// ---- Tunable defaults: events

/** Distinct (event type, leg, peer or MAC) keys the event coalescer tracks.
 *  The first event of a key goes out at once, the rest as one summary per
 *  sweep (SWEEP_MS) with a count; past this many keys, new ones of a type and
 *  leg share one summary. Bounds memory and event rate under floods (before:
 *  20,000 keepalives from two ports raised 19,999 events in 27 ms). */
export const EVENT_KEYS_MAX = 1024;

// ---- Tunable defaults: the browser host (`ubdg ui`)

/** A WebSocket client with this many bytes not yet sent to it is closed, bytes
 *  (8 MiB: twice the backlog past which it gets no more snapshots, so only
 *  events and replies fill the rest). It stopped reading, and what is queued
 *  for it would grow the host's memory without bound; a browser reconnects
 *  and syncs once it reads again. */
export const WS_CLIENT_BUFFER_MAX = 8 * 1024 * 1024;
/** A client closed for being too slow that does not finish the close
 *  handshake within this time is cut off, ms: its queued bytes are freed. */
export const WS_SLOW_CLIENT_GRACE_MS = 1_000;
