// The player: queue, current item, shuffle/repeat, volume/mute and the play reports.
// The playhead (position/duration) is in the separate playhead store.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  PlayContext,
  RepeatMode,
  SavedQueue,
  StreamView,
  TrackView,
} from '../../shared/ipc/contract.js';
import { isAppError } from '../../shared/errors.js';
import type { AudioEngine } from '../services/audio-engine.js';
import type { IpcClient } from '../services/ipc-client.js';
import { createLogger } from '../services/logger.js';
import {
  computePlayReport,
  meterSeek,
  meterTick,
  startMeter,
  type EndReason,
  type PlayMeter,
} from './play-meter.js';
import type { PlayheadStore } from './playhead.js';
import {
  appendItems,
  currentItem,
  cycleRepeat,
  emptyQueue,
  insertNext,
  makeItems,
  moveItem,
  nextIndex,
  previousIndex,
  removeItem,
  replaceQueue,
  setShuffle,
  type Queue,
  type QueueItem,
} from './queue-ops.js';
import { createStoreContext } from './store-context.js';
import type { UiStore } from './ui.js';

const log = createLogger('player');

/** Seconds before the end of a track when the next one is prefetched. */
export const prefetchLeadSeconds = 12;

/** While a radio station plays, it decides what comes next instead of the queue. */
export type ExternalSource = {
  /** The current track ended by itself. */
  onEnded(track: TrackView, durationPlayed: number): void;
  /** The listener pressed Next. */
  onNext(track: TrackView, durationPlayed: number): void;
  onPlayPause(track: TrackView, playing: boolean): void;
};

export type PlayerState = {
  queue: Queue;
  context: PlayContext;
  repeat: RepeatMode;
  volume: number;
  muted: boolean;
  playing: boolean;
  loading: boolean;
  /** The stream of the loaded track (null before the first play, or after restore until Play). */
  stream: StreamView | null;
  /** Track playing from a radio station (not in the queue). */
  radioTrack: TrackView | null;
  /** The stream failed for lack of network; it resumes when connectivity returns. */
  stalled: boolean;
  playTracks(tracks: TrackView[], start?: number, context?: PlayContext): Promise<void>;
  playNext(tracks: TrackView[]): void;
  addToQueue(tracks: TrackView[]): void;
  playAt(index: number): Promise<void>;
  togglePlay(): void;
  play(): void;
  pause(): void;
  next(): Promise<void>;
  previous(): Promise<void>;
  seek(seconds: number): void;
  seekBy(delta: number): void;
  setVolume(volume: number): void;
  toggleMute(): void;
  toggleShuffle(): void;
  cycleRepeat(): void;
  removeFromQueue(uid: string): void;
  moveInQueue(from: number, to: number): void;
  clearQueue(): void;
  restore(): Promise<void>;
  /** Plays a stream chosen by an external source (radio). */
  playExternal(track: TrackView, stream: StreamView, source: ExternalSource): void;
  endExternal(): void;
  reclaimStream(): Promise<void>;
  // Engine callbacks (wired by bindings).
  onTime(position: number, duration: number): void;
  onSeeked(position: number): void;
  onPlaying(playing: boolean): void;
  onEnded(): void;
  onError(err: { code: string; message: string; retryable?: boolean }): void;
};
export type PlayerStore = StoreApi<PlayerState>;

export type PlayerDeps = {
  ipc: IpcClient;
  engine: AudioEngine;
  playhead: PlayheadStore;
  ui: UiStore;
  /** False for tracks that cannot play now (offline and not cached). */
  isPlayable?: (trackId: string) => boolean;
  /** True for tracks kept in the offline cache. */
  isCached?: (trackId: string) => boolean;
  random?: () => number;
};

