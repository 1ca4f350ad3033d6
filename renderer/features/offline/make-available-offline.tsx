// "Make available offline" for a release or a playlist, or its progress once asked for. Shows
// nothing until this device is authorised for offline play; with no keychain on this computer it
// says so instead of offering what could not be kept (issue 13).
import type { ReactElement } from 'react';
import {
  useDeviceAuthorised,
  useOfflineActions,
  useOfflineItem,
  type OfflineTarget,
} from '../../stores/offline.js';
import { useVaultProblem } from '../../stores/settings.js';
import { useOnline } from '../../stores/ui.js';

export function MakeAvailableOffline({ target }: { target: OfflineTarget }): ReactElement | null {
  const offline = useOfflineActions();
  const online = useOnline();
  const deviceAuthorised = useDeviceAuthorised();
  const item = useOfflineItem(target);
  const vaultProblem = useVaultProblem();
  if (vaultProblem) {
    return (
      <span className="offline-state offline-refused" title={vaultProblem}>
        Can’t keep offline: no keychain on this computer
      </span>
    );
  }
  if (!deviceAuthorised) return null;
  if (item) {
    return (
      <span className={`offline-state${item.state === 'failed' ? ' is-failed' : ''}`}>
        {item.state === 'ready'
          ? 'Available offline'
          : item.state === 'failed'
            ? `Not available offline${item.error ? `: ${item.error.message}` : ''}`
            : `Making available offline… ${item.cachedCount}/${item.trackCount}`}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="btn"
      disabled={!online}
      onClick={() => void offline.makeAvailable(target)}
    >
      Make available offline
    </button>
  );
}
