import { useEffect, type ReactElement } from 'react';
import type { AppInfo } from '../../../shared/ipc/contract.js';
import { useSlice, useStores } from '../../app/stores-context.js';
import { formatBytes } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Loading } from '../../components/states.js';

const vaultLabels: Record<AppInfo['vaultBackend'], string> = {
  keytar: 'OS keychain',
  'safe-storage': 'Electron safe storage',
  none: 'Unavailable — sign-in is kept in memory only and not remembered after a restart',
};

const quotaChoices = [1, 2, 5, 10, 20, 50].map((gb) => gb * 1024 ** 3);

export function SettingsView(): ReactElement {
  const stores = useStores();
  const settingsStore = stores.settings.getState();
  const session = useSlice(
    (s) => s.session,
    (s) => s.session,
  );
  const settings = useSlice(
    (s) => s.settings,
    (s) => s.settings,
  );
  const info = useSlice(
    (s) => s.settings,
    (s) => s.info,
  );
  const playLog = useSlice(
    (s) => s.settings,
    (s) => s.playLog,
  );
  const signingOut = useSlice(
    (s) => s.session,
    (s) => s.busy === 'signOut',
  );
  useEffect(() => {
    void stores.settings.getState().load();
  }, [stores]);

  if (!settings || !info) return <Loading />;
  const pending = playLog
    ? playLog.pending.subscriber + playLog.pending.catalogue + playLog.pending.preview
    : 0;
  const quotas = quotaChoices.includes(settings.cacheQuotaBytes)
    ? quotaChoices
    : [...quotaChoices, settings.cacheQuotaBytes].sort((a, b) => a - b);
  return (
    <section className="view" aria-labelledby="settings-title">
      <header className="view-header">
        <h1 id="settings-title">Settings</h1>
      </header>

      <div className="panel">
        <h2>Account</h2>
        {session?.state === 'signedIn' ? (
          <dl className="facts">
            <dt>Signed in as</dt>
            <dd>{session.email ?? `Listener ${session.userId}`}</dd>
            <dt>Subscription</dt>
            <dd>
              {session.subscription === 'active'
                ? 'Active'
                : session.subscription === 'expired'
                  ? 'Expired — previews only'
                  : session.subscription === 'none'
                    ? 'None — 30-second previews'
                    : 'Unknown'}
            </dd>
            <dt>Country</dt>
            <dd>{session.country}</dd>
          </dl>
        ) : null}
        <button
          type="button"
          className="btn"
          disabled={signingOut}
          onClick={() => void stores.session.getState().signOut()}
        >
          <Icon name="signOut" size={16} /> Sign out
        </button>
      </div>

      <div className="panel">
        <h2>Playback</h2>
        <div className="form">
          <label className="field">
            <span>Stream format</span>
            <select
              value={settings.streamFormat}
              onChange={(e) =>
                void settingsStore.update({
                  streamFormat: e.currentTarget.value === 'progressive' ? 'progressive' : 'hls',
                })
              }
            >
              <option value="hls">HLS (adaptive, encrypted)</option>
              <option value="progressive">Progressive</option>
            </select>
          </label>
          <label className="field">
            <span>Stream quality</span>
            <select
              value={settings.streamQuality}
              onChange={(e) =>
                void settingsStore.update({
                  streamQuality: e.currentTarget.value === 'high' ? 'high' : 'standard',
                })
              }
            >
              <option value="standard">Standard</option>
              <option value="high">High</option>
            </select>
          </label>
          <label className="field">
            <span>Offline cache limit</span>
            <select
              value={settings.cacheQuotaBytes}
              onChange={(e) => void settingsStore.update({ cacheQuotaBytes: Number(e.currentTarget.value) })}
            >
              {quotas.map((q) => (
                <option key={q} value={q}>
                  {formatBytes(q)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Download format</span>
            <select
              value={settings.downloadFormat}
              onChange={(e) =>
                void settingsStore.update({
                  downloadFormat: e.currentTarget.value === 'flac' ? 'flac' : 'mp3',
                })
              }
            >
              <option value="mp3">MP3 320</option>
              <option value="flac">FLAC</option>
            </select>
          </label>
          <div className="field">
            <span>Download folder</span>
            <div className="inline-form">
              <code className="path">{settings.downloadFolder ?? 'Default downloads folder'}</code>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void settingsStore.chooseDownloadFolder()}
              >
                Choose…
              </button>
            </div>
          </div>
        </div>
      </div>

      <div className="panel">
        <h2>This device</h2>
        <dl className="facts">
          <dt>Client ID</dt>
          <dd>
            <code>{info.clientId}</code>
          </dd>
          <dt>Service</dt>
          <dd>{info.usingEmulator ? `MassiveMusic emulator (${info.apiBaseUrl})` : info.apiBaseUrl}</dd>
          <dt>App</dt>
          <dd>
            Septet {info.version} · {info.host} host · {info.platform}
          </dd>
          <dt>Secret storage</dt>
          <dd>{vaultLabels[info.vaultBackend]}</dd>
          <dt>Play reports waiting</dt>
          <dd>
            {pending}
            {playLog?.lastError ? <span className="muted"> · last error: {playLog.lastError}</span> : null}
          </dd>
        </dl>
      </div>
    </section>
  );
}