/** The queue as saved by queue:save. `tracks` is the original order; shuffleOrder maps play order to it. */
export function toSavedQueue(
  state: Pick<PlayerState, 'queue' | 'repeat' | 'context'>,
  positionSec: number,
): SavedQueue {
  const { queue } = state;
  const base: SavedQueue = {
    tracks: queue.items.map((i) => i.track),
    index: queue.index,
    positionSec: Math.max(0, Math.floor(positionSec)),
    shuffle: queue.unshuffled !== null,
    repeat: state.repeat,
    context: state.context,
  };
  if (!queue.unshuffled) return base;
  const byUid = new Map(queue.items.map((i) => [i.uid, i]));
  const original = queue.unshuffled.map((u) => byUid.get(u)).filter((i): i is QueueItem => i !== undefined);
  const originalIndex = new Map(original.map((i, n) => [i.uid, n]));
  return {
    ...base,
    tracks: original.map((i) => i.track),
    shuffleOrder: queue.items.map((i) => originalIndex.get(i.uid) ?? 0),
  };
}

export function fromSavedQueue(saved: SavedQueue): Queue {
  const original = makeItems(saved.tracks);
  if (original.length === 0) return emptyQueue;
  const index = Math.min(Math.max(saved.index, 0), original.length - 1);
  if (saved.shuffle && saved.shuffleOrder && saved.shuffleOrder.length === original.length) {
    const items = saved.shuffleOrder.map((n) => original[n]).filter((i): i is QueueItem => i !== undefined);
    if (items.length === original.length) return { items, index, unshuffled: original.map((i) => i.uid) };
  }
  return { items: original, index, unshuffled: null };
}

