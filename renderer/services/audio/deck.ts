// One deck of the player: an <audio> element with its way into the graph. HLS tracks play on a
// gapless MediaSource timeline (gapless-source.ts) — a next track appended behind the current
// one starts on the sample after its last — and progressive files from the element directly.
// The deck maps the timeline to its current track: positions, durations, 'ended' at each
// track's end, and the audio clock the play meter reads (what it rendered of this track only).
// The engine has two decks, so one can fade out while the other fades in (crossfade).
import type { AudioSettings } from '../../../shared/ipc/contract.js';
import { createElementClock, type ElementClock } from '../audio-clock.js';
import type { EngineEventMap, StreamSource } from '../audio-engine.js';
import { createLogger } from '../logger.js';
import type { GraphInput } from './audio-graph.js';
import { createEngineEvents, type EngineEvents } from './engine-events.js';
import { createGaplessSource, type GaplessSource, type TimelineTrack } from './gapless-source.js';
import type { MediaPlaylist } from './media-playlist.js';
import type { FetchFailure } from './segment-fetch.js';
import type { TrackLoudness } from './track-loudness.js';

const log = createLogger('deck');

export type Prepared = { url: string; playlist: MediaPlaylist; key: CryptoKey | null };

/** A track on the timeline, with what the deck knows of it. */
export type Playing = {
  track: TimelineTrack;
  url: string;
  trackId?: string;
  releaseId?: string;
  /** The loudness it is normalised by: its own, or its release's when played straight through. */
  gainKey: string;
};

export type DeckDeps = {
  element: HTMLAudioElement;
  input: GraphInput;
  loudness: TrackLoudness;
  settings(): AudioSettings;
  /** A stream's playlist and key (preloaded ones are taken once, others fetched). */
  prepare(url: string): Promise<Prepared>;
  resumeOutput(): void;
};

export type Deck = {
  readonly element: HTMLAudioElement;
  readonly input: GraphInput;
  readonly events: EngineEvents;
  readonly clock: ElementClock;
  load(next: StreamSource, startAt: number, autoplay: boolean): void;
  /** Puts `next` behind the current track (gapless) when nothing is behind it yet. */
  append(next: StreamSource): void;
  /** Makes an appended track current (the player loads it): true when it was there. */
  adopt(next: StreamSource, startAt: number, autoplay: boolean): boolean;
  play(): void;
  pause(): void;
  seek(seconds: number): void;
  retry(): void;
  stop(): void;
  source(): StreamSource | null;
  current(): Playing | null;
  /** Seconds left of the current track. */
  remaining(): number;
  /** Applies the normalisation setting to what plays. */
  applyGain(): void;
};

function failureEvent(err: FetchFailure): EngineEventMap['error'] {
  const internal = err.status === undefined && !err.retryable;
  return {
    code: err.status === 429 ? 'rate_limited' : internal ? 'internal' : 'network',
    message: err.message,
    retryable: err.retryable,
  };
}

const mseSupported = () => typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported('audio/aac');

