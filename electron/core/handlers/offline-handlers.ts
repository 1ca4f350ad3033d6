// offline:* — authorising this device, keeping releases and playlists offline (their snapshot in
// the encrypted library at once, their tracks cached in the background with progress events),
// removing them, the cache's status and the offline library. Nothing is accepted that cannot be
// kept (no keychain: refused up front), and no item says "ready" for tracks that cannot play.
import { compact } from '../../../shared/ipc/views.js';
import { AppError, isAppError } from '../../../shared/errors.js';
import type {
  DeviceView,
  OfflineItemView,
  OfflineLibraryItemView,
  OfflineStatusView,
} from '../../../shared/ipc/contract.js';
import type { AppEventBus } from '../../../shared/ipc/handlers.js';
import type { ApiClient } from '../api/client.js';
import type { Logger } from '../logger.js';
import type { OfflineCacheService } from '../offline-cache/offline-cache-service.js';
import {
  offlineItemId,
  ownsItem,
  publicItem,
  type OfflineItem,
  type OfflineItems,
} from '../offline-cache/offline-items.js';
import type { OfflineLibrary } from '../offline-library/offline-library.js';
import {
  keepArtwork,
  takeSnapshot,
  withStoredArtwork,
  type SnapshotDeps,
} from '../offline-library/snapshot.js';
import type { SessionService } from '../session/session-service.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { HandlersOf } from './handler-slice.js';

export type OfflineHandlerDeps = {
  api: ApiClient;
  session: Pick<SessionService, 'require' | 'current'>;
  settings: Pick<SettingsStore, 'get' | 'isDeviceAuthorised' | 'setDeviceAuthorised'>;
  offlineCache: OfflineCacheService;
  items: OfflineItems;
  events: AppEventBus;
  log: Pick<Logger, 'warn'>;
  clientId: string;
  country: () => string;
  library: OfflineLibrary;
  snapshot: SnapshotDeps;
  /** Why nothing can be kept offline here (no keychain), or null. */
  offlineRefusal: () => string | null;
  /** The gateway URL of artwork kept in the library. */
  artworkUrl: (url: string) => string | undefined;
};

