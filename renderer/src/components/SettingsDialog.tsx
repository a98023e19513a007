// The app's settings: which data plane the next Start uses. Says what
// overrides the choice (VXB_DATA_PLANE on the host), what runs now (a running
// bridge keeps its data plane) and why a settings file was not used.

import { useEffect, useState, type ReactElement } from 'react';
import { DATA_PLANE_ENV, DATA_PLANE_LABELS, type DataPlaneChoice } from '../../../electron/model/data-plane.js';
import { DATA_PLANE_OPTIONS, runSentence } from '../lib/data-plane-text.js';
import { useBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { notify } from '../stores/notice-store.js';
import { useSettings } from '../stores/settings-store.js';
import { Button, Modal } from './ui.js';

/** Rendered always; shows the dialog while the store says it is open. */
export function SettingsDialog(): ReactElement | null {
  const open = useSettings((s) => s.dialogOpen);
  return open ? <SettingsForm /> : null;
}

function SettingsForm(): ReactElement {
  const view = useSettings((s) => s.view);
  const error = useSettings((s) => s.error);
  const saving = useSettings((s) => s.saving);
  const close = useSettings((s) => s.closeDialog);
  const running = useBridge((s) => s.phase === 'running' || s.phase === 'starting');
  const run = useBridge((s) => (s.phase === 'running' ? s.dataPlaneRun : null));
  const platform = useConnection((s) => s.appInfo?.platform);
  const linkUp = useConnection((s) => s.link.state === 'connected');
  const [picked, setPicked] = useState<DataPlaneChoice | null>(null);

  // Read again on open: the other host (the app or `ubdg ui`) may have changed the file.
  useEffect(() => {
    void useSettings.getState().load();
  }, []);

  const saved = view?.settings.dataPlane;
  const choice = picked ?? saved ?? 'auto';
  const changed = saved !== undefined && choice !== saved;
  const canSave = view !== null && linkUp && !saving && (changed || view.problem !== undefined);

  const save = async () => {
    if (!canSave) return;
    if (await useSettings.getState().save({ dataPlane: choice })) {
      notify('ok', running ? 'Settings saved: the data plane applies at the next Start.' : 'Settings saved.');
      close();
    }
  };

  return (
    <Modal
      title="Settings"
      onClose={close}
      footer={
        <>
          <Button variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button variant="primary" disabled={!canSave} onClick={() => void save()}>
            {saving ? 'Saving…' : 'Save'}
          </Button>
        </>
      }
    >
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset className="radio-group" disabled={view === null}>
          <legend className="field-label">Data plane</legend>
          {DATA_PLANE_OPTIONS.map((o) => {
            // Native is Linux only: elsewhere it could never start (kept selectable if it is the saved choice, to move off it).
            const unavailable = o.value === 'native' && platform !== undefined && platform !== 'linux' && saved !== 'native';
            return (
              <label key={o.value} className={`radio-option${choice === o.value ? ' on' : ''}${unavailable ? ' unavailable' : ''}`}>
                <input
                  type="radio"
                  name="data-plane"
                  value={o.value}
                  checked={choice === o.value}
                  disabled={unavailable}
                  data-autofocus={choice === o.value ? true : undefined}
                  onChange={() => setPicked(o.value)}
                />
                <span className="radio-text">
                  <span className="radio-label">{o.label}</span>
                  <span className="field-hint">{unavailable ? `Linux only (this host runs ${platform}).` : o.hint}</span>
                </span>
              </label>
            );
          })}
        </fieldset>

        {view === null && !error && <div className="field-hint">Loading the settings…</div>}
        {error && (
          <div className="panel-note err" role="alert">
            <div>{error}</div>
          </div>
        )}
        {view?.problem !== undefined && (
          <div className="panel-note warn" role="alert" data-testid="settings-problem">
            <div>{view.problem}</div>
          </div>
        )}
        {view?.envDataPlane !== undefined && (
          <div className="panel-note warn" data-testid="settings-env-override">
            <div>
              <code>
                {DATA_PLANE_ENV}={view.envDataPlane}
              </code>{' '}
              is set where vxbridge runs: it overrides this setting ({DATA_PLANE_LABELS[view.envDataPlane]} is used) until it is unset.
            </div>
          </div>
        )}
        {view?.envProblem !== undefined && (
          <div className="panel-note warn">
            <div>{view.envProblem}</div>
          </div>
        )}
        {running && (
          <div className="panel-note" data-testid="settings-running-note">
            <div>{run ? `${runSentence(run)} ` : ''}A running bridge keeps its data plane: a change applies at the next Start.</div>
          </div>
        )}
        {view && <div className="field-hint settings-file">Kept in {view.file}</div>}
      </form>
    </Modal>
  );
}
