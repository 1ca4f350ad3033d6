// The media engine over the emulator's catalogue: its shared on-disk cache, its unit workers
// (started once the server accepts requests, closed on shutdown) and what it reads of a track.
import type { Catalogue } from '../catalogue.js';
import { createMediaCache, defaultMediaCacheDir, type MediaCache } from './media-cache.js';
import { createMediaEngine, type MediaEngine } from './media-engine.js';
import type { AudioTrackInfo } from './track-audio.js';
import { createUnitWorkers, type UnitWorkers } from './unit-workers.js';

/** The engine and its cache, as the media routes and the test API use them. */
export type EmulatorMedia = { engine: MediaEngine; cache: MediaCache };

export type EmulatorMediaOptions = {
  catalogue: Catalogue;
  /** The media cache shared by every data dir (default ~/.cache/septet/emulator-media). */
  cacheDir?: string;
  /** Its size limit (default 2 GiB). */
  cacheMaxBytes?: number;
  log: (line: string) => void;
};

export function createEmulatorMedia(options: EmulatorMediaOptions): EmulatorMedia & { workers: UnitWorkers } {
  const { catalogue, log } = options;
  const cache = createMediaCache({
    dir: options.cacheDir ?? defaultMediaCacheDir(),
    ...(options.cacheMaxBytes !== undefined ? { maxBytes: options.cacheMaxBytes } : {}),
    log,
  });
  const workers = createUnitWorkers();
  const engine = createMediaEngine({
    cache,
    workers,
    trackInfo: (trackId) => audioTrackInfo(catalogue, trackId),
  });
  log(`media: generated on demand into ${cache.root} (limit ${(cache.maxBytes / 1024 ** 3).toFixed(1)} GiB)`);
  return { engine, cache, workers };
}

/** What the media engine needs to know of a catalogue track. */
export function audioTrackInfo(catalogue: Catalogue, trackId: string): AudioTrackInfo | undefined {
  const track = catalogue.tracks.get(trackId);
  const release = track ? catalogue.releases.get(track.releaseId) : undefined;
  if (!track || !release) return undefined;
  return {
    trackId: track.id,
    releaseId: release.id,
    title: track.title,
    artistName: catalogue.artists.get(track.artistId)?.name ?? '',
    releaseTitle: release.title,
    trackNumber: track.trackNumber,
    durationSec: track.durationSec,
    ...(release.gapless
      ? {
          gaplessRelease: release.trackIds.map((id) => ({
            trackId: id,
            durationSec: catalogue.tracks.get(id)?.durationSec ?? 0,
          })),
        }
      : {}),
  };
}
