// Sidebar: save / save as / load / rename / delete / export / import profiles,
// the recent list and the auto-start flag.

import { useRef, useState, type ReactElement } from 'react';
import { formatAgo } from '../../../electron/model/format.js';
import { EXPORT_KEY_ENV } from '../../../electron/model/profile-schema.js';
import { useBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { startableLegs, useDrafts } from '../stores/draft-store.js';
import { notify } from '../stores/notice-store.js';
import { profileHasLiteralKeys, profileNameProblem, useProfiles } from '../stores/profile-store.js';
import { IconDownload, IconEdit, IconFolder, IconPlus, IconSave, IconTrash, IconUpload } from './icons.js';
import { Badge, Button, Card, EmptyState, IconButton, Modal } from './ui.js';

/** Whether the editor differs from what was last saved or loaded. */
export function useDirty(): boolean {
  const legs = useDrafts((s) => s.legs);
  const saved = useProfiles((s) => s.savedLegs);
  if (saved === null) return legs.length > 0;
  const cur = startableLegs(legs);
  const texts = cur.ok ? cur.legs : legs.map((l) => l.text);
  return texts.length !== saved.length || texts.some((t, i) => t !== saved[i]);
}

export function ProfilesPanel(): ReactElement {
  const list = useProfiles((s) => s.list);
  const recent = useProfiles((s) => s.recent);
  const current = useProfiles((s) => s.current);
  const autoStart = useProfiles((s) => s.autoStart);
  const busy = useProfiles((s) => s.busy);
  const error = useProfiles((s) => s.error);
  const hostKind = useConnection((s) => s.host?.kind);
  const running = useBridge((s) => s.phase !== 'idle');
  const legCount = useDrafts((s) => s.legs.length);
  const dirty = useDirty();
  const [saveAs, setSaveAs] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  /** The profile whose export asks whether to include its typed keys. */
  const [exporting, setExporting] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const p = useProfiles.getState();

  const load = async (name: string) => {
    if (await p.load(name)) notify('ok', `Loaded “${name}”.`);
  };
  const save = async () => {
    if (!current) return setSaveAs(true);
    if (await p.save()) notify('ok', `Saved “${current}”.`);
  };
  const runExport = async (name: string, includeKeys: boolean, hasKeys: boolean) => {
    const where = await p.exportProfile(name, { includeKeys });
    if (!where) return;
    if (!hasKeys) notify('ok', `Exported to ${where}`);
    else if (includeKeys) notify('ok', `Exported to ${where}, with the keys in clear: keep the file safe.`);
    else notify('ok', `Exported to ${where}, without the keys (they read *env:${EXPORT_KEY_ENV}).`);
  };
  // A profile with typed keys asks first (default: without them); others export at once, nothing to hide.
  const doExport = (name: string) => {
    if (profileHasLiteralKeys(list, name)) setExporting(name);
    else void runExport(name, false, false);
  };
  const doImport = async (text: string | null) => {
    const name = await p.importProfile(text);
    if (name) notify('ok', `Imported “${name}”.`);
  };
  const startImport = () => {
    if (hostKind === 'browser') fileRef.current?.click();
    else void doImport(null);
  };

  const recentShown = recent.filter((r) => list.some((x) => x.name === r)).slice(0, 4);

  return (
    <Card
      title="Profiles"
      className="profiles-panel"
      actions={
        <>
          <IconButton label="Import a profile" onClick={startImport} disabled={busy}>
            <IconUpload />
          </IconButton>
          {/* Beside its button (not in the body, where it would take the body's top spacing). */}
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            hidden
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) await doImport(await file.text());
            }}
          />
          <IconButton label="New setup" onClick={() => p.newSetup()} disabled={running}>
            <IconPlus />
          </IconButton>
        </>
      }
    >
      <div className="profile-current">
        <div className="profile-current-name">
          <IconFolder size={15} />
          <span className={current ? '' : 'muted'}>{current ?? 'Unsaved setup'}</span>
          {dirty && legCount > 0 && (
            <Badge tone="warn" title="The legs differ from the saved profile">
              modified
            </Badge>
          )}
        </div>
        <div className="profile-current-actions">
          <Button size="sm" icon={<IconSave size={14} />} onClick={() => void save()} disabled={busy || legCount === 0 || (current !== null && !dirty)}>
            Save
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setSaveAs(true)} disabled={busy || legCount === 0}>
            Save as…
          </Button>
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={autoStart}
            onChange={async (e) => {
              p.setAutoStart(e.target.checked);
              if (current && (await p.save())) notify('ok', e.target.checked ? `“${current}” will start when vxbridge opens.` : 'Auto-start turned off.');
            }}
          />
          Start this profile when vxbridge opens
        </label>
      </div>

      {error && (
        <div className="panel-note err" role="alert">
          {error}
          <button className="link-btn" onClick={() => p.clearError()}>
            Dismiss
          </button>
        </div>
      )}

      {recentShown.length > 0 && (
        <div className="recent">
          <div className="section-label">Recent</div>
          <div className="recent-chips">
            {recentShown.map((r) => (
              <button key={r} className={`chip${r === current ? ' on' : ''}`} disabled={running || busy} onClick={() => void load(r)} title={`Load “${r}”`}>
                {r}
              </button>
            ))}
          </div>
        </div>
      )}

      <div className="section-label">All profiles</div>
      {list.length === 0 ? (
        <EmptyState title="No saved profiles">Save the legs to start them again with one click.</EmptyState>
      ) : (
        <ul className="profile-list">
          {list.map((pr) =>
            renaming === pr.name ? (
              <RenameRow key={pr.name} from={pr.name} onDone={() => setRenaming(null)} />
            ) : (
              <li key={pr.name} className={`profile-row${pr.name === current ? ' current' : ''}${pr.problem ? ' broken' : ''}`}>
                <button
                  className="profile-load"
                  disabled={running || busy || pr.problem !== undefined}
                  onClick={() => void load(pr.name)}
                  title={pr.problem ?? (running ? 'Stop the bridge to load another profile' : `Load “${pr.name}”`)}
                >
                  <span className="profile-name">{pr.name}</span>
                  <span className="profile-meta">
                    {pr.problem ? (
                      <span className="err-text">{pr.problem}</span>
                    ) : (
                      `${pr.legCount} leg${pr.legCount === 1 ? '' : 's'} · ${pr.updatedAt ? formatAgo(Date.parse(pr.updatedAt), Date.now()) : ''}`
                    )}
                  </span>
                </button>
                <span className="row-actions">
                  <IconButton label={`Rename ${pr.name}`} onClick={() => setRenaming(pr.name)} disabled={busy}>
                    <IconEdit size={14} />
                  </IconButton>
                  <IconButton label={`Export ${pr.name}`} onClick={() => doExport(pr.name)} disabled={busy}>
                    <IconDownload size={14} />
                  </IconButton>
                  <IconButton label={`Delete ${pr.name}`} onClick={() => setDeleting(pr.name)} disabled={busy}>
                    <IconTrash size={14} />
                  </IconButton>
                </span>
              </li>
            ),
          )}
        </ul>
      )}

      {saveAs && <SaveAsDialog onClose={() => setSaveAs(false)} />}
      {exporting && (
        <ExportKeysDialog
          name={exporting}
          onClose={() => setExporting(null)}
          onExport={(includeKeys) => {
            const name = exporting;
            setExporting(null);
            void runExport(name, includeKeys, true);
          }}
        />
      )}
      {deleting && (
        <Modal
          title="Delete profile"
          onClose={() => setDeleting(null)}
          footer={
            <>
              <Button variant="ghost" onClick={() => setDeleting(null)}>
                Cancel
              </Button>
              <Button
                variant="danger"
                onClick={async () => {
                  const name = deleting;
                  setDeleting(null);
                  if (await p.remove(name)) notify('ok', `Deleted “${name}”.`);
                }}
              >
                Delete
              </Button>
            </>
          }
        >
          <p>
            Delete the profile <strong>{deleting}</strong>? This cannot be undone (export it first to keep a copy).
          </p>
        </Modal>
      )}
    </Card>
  );
}