export function offlineHandlers(deps: OfflineHandlerDeps): HandlersOf<'offline'> {
  // Long by design (over 80 lines): a table of channel handlers, one short entry per channel.
  const { api, session, settings, offlineCache, items, clientId } = deps;
  /** Progress reaches the renderer for the signed-in listener's items only. */
  const emit = (item: OfflineItem): void => {
    if (ownsItem(item, session.current()?.userId))
      deps.events.emit('offline:progressChanged', publicItem(item));
  };
  const cachedCount = (trackIds: string[]): number => trackIds.filter((id) => offlineCache.has(id)).length;

  /** Caches an item's tracks in the background, updating the item and emitting progress. */
  const cacheInBackground = (item: OfflineItem, userId: string): void => {
    const byTrack = new Map<string, number>();
    offlineCache
      .makeAvailable(item.trackIds, {
        pin: true,
        format: settings.get().streamFormat,
        onProgress: (progress) => {
          byTrack.set(progress.trackId, progress.bytes);
          item.bytes = [...byTrack.values()].reduce((a, b) => a + b, 0);
          item.cachedCount = cachedCount(item.trackIds);
          emit(item);
        },
      })
      .then(
        (results) => {
          item.cachedCount = cachedCount(item.trackIds);
          const failed = results.find((r) => !r.ok);
          item.state = failed && item.cachedCount < item.trackCount ? 'failed' : 'ready';
          if (failed && !failed.ok) item.error = failed.error.toData();
          else delete item.error;
          items.saveQuietly(() => settings.setDeviceAuthorised(userId, true));
          emit(item);
        },
        (error: unknown) => {
          item.state = 'failed';
          item.error = isAppError(error)
            ? error.toData()
            : { code: 'internal', message: 'Making this available offline failed.' };
          deps.log.warn('make available offline failed', { itemId: item.itemId, error });
          items.saveQuietly();
          emit(item);
        },
      );
  };

  /** The item as it can honestly be shown now: never "ready" for tracks that cannot play. */
  const honest = (item: OfflineItem): OfflineItemView => {
    const view = publicItem(item);
    const refusal = deps.offlineRefusal();
    if (refusal)
      return {
        ...view,
        cachedCount: 0,
        state: 'failed',
        error: { code: 'vault_unavailable', message: 'no keychain on this computer to open its copies' },
      };
    const cached = cachedCount(item.trackIds);
    if (view.state !== 'ready' || cached >= item.trackCount) return { ...view, cachedCount: cached };
    const lost = item.trackCount - cached;
    return {
      ...view,
      cachedCount: cached,
      state: 'failed',
      error: {
        code: 'integrity',
        message: `${lost} of its tracks can no longer be read on this device: choose Retry to download them again.`,
      },
    };
  };

  const refuseWithoutKeychain = (): void => {
    const refusal = deps.offlineRefusal();
    if (refusal) throw new AppError({ code: 'vault_unavailable', message: refusal });
  };

  return {
    'offline:authoriseDevice': async ({ deviceName }) => {
      const current = session.require();
      const result = await api.authorizeOfflineDevice({
        userId: current.userId,
        body: { deviceId: clientId, deviceName: deviceName ?? `Septet on ${process.platform}` },
      });
      settings.setDeviceAuthorised(current.userId, true);
      return deviceView(result, clientId);
    },
    'offline:listDevices': async () => {
      const current = session.require();
      const list = (await api.listOfflineDevices({ userId: current.userId })) as { devices?: unknown[] };
      return compact(list.devices as Parameters<typeof deviceView>[0][] | undefined, (d) =>
        d.deviceId ? deviceView(d, clientId) : null,
      );
    },
    'offline:makeAvailable': async (target) => {
      const current = session.require();
      refuseWithoutKeychain();
      const snapshot = await takeSnapshot(deps.snapshot, target);
      const itemId = offlineItemId(target);
      await deps.library.putItem(itemId, snapshot);
      const trackIds = [...new Set(snapshot.tracks.map((t) => t.id))];
      const item: OfflineItem = {
        itemId,
        kind: snapshot.kind,
        title: snapshot.kind === 'release' ? snapshot.release.title : snapshot.playlist.name,
        trackCount: trackIds.length,
        cachedCount: cachedCount(trackIds),
        bytes: 0,
        state: 'downloading',
        trackIds,
        userId: current.userId,
      };
      items.put(item);
      emit(item);
      void keepArtwork(deps.snapshot, deps.library, snapshot);
      cacheInBackground(item, current.userId);
      return publicItem(item);
    },
    'offline:remove': async (target) => {
      const itemId = offlineItemId(target);
      const removed = items.remove(session.require().userId, itemId);
      if (!removed) return null;
      offlineCache.remove(removed.unwantedTracks);
      items.save();
      if (removed.keptByOthers) return null;
      await deps.library.removeItem(itemId).catch((error: unknown) => {
        deps.log.warn('could not forget an offline item in the library', { itemId, error });
      });
      return null;
    },
    'offline:getStatus': async () => {
      const current = session.current();
      const usage = offlineCache.usage();
      // The listener's own offline list: another account's items are neither listed nor played.
      const mine = current ? items.ownedBy(current.userId) : [];
      const myTracks = new Set(mine.flatMap((item) => item.trackIds));
      const view: OfflineStatusView = {
        deviceAuthorised: current ? settings.isDeviceAuthorised(current.userId) : false,
        usedBytes: usage.usedBytes,
        quotaBytes: usage.quotaBytes,
        items: mine.map(honest),
        cachedTrackIds: deps.offlineRefusal()
          ? []
          : offlineCache
              .list()
              .filter((entry) => entry.status === 'ok' && myTracks.has(entry.trackId))
              .map((entry) => entry.trackId),
      };
      return view;
    },
    'offline:getLibrary': async () => {
      if (deps.offlineRefusal()) return [];
      const stored = await deps.library.items();
      const userId = session.current()?.userId;
      const mine = userId === undefined ? [] : items.ownedBy(userId);
      return compact(mine, (item): OfflineLibraryItemView | null => {
        const kept = stored.get(item.itemId);
        if (!kept) return null;
        const shown = withStoredArtwork(kept, deps.library, deps.artworkUrl);
        return shown.kind === 'release'
          ? { itemId: item.itemId, kind: 'release', release: shown.release, tracks: shown.tracks }
          : { itemId: item.itemId, kind: 'playlist', playlist: shown.playlist, tracks: shown.tracks };
      });
    },
  };
}

function deviceView(
  device: {
    deviceId?: string;
    deviceName?: string;
    platform?: string;
    status?: 'authorised' | 'deauthorised';
    authorisedAt?: string;
  },
  clientId: string,
): DeviceView {
  const view: DeviceView = {
    deviceId: device.deviceId ?? clientId,
    status: device.status ?? 'authorised',
    thisDevice: (device.deviceId ?? clientId) === clientId,
  };
  if (device.deviceName) view.deviceName = device.deviceName;
  if (device.platform) view.platform = device.platform;
  if (device.authorisedAt) view.authorisedAt = device.authorisedAt;
  return view;
}
