// "Make available offline" for a release or a playlist, or its progress once asked for. Shows
// nothing until this device is authorised for offline play.
import type { ReactElement } from 'react';
import { useSlice, useStores } from '../../app/stores-context.js';
import { offlineItemFor, targetId, type OfflineTarget } from '../../stores/offline.js';

export function MakeAvailableOffline({ target }: { target: OfflineTarget }): ReactElement | null {
  const stores = useStores();
  const kind = 'releaseId' in target ? 'release' : 'playlist';
  const id = targetId(target);
  const online = useSlice(
    (s) => s.ui,
    (s) => s.online,
  );
  const deviceAuthorised = useSlice(
    (s) => s.offline,
    (s) => s.status?.deviceAuthorised ?? false,
  );
  const item = useSlice(
    (s) => s.offline,
    (s) => offlineItemFor(s.status, kind, id),
  );
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
      onClick={() => void stores.offline.getState().makeAvailable(target)}
    >
      Make available offline
    </button>
  );
}