// One closure on purpose (over 80 lines): the methods share the element, the timeline, the
// current track and the clock; the element's events, the timeline and the graph are apart.
export function createDeck(deps: DeckDeps): Deck {
  const { element, input, loudness } = deps;
  let source: StreamSource | null = null;
  let timeline: GaplessSource | null = null;
  let current: Playing | null = null;
  const upcoming = new Map<TimelineTrack, Playing>();
  let pendingStart: number | null = null;
  let endedFor: Playing | null = null;
  let loadToken = 0;

  const offset = () => current?.track.startSec ?? 0;
  /** Where the current track starts on the element's timeline (for tests and diagnostics). */
  const markStart = () => {
    element.dataset.trackStart = String(offset());
  };
  // What the clock and the player see: the current track, not the timeline.
  const view = {
    get currentTime() {
      return Math.max(0, element.currentTime - offset());
    },
    get playbackRate() {
      return element.playbackRate;
    },
    get paused() {
      return element.paused;
    },
    get seeking() {
      return element.seeking;
    },
    get ended() {
      return element.ended;
    },
  };
  const clock = createElementClock(view);
  const duration = () =>
    current
      ? current.track.endSec - current.track.startSec
      : Number.isFinite(element.duration)
        ? element.duration
        : 0;
  const position = () => Math.min(view.currentTime, duration() || Infinity);

  const applyGain = (playing: Playing | null = current) => {
    if (!playing) return;
    const db = loudness.gainDb(playing.gainKey, deps.settings().normalisation);
    if (db !== null) input.setTrackGain(db);
  };

  /** What was measured of a track in an earlier run: its gain as soon as it is known. */
  const recall = (p: Playing) => {
    if (p.trackId && p.trackId === p.gainKey)
      loudness.recall(p.trackId, () => {
        if (current === p) applyGain();
      });
  };

  /** The current track ran to its end: 'ended' once per track. */
  const endTrack = () => {
    if (current && endedFor === current) return;
    endedFor = current;
    events.emit('ended', undefined);
  };

  let boundaryTimer: ReturnType<typeof setTimeout> | null = null;
  const clearBoundary = () => {
    if (boundaryTimer !== null) clearTimeout(boundaryTimer);
    boundaryTimer = null;
  };
  /** Near a track's end with the next one on the timeline: 'ended' when the next one starts. */
  const watchBoundary = () => {
    if (!current || !timeline || boundaryTimer !== null) return;
    const next = timeline.tracks[timeline.tracks.indexOf(current.track) + 1];
    if (!next) return;
    const left = current.track.endSec - element.currentTime;
    if (left <= 0) {
      applyGain(upcoming.get(next) ?? null);
      endTrack();
      return;
    }
    if (left > 1 || element.paused) return;
    boundaryTimer = setTimeout(
      () => {
        boundaryTimer = null;
        watchBoundary();
      },
      Math.max(1, (left * 1000) / (element.playbackRate || 1)),
    );
  };

  const events = createEngineEvents(element, {
    position,
    duration,
    onClockEvent: (event) => clock.note(event),
    onTime: () => {
      timeline?.tick();
      watchBoundary();
    },
    onSeeking: () => timeline?.tick(),
    onLoadedMetadata: () => {
      if (timeline) return;
      if (pendingStart !== null && pendingStart > 0) element.currentTime = pendingStart;
      pendingStart = null;
    },
    onEnded: () => endTrack(),
    ownsErrors: () => !timeline && source !== null,
  });

  const playSafely = () => {
    deps.resumeOutput();
    element.play().catch((err: unknown) => {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      const message = err instanceof Error ? err.message : String(err);
      log.warn('play() rejected', message);
      events.emit('playing', { playing: false });
      if (err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'NotSupportedError'))
        return;
      events.emit('error', { code: 'internal', message: `Playback could not start: ${message}` });
    });
  };

  const playing = (track: TimelineTrack, from: StreamSource, previous: Playing | null): Playing => {
    // A release played straight through keeps one gain (album normalisation): no step between its tracks.
    const sameRelease = previous?.releaseId !== undefined && previous.releaseId === from.releaseId;
    return {
      track,
      url: from.url,
      gainKey: sameRelease ? previous.gainKey : (from.trackId ?? from.url),
      ...(from.trackId ? { trackId: from.trackId } : {}),
      ...(from.releaseId ? { releaseId: from.releaseId } : {}),
    };
  };

  const newTimeline = (): GaplessSource =>
    createGaplessSource({
      element,
      onSegment(track, _segment, adts) {
        const info = current?.track === track ? current : upcoming.get(track);
        if (!info) return;
        loudness
          .measure(info.gainKey, adts, info.trackId === info.gainKey)
          .then(() => {
            if (current?.gainKey === info.gainKey) applyGain();
          })
          .catch((err: unknown) => log.warn('loudness not measured', err));
      },
      onError(err) {
        log.warn('stream failed', { message: err.message, status: err.status });
        events.emit('error', failureEvent(err));
      },
    });

  const reset = () => {
    clearBoundary();
    timeline?.destroy();
    timeline = null;
    current = null;
    upcoming.clear();
    markStart();
  };

  /** Plays `next` on a new timeline, from `startAt`. */
  const loadFresh = async (next: StreamSource, startAt: number, token: number) => {
    let ready: Prepared;
    try {
      ready = await deps.prepare(next.url);
    } catch (err) {
      if (token !== loadToken || (err instanceof DOMException && err.name === 'AbortError')) return;
      events.emit('error', failureEvent(err as FetchFailure));
      return;
    }
    if (token !== loadToken || !timeline) return;
    current = playing(timeline.append(ready), next, null);
    markStart();
    recall(current);
    // Until its loudness is measured (the first segment), a track plays at 0 dB.
    if (loudness.gainDb(current.gainKey, deps.settings().normalisation) === null) input.setTrackGain(0);
    applyGain();
    if (startAt > 0) element.currentTime = startAt;
    events.emitTime();
  };

  return {
    element,
    input,
    events,
    clock,
    load(next, startAt, autoplay) {
      loadToken += 1;
      source = next;
      pendingStart = startAt;
      endedFor = null;
      reset();
      clock.reset();
      if (next.kind === 'hls' && mseSupported()) {
        timeline = newTimeline();
        void loadFresh(next, startAt, loadToken);
      } else {
        element.removeAttribute('src');
        element.src = next.url;
        element.load();
        input.setTrackGain(0);
      }
      if (autoplay) playSafely();
    },
    append(next) {
      if (next.kind !== 'hls' || !mseSupported() || !timeline) return;
      const at = current;
      const line = timeline;
      line.expectMore(true);
      void deps
        .prepare(next.url)
        .finally(() => line.expectMore(false))
        .then((ready) => {
          // Only behind the track that was playing when it was asked for, and only once.
          if (!timeline || !at || current !== at || timeline.tracks[timeline.tracks.length - 1] !== at.track)
            return;
          const track = timeline.append(ready);
          const following = playing(track, next, at);
          upcoming.set(track, following);
          recall(following);
          watchBoundary();
        })
        .catch((err: unknown) => log.warn('preload failed', err));
    },
    adopt(next, startAt, autoplay) {
      const following = [...upcoming.values()].find((p) => p.url === next.url);
      if (!following || !timeline) return false;
      loadToken += 1;
      source = next;
      endedFor = null;
      clearBoundary();
      const { track } = following;
      upcoming.delete(track);
      current = following;
      markStart();
      const inside = element.currentTime >= track.startSec && element.currentTime < track.endSec;
      if (!inside || startAt > 0) element.currentTime = track.startSec + startAt;
      applyGain();
      clock.reset();
      events.emitTime();
      if (autoplay) playSafely();
      return true;
    },
    play() {
      if (source) playSafely();
    },
    pause() {
      element.pause();
    },
    seek(seconds) {
      if (!source) return;
      const length = duration() || Infinity;
      clock.note('seek');
      element.currentTime = offset() + Math.max(0, Math.min(seconds, length - 0.05));
    },
    retry() {
      if (timeline) {
        if (!current && source) {
          const next = source;
          reset();
          timeline = newTimeline();
          void loadFresh(next, pendingStart ?? 0, loadToken);
          return;
        }
        timeline.retry();
      } else if (source && element.error) {
        pendingStart = element.currentTime;
        element.load();
        playSafely();
      }
    },
    stop() {
      loadToken += 1;
      reset();
      source = null;
      element.pause();
      element.removeAttribute('src');
      element.load();
      clock.reset();
    },
    source: () => source,
    current: () => current,
    remaining: () => (source ? Math.max(0, duration() - view.currentTime) : Infinity),
    applyGain: () => applyGain(),
  };
}
