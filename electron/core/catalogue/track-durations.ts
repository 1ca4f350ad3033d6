// Track durations for playlist rows. The API's playlist entries carry a track id, title and
// artist but no duration, so the core asks the catalogue (batch details, 100 ids a request, a
// few requests at once) and remembers the answers for the run: a duration never changes, so a
// playlist opened again, edited or refreshed costs no request. A duration the catalogue cannot
// give (offline, a track withdrawn) is simply left out.
import type { PlaylistView } from '../../../shared/ipc/contract.js';
import type { ChannelHandler, ChannelHandlers } from '../../../shared/ipc/handlers.js';
import type { ApiClient } from '../api/client.js';
import type { Logger } from '../logger.js';

const batchSize = 100;
const parallel = 4;

export type TrackDurations = {
  /** The playlist with each track's duration filled in where the catalogue knows it. */
  fill(view: PlaylistView): Promise<PlaylistView>;
};

export function createTrackDurations(deps: {
  api: Pick<ApiClient, 'getTracksBatchDetails'>;
  country: () => string;
  log: Pick<Logger, 'warn'>;
}): TrackDurations {
  const known = new Map<string, number>();

  const fetchBatch = async (ids: string[]): Promise<void> => {
    const batch = await deps.api.getTracksBatchDetails({
      body: { trackIds: ids },
      extraQuery: { country: deps.country() },
    });
    for (const track of batch.tracks ?? [])
      if (track.id && typeof track.duration === 'number') known.set(track.id, track.duration);
  };

  const learn = async (ids: string[]): Promise<void> => {
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += batchSize) batches.push(ids.slice(i, i + batchSize));
    for (let i = 0; i < batches.length; i += parallel)
      await Promise.all(batches.slice(i, i + parallel).map(fetchBatch));
  };

  return {
    async fill(view) {
      const missing = [...new Set(view.tracks.map((t) => t.trackId))].filter((id) => !known.has(id));
      if (missing.length > 0) {
        try {
          await learn(missing);
        } catch (error) {
          // The playlist is worth showing without its times.
          deps.log.warn('track durations unavailable', { playlistId: view.id, error });
        }
      }
      let changed = false;
      const tracks = view.tracks.map((t) => {
        const durationSec = known.get(t.trackId);
        if (durationSec === undefined || t.durationSec === durationSec) return t;
        changed = true;
        return { ...t, durationSec };
      });
      return changed ? { ...view, tracks } : view;
    },
  };
}

type PlaylistViewChannel =
  | 'playlists:get'
  | 'playlists:create'
  | 'playlists:update'
  | 'playlists:addTracks'
  | 'playlists:removeTrack'
  | 'playlists:moveTrack';

const playlistViewChannels: readonly PlaylistViewChannel[] = [
  'playlists:get',
  'playlists:create',
  'playlists:update',
  'playlists:addTracks',
  'playlists:removeTrack',
  'playlists:moveTrack',
];

/** Every channel that answers with a playlist answers with its tracks' durations. */
export function withTrackDurations<H extends Pick<ChannelHandlers, PlaylistViewChannel>>(
  handlers: H,
  durations: TrackDurations,
): H {
  const wrapped: Partial<Record<PlaylistViewChannel, unknown>> = {};
  for (const channel of playlistViewChannels) {
    const handler = handlers[channel] as ChannelHandler<'playlists:get'>;
    wrapped[channel] = (async (arg, context) =>
      durations.fill(await handler(arg as never, context))) satisfies ChannelHandler<'playlists:get'>;
  }
  return { ...handlers, ...wrapped };
}
