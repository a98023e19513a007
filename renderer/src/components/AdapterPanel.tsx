// Sidebar: the adapter to bridge, bound to the first adapter (W) leg; picking one
// when there is no such leg adds it.

import type { ReactElement } from 'react';
import { useBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { useDrafts } from '../stores/draft-store.js';
import { NicPicker } from './NicPicker.js';
import { Card } from './ui.js';

export function AdapterPanel(): ReactElement {
  const nics = useConnection((s) => s.nics);
  const loading = useConnection((s) => s.nicsLoading);
  const error = useConnection((s) => s.nicsError);
  const captureProblem = useConnection((s) => s.appInfo?.captureProblem);
  const wLeg = useDrafts((s) => s.legs.find((d) => d.fields.kind === 'W'));
  const locked = useBridge((s) => s.phase !== 'idle');

  const onChange = (value: string) => {
    const drafts = useDrafts.getState();
    if (wLeg) drafts.update(wLeg.id, { nic: value });
    else {
      const selected = drafts.selectedId;
      drafts.add({ kind: 'W', nic: value });
      drafts.select(selected);
    }
  };

  return (
    <Card title="Network adapter" className="adapter-panel">
      {captureProblem && <div className="panel-note warn">{captureProblem}</div>}
      <NicPicker
        nics={nics}
        value={wLeg?.fields.nic ?? ''}
        onChange={onChange}
        loading={loading}
        error={error}
        disabled={locked}
        onRefresh={() => void useConnection.getState().refreshNics()}
      />
    </Card>
  );
}
