// The player's audio engine: one <audio> element routed through the WebAudio graph
// (audio-graph.ts). HLS tracks play on a gapless MediaSource timeline (gapless-source.ts): the
// next track is appended behind the current one when it is preloaded, so it starts on the
// sample after the last one of the track before. Progressive files (previews, progressive
// streams) play from the element directly, through the same graph. The engine maps the timeline
// to the current track for the player: positions, durations, 'ended' at each track's end, and
// the audio clock the play meter reads (what the element rendered of this track only).
import type { AudioSettings } from '../../../shared/ipc/contract.js';
import { defaultAudioSettings } from '../../../shared/ipc/contract.js';
import { createElementClock, type ElementClockEvent } from '../audio-clock.js';
import type { AudioEngine, EngineEventMap, StreamSource } from '../audio-engine.js';
import { createLogger } from '../logger.js';
import { createAudioGraph, type AudioGraph } from './audio-graph.js';
import { createEngineEvents } from './engine-events.js';
import { createGaplessSource, type GaplessSource, type TimelineTrack } from './gapless-source.js';
import { parseMediaPlaylist, type MediaPlaylist } from './media-playlist.js';
import { fetchKey, fetchWithRetry, type FetchFailure } from './segment-fetch.js';
import { createTrackLoudness } from './track-loudness.js';

const log = createLogger('player-engine');

export type PlayerEngine = AudioEngine & {
  readonly graph: AudioGraph;
  setAudioSettings(settings: AudioSettings): void;
};

type Prepared = { url: string; playlist: MediaPlaylist; key: CryptoKey | null };
/** A track on the timeline, with what the engine knows of it. */
type Playing = { track: TimelineTrack; url: string; trackId?: string; releaseId?: string; gainKey: string };

const mseSupported = () => typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported('audio/aac');

/** A stream's playlist and key, fetched once (a preload and the load that follows share it). */
async function prepare(url: string, signal: AbortSignal): Promise<Prepared> {
  const text = new TextDecoder().decode(await fetchWithRetry(url, signal));
  const playlist = parseMediaPlaylist(text, url);
  const key = playlist.key ? await fetchKey(playlist.key.url, signal) : null;
  return { url, playlist, key };
}

function failureEvent(err: FetchFailure): EngineEventMap['error'] {
  return {
    code:
      err.status === 429
        ? 'rate_limited'
        : err.status === undefined && !err.retryable
          ? 'internal'
          : 'network',
    message: err.message,
    retryable: err.retryable,
  };
}