export function createPlayerStore(deps: PlayerDeps): PlayerStore {
  const { ipc, engine, playhead, ui } = deps;
  const isPlayable = deps.isPlayable ?? (() => true);
  const isCached = deps.isCached ?? (() => false);
  const random = deps.random ?? Math.random;
  let meter: PlayMeter | null = null;
  let loadToken = 0;
  let external: ExternalSource | null = null;
  let prefetched: { uid: string; stream: StreamView } | null = null;
  let prefetching: string | null = null;
  let restoredPosition = 0;

  return createStore<PlayerState>()((set, get) => {
    /** Reports what was heard of the loaded track, then forgets it. */
    const finishCurrent = (endReason: EndReason): number => {
      const { stream } = get();
      const m = meter;
      meter = null;
      if (!m || !stream) return 0;
      const report = computePlayReport(m, endReason, {
        preview: stream.logKind === 'preview',
        ...(stream.durationSec !== undefined ? { trackDuration: stream.durationSec } : {}),
      });
      if (!report) return 0;
      const item = currentItem(get().queue);
      const releaseId = get().radioTrack?.release?.id ?? item?.track.release?.id;
      ipc
        .call('playback:reportPlay', {
          trackId: report.trackId,
          ...(releaseId ? { releaseId } : {}),
          durationPlayed: report.durationPlayed,
          endReason: report.endReason,
          context: stream.context,
          playMode: stream.playMode,
          logKind: stream.logKind,
          ...(stream.formatId !== undefined ? { formatId: stream.formatId } : {}),
        })
        .catch((err: unknown) => log.error('reportPlay failed', err));
      return report.durationPlayed;
    };

    const loadStream = (stream: StreamView, startAt: number, autoplay: boolean) => {
      engine.load({ url: stream.url, kind: stream.kind }, { startAt, autoplay });
      meter = startMeter(stream.trackId, startAt);
      playhead.setState({ position: startAt, duration: stream.durationSec ?? playhead.getState().duration });
      set({ stream, loading: false });
    };

    const startItem = async (
      index: number,
      options: { startAt?: number; autoplay?: boolean; skipsLeft?: number } = {},
    ): Promise<void> => {
      const { queue, context } = get();
      const item = queue.items[index];
      if (!item) return;
      const token = ++loadToken;
      external = null;
      prefetching = null;
      set({ queue: { ...queue, index }, loading: true, stream: null, radioTrack: null });
      playhead.setState({
        position: options.startAt ?? 0,
        duration: item.track.durationSec ?? 0,
        buffering: false,
      });
      let stream: StreamView;
      try {
        if (prefetched && prefetched.uid === item.uid) {
          stream = prefetched.stream;
        } else {
          const releaseId = item.track.release?.id;
          stream = await ipc.call('playback:resolveStream', {
            trackId: item.track.id,
            ...(releaseId ? { releaseId } : {}),
            context: contextFor(item.track.id, context),
          });
        }
      } catch (err) {
        if (token !== loadToken) return;
        set({ loading: false, playing: false });
        if (isAppError(err) && err.code === 'concurrent_stream') {
          ui.getState().setTakeover({ message: 'Playback moved to another device', trackId: item.track.id });
          return;
        }
        // A track that cannot be streamed (no rights, no audio) is skipped while playing through.
        const skipsLeft = options.skipsLeft ?? 0;
        if (isAppError(err) && err.code === 'not_available' && skipsLeft > 0) {
          ui.getState().notify(`“${item.track.title}” is not available; skipped`);
          const target = findNext(false);
          if (target !== null && target !== index) {
            await startItem(target, { skipsLeft: skipsLeft - 1 });
            return;
          }
        }
        ui.getState().reportError(err, () => void startItem(index, options));
        return;
      } finally {
        if (token === loadToken) prefetched = null;
      }
      if (token !== loadToken) return;
      loadStream(stream, options.startAt ?? 0, options.autoplay ?? true);
    };

    // Offline, a purchase kept in the offline cache plays from there (the cache serves subscription plays).
    const contextFor = (trackId: string, context: PlayContext): PlayContext =>
      context === 'locker' && !ui.getState().online && isCached(trackId) ? 'subscription' : context;

    /** Next playable index from `from` in the queue, honouring repeat; null to stop. */
    const findNext = (auto: boolean): number | null => {
      const { queue, repeat } = get();
      let candidate = nextIndex(queue, repeat, auto);
      for (let guard = 0; candidate !== null && guard < queue.items.length; guard += 1) {
        const item = queue.items[candidate];
        if (item && isPlayable(item.track.id)) return candidate;
        candidate = nextIndex({ ...queue, index: candidate }, repeat === 'one' ? 'all' : repeat, false);
      }
      return null;
    };

    const stopAtEnd = () => {
      engine.stop();
      set({ playing: false, stream: null });
      playhead.setState({ position: 0 });
      restoredPosition = 0;
    };

    return {
      queue: emptyQueue,
      context: 'subscription',
      repeat: 'off',
      volume: 0.8,
      muted: false,
      playing: false,
      loading: false,
      stream: null,
      radioTrack: null,
      stalled: false,

      async playTracks(tracks, start = 0, context = 'subscription') {
        if (tracks.length === 0) return;
        finishCurrent('userSkipped');
        if (external) get().endExternal();
        const shuffle = get().queue.unshuffled !== null;
        let queue = replaceQueue(makeItems(tracks), start);
        if (shuffle) queue = setShuffle(queue, true, random);
        set({ queue, context });
        await startItem(queue.index, { skipsLeft: 5 });
      },
      playNext(tracks) {
        set({ queue: insertNext(get().queue, makeItems(tracks)) });
        prefetched = null;
        ui.getState().notify(
          tracks.length === 1
            ? `“${tracks[0]?.title}” will play next`
            : `${tracks.length} tracks will play next`,
        );
      },
      addToQueue(tracks) {
        set({ queue: appendItems(get().queue, makeItems(tracks)) });
        ui.getState().notify(
          tracks.length === 1
            ? `Added “${tracks[0]?.title}” to the queue`
            : `Added ${tracks.length} tracks to the queue`,
        );
      },
      async playAt(index) {
        finishCurrent('userSkipped');
        if (external) get().endExternal();
        await startItem(index);
      },
      togglePlay() {
        if (get().playing) get().pause();
        else get().play();
      },
      play() {
        const { stream, queue, loading, radioTrack } = get();
        if (loading) return;
        if (stream) {
          engine.play();
          if (external && radioTrack) external.onPlayPause(radioTrack, true);
          return;
        }
        if (queue.index >= 0) void startItem(queue.index, { startAt: restoredPosition });
      },
      pause() {
        engine.pause();
        const { radioTrack } = get();
        if (external && radioTrack) external.onPlayPause(radioTrack, false);
      },
      async next() {
        const { radioTrack } = get();
        if (external && radioTrack) {
          const played = finishCurrent('userSkipped');
          external.onNext(radioTrack, played);
          return;
        }
        const target = findNext(false);
        finishCurrent('userSkipped');
        if (target === null) {
          stopAtEnd();
          return;
        }
        await startItem(target);
      },
      async previous() {
        const { queue, repeat, stream } = get();
        const target = previousIndex(queue, repeat, playhead.getState().position);
        if (target === 'restart' || external) {
          if (stream) get().seek(0);
          return;
        }
        finishCurrent('userSkipped');
        await startItem(target);
      },
      seek(seconds) {
        if (!get().stream) {
          restoredPosition = Math.max(0, seconds);
          playhead.setState({ position: restoredPosition });
          return;
        }
        engine.seek(seconds);
        if (meter) meter = meterSeek(meter, seconds);
        playhead.setState({ position: seconds });
      },
      seekBy(delta) {
        const { position, duration } = playhead.getState();
        const target = Math.max(0, duration > 0 ? Math.min(position + delta, duration) : position + delta);
        get().seek(target);
      },
      setVolume(volume) {
        set({ volume: Math.max(0, Math.min(1, volume)), muted: volume > 0 ? false : get().muted });
      },
      toggleMute() {
        set({ muted: !get().muted });
      },
      toggleShuffle() {
        const { queue } = get();
        set({ queue: setShuffle(queue, queue.unshuffled === null, random) });
        prefetched = null;
      },
      cycleRepeat() {
        set({ repeat: cycleRepeat(get().repeat) });
        prefetched = null;
      },
      removeFromQueue(uid) {
        const { queue } = get();
        const wasCurrent = currentItem(queue)?.uid === uid;
        const nextQueue = removeItem(queue, uid);
        prefetched = null;
        if (wasCurrent && !external) {
          finishCurrent('userSkipped');
          set({ queue: nextQueue });
          if (nextQueue.index >= 0 && get().playing) void startItem(nextQueue.index);
          else stopAtEnd();
          return;
        }
        set({ queue: nextQueue });
      },
      moveInQueue(from, to) {
        set({ queue: moveItem(get().queue, from, to) });
        prefetched = null;
      },
      clearQueue() {
        if (!external) {
          finishCurrent('userSkipped');
          engine.stop();
          set({ stream: null, playing: false });
        }
        set({ queue: emptyQueue });
        prefetched = null;
      },
      async restore() {
        let saved: SavedQueue | null;
        try {
          saved = await ipc.call('queue:getSaved', {});
        } catch (err) {
          log.warn('could not restore the queue', err);
          return;
        }
        if (!saved || get().queue.items.length > 0) return;
        const queue = fromSavedQueue(saved);
        restoredPosition = saved.positionSec;
        set({ queue, repeat: saved.repeat, context: saved.context ?? 'subscription' });
        const item = currentItem(queue);
        playhead.setState({ position: saved.positionSec, duration: item?.track.durationSec ?? 0 });
      },
      playExternal(track, stream, source) {
        finishCurrent('userSkipped');
        loadToken += 1;
        external = source;
        prefetched = null;
        set({ radioTrack: track });
        loadStream(stream, 0, true);
      },
      endExternal() {
        if (!external) return;
        finishCurrent('other');
        external = null;
        engine.stop();
        set({ radioTrack: null, stream: null, playing: false });
      },
      async reclaimStream() {
        const takeover = ui.getState().takeover;
        const trackId = get().stream?.trackId ?? takeover?.trackId ?? currentItem(get().queue)?.track.id;
        if (!trackId) {
          ui.getState().setTakeover(null);
          return;
        }
        try {
          const stream = await ipc.call('playback:reclaimStream', { trackId });
          ui.getState().setTakeover(null);
          loadStream(stream, playhead.getState().position, true);
        } catch (err) {
          ui.getState().reportError(err, () => void get().reclaimStream());
        }
      },

      onTime(position, duration) {
        if (meter) meter = meterTick(meter, position);
        playhead.setState({ position, duration: duration || playhead.getState().duration });
        if (!external && duration > 0 && duration - position < prefetchLeadSeconds) {
          const target = findNext(true);
          const { queue, context } = get();
          const item = target !== null ? queue.items[target] : undefined;
          if (!item || target === queue.index || prefetching === item.uid || prefetched?.uid === item.uid)
            return;
          prefetching = item.uid;
          const releaseId = item.track.release?.id;
          ipc
            .call('playback:prefetch', {
              trackId: item.track.id,
              ...(releaseId ? { releaseId } : {}),
              context: contextFor(item.track.id, context),
            })
            .then((stream) => {
              if (prefetching !== item.uid) return;
              prefetched = { uid: item.uid, stream };
              engine.preload({ url: stream.url, kind: stream.kind });
            })
            .catch((err: unknown) => log.warn('prefetch failed', err));
        }
      },
      onSeeked(position) {
        if (meter) meter = meterSeek(meter, position);
      },
      onPlaying(playing) {
        set(playing ? { playing, stalled: false } : { playing });
      },
      onEnded() {
        const { radioTrack } = get();
        if (external && radioTrack) {
          const played = finishCurrent('naturalEnd');
          external.onEnded(radioTrack, played);
          return;
        }
        finishCurrent('naturalEnd');
        const target = findNext(true);
        if (target === null) {
          stopAtEnd();
          return;
        }
        void startItem(target, { skipsLeft: 5 });
      },
      onError(err) {
        set({ playing: false, loading: false });
        if (ui.getState().takeover) return;
        // A transient network failure (or any while offline) is not the listener's to fix: the
        // stream stalls and bindings keep retrying it until it plays again.
        if (
          (err.code === 'network' || err.code === 'rate_limited') &&
          (err.retryable || !ui.getState().online)
        ) {
          if (!get().stalled) {
            set({ stalled: true });
            ui.getState().notify(
              ui.getState().online
                ? 'Connection trouble — playback will resume by itself'
                : 'Offline — playback will resume when the connection returns',
            );
          }
          return;
        }
        ui.getState().reportError(err, () => engine.retry());
      },
    };
  });
}

