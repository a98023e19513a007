// Full-width messages under the header: lost link to the host, the data-plane
// process crashing and restarting, start/stop errors.

import { useEffect, useState, type ReactElement } from 'react';
import { useBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { IconAlert, IconUnlink, IconX } from './icons.js';
import { Button, IconButton } from './ui.js';

function RetryIn({ at }: { at: number }): ReactElement {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const s = Math.max(0, Math.ceil((at - now) / 1000));
  return <span>{s > 0 ? `Retrying in ${s} s.` : 'Retrying…'}</span>;
}

export function Banners(): ReactElement {
  const link = useConnection((s) => s.link);
  const host = useConnection((s) => s.host);
  const error = useBridge((s) => s.error);
  const dataPlane = useBridge((s) => s.dataPlane);
  return (
    <>
      {link.state === 'disconnected' && (
        <div className="banner banner-warn" role="alert" data-testid="disconnected-banner">
          <IconUnlink size={16} />
          <span>
            <strong>Disconnected.</strong> {link.detail ?? 'The connection to the vxbridge host was lost.'} {link.retryAt !== undefined && <RetryIn at={link.retryAt} />}
          </span>
          {link.retryAt !== undefined && (
            <Button size="sm" onClick={() => host?.reconnectNow()}>
              Retry now
            </Button>
          )}
        </div>
      )}
      {dataPlane && (
        <div className={`banner ${dataPlane.state === 'restarted' ? 'banner-warn' : 'banner-err'}`} role="alert" data-testid="data-plane-banner">
          <IconAlert size={16} />
          <span className="banner-text">{dataPlane.message}</span>
          <IconButton label="Dismiss" onClick={() => useBridge.getState().clearDataPlane()}>
            <IconX />
          </IconButton>
        </div>
      )}
      {error && (
        <div className="banner banner-err" role="alert" data-testid="bridge-error">
          <IconAlert size={16} />
          <span className="banner-text">{error}</span>
          <IconButton label="Dismiss" onClick={() => useBridge.getState().clearError()}>
            <IconX />
          </IconButton>
        </div>
      )}
    </>
  );
}
