// The player's actions, in groups: playing from the queue, editing it, the transport, radio
// (an external source), and the engine's callbacks. Each group takes the PlayerCore its
// actions share (player-core.ts); player.ts puts the groups together into one store.
import type { SavedQueue } from '../../shared/ipc/contract.js';
import {
  minAudibleVolume,
  contextFor,
  findNext,
  finishCurrent,
  loadStream,
  playerLog,
  ranToEnd,
  skipped,
  startItem,
  stopAtEnd,
  stopped,
  type PlayerCore,
} from './player-core.js';
import { prefetchLeadSeconds } from './player-prefetch.js';
import type { PlayerState } from './player-state.js';
import {
  appendItems,
  currentItem,
  cycleRepeat,
  emptyQueue,
  insertNext,
  makeItems,
  moveItem,
  previousIndex,
  removeItem,
  replaceQueue,
  setShuffle,
  insertAt,
  type Queue,
} from './queue-ops.js';
import { fromSavedQueue } from './saved-queue.js';

/** A radio station plays on as licensed: no seek, no replay, no jump ahead (keyboard, media keys, queue). */
function refusedOnRadio(core: PlayerCore): boolean {
  if (!core.external) return false;
  core.ui.getState().notify('A radio station plays on: it cannot be rewound, replayed or jumped ahead');
  return true;
}

/** Playing something else leaves the station: its play ends as 'other', then the station stops. */
function leaveStation(core: PlayerCore): void {
  const source = core.external;
  core.get().endExternal();
  source?.onLeft();
}

/** Tracks into the queue and through it: play these, play that one, next, previous. */
export function queuePlayActions(
  core: PlayerCore,
): Pick<PlayerState, 'playTracks' | 'playAt' | 'next' | 'previous'> {
  const { get, set } = core;
  return {
    async playTracks(tracks, start = 0, context = 'subscription') {
      if (tracks.length === 0) return;
      if (core.external) leaveStation(core);
      else void finishCurrent(core, skipped);
      const shuffle = get().queue.unshuffled !== null;
      let queue = replaceQueue(makeItems(tracks), start);
      if (shuffle) queue = setShuffle(queue, true, core.random);
      set({ queue, context });
      await startItem(core, queue.index, { skipsLeft: 5 });
    },
    async playAt(index) {
      if (refusedOnRadio(core)) return;
      void finishCurrent(core, skipped);
      await startItem(core, index);
    },
    async next() {
      if (heldByAnotherDevice(core)) return;
      const { radioTrack } = get();
      if (core.external && radioTrack) {
        core.external.onNext(radioTrack);
        return;
      }
      const target = findNext(core, false);
      void finishCurrent(core, skipped);
      if (target === null) {
        stopAtEnd(core);
        return;
      }
      await startItem(core, target);
    },
    async previous() {
      if (heldByAnotherDevice(core)) return;
      const { queue, repeat, stream } = get();
      if (refusedOnRadio(core)) return;
      const target = previousIndex(queue, repeat, core.playhead.getState().position);
      if (target === 'restart') {
        if (stream) get().seek(0);
        return;
      }
      void finishCurrent(core, skipped);
      await startItem(core, target);
    },
  };
}

/**
 * Another device took the stream: Next and Previous must not change the title here while the
 * audio stays stopped (issue 13). The takeover notice is shown again instead; "Play here" (or
 * playing something on purpose) takes the stream back.
 */
function heldByAnotherDevice(core: PlayerCore): boolean {
  const takeover = core.ui.getState().takeover;
  if (!takeover) return false;
  core.ui.getState().setTakeover({ ...takeover });
  return true;
}

/** Changing the queue without leaving the current track (unless it is removed). */
export function queueEditActions(
  core: PlayerCore,
): Pick<
  PlayerState,
  | 'playNext'
  | 'addToQueue'
  | 'toggleShuffle'
  | 'cycleRepeat'
  | 'removeFromQueue'
  | 'moveInQueue'
  | 'clearQueue'