const player = createStoreContext<PlayerState>('player');
export const PlayerStoreContext = player.context;
export const usePlayerActions = player.useActions;

/** The track playing or paused: the radio track, else the queue's current item. */
const trackOf = (s: PlayerState): TrackView | null => s.radioTrack ?? currentItem(s.queue)?.track ?? null;
export const usePlayerTrack = (): TrackView | null => player.useSelector(trackOf);
export const useCurrentTrackId = (): string | undefined => player.useSelector((s) => trackOf(s)?.id);
export const useIsCurrentTrack = (trackId: string): boolean =>
  player.useSelector((s) => trackOf(s)?.id === trackId);
/** True when a track is loaded or queued (the transport and seek bar are enabled). */
export const useHasTrack = (): boolean => player.useSelector((s) => trackOf(s) !== null);
export const useIsPlaying = (): boolean => player.useSelector((s) => s.playing);
export const useIsLoading = (): boolean => player.useSelector((s) => s.loading);
export const useIsPreview = (): boolean => player.useSelector((s) => s.stream?.logKind === 'preview');
export const usePlayMode = (): StreamView['playMode'] | undefined =>
  player.useSelector((s) => s.stream?.playMode);
export const useShuffle = (): boolean => player.useSelector((s) => s.queue.unshuffled !== null);
export const useRepeat = (): RepeatMode => player.useSelector((s) => s.repeat);
export const useVolume = (): number => player.useSelector((s) => s.volume);
export const useMuted = (): boolean => player.useSelector((s) => s.muted);
export const useQueue = (): Queue => player.useSelector((s) => s.queue);
export const useQueueLength = (): number => player.useSelector((s) => s.queue.items.length);
