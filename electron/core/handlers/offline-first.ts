// Offline-first reads (issue 13): a release or playlist kept offline opens from the encrypted
// library when the service cannot be reached — its page, its tracks for the queue, the playlist
// list — instead of "cannot reach the music service". Applied around the handler table after
// connectivity, so a failed call has already flipped the app offline; while offline, what the
// library holds answers at once and anything else says plainly that it is not kept offline.
import type { Channel, ChannelInput, ChannelValue, PlaylistSummary } from '../../../shared/ipc/contract.js';
import { AppError } from '../../../shared/errors.js';
import type { ChannelHandler, ChannelHandlers } from '../../../shared/ipc/handlers.js';
import { isUnreachable } from '../api/service-failures.js';
import type { Logger } from '../logger.js';
import type { OfflineItems } from '../offline-cache/offline-items.js';
import type { LibraryItem, OfflineLibrary } from '../offline-library/offline-library.js';
import { withStoredArtwork } from '../offline-library/snapshot.js';

export type OfflineFirstDeps = {
  library: Pick<OfflineLibrary, 'getItem' | 'items' | 'hasArtwork'>;
  items: Pick<OfflineItems, 'ownedBy'>;
  /** The signed-in listener (their offline playlists are listed, not another account's). */
  userId: () => string | undefined;
  online: () => boolean;
  artworkUrl: (url: string) => string | undefined;
  log: Pick<Logger, 'warn'>;
};

type Stored<C extends Channel> = (arg: ChannelInput<C>) => Promise<ChannelValue<C> | null>;

export function withOfflineLibrary(handlers: ChannelHandlers, deps: OfflineFirstDeps): ChannelHandlers {
  /** An item from the library with its artwork served locally; null when absent or unreadable. */
  const item = async (itemId: string): Promise<LibraryItem | null> => {
    try {
      const found = await deps.library.getItem(itemId);
      return found && withStoredArtwork(found, deps.library, deps.artworkUrl);
    } catch (error) {
      deps.log.warn('the offline library could not be read', { itemId, error });
      return null;
    }
  };
  const release = async (releaseId: string) => {
    const found = await item(`release:${releaseId}`);
    return found?.kind === 'release' ? found : null;
  };
  const playlist = async (playlistId: string) => {
    const found = await item(`playlist:${playlistId}`);
    return found?.kind === 'playlist' ? found : null;
  };
  const everything = async (): Promise<LibraryItem[]> =>
    [...(await deps.library.items().catch(() => new Map<string, LibraryItem>())).values()].map((found) =>
      withStoredArtwork(found, deps.library, deps.artworkUrl),
    );

  const offlineFirst = <C extends Channel>(channel: C, stored: Stored<C>): ChannelHandler<C> => {
    const remote = handlers[channel] as ChannelHandler<C>;
    return async (arg, context) => {
      if (!deps.online()) return (await stored(arg)) ?? notKeptOffline();
      try {
        return await remote(arg, context);
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        const kept = await stored(arg);
        if (kept === null) throw error;
        return kept;
      }
    };
  };

  return {
    ...handlers,
    'catalogue:getRelease': offlineFirst('catalogue:getRelease', async ({ releaseId }) => {
      const found = await release(releaseId);
      return found ? found.release : null;
    }),
    'catalogue:getReleaseTracks': offlineFirst('catalogue:getReleaseTracks', async ({ releaseId }) => {
      const found = await release(releaseId);
      return found ? found.tracks : null;
    }),
    'catalogue:getTracks': offlineFirst('catalogue:getTracks', async ({ trackIds }) => {
      const byId = new Map((await everything()).flatMap((found) => found.tracks.map((t) => [t.id, t])));
      const tracks = trackIds.flatMap((id) => byId.get(id) ?? []);
      return tracks.length > 0 ? tracks : null;
    }),
    'playlists:get': offlineFirst('playlists:get', async ({ playlistId }) => {
      const found = await playlist(playlistId);
      return found ? found.playlist : null;
    }),
    'playlists:list': offlineFirst('playlists:list', async ({ page, pageSize }) => {
      const userId = deps.userId();
      const kept = new Set(userId === undefined ? [] : deps.items.ownedBy(userId).map((i) => i.itemId));
      const summaries: PlaylistSummary[] = (await everything()).flatMap((found) => {
        if (found.kind !== 'playlist' || !kept.has(`playlist:${found.playlist.id}`)) return [];
        const { tracks: _tracks, ...summary } = found.playlist;
        return [summary];
      });
      const items = summaries.slice((page - 1) * pageSize, page * pageSize);
      return { items, page, pageSize, totalItems: summaries.length };
    }),
  };
}

function notKeptOffline(): never {
  throw new AppError({
    code: 'offline',
    message: 'You’re offline, and this is not kept on this device. It opens when the connection returns.',
  });
}
