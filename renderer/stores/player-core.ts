// What the player's actions share: the store's set/get, its services, the play reporter and
// the prefetcher, and the few mutable facts that are not state to render (the radio source in
// charge, the position to start from after a restore, the load token). The functions below
// load a queue item's stream, end the current play, and choose the next item.
import type { StoreApi } from 'zustand/vanilla';
import type { PlayContext, StreamView } from '../../shared/ipc/contract.js';
import { isAppError } from '../../shared/errors.js';
import type { AudioEngine } from '../services/audio-engine.js';
import type { IpcClient } from '../services/ipc-client.js';
import { createLogger } from '../services/logger.js';
import { createPlayReporter, type PlayEnd, type PlayReporter } from './play-reporter.js';
import type { ExternalSource, PlayerDeps, PlayerState } from './player-state.js';
import { createPrefetcher, type Prefetcher } from './player-prefetch.js';
import type { PlayheadStore } from './playhead.js';
import { currentItem, nextIndex } from './queue-ops.js';
import type { UiStore } from './ui.js';

export const playerLog = createLogger('player');

export type PlayerCore = {
  readonly set: StoreApi<PlayerState>['setState'];
  readonly get: () => PlayerState;
  readonly ipc: IpcClient;
  readonly engine: AudioEngine;
  readonly playhead: PlayheadStore;
  readonly ui: UiStore;
  readonly isPlayable: (trackId: string) => boolean;
  readonly isCached: (trackId: string) => boolean;
  readonly random: () => number;
  readonly sleepAtTrackEnd: () => boolean;
  readonly reporter: PlayReporter;
  readonly prefetcher: Prefetcher;
  /** Set while a radio station decides what plays next instead of the queue. */
  external: ExternalSource | null;
  /** Where Play starts while no stream is loaded (after a restore, or a seek before Play). */
  restoredPosition: number;
  /** Bumped by every load: a stream that resolves after a newer load began is dropped. */
  loadToken: number;
  /** The volume Unmute brings back when the volume is at 0: the last one set at or above minAudibleVolume. */
  audibleVolume: number;
};

export const minAudibleVolume = 0.1;

export function createPlayerCore(
  deps: PlayerDeps,
  set: PlayerCore['set'],
  get: PlayerCore['get'],
): PlayerCore {
  const { ipc, engine } = deps;
  return {
    set,
    get,
    ipc,
    engine,
    playhead: deps.playhead,
    ui: deps.ui,
    isPlayable: deps.isPlayable ?? (() => true),
    isCached: deps.isCached ?? (() => false),
    random: deps.random ?? Math.random,
    sleepAtTrackEnd: deps.sleepAtTrackEnd ?? (() => false),
    reporter: createPlayReporter({ ipc, log: playerLog, readClock: () => engine.readClock() }),
    prefetcher: createPrefetcher({ ipc, engine, log: playerLog }),
    external: null,
    restoredPosition: 0,
    loadToken: 0,
    audibleVolume: 0.5,
  };
}

/**
 * Reports what was heard of the loaded stream (by its stream id), then forgets it. `ended`: the
 * media reached its end by itself; otherwise the play ends for `otherwise`. Resolves once main
 * has the report.
 */
export function finishCurrent(core: PlayerCore, end: Omit<PlayEnd, 'durationSec'>): Promise<void> {
  const duration = core.playhead.getState().duration;
  return core.reporter.finish({ ...end, ...(duration > 0 ? { durationSec: duration } : {}) });
}

/** The listener left the track for another (Next, Previous, another track, removing it from the queue). */
export const skipped = { ended: false, otherwise: 'userSkipped' } as const;
/** The player stopped it (the queue was cleared, a station stopped, the account changed). */
export const stopped = { ended: false, otherwise: 'other' } as const;
/** The media ran to its end (the meter decides whether that end was natural). */
export const ranToEnd = { ended: true, otherwise: 'other' } as const;

