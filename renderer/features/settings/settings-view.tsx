import { useEffect, type ReactElement } from 'react';
import type { AppInfo, PlayLogStatus, Settings, SessionView } from '../../../shared/ipc/contract.js';
import { formatBytes } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Loading } from '../../components/states.js';
import { useSession, useSessionActions, useSigningOut } from '../../stores/session.js';
import { useAppInfo, usePlayLog, useSettings, useSettingsActions } from '../../stores/settings.js';
import { SoundPanel } from './sound-panel.js';

const vaultLabels: Record<AppInfo['vaultBackend'], string> = {
  keytar: 'OS keychain',
  'safe-storage': 'Electron safe storage',
  none: 'Unavailable — sign-in is kept in memory only and not remembered after a restart',
};

const quotaChoices = [1, 2, 5, 10, 20, 50].map((gb) => gb * 1024 ** 3);

export function SettingsView(): ReactElement {
  const actions = useSettingsActions();
  const settings = useSettings();
  const info = useAppInfo();
  const playLog = usePlayLog();
  useEffect(() => {
    void actions.load();
  }, [actions]);

  if (!settings || !info) return <Loading />;
  return (
    <section className="view" aria-labelledby="settings-title">
      <header className="view-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <AccountPanel />
      <PlaybackPanel settings={settings} />
      <SoundPanel settings={settings} />
      <DevicePanel info={info} playLog={playLog} />
    </section>
  );
}

function subscriptionLabel(
  subscription: Extract<SessionView, { state: 'signedIn' }>['subscription'],
): string {
  if (subscription === 'active') return 'Active';
  if (subscription === 'expired') return 'Expired — previews only';
  if (subscription === 'none') return 'None — 30-second previews';
  return 'Unknown';
}

function AccountPanel(): ReactElement {
  const session = useSession();
  const signingOut = useSigningOut();
  const { signOut } = useSessionActions();
  return (
    <div className="panel">
      <h2>Account</h2>
      {session?.state === 'signedIn' ? (
        <dl className="facts">
          <dt>Signed in as</dt>
          <dd>{session.email ?? `Listener ${session.userId}`}</dd>
          <dt>Subscription</dt>
          <dd>{subscriptionLabel(session.subscription)}</dd>
          <dt>Country</dt>
          <dd>{session.country}</dd>
        </dl>
      ) : null}
      <button type="button" className="btn" disabled={signingOut} onClick={() => void signOut()}>
        <Icon name="signOut" size={16} /> Sign out
      </button>
    </div>
  );
}

/** Stream format and quality, offline cache limit, download format and folder. */
function PlaybackPanel({ settings }: { settings: Settings }): ReactElement {
  const actions = useSettingsActions();
  const quotas = quotaChoices.includes(settings.cacheQuotaBytes)
    ? quotaChoices
    : [...quotaChoices, settings.cacheQuotaBytes].sort((a, b) => a - b);
  return (
    <div className="panel">
      <h2>Playback</h2>
      <div className="form">
        <label className="check-field">
          <input
            type="checkbox"
            checked={settings.notifyOnTrackChange}
            onChange={(e) => void actions.update({ notifyOnTrackChange: e.currentTarget.checked })}
          />{' '}
          Show a notification when the track changes
        </label>
        <label className="field">
          <span>Stream format</span>
          <select
            value={settings.streamFormat}
            onChange={(e) =>
              void actions.update({
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
              void actions.update({ streamQuality: e.currentTarget.value === 'high' ? 'high' : 'standard' })
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
            onChange={(e) => void actions.update({ cacheQuotaBytes: Number(e.currentTarget.value) })}
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
              void actions.update({ downloadFormat: e.currentTarget.value === 'flac' ? 'flac' : 'mp3' })
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
              onClick={() => void actions.chooseDownloadFolder()}
            >
              Choose…
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}

/** This device's client id, the service, the app, where secrets are kept, play reports waiting and the last delivery. */
function DevicePanel({ info, playLog }: { info: AppInfo; playLog: PlayLogStatus | null }): ReactElement {
  const pending = playLog
    ? playLog.pending.subscriber + playLog.pending.catalogue + playLog.pending.preview
    : 0;
  return (
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
        <dt>Last delivered</dt>
        <dd>{playLog?.lastDeliveredAt ? new Date(playLog.lastDeliveredAt).toLocaleString() : 'not yet'}</dd>
      </dl>
    </div>
  );
}