/** Asks whether an export writes the profile's typed keys into the file; default no. */
function ExportKeysDialog({ name, onClose, onExport }: { name: string; onClose(): void; onExport(includeKeys: boolean): void }): ReactElement {
  const [includeKeys, setIncludeKeys] = useState(false);
  return (
    <Modal
      title="Export profile"
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant={includeKeys ? 'danger' : 'primary'} onClick={() => onExport(includeKeys)}>
            {includeKeys ? 'Export with the keys' : 'Export without the keys'}
          </Button>
        </>
      }
    >
      <p>
        Legs of <strong>{name}</strong> hold pre-shared keys typed into them.
      </p>
      <label className="check">
        <input type="checkbox" checked={includeKeys} onChange={(e) => setIncludeKeys(e.target.checked)} />
        Include the keys in the file
      </label>
      {includeKeys ? (
        <div className="panel-note warn" role="alert" data-testid="export-keys-warning">
          <div>The file will hold the keys in clear: anyone who can read it can join these legs and read their traffic. Keep it safe and send it only over a secure channel.</div>
        </div>
      ) : (
        <div className="panel-note" data-testid="export-keys-note">
          <div>
            Each typed key is written as <code>*env:{EXPORT_KEY_ENV}</code> ({EXPORT_KEY_ENV}_2, … for further different keys), not left out: a leg without its key would import as
            an unencrypted leg. The legs stay encrypted, and whoever imports the file supplies the key by setting that environment variable for ubdg or the app. Keys read from an
            environment variable or a file stay such references.
          </div>
        </div>
      )}
    </Modal>
  );
}

