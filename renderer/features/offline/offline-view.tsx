import { useEffect, type ReactElement } from 'react';
import type { OfflineItemView, OfflineStatusView } from '../../../shared/ipc/contract.js';
import { formatBytes } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import {
  rawItemId,
  targetOf,
  useOfflineActions,
  useOfflineBusy,
  useOfflineDevices,
  useOfflineStatus,
} from '../../stores/offline.js';
import { useOnline, useUiActions } from '../../stores/ui.js';

export function OfflineView(): ReactElement {
  const offline = useOfflineActions();
  const status = useOfflineStatus();
  useEffect(() => {
    void offline.load();
    void offline.loadDevices();
  }, [offline]);

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
      <div className="panel">
        <h2>Available offline</h2>
        {status.items.length === 0 ? (
          <Empty title="Nothing offline yet">
            Open a release or playlist and choose “Make available offline”.
          </Empty>
        ) : (
          <ul className="offline-items" aria-label="Offline items">
            {status.items.map((item) => (
              <OfflineItemRow key={`${item.kind}-${item.itemId}`} item={item} />
            ))}
          </ul>
        )}
      </div>
      <DevicesPanel />
    </section>
  );
}

/** Authorisation of this device, and the storage used. */
function ThisDevicePanel({ status }: { status: OfflineStatusView }): ReactElement {
  const offline = useOfflineActions();
  const busy = useOfflineBusy();
  const online = useOnline();
  const pct = status.quotaBytes > 0 ? Math.min(100, (status.usedBytes / status.quotaBytes) * 100) : 0;
  return (
    <div className="panel">
      <h2>This device</h2>
      {status.deviceAuthorised ? (
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

function itemStateLabel(item: OfflineItemView): string {
  if (item.state === 'ready') return 'ready';
  if (item.state === 'failed') return `failed${item.error ? `: ${item.error.message}` : ''}`;
  return item.state;
}

/** A release or playlist kept offline: its page, its progress, Retry (when failed) and Remove. */
function OfflineItemRow({ item }: { item: OfflineItemView }): ReactElement {
  const offline = useOfflineActions();
  const ui = useUiActions();
  return (
    <li className="offline-item">
      <div className="entity-text">
        <button
          type="button"
          className="link entity-title"
          onClick={() =>
            ui.navigate(
              item.kind === 'release'
                ? { name: 'release', releaseId: rawItemId(item) }
                : { name: 'playlist', playlistId: rawItemId(item) },
            )
          }
        >
          {item.title}
        </button>
        <span className="entity-sub">
          {item.kind} · {item.cachedCount}/{item.trackCount} tracks · {formatBytes(item.bytes)} ·{' '}
          {itemStateLabel(item)}
        </span>
        {item.state === 'downloading' || item.state === 'queued' ? (
          <progress
            max={item.trackCount || 1}
            value={item.cachedCount}
            aria-label={`Progress of ${item.title}`}
          />
        ) : null}
      </div>
      {item.state === 'failed' ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void offline.makeAvailable(targetOf(item))}
        >
          Retry
        </button>
      ) : null}
      <button
        type="button"
        className="btn btn-small btn-ghost"
        aria-label={`Remove ${item.title} from this device`}
        onClick={() => void offline.remove(targetOf(item))}
      >
        Remove
      </button>
    </li>
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