// One closure on purpose (over 80 lines): the methods share the element, the graph, the
// timeline, the current track and the clock; the element's events, the timeline and the graph
// are their own modules.
export function createPlayerEngine(options: { element?: HTMLAudioElement } = {}): PlayerEngine {
  const element = options.element ?? document.createElement('audio');
  element.preload = 'auto';
  element.dataset.testid = 'audio-engine';
  const graph = createAudioGraph(element);
  const loudness = createTrackLoudness(graph.context);
  let settings: AudioSettings = defaultAudioSettings;
  let source: StreamSource | null = null;
  let timeline: GaplessSource | null = null;
  let current: Playing | null = null;
  /** Tracks on the timeline after the current one, with what the engine knows of them. */
  const upcoming = new Map<TimelineTrack, Playing>();
  const prepared = new Map<string, Promise<Prepared>>();
  let loads = new AbortController();
  let pendingStart: number | null = null;
  let endedFor: Playing | null = null;

  const offset = () => current?.track.startSec ?? 0;
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

  const events = createEngineEvents(element, {
    position,
    duration,
    onClockEvent: (event: ElementClockEvent) => clock.note(event),
    onTime: () => {
      timeline?.tick();
      watchBoundary();
    },
    onSeeking: () => timeline?.tick(),
    onLoadedMetadata: () => {
      if (!timeline && pendingStart !== null && pendingStart > 0) element.currentTime = pendingStart;
      if (!timeline) pendingStart = null;
    },
    onEnded: () => endTrack(),
    ownsErrors: () => !timeline && source !== null,
  });

  const applyGain = (track: Playing, atTime?: number) => {
    const db = loudness.gainDb(track.gainKey, settings.normalisation);
    if (db !== null || settings.normalisation === 'off') graph.setTrackGain(db ?? 0, atTime);
  };

  /** The current track ran to its end: the player hears 'ended' once per track. */
  const endTrack = () => {
    if (endedFor === current && current) return;
    endedFor = current;
    events.emit('ended', undefined);
  };

  let boundaryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Near a track's end with the next one on the timeline: 'ended' exactly when it starts. */
  const watchBoundary = () => {
    if (!current || !timeline || boundaryTimer !== null) return;
    const next = timeline.tracks[timeline.tracks.indexOf(current.track) + 1];
    if (!next) return;
    const left = current.track.endSec - element.currentTime;
    if (left <= 0) {
      const following = upcoming.get(next);
      if (following) applyGain(following);
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

  const clearBoundary = () => {
    if (boundaryTimer !== null) clearTimeout(boundaryTimer);
    boundaryTimer = null;
  };

  const playSafely = () => {
    graph.resume();
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

  const prepareOnce = (url: string): Promise<Prepared> => {
    let p = prepared.get(url);
    if (!p) {
      p = prepare(url, loads.signal);
      prepared.set(url, p);
      p.catch(() => prepared.delete(url));
    }
    return p;
  };

  const playing = (track: TimelineTrack, from: StreamSource, previous: Playing | null): Playing => {
    // A release played straight through keeps one gain (album normalisation).
    const sameRelease = previous?.releaseId !== undefined && previous.releaseId === from.releaseId;
    const gainKey = sameRelease ? previous.gainKey : (from.trackId ?? from.url);
    return {
      track,
      url: from.url,
      gainKey,
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
          .measure(info.gainKey, adts)
          .then(() => {
            if (current?.gainKey === info.gainKey) applyGain(current);
          })
          .catch((err: unknown) => log.warn('loudness not measured', err));
      },
      onError(err) {
        log.warn('stream failed', { message: err.message, status: err.status });
        events.emit('error', failureEvent(err));
      },
    });

  const resetTimeline = () => {
    clearBoundary();
    timeline?.destroy();
    timeline = null;
    current = null;
    upcoming.clear();
    loads.abort();
    loads = new AbortController();
    prepared.clear();
  };

  /** Plays `next` on a new timeline, from `startAt`. */
  const loadFresh = async (next: StreamSource, startAt: number, token: number) => {
    let ready: Prepared;
    try {
      ready = await prepareOnce(next.url);
    } catch (err) {
      if (token !== loadToken || (err instanceof DOMException && err.name === 'AbortError')) return;
      events.emit('error', failureEvent(err as FetchFailure));
      return;
    }
    if (token !== loadToken || !timeline) return;
    current = playing(timeline.append(ready), next, null);
    applyGain(current);
    if (startAt > 0) element.currentTime = startAt;
    events.emitTime();
  };

  let loadToken = 0;
  const engine: PlayerEngine = {
    element,
    graph,
    load(next, opts = {}) {
      loadToken += 1;
      source = next;
      pendingStart = opts.startAt ?? null;
      endedFor = null;
      const following = [...upcoming.values()].find((p) => p.url === next.url);
      if (following && timeline) {
        // The next track is already on the timeline (preloaded): it plays on without a gap.
        clearBoundary();
        const adopted = following.track;
        upcoming.delete(adopted);
        current = following;
        const start = adopted.startSec + (opts.startAt ?? 0);
        if (
          element.currentTime < adopted.startSec ||
          element.currentTime >= adopted.endSec ||
          (opts.startAt ?? 0) > 0
        )
          element.currentTime = start;
        applyGain(current);
        clock.reset();
        events.emitTime();
        if (opts.autoplay ?? true) playSafely();
        return;
      }
      resetTimeline();
      clock.reset();
      if (next.kind === 'hls' && mseSupported()) {
        timeline = newTimeline();
        void loadFresh(next, opts.startAt ?? 0, loadToken);
      } else {
        element.removeAttribute('src');
        element.src = next.url;
        element.load();
        graph.setTrackGain(0);
      }
      if (opts.autoplay ?? true) playSafely();
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
    readClock: () => clock.read(),
    setVolume(volume) {
      volumeState.volume = Math.max(0, Math.min(1, volume));
      graph.setVolume(volumeState.volume, volumeState.muted);
    },
    setMuted(muted) {
      volumeState.muted = muted;
      graph.setVolume(volumeState.volume, volumeState.muted);
    },
    preload(next) {
      if (next.kind !== 'hls' || !mseSupported()) return;
      const at = current;
      void prepareOnce(next.url)
        .then((ready) => {
          // Only behind the track that was playing when it was asked for, and only once.
          if (!timeline || !at || current !== at || timeline.tracks[timeline.tracks.length - 1] !== at.track)
            return;
          const track = timeline.append(ready);
          upcoming.set(track, playing(track, next, at));
          watchBoundary();
        })
        .catch((err: unknown) => log.warn('preload failed', err));
    },
    retry() {
      if (timeline) {
        if (!current && source) {
          const next = source;
          resetTimeline();
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
      resetTimeline();
      source = null;
      element.pause();
      element.removeAttribute('src');
      element.load();
      clock.reset();
    },
    currentSource: () => source,
    on: events.on,
    destroy() {
      resetTimeline();
      events.clear();
      element.remove();
      void graph.context.close();
    },
    setAudioSettings(next) {
      settings = next;
      graph.setEqualiser(next.equaliser);
      if (current) applyGain(current);
    },
  };
  const volumeState = { volume: 1, muted: false };
  return engine;
}