> {
  const { get, set, ui, prefetcher } = core;
  return {
    playNext(tracks) {
      set({ queue: insertNext(get().queue, makeItems(tracks)) });
      prefetcher.forget();
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
    toggleShuffle() {
      const { queue } = get();
      set({ queue: setShuffle(queue, queue.unshuffled === null, core.random) });
      prefetcher.forget();
    },
    cycleRepeat() {
      set({ repeat: cycleRepeat(get().repeat) });
      prefetcher.forget();
    },
    removeFromQueue(uid) {
      const { queue } = get();
      offerQueueUndo(core, queue, uid);
      const wasCurrent = currentItem(queue)?.uid === uid;
      const nextQueue = removeItem(queue, uid);
      prefetcher.forget();
      if (wasCurrent && !core.external) {
        void finishCurrent(core, skipped);
        set({ queue: nextQueue });
        if (nextQueue.index >= 0 && get().playing) void startItem(core, nextQueue.index);
        else stopAtEnd(core);
        return;
      }
      set({ queue: nextQueue });
    },
    moveInQueue(from, to) {
      set({ queue: moveItem(get().queue, from, to) });
      prefetcher.forget();
    },
    clearQueue() {
      if (!core.external) {
        void finishCurrent(core, stopped);
        core.engine.stop();
        set({ stream: null, playing: false });
      }
      set({ queue: emptyQueue });
      prefetcher.forget();
    },
  };
}

/** The queue saved by the core (queue:save) comes back after sign-in or a restart. */
export function restoreAction(core: PlayerCore): Pick<PlayerState, 'restore'> {
  const { get, set } = core;
  return {
    async restore() {
      let saved: SavedQueue | null;
      try {
        saved = await core.ipc.call('queue:getSaved', {});
      } catch (err) {
        playerLog.warn('could not restore the queue', err);
        return;
      }
      if (!saved || get().queue.items.length > 0) return;
      const queue = fromSavedQueue(saved);
      core.restoredPosition = saved.positionSec;
      set({ queue, repeat: saved.repeat, context: saved.context ?? 'subscription' });
      const item = currentItem(queue);
      core.playhead.setState({ position: saved.positionSec, duration: item?.track.durationSec ?? 0 });
    },
  };
}

/** Play/pause, seek, volume, and taking the stream back from another device. */
export function transportActions(
  core: PlayerCore,
): Pick<
  PlayerState,
  'togglePlay' | 'play' | 'pause' | 'seek' | 'seekBy' | 'setVolume' | 'toggleMute' | 'reclaimStream'
> {
  const { get, set, engine, playhead, ui } = core;
  return {
    togglePlay() {
      if (get().playing) get().pause();
      else get().play();
    },
    play() {
      const { stream, queue, loading } = get();
      if (loading) return;
      if (stream) {
        engine.play();
        return;
      }
      if (queue.index >= 0) void startItem(core, queue.index, { startAt: core.restoredPosition });
    },
    pause() {
      engine.pause();
    },
    seek(seconds) {
      if (refusedOnRadio(core)) return;
      if (!get().stream) {
        core.restoredPosition = Math.max(0, seconds);
        playhead.setState({ position: core.restoredPosition });
        return;
      }
      // The meter counts what played up to here, and records the seek, before the playhead moves.
      core.reporter.seek(seconds);
      engine.seek(seconds);
      playhead.setState({ position: seconds });
    },
    seekBy(delta) {
      const { position, duration } = playhead.getState();
      const target = Math.max(0, duration > 0 ? Math.min(position + delta, duration) : position + delta);
      get().seek(target);
    },
    setVolume(volume) {
      const next = Math.max(0, Math.min(1, volume));
      if (next >= minAudibleVolume) core.audibleVolume = next;
      set({ volume: next, muted: next > 0 ? false : get().muted });
    },
    toggleMute() {
      const { muted, volume } = get();
      // Unmuting with the volume at 0 would stay silent: it brings back the last audible volume.
      if (muted || volume === 0) set({ muted: false, volume: volume > 0 ? volume : core.audibleVolume });
      else set({ muted: true });
    },
    async reclaimStream() {
      const takeover = ui.getState().takeover;
      const trackId = get().stream?.trackId ?? takeover?.trackId ?? currentItem(get().queue)?.track.id;
      if (!trackId) {
        ui.getState().setTakeover(null);
        return;
      }
      try {
        const stream = await core.ipc.call('playback:reclaimStream', { trackId });
        ui.getState().setTakeover(null);
        loadStream(core, stream, playhead.getState().position, true);
      } catch (err) {
        ui.getState().reportError(err, () => void get().reclaimStream(), 'playback');
      }
    },
  };
}

/** A radio station playing through the player instead of the queue. */
export function externalActions(
  core: PlayerCore,
): Pick<PlayerState, 'playExternal' | 'endExternal' | 'currentPlay' | 'forgetAccount'> {
  const { get, set } = core;
  return {
    playExternal(track, stream, source, options = {}) {
      // A queue track cut off by the station resumes where it was when the station stops.
      if (!core.external && get().stream) core.restoredPosition = core.playhead.getState().position;
      if (options.reported) core.reporter.discard();
      else void finishCurrent(core, skipped);
      core.loadToken += 1;
      core.external = source;
      core.prefetcher.forget();
      set({ radioTrack: track });
      loadStream(core, stream, 0, true);
    },
    endExternal() {
      if (!core.external) return;
      void finishCurrent(core, stopped);
      core.external = null;
      core.engine.stop();
      set({ radioTrack: null, stream: null, playing: false });
      // The bar goes back to the queue's track, with its own times (not the station track's):
      // Play resumes it from where the queue left it.
      const item = currentItem(core.get().queue);
      core.playhead.setState({
        position: item ? core.restoredPosition : 0,
        duration: item?.track.durationSec ?? 0,
        buffering: false,
      });
    },
    currentPlay: () => core.reporter.current(),
    async forgetAccount() {
      core.loadToken += 1;
      const reported = finishCurrent(core, stopped);
      core.external = null;
      core.engine.stop();
      core.prefetcher.forget();
      core.restoredPosition = 0;
      set({
        queue: emptyQueue,
        stream: null,
        radioTrack: null,
        playing: false,
        loading: false,
        stalled: false,
      });
      core.playhead.setState({ position: 0, duration: 0, buffering: false });
      await reported;
    },
  };
}

/** The engine's events (wired by bindings): time, seeks, playing, the end, errors. */
export function engineCallbacks(
  core: PlayerCore,
): Pick<PlayerState, 'onTime' | 'onSeeked' | 'onPlaying' | 'onEnded' | 'onError'> {
  const { get, set, ui } = core;
  return {
    onTime(position, duration) {
      core.reporter.sample();
      core.playhead.setState({ position, duration: duration || core.playhead.getState().duration });
      if (!core.external && duration > 0 && duration - position < prefetchLeadSeconds) prefetchNext(core);
    },
    onSeeked() {
      // A jump the player did not ask for is the meter's to notice (it never counts as heard).
      core.reporter.sample();
    },
    onPlaying(playing) {
      core.reporter.playing(playing);
      set(playing ? { playing, stalled: false } : { playing });
      // Music plays again: an earlier playback failure no longer needs the listener.
      if (playing) ui.getState().clearErrors('playback');
    },
    onEnded() {
      const { radioTrack } = get();
      // The sleep timer set to the end of this track: nothing more plays (the next track waits).
      const sleeping = core.sleepAtTrackEnd();
      // A gapless engine is already playing into the next track when it says 'ended'.
      if (sleeping) core.engine.pause();
      const reported = finishCurrent(core, ranToEnd);
      if (core.external && radioTrack) {
        if (sleeping) get().endExternal();
        else core.external.onEnded(radioTrack, reported);
        return;
      }
      // A second 'ended' while the next track is still loading is the old timeline's, not this
      // track's: it must not advance the queue again (a seek to the end gave two).
      if (get().loading) return;
      const target = findNext(core, true);
      if (target === null) {
        stopAtEnd(core);
        return;
      }
      void startItem(core, target, { skipsLeft: 5, autoplay: !sleeping });
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
      ui.getState().reportError(err, () => core.engine.retry(), 'playback');
    },
  };
}

/** In the last seconds of a track, the next one's stream is resolved and preloaded. */
function prefetchNext(core: PlayerCore): void {
  const target = findNext(core, true);
  const { queue, context } = core.get();
  const item = target !== null ? queue.items[target] : undefined;
  if (!item || target === queue.index) return;
  core.prefetcher.prefetch(item, contextFor(core, item.track.id, context));
}

/** "Removed … from the queue", with Undo: the track goes back to its place (not played). */
function offerQueueUndo(core: PlayerCore, queue: Queue, uid: string): void {
  const at = queue.items.findIndex((i) => i.uid === uid);
  const removed = queue.items[at];
  if (!removed) return;
  core.ui.getState().notify(`Removed “${removed.track.title}” from the queue`, 'info', {
    label: 'Undo',
    run: () => core.set({ queue: insertAt(core.get().queue, makeItems([removed.track]), at) }),
  });
}
