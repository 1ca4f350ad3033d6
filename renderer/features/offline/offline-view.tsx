// The Offline page: this device (authorisation, storage), the music kept on it (offline-music.tsx,
// from the encrypted library: it works with no network) and the account's authorised devices.
// With no keychain it says so first: nothing can be kept offline on this computer (issue 13).
import { useEffect, type ReactElement } from 'react';
import type { OfflineStatusView } from '../../../shared/ipc/contract.js';
import { formatBytes } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import {
  useOfflineActions,
  useOfflineBusy,
  useOfflineDevices,
  useOfflineStatus,
} from '../../stores/offline.js';
import { useVaultProblem } from '../../stores/settings.js';
import { useOnline } from '../../stores/ui.js';
import { OfflineItems, OfflineSearch } from './offline-music.js';

export function OfflineView(): ReactElement {
  const offline = useOfflineActions();
  const status = useOfflineStatus();
  const online = useOnline();
  useEffect(() => {
    void offline.load();
  }, [offline]);
  useEffect(() => {
    if (online) void offline.loadDevices();
  }, [offline, online]);

  if (!status) return <Loading />;
  return (
    <section className="view" aria-labelledby="offline-title">
      <header className="view-header">
        <h1 id="offline-title">Offline</h1>
        <p className="muted">
          Keep releases and playlists on this device, encrypted, to play without a connection.
        </p>
      </header>
      <ThisDevicePanel status={status} />
      <OfflineSearch />
      <div className="panel">
        <h2>Available offline</h2>
        <OfflineItems items={status.items} />
      </div>
      {online ? <DevicesPanel /> : null}
    </section>
  );
}

/** Authorisation of this device, and the storage used. */
function ThisDevicePanel({ status }: { status: OfflineStatusView }): ReactElement {
  const offline = useOfflineActions();
  const busy = useOfflineBusy();
  const online = useOnline();
  const vaultProblem = useVaultProblem();
  const pct = status.quotaBytes > 0 ? Math.min(100, (status.usedBytes / status.quotaBytes) * 100) : 0;
  return (
    <div className="panel">
      <h2>This device</h2>
      {vaultProblem ? (
        <p className="notice notice-error" role="status">
          Music can’t be kept offline on this computer: it has no working keychain to protect the copies.
        </p>
      ) : status.deviceAuthorised ? (
        <p>
          <Icon name="check" size={16} /> Authorised for offline listening.
        </p>
      ) : (
        <>
          <p>
            Authorise this device to keep music offline. Your subscription allows a limited number of devices.
          </p>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || !online}
            onClick={() => void offline.authorise()}
          >
            {busy ? 'Authorising…' : 'Authorise this device'}
          </button>
        </>
      )}
      <div className="storage">
        <div className="storage-label">
          Storage used: <strong>{formatBytes(status.usedBytes)}</strong> of {formatBytes(status.quotaBytes)}
        </div>
        <progress max={100} value={pct} aria-label="Offline storage used" />
      </div>
    </div>
  );
}

function DevicesPanel(): ReactElement {
  const offline = useOfflineActions();
  const devices = useOfflineDevices();
  return (
    <div className="panel">
      <h2>Authorised devices</h2>
      {devices.status === 'error' ? (
        <ErrorState message={devices.message} onRetry={() => void offline.loadDevices()} />
      ) : devices.status !== 'ready' ? (
        <Loading />
      ) : devices.data.length === 0 ? (
        <Empty title="No devices authorised" />
      ) : (
        <ul className="devices" aria-label="Devices">
          {devices.data.map((d) => (
            <li key={d.deviceId}>
              <strong>{d.deviceName ?? d.deviceId}</strong>
              {d.thisDevice ? <span className="badge badge-accent">This device</span> : null}
              <span className="muted">
                {' '}
                {d.platform ?? ''} · {d.status}
                {d.authorisedAt ? ` · since ${new Date(d.authorisedAt).toLocaleDateString()}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
