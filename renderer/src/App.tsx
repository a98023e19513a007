import type { ReactElement } from 'react';
import { AdapterPanel } from './components/AdapterPanel.js';
import { Banners } from './components/Banners.js';
import { BridgePicture } from './components/BridgePicture.js';
import { Header } from './components/Header.js';
import { LegsPanel } from './components/LegsPanel.js';
import { LegsTable } from './components/LegsTable.js';
import { LiveTables } from './components/LiveTables.js';
import { Notices } from './components/Notices.js';
import { ProfilesPanel } from './components/ProfilesPanel.js';
import { SettingsDialog } from './components/SettingsDialog.js';
import { SummaryStrip } from './components/SummaryStrip.js';
import { ThroughputChart } from './components/ThroughputChart.js';

export function App(): ReactElement {
  return (
    <div className="app">
      <Header />
      <Banners />
      <div className="app-body">
        <aside className="sidebar" aria-label="Setup">
          <AdapterPanel />
          <LegsPanel />
          <ProfilesPanel />
        </aside>
        <main className="main" aria-label="Live status">
          <SummaryStrip />
          <div className="main-row">
            <BridgePicture />
            <ThroughputChart />
          </div>
          <LegsTable />
          <LiveTables />
        </main>
      </div>
      <SettingsDialog />
      <Notices />
    </div>
  );
}
