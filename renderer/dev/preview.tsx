// Dev preview: the real App over a fake host that generates moving snapshots.
//   npx vite --config renderer/vite.config.ts   then open /dev/preview.html
// Query: ?theme=light|dark  &peers=1000  &scenario=running|empty|invalid|error|disconnected  &warn=1

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { staticHost, type ApiHost, type LinkStatus } from '../src/api/host.js';
import { App } from '../src/App.js';
import { connectApp } from '../src/stores/app.js';
import { useDrafts } from '../src/stores/draft-store.js';
import { bindTheme, useTheme } from '../src/stores/theme-store.js';
import { createFakeApi } from '../src/testing/fake-api.js';
import '../src/styles/app.css';
import { simulate } from './simulator.js';

const q = new URLSearchParams(location.search);
const theme = q.get('theme');
if (theme === 'light' || theme === 'dark') useTheme.getState().setChoice(theme);
const scenario = q.get('scenario') ?? 'running';
const peers = Number(q.get('peers') ?? 240);

const HUB = '5000#V:E@10.10.1.10:0*s3cret:4789';
const legs = ['5000#W:E@Microsoft KM-TEST Loopback Adapter', HUB, '5000#V:E@10.10.1.10:10.20.0.2+10.30.0.2:8472'];

const fake = createFakeApi({
  host: 'browser',
  latencyMs: 120,
  startError:
    scenario === 'error'
      ? 'Cannot open adapter “Microsoft KM-TEST Loopback Adapter”: Npcap is not installed. Install Npcap from npcap.com (with “WinPcap API-compatible mode”), then restart vxbridge.'
      : undefined,
  profiles: [
    { version: 1, name: 'Lab hub (provider)', legs, autoStart: scenario === 'running', updatedAt: new Date(Date.now() - 3 * 3600_000).toISOString() },
    {
      version: 1,
      name: 'Branch office (access)',
      legs: ['5000#W:E@Microsoft KM-TEST Loopback Adapter', '5000#V:E@*:203.0.113.5*s3cret:4789'],
      updatedAt: new Date(Date.now() - 2 * 86400_000).toISOString(),
    },
    { version: 1, name: 'DC multicast', legs: ['5000#W:E@eth1', '5000#V:E@10.1.1.1:239.1.1.1:8472'], updatedAt: new Date(Date.now() - 9 * 86400_000).toISOString() },
    {
      version: 1,
      name: 'GNS3 UDP tunnel',
      legs: ['7#W:E@Microsoft KM-TEST Loopback Adapter', '7#U:E@0.0.0.0:10000:127.0.0.1:10001'],
      updatedAt: new Date(Date.now() - 30 * 86400_000).toISOString(),
    },
  ],
  recent: scenario === 'empty' ? [] : ['Lab hub (provider)', 'Branch office (access)', 'DC multicast'],
});

const api = simulate(fake, { peers, intervalMs: 250, warmupS: 75, warnings: q.get('warn') === '1' });

let host: ApiHost = staticHost(api, 'browser');
if (scenario === 'disconnected') {
  const status: LinkStatus = { state: 'disconnected', detail: 'The connection to the vxbridge host was lost.', retryAt: Date.now() + 4000 };
  host = { ...host, status: () => status };
}

bindTheme();
connectApp(host);
// What the real host does after the page loads: start the recent profile flagged auto-start.
if (scenario === 'running') setTimeout(() => void api.startBridge(legs), 400);
if (scenario === 'invalid') {
  setTimeout(() => {
    useDrafts.getState().replaceAll(legs.slice(0, 2));
    const d = useDrafts.getState();
    const id = d.add({ kind: 'V', mode: 'unicast', vLocal: '10.10.1.10', peers: ['10.20.0.2', '10.30.0.300'], port: '8472' });
    d.select(id);
  }, 300);
}
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
