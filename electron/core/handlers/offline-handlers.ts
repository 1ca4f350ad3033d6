// offline:* — authorising this device, keeping releases and playlists offline (cached in the
// background with progress events), removing them, and the cache's status.
import { compact } from '../../../shared/ipc/views.js';
import { isAppError } from '../../../shared/errors.js';
import type { DeviceView, OfflineStatusView } from '../../../shared/ipc/contract.js';
import type { AppEventBus } from '../../../shared/ipc/handlers.js';
import type { ApiClient } from '../api/client.js';
import type { Logger } from '../logger.js';
import type { OfflineCacheService } from '../offline-cache/offline-cache-service.js';
import {
  offlineItemId,
  publicItem,
  type OfflineItem,
  type OfflineItems,
  type OfflineTarget,
} from '../offline-cache/offline-items.js';
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
};

export function offlineHandlers(deps: OfflineHandlerDeps): HandlersOf<'offline'> {
  // Long by design (over 80 lines): a table of channel handlers, one short entry per channel.
  const { api, session, settings, offlineCache, items, clientId } = deps;
  const emit = (item: OfflineItem): void => deps.events.emit('offline:progressChanged', publicItem(item));
  const cachedCount = (trackIds: string[]): number => trackIds.filter((id) => offlineCache.has(id)).length;

  const tracksOf = async (target: OfflineTarget): Promise<{ title: string; trackIds: string[] }> => {
    if ('releaseId' in target) {
      const inCountry = { extraQuery: { country: deps.country() } };
      const [release, listing] = await Promise.all([
        api.getReleaseDetails({ releaseId: target.releaseId, ...inCountry }),
        api.getReleaseTrackListing({ releaseId: target.releaseId, ...inCountry }),
      ]);
      return { title: release.title ?? 'Release', trackIds: compact(listing.tracks, (t) => t.id ?? null) };
    }
    const playlist = await api.getPlaylist({ playlistId: target.playlistId });
    return {
      title: playlist.name ?? 'Playlist',
      trackIds: compact(playlist.tracks, (t) => t.trackId || null),
    };
  };

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
      const { title, trackIds } = await tracksOf(target);
      const item: OfflineItem = {
        itemId: offlineItemId(target),
        kind: 'releaseId' in target ? 'release' : 'playlist',
        title,
        trackCount: trackIds.length,
        cachedCount: cachedCount(trackIds),
        bytes: 0,
        state: 'downloading',
        trackIds,
      };
      items.put(item);
      emit(item);
      cacheInBackground(item, current.userId);
      return publicItem(item);
    },
    'offline:remove': async (target) => {
      const unwanted = items.remove(offlineItemId(target));
      if (!unwanted) return null;
      offlineCache.remove(unwanted);
      items.save();
      return null;
    },
    'offline:getStatus': async () => {
      const current = session.current();
      const usage = offlineCache.usage();
      const view: OfflineStatusView = {
        deviceAuthorised: current ? settings.isDeviceAuthorised(current.userId) : false,
        usedBytes: usage.usedBytes,
        quotaBytes: usage.quotaBytes,
        items: items.all().map(publicItem),
        cachedTrackIds: offlineCache
          .list()
          .filter((entry) => entry.status === 'ok')
          .map((entry) => entry.trackId),
      };
      return view;
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
