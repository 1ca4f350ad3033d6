// "Make available offline" for a release or a playlist, or its progress once asked for. Shows
// nothing until this device is authorised for offline play.
import type { ReactElement } from 'react';
import {
  useDeviceAuthorised,
  useOfflineActions,
  useOfflineItem,
  type OfflineTarget,
} from '../../stores/offline.js';
import { useOnline } from '../../stores/ui.js';

export function MakeAvailableOffline({ target }: { target: OfflineTarget }): ReactElement | null {
  const offline = useOfflineActions();
  const online = useOnline();
  const deviceAuthorised = useDeviceAuthorised();
  const item = useOfflineItem(target);
  if (!deviceAuthorised) return null;
  if (item) {
    return (
      <span className="offline-state">
        {item.state === 'ready'
          ? 'Available offline'
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
