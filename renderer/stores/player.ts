// The player store: the queue and its current item, shuffle/repeat, volume/mute, the loaded
// stream, radio tracks, and the play reports. The playhead (position/duration) is in the
// separate playhead store so 4 Hz time updates re-render only the seek bar.
import { createStore } from 'zustand/vanilla';
import type { RepeatMode, StreamView, TrackView } from '../../shared/ipc/contract.js';
import {
  engineCallbacks,
  externalActions,
  queueEditActions,
  queuePlayActions,
  restoreAction,
  transportActions,
} from './player-actions.js';
import { createPlayerCore } from './player-core.js';
import type { PlayerDeps, PlayerState, PlayerStore } from './player-state.js';
import { currentItem, emptyQueue, type Queue } from './queue-ops.js';
import { createStoreContext } from './store-context.js';

export function createPlayerStore(deps: PlayerDeps): PlayerStore {
  return createStore<PlayerState>()((set, get) => {
    const core = createPlayerCore(deps, set, get);
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
      ...queuePlayActions(core),
      ...queueEditActions(core),
      ...restoreAction(core),
      ...transportActions(core),
      ...externalActions(core),
      ...engineCallbacks(core),
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
