#!/usr/bin/env node
// rss-probe.mjs: memory of a ubdg provider that has learned many VTEPs and MACs.
//
//   node rss-probe.mjs [--data-plane js|native|default] [--peers 1000] [--macs 10000]
//                      [--port 47890] [--nic IFNAME] [--name NAME] [--ubdg PATH/bin/ubdg.js]
//
// Starts `ubdg [--data-plane X] --json --interval 2 5000#V:E@127.0.0.1:0:PORT
// [5000#W:E@IFNAME]` (a plain VXLAN provider on loopback, plus an adapter leg if
// --nic is given), then makes it learn --peers VTEPs the real way: one UDP
// socket per VTEP, each on its own loopback address 127.1.x.y (Linux accepts
// any 127/8 source on lo; one address per VTEP keeps clear of
// PEERS_PER_ADDRESS_MAX), doing the plain-provider handshake of
// electron/engine/codec/control.ts: keepalive without cookie -> the provider
// answers with a cookie (echoing the keepalive's nonce) -> keepalive with that
// cookie, which is what makes the provider learn the VTEP. Each VTEP has its own
// VTEP id (the provider treats one id at a new address as the same VTEP roaming).
// Then it sends --macs VXLAN frames spread over the VTEPs (at most
// MACS_PER_PEER_MAX = 1024 per VTEP), each with a new source MAC. The first
// frame of a VTEP has source = destination = its first MAC, every later one has
// that MAC as destination: the switch learns the source and finds the
// destination behind the same VTEP, so the frame is dropped (split horizon)
// instead of being flooded to every other VTEP. Nothing leaves loopback (or
// the given adapter, which sees no traffic at all).
//
// It checks in ubdg's --json snapshots that peerCount >= --peers and macCount
// >= --macs, then reads VmRSS (and VmHWM) from /proc/<pid>/status of the ubdg
// process and its descendants, and prints ONE JSON line on stdout:
//   {"kind":"rss","name":…,"data_plane":…,"rss_mb":…,"rss_idle_mb":…,"hwm_mb":…,
//    "peers":…,"macs":…,"want_peers":…,"want_macs":…,"learn_s":…,"date":…}
// or, on failure, the same with "error" (exit 1). MB = 2^20 bytes. Progress on
// stderr. Run it where nothing else uses 127.1.0.0/16 and PORT (run-bench.sh
// runs it in a network namespace of its own). Linux only (/proc).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VNI = 5000;
const CONTROL_LEN = 40;
const MACS_PER_PEER_MAX = 1024; // electron/model/defaults.ts
const FRAME_LEN = 60; // a minimal Ethernet frame (64 B with FCS)

function parse(argv) {
  const o = {
    dataPlane: 'default',
    peers: 1000,
    macs: 10000,
    port: 47890,
    nic: '',
    name: '',
    ubdg: path.resolve(HERE, '../../bin/ubdg.js'),
    timeoutS: 60,
    settleS: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--data-plane') o.dataPlane = v();
    else if (a === '--peers') o.peers = Number(v());
    else if (a === '--macs') o.macs = Number(v());
    else if (a === '--port') o.port = Number(v());
    else if (a === '--nic') o.nic = v();
    else if (a === '--name') o.name = v();
    else if (a === '--ubdg') o.ubdg = path.resolve(v());
    else if (a === '--timeout') o.timeoutS = Number(v());
    else if (a === '--settle') o.settleS = Number(v());
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.peers) || o.peers < 1 || o.peers > 60000) throw new Error('--peers: 1..60000');
  if (!Number.isInteger(o.macs) || o.macs < o.peers) throw new Error('--macs: at least --peers');
  if (Math.ceil(o.macs / o.peers) > MACS_PER_PEER_MAX) throw new Error(`--macs: at most ${MACS_PER_PEER_MAX} per peer`);
  if (!o.name) o.name = `rss-${o.dataPlane}`;
  return o;
}

