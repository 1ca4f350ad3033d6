// One MediaSource that plays HLS tracks back to back with no gap: each track's AAC frames are
// appended to one 'audio/aac' SourceBuffer, placed on the timeline with timestampOffset, and
// trimmed with the append window — the priming frame before the track's first sample and the
// end padding after its last — so the last sample of one track is followed by the first sample
// of the next (Chromium keeps the trimmed frame as the decoder's pre-roll). The element plays
// the timeline; the engine maps it to tracks. A window of buffer ahead is kept filled, the
// past is released, and a seek outside the buffer refills from the segment that holds it.
import {
  aacFrameSamples,
  primingFrames,
  segmentAt,
  streamSampleRate,
  type MediaPlaylist,
} from './media-playlist.js';
import { fetchSegment, type FetchFailure } from './segment-fetch.js';

export type TimelineTrack = {
  /** The stream URL the track was loaded from. */
  readonly url: string;
  readonly playlist: MediaPlaylist;
  readonly key: CryptoKey | null;
  /** Where the track sits on the timeline (seconds); end − start is its exact length. */
  readonly startSec: number;
  readonly endSec: number;
};

export type GaplessSourceDeps = {
  element: HTMLMediaElement;
  /** A segment was appended (its ADTS, for loudness metering). */
  onSegment(track: TimelineTrack, segment: number, adts: Uint8Array): void;
  /** Fetching failed for good (retries spent, or a final status). `retry()` resumes. */
  onError(error: FetchFailure): void;
};

export type GaplessSource = {
  /** Adds a track after the last one; the first track starts at 0. */
  append(track: Pick<TimelineTrack, 'url' | 'playlist' | 'key'>): TimelineTrack;
  readonly tracks: readonly TimelineTrack[];
  /** The track under timeline time `sec`. */
  trackAt(sec: number): TimelineTrack | null;
  /** Keeps the buffer filled (call on time updates, play and seeks). */
  tick(): void;
  /** A next track is on its way: the source is not ended when the last one is all appended. */
  expectMore(more: boolean): void;
  /** Resumes fetching after onError. */
  retry(): void;
  destroy(): void;
};

/** Seconds of audio kept buffered ahead of the playhead (less while paused), and kept behind it. */
const aheadSec = 30;
const pausedAheadSec = 8;
const behindSec = 15;