function RenameRow({ from, onDone }: { from: string; onDone(): void }): ReactElement {
  const [name, setName] = useState(from);
  const list = useProfiles((s) => s.list);
  const problem = name.trim() === from ? null : profileNameProblem(name, list, from);
  const submit = async () => {
    if (name.trim() === from) return onDone();
    if (problem) return;
    if (await useProfiles.getState().rename(from, name)) notify('ok', `Renamed to “${name.trim()}”.`);
    onDone();
  };
  return (
    <li className="profile-row renaming">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <input
          className={`input${problem ? ' invalid' : ''}`}
          value={name}
          autoFocus
          aria-label={`New name for ${from}`}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onDone()}
        />
        <Button size="sm" variant="primary" type="submit" disabled={problem !== null}>
          Rename
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </form>
      {problem && <div className="field-error">{problem}</div>}
    </li>
  );
}

function SaveAsDialog({ onClose }: { onClose(): void }): ReactElement {
  const current = useProfiles((s) => s.current);
  const list = useProfiles((s) => s.list);
  const autoStart = useProfiles((s) => s.autoStart);
  const [name, setName] = useState(current ? `${current} copy` : '');
  const [auto, setAuto] = useState(autoStart);
  const exists = list.some((p) => p.name.toLowerCase() === name.trim().toLowerCase());
  const problem = exists ? null : profileNameProblem(name, list);
  const submit = async () => {
    if (problem) return;
    useProfiles.getState().setAutoStart(auto);
    if (await useProfiles.getState().save(name, exists)) {
      notify('ok', `Saved “${name.trim()}”.`);
      onClose();
    }
  };
  return (
    <Modal
      title="Save profile as"
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant={exists ? 'danger' : 'primary'} disabled={problem !== null} onClick={() => void submit()}>
            {exists ? 'Overwrite' : 'Save'}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className={`field${problem && name !== '' ? ' has-error' : ''}`}>
          <label className="field-label" htmlFor="save-as-name">
            Name
          </label>
          <input id="save-as-name" className="input" value={name} autoFocus onChange={(e) => setName(e.target.value)} placeholder="Site A ↔ datacenter" />
          {exists ? (
            <div className="field-hint warn-text">A profile with this name exists and will be replaced.</div>
          ) : problem && name !== '' ? (
            <div className="field-error">{problem}</div>
          ) : null}
        </div>
        <label className="check">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
          Start this profile when vxbridge opens
        </label>
      </form>
    </Modal>
  );
}