const log = (m) => process.stderr.write(`[rss-probe] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** kB of `field` (VmRSS, VmHWM) summed over pid and its descendants. */
function memKb(root, field) {
  const parent = new Map();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(Number(p), Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, pp] of parent) {
      if (!tree.has(p) && tree.has(pp)) {
        tree.add(p);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const p of tree) {
    try {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return kb;
}

/** The address of VTEP i: 127.1.(i/250).(i%250+1). */
const vtepAddress = (i) => `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;

function keepalive(vtepId, nonce, cookie) {
  const b = Buffer.alloc(CONTROL_LEN);
  b[1] = 0xc1; // plain control, version 1 (flags byte 0 = 0: I flag clear)
  b[2] = 1; // keepalive
  b[4] = (VNI >>> 16) & 0xff;
  b[5] = (VNI >>> 8) & 0xff;
  b[6] = VNI & 0xff;
  b.writeUInt16BE(60, 8); // period 60 s: expires after 3 silent periods, long after we are done
  b.writeUInt32BE(vtepId >>> 0, 12);
  nonce.copy(b, 16);
  if (cookie) cookie.copy(b, 24);
  return b;
}

/** A VXLAN datagram carrying a 60-byte frame dst -> src (MACs as 6-byte buffers). */
function vxlanFrame(dst, src) {
  const b = Buffer.alloc(8 + FRAME_LEN);
  b[0] = 0x08;
  b[4] = (VNI >>> 16) & 0xff;
  b[5] = (VNI >>> 8) & 0xff;
  b[6] = VNI & 0xff;
  dst.copy(b, 8);
  src.copy(b, 14);
  b.writeUInt16BE(0x88b5, 20); // IEEE local experimental ethertype
  return b;
}

/** Locally administered unicast MAC 02:00:pp:pp:jj:jj for VTEP p, number j. */
function mac(p, j) {
  return Buffer.from([0x02, 0x00, (p >>> 8) & 0xff, p & 0xff, (j >>> 8) & 0xff, j & 0xff]);
}

function send(sock, buf, port) {
  return new Promise((resolve) => sock.send(buf, port, '127.0.0.1', () => resolve()));
}

async function main() {
  const o = parse(process.argv.slice(2));
  const out = {
    kind: 'rss',
    name: o.name,
    data_plane: o.dataPlane,
    want_peers: o.peers,
    want_macs: o.macs,
    nic: o.nic || null,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  const args = [o.ubdg];
  if (o.dataPlane !== 'default') args.push('--data-plane', o.dataPlane);
  args.push('--json', '--interval', '2', `${VNI}#V:E@127.0.0.1:0:${o.port}`);
  if (o.nic) args.push(`${VNI}#W:E@${o.nic}`);
  log(`starting: node ${args.join(' ')}`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = null;
  let stderrTail = '';
  let latest = null; // the newest snapshot
  let waiters = [];
  child.on('exit', (code, sig) => {
    exited = sig ? `signal ${sig}` : `exit code ${code}`;
    for (const w of waiters) w();
  });
  child.stderr.on('data', (d) => {
    stderrTail = (stderrTail + d.toString()).slice(-2000);
  });
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        latest = JSON.parse(line);
      } catch {
        /* not a snapshot */
      }
      const ws = waiters;
      waiters = [];
      for (const w of ws) w();
    }
  });
  const nextSnapshot = (ms) =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      waiters.push(() => (clearTimeout(t), resolve()));
    });
  const sockets = [];
  const fail = (why) => {
    const lines = stderrTail
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '');
    // ubdg's own last word says why (e.g. an option it does not know)
    out.error = exited !== null && lines.length > 0 ? `${why}: ${lines[lines.length - 1].slice(0, 300)}` : why;
    if (lines.length > 0) out.ubdg_stderr_tail = lines.slice(-5).join(' | ');
  };
  const deadline = Date.now() + o.timeoutS * 1000;
  try {
    // 1. ubdg up: its first snapshot
    while (latest === null && exited === null && Date.now() < deadline) await nextSnapshot(500);
    if (exited !== null) throw new Error(`ubdg ended before it ran (${exited})`);
    if (latest === null) throw new Error('ubdg printed no snapshot');
    if (latest.legs?.some((l) => l.state === 'error')) throw new Error(`a leg failed: ${latest.legs.find((l) => l.state === 'error').error}`);
    await sleep(1000);
    out.rss_idle_mb = +(memKb(child.pid, 'VmRSS') / 1024).toFixed(1);
    log(`ubdg pid ${child.pid} running, RSS ${out.rss_idle_mb} MB; handshaking ${o.peers} VTEPs`);

    // 2. the VTEPs: bind, keepalive -> cookie -> keepalive with cookie
    const t0 = Date.now();
    const idBase = randomBytes(4).readUInt32BE(0) & 0x7fffffff;
    for (let i = 0; i < o.peers; i++) {
      const s = dgram.createSocket('udp4');
      const v = { sock: s, id: (idBase + i) >>> 0, nonce: randomBytes(8), cookie: null, done: false };
      s.on('message', (m) => {
        // a cookie (type 2) that echoes our nonce
        if (m.length === CONTROL_LEN && m[1] === 0xc1 && m[2] === 2 && m.subarray(8, 16).equals(v.nonce)) v.cookie = Buffer.from(m.subarray(24, 40));
      });
      s.on('error', (e) => log(`socket ${i}: ${e.message}`));
      await new Promise((resolve, reject) => {
        s.once('error', reject);
        s.bind(0, vtepAddress(i), () => (s.off('error', reject), resolve()));
      });
      sockets.push(v);
    }
    for (let pass = 1; ; pass++) {
      const todo = sockets.filter((v) => !v.done);
      if (todo.length === 0) break;
      if (exited !== null) throw new Error(`ubdg ended (${exited})`);
      if (Date.now() > deadline) throw new Error(`only ${o.peers - todo.length} of ${o.peers} VTEPs got a cookie and were admitted`);
      // the provider answers at most 1000 unverified sources a second (burst 2000): send in slices
      for (let k = 0; k < todo.length; k += 500) {
        for (const v of todo.slice(k, k + 500)) {
          if (v.cookie === null) await send(v.sock, keepalive(v.id, v.nonce, null), o.port);
        }
        await sleep(k + 500 < todo.length ? 300 : 0);
      }
      await sleep(500);
      for (const v of todo) {
        if (v.cookie !== null) {
          v.nonce = randomBytes(8);
          await send(v.sock, keepalive(v.id, v.nonce, v.cookie), o.port);
          v.done = true;
        }
      }
      if (pass > 1) log(`handshake pass ${pass}: ${sockets.filter((v) => v.done).length}/${o.peers}`);
    }
    // 3. the MACs: frames with new source MACs, spread evenly
    const per = Math.ceil(o.macs / o.peers);
    const frames = [];
    for (let p = 0, n = 0; p < o.peers; p++) {
      const first = mac(p, 0);
      for (let j = 0; j < per && n < o.macs; j++, n++) frames.push([sockets[p].sock, vxlanFrame(first, mac(p, j))]);
    }
    const sendFrames = async () => {
      for (let k = 0; k < frames.length; k++) {
        await send(frames[k][0], frames[k][1], o.port);
        if (k % 200 === 199) await sleep(2); // do not overrun the provider's socket buffer
      }
    };
    await sendFrames();
    // 4. wait until the snapshots show them all (resend the frames once if not)
    for (;;) {
      await nextSnapshot(2500);
      if (exited !== null) throw new Error(`ubdg ended (${exited})`);
      const pc = latest.peerCount ?? 0;
      const mc = latest.macCount ?? 0;
      if (pc >= o.peers && mc >= o.macs) break;
      if (Date.now() > deadline) throw new Error(`ubdg shows ${pc} peers and ${mc} MACs, wanted ${o.peers} and ${o.macs}`);
      if (pc < o.peers) {
        // a lost keepalive: every VTEP sends its cookie again (harmless for those already learned)
        for (const v of sockets) {
          v.nonce = randomBytes(8);
          await send(v.sock, keepalive(v.id, v.nonce, v.cookie), o.port);
        }
      } else {
        // Frames the provider dropped (a full socket, or CoDel on the native data plane) are sent again until the deadline.
        log(`${mc}/${o.macs} MACs so far: sending the frames again`);
        await sendFrames();
      }
    }
    out.learn_s = +((Date.now() - t0) / 1000).toFixed(2);
    // 5. settle (timers, a GC or two), then measure
    await sleep(o.settleS * 1000);
    out.rss_mb = +(memKb(child.pid, 'VmRSS') / 1024).toFixed(1);
    out.hwm_mb = +(memKb(child.pid, 'VmHWM') / 1024).toFixed(1);
    await nextSnapshot(2500);
    out.peers = latest.peerCount;
    out.macs = latest.macCount;
    if (out.peers < o.peers || out.macs < o.macs) throw new Error(`after the measurement ubdg shows ${out.peers} peers and ${out.macs} MACs, wanted ${o.peers} and ${o.macs}`);
    log(`learned ${out.peers} peers and ${out.macs} MACs in ${out.learn_s} s; RSS ${out.rss_mb} MB (idle ${out.rss_idle_mb} MB, peak ${out.hwm_mb} MB)`);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
    if (latest) {
      out.peers = latest.peerCount ?? null;
      out.macs = latest.macCount ?? null;
    }
  } finally {
    for (const v of sockets) v.sock.close();
    if (exited === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await new Promise((r) => (exited !== null ? r() : child.once('exit', r)));
      clearTimeout(t);
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  if (out.error) log(`FAIL: ${out.error}`);
  return out.error ? 1 : 0;
}

main().then(
  (rc) => process.exit(rc),
  (e) => {
    process.stderr.write(`[rss-probe] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