export function loadStream(core: PlayerCore, stream: StreamView, startAt: number, autoplay: boolean): void {
  const { engine, playhead } = core;
  const releaseId = (core.get().radioTrack ?? currentItem(core.get().queue)?.track)?.release?.id;
  engine.load(
    { url: stream.url, kind: stream.kind, trackId: stream.trackId, ...(releaseId ? { releaseId } : {}) },
    { startAt, autoplay },
  );
  core.reporter.start(stream, startAt);
  playhead.setState({ position: startAt, duration: stream.durationSec ?? playhead.getState().duration });
  core.set({ stream, loading: false });
}

export type StartOptions = {
  startAt?: number;
  autoplay?: boolean;
  /** How many unavailable tracks may be skipped to find one that plays. */
  skipsLeft?: number;
};

/** Makes queue item `index` current and plays it (its prefetched stream, or one resolved now). */
export async function startItem(core: PlayerCore, index: number, options: StartOptions = {}): Promise<void> {
  const { get, set, ui } = core;
  const { queue, context } = get();
  const item = queue.items[index];
  if (!item) return;
  const token = ++core.loadToken;
  core.external = null;
  // Until this stream loads, Play (and the bar) start this item where it was asked to start.
  core.restoredPosition = options.startAt ?? 0;
  core.prefetcher.cancel();
  set({ queue: { ...queue, index }, loading: true, stream: null, radioTrack: null });
  core.playhead.setState({
    position: options.startAt ?? 0,
    duration: item.track.durationSec ?? 0,
    buffering: false,
  });
  let stream: StreamView;
  try {
    const prefetched = core.prefetcher.streamFor(item.uid);
    if (prefetched) {
      stream = prefetched;
    } else {
      const releaseId = item.track.release?.id;
      stream = await core.ipc.call('playback:resolveStream', {
        trackId: item.track.id,
        ...(releaseId ? { releaseId } : {}),
        context: contextFor(core, item.track.id, context),
      });
    }
  } catch (err) {
    if (token !== core.loadToken) return;
    set({ loading: false, playing: false });
    if (isAppError(err) && err.code === 'concurrent_stream') {
      ui.getState().setTakeover({ message: 'Playback moved to another device', trackId: item.track.id });
      return;
    }
    // A track that cannot be streamed (no rights, no audio) is skipped while playing through.
    const skipsLeft = options.skipsLeft ?? 0;
    if (isAppError(err) && err.code === 'not_available' && skipsLeft > 0) {
      ui.getState().notify(`“${item.track.title}” is not available; skipped`);
      const target = findNext(core, false);
      if (target !== null && target !== index) {
        await startItem(core, target, { skipsLeft: skipsLeft - 1 });
        return;
      }
    }
    ui.getState().reportError(err, () => void startItem(core, index, options), 'playback');
    return;
  } finally {
    if (token === core.loadToken) core.prefetcher.forget();
  }
  if (token !== core.loadToken) return;
  loadStream(core, stream, options.startAt ?? 0, options.autoplay ?? true);
}

/** Offline, a purchase kept in the offline cache plays from there (the cache serves subscription plays). */
export function contextFor(core: PlayerCore, trackId: string, context: PlayContext): PlayContext {
  return context === 'locker' && !core.ui.getState().online && core.isCached(trackId)
    ? 'subscription'
    : context;
}

/** The next playable index in the queue, honouring repeat; null to stop. */
export function findNext(core: PlayerCore, auto: boolean): number | null {
  const { queue, repeat } = core.get();
  let candidate = nextIndex(queue, repeat, auto);
  for (let guard = 0; candidate !== null && guard < queue.items.length; guard += 1) {
    const item = queue.items[candidate];
    if (item && core.isPlayable(item.track.id)) return candidate;
    candidate = nextIndex({ ...queue, index: candidate }, repeat === 'one' ? 'all' : repeat, false);
  }
  return null;
}

/** The end of the queue: nothing loaded, the playhead back at 0. */
export function stopAtEnd(core: PlayerCore): void {
  core.engine.stop();
  core.set({ playing: false, stream: null });
  core.playhead.setState({ position: 0 });
  core.restoredPosition = 0;
}
