import type { ReactElement } from 'react';
import { useNotices } from '../stores/notice-store.js';
import { IconAlert, IconCheck, IconX } from './icons.js';

export function Notices(): ReactElement {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          {n.kind === 'error' ? <IconAlert size={16} /> : <IconCheck size={16} />}
          <span>{n.text}</span>
          <button className="notice-close" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            <IconX size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