// One closure on purpose (over 80 lines): the MediaSource, its SourceBuffer, the fetch cursor and
// its abort controller are one piece of state; the steps are the small functions inside.
export function createGaplessSource(deps: GaplessSourceDeps): GaplessSource {
  const { element } = deps;
  const mediaSource = new MediaSource();
  const tracks: TimelineTrack[] = [];
  let buffer: SourceBuffer | null = null;
  /** The next segment to append; `place`: its position on the timeline must be set first. */
  let cursor: { track: TimelineTrack; segment: number; place: boolean } | null = null;
  let generation = 0;
  let controller = new AbortController();
  let pumping = false;
  let failed = false;
  let destroyed = false;
  let more = false;

  element.src = URL.createObjectURL(mediaSource);
  mediaSource.addEventListener(
    'sourceopen',
    () => {
      URL.revokeObjectURL(element.src);
      buffer = mediaSource.addSourceBuffer('audio/aac');
      void pump();
    },
    { once: true },
  );

  const lastEnd = () => tracks[tracks.length - 1]?.endSec ?? 0;
  const idle = (sb: SourceBuffer) =>
    sb.updating
      ? new Promise<void>((r) => sb.addEventListener('updateend', () => r(), { once: true }))
      : Promise.resolve();

  /** The end of the buffered range that holds `sec` (or `sec` when none does). */
  const bufferedEnd = (sec: number): number => {
    const ranges = buffer?.buffered;
    if (!ranges) return sec;
    for (let i = 0; i < ranges.length; i++)
      if (ranges.start(i) <= sec + 0.1 && ranges.end(i) > sec) return ranges.end(i);
    return sec;
  };

  const place = (sb: SourceBuffer, track: TimelineTrack, segment: number) => {
    const firstFrame = track.playlist.segments[segment]?.firstFrame ?? 0;
    if (mediaSource.readyState === 'open') sb.abort();
    sb.appendWindowEnd = Infinity;
    sb.appendWindowStart = track.startSec;
    sb.appendWindowEnd = track.endSec;
    sb.timestampOffset = track.startSec + ((firstFrame - primingFrames) * aacFrameSamples) / streamSampleRate;
  };

  const advance = (c: NonNullable<typeof cursor>) => {
    if (c.segment + 1 < c.track.playlist.segments.length) {
      cursor = { track: c.track, segment: c.segment + 1, place: false };
      return;
    }
    const next = tracks[tracks.indexOf(c.track) + 1];
    cursor = next ? { track: next, segment: 0, place: true } : null;
  };

  const releasePast = (sb: SourceBuffer) => {
    const now = element.currentTime;
    if (sb.updating || sb.buffered.length === 0) return;
    if (sb.buffered.start(0) < now - 2 * behindSec) sb.remove(0, now - behindSec);
  };

  /** The timeline is as long as its last track (an ended source reopens with the next append). */
  const fitDuration = (sb: SourceBuffer) => {
    if (mediaSource.readyState === 'open' && !sb.updating && mediaSource.duration !== lastEnd())
      mediaSource.duration = lastEnd();
  };

  const appendOne = async (sb: SourceBuffer, c: NonNullable<typeof cursor>, adts: Uint8Array) => {
    await idle(sb);
    fitDuration(sb);
    if (c.place) place(sb, c.track, c.segment);
    try {
      sb.appendBuffer(adts as Uint8Array<ArrayBuffer>);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'QuotaExceededError')) throw err;
      sb.remove(0, Math.max(0, element.currentTime - 1));
      await idle(sb);
      sb.appendBuffer(adts as Uint8Array<ArrayBuffer>);
    }
    await idle(sb);
    fitDuration(sb);
  };

  const pump = async () => {
    if (pumping || destroyed || failed || !buffer) return;
    pumping = true;
    const sb = buffer;
    try {
      while (cursor && !destroyed) {
        const now = element.currentTime;
        if (bufferedEnd(now) - now > (element.paused ? pausedAheadSec : aheadSec)) break;
        const c = cursor;
        const gen = generation;
        const segment = c.track.playlist.segments[c.segment];
        if (!segment) break;
        let adts: Uint8Array;
        try {
          adts = await fetchSegment(c.track.playlist, segment, c.track.key, controller.signal);
        } catch (err) {
          // A seek aborted this fetch: go on from where the seek moved the cursor.
          if (!destroyed && gen !== generation) continue;
          throw err;
        }
        if (destroyed) return;
        if (gen !== generation) continue;
        await appendOne(sb, c, adts);
        if (gen !== generation) continue;
        deps.onSegment(c.track, c.segment, adts);
        advance(c);
      }
      await idle(sb);
      if (!cursor && !more && tracks.length > 0 && !destroyed && mediaSource.readyState === 'open')
        mediaSource.endOfStream();
      else releasePast(sb);
    } catch (err) {
      if (destroyed || (err instanceof DOMException && err.name === 'AbortError')) return;
      failed = true;
      deps.onError(toFailure(err));
    } finally {
      pumping = false;
    }
  };

  /** The playhead left the buffer (a seek): refill from the segment that holds it. */
  const refillAt = (sec: number) => {
    const track = trackAt(sec);
    if (!track) return;
    const segment = segmentAt(track.playlist, sec - track.startSec);
    if (cursor?.track === track && cursor.segment === segment && pumping) return;
    generation += 1;
    controller.abort();
    controller = new AbortController();
    cursor = { track, segment, place: true };
  };

  const trackAt = (sec: number): TimelineTrack | null => {
    for (let i = tracks.length - 1; i >= 0; i--)
      if ((tracks[i] as TimelineTrack).startSec <= sec + 1e-6) return tracks[i] as TimelineTrack;
    return tracks[0] ?? null;
  };

  return {
    tracks,
    append(track) {
      const startSec = lastEnd();
      const placed: TimelineTrack = {
        ...track,
        startSec,
        endSec: startSec + track.playlist.trackSamples / streamSampleRate,
      };
      tracks.push(placed);
      if (!cursor) cursor = { track: placed, segment: 0, place: true };
      void pump();
      return placed;
    },
    trackAt,
    expectMore(next) {
      more = next;
      if (!next) void pump();
    },
    tick() {
      const now = element.currentTime;
      if (!element.seeking || bufferedEnd(now) > now) {
        void pump();
        return;
      }
      refillAt(now);
      void pump();
    },
    retry() {
      failed = false;
      const now = element.currentTime;
      if (bufferedEnd(now) <= now) refillAt(now);
      void pump();
    },
    destroy() {
      destroyed = true;
      controller.abort();
      if (mediaSource.readyState === 'open') {
        try {
          mediaSource.endOfStream();
        } catch {
          // Already ending: nothing left to release.
        }
      }
    },
  };
}

function toFailure(err: unknown): FetchFailure {
  if (err instanceof Error && 'retryable' in err) return err as FetchFailure;
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(`Stream failed (${message})`), { retryable: false });
}
