// Takes the snapshot of a release or playlist that the offline library keeps: its details and
// full track views from the service, and its artwork (fetched once, kept sealed). Artwork is a
// nicety: an image that cannot be fetched leaves the generated placeholder, never a failure.
import type { PlaylistView, ReleaseView, TrackView } from '../../../shared/ipc/contract.js';
import { AppError } from '../../../shared/errors.js';
import { compact, toPlaylistView, toReleaseView, toTrackView } from '../../../shared/ipc/views.js';
import type { ApiClient } from '../api/client.js';
import type { Logger } from '../logger.js';
import type { UrlFetch } from '../media-gateway/upstream.js';
import { artworkUrlsOf, type LibraryItem, type OfflineLibrary } from './offline-library.js';

export type SnapshotTarget = { releaseId: string } | { playlistId: string };

export type SnapshotDeps = {
  api: Pick<
    ApiClient,
    'getReleaseDetails' | 'getReleaseTrackListing' | 'getPlaylist' | 'getTracksBatchDetails'
  >;
  country: () => string;
  fetchImage?: UrlFetch;
  log: Pick<Logger, 'warn'>;
};

const maxImageBytes = 5 * 1024 * 1024;

/** The release or playlist as the library keeps it, read from the service now. */
export async function takeSnapshot(deps: SnapshotDeps, target: SnapshotTarget): Promise<LibraryItem> {
  const inCountry = { extraQuery: { country: deps.country() } };
  const savedAt = new Date().toISOString();
  if ('releaseId' in target) {
    const [details, listing] = await Promise.all([
      deps.api.getReleaseDetails({ releaseId: target.releaseId, ...inCountry }),
      deps.api.getReleaseTrackListing({ releaseId: target.releaseId, ...inCountry }),
    ]);
    const release = toReleaseView(details);
    if (!release) throw new AppError({ code: 'malformed_response', message: 'The release has no id.' });
    const ref = { id: release.id, title: release.title, ...(release.image ? { image: release.image } : {}) };
    const tracks = compact(listing.tracks, toTrackView).map((t) => ({ ...t, release: t.release ?? ref }));
    return { kind: 'release', release, tracks, savedAt };
  }
  const playlist = toPlaylistView(await deps.api.getPlaylist({ playlistId: target.playlistId }));
  if (!playlist) throw new AppError({ code: 'malformed_response', message: 'The playlist has no id.' });
  return { kind: 'playlist', playlist, tracks: await playlistTracks(deps, playlist), savedAt };
}

/** Full views of a playlist's tracks (100 a call); what the playlist itself says when one is missing. */
async function playlistTracks(deps: SnapshotDeps, playlist: PlaylistView): Promise<TrackView[]> {
  const ids = [...new Set(playlist.tracks.map((t) => t.trackId))];
  const byId = new Map<string, TrackView>();
  for (let i = 0; i < ids.length; i += 100) {
    const batch = await deps.api.getTracksBatchDetails({
      body: { trackIds: ids.slice(i, i + 100) },
      extraQuery: { country: deps.country() },
    });
    for (const t of compact(batch.tracks, toTrackView)) byId.set(t.id, t);
  }
  return playlist.tracks.map(
    (t) =>
      byId.get(t.trackId) ?? {
        id: t.trackId,
        title: t.title,
        artist: { id: `name:${t.artist || 'unknown'}`, name: t.artist },
      },
  );
}

/** Fetches and seals the item's artwork that the library does not have yet. */
export async function keepArtwork(
  deps: SnapshotDeps,
  library: Pick<OfflineLibrary, 'hasArtwork' | 'putArtwork'>,
  item: LibraryItem,
): Promise<void> {
  const fetchImage = deps.fetchImage ?? ((url, init) => fetch(url, init));
  for (const url of artworkUrlsOf(item)) {
    if (library.hasArtwork(url) || !/^https?:\/\//.test(url)) continue;
    try {
      const response = await fetchImage(url, { signal: AbortSignal.timeout(15_000) });
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const data = Buffer.from(await response.arrayBuffer());
      if (!response.ok || !contentType.startsWith('image/') || data.length > maxImageBytes) continue;
      await library.putArtwork(url, { data, contentType });
    } catch (error) {
      deps.log.warn('artwork not kept offline', { error: String(error) });
    }
  }
}

/** The item's views with every image pointing at the stored copy (or none, when there is none). */
export function withStoredArtwork(
  item: LibraryItem,
  library: Pick<OfflineLibrary, 'hasArtwork'>,
  artworkUrl: (url: string) => string | undefined,
): LibraryItem {
  const local = (url: string | undefined): string | undefined =>
    url && library.hasArtwork(url) ? artworkUrl(url) : undefined;
  const withImage = <T extends { image?: string }>(view: T): T => {
    const { image, ...rest } = view;
    const stored = local(image);
    return (stored ? { ...rest, image: stored } : rest) as T;
  };
  const tracks = item.tracks.map((t) => (t.release ? { ...t, release: withImage(t.release) } : t));
  if (item.kind === 'release') return { ...item, release: withImage<ReleaseView>(item.release), tracks };
  return {
    ...item,
    playlist: { ...item.playlist, tracks: item.playlist.tracks.map((t) => withImage(t)) },
    tracks,
  };
}
