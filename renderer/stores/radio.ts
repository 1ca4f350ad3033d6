// Interactive Radio: a station session (dmca/gvl), next tracks, skips within the budget,
// playback events, and the session deleted on stop. Playback goes through the player store.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RadioStationView, RadioTrackView, Ruleset, TrackView } from '../../shared/ipc/contract.js';
import { isAppError } from '../../shared/errors.js';
import type { IpcClient } from '../services/ipc-client.js';
import { createLogger } from '../services/logger.js';
import type { ExternalSource, PlayerStore } from './player-state.js';
import type { PlayheadStore } from './playhead.js';
import { createStoreContext } from './store-context.js';
import type { UiStore } from './ui.js';

const log = createLogger('radio');

export type RadioState = {
  station: (RadioStationView & { playlistIds: string[] }) | null;
  current: RadioTrackView | null;
  skipsRemaining: number;
  skipAllowed: boolean;
  busy: 'starting' | 'skipping' | 'next' | 'stopping' | null;
  start(playlistIds: string[], ruleset: Ruleset): Promise<void>;
  skip(): Promise<void>;
  stop(): Promise<void>;
};
export type RadioStore = StoreApi<RadioState>;

type RadioEvent = 'start' | 'complete' | 'skip' | 'pause' | 'resume';

/** A playback event of the station's track (radio:reportEvent); a failure is logged, not shown. */
function reportEvent(ipc: IpcClient, trackId: string, type: RadioEvent, durationPlayed?: number): void {
  ipc
    .call('radio:reportEvent', {
      trackId,
      type,
      ...(durationPlayed !== undefined ? { durationPlayed } : {}),
    })
    .catch((err: unknown) => log.warn(`radio ${type} event failed`, err));
}

/** What the player asks the station while it plays: its track ended, Next, play/pause. */
function stationSource(ipc: IpcClient, fetchNext: () => Promise<void>, skip: () => void): ExternalSource {
  return {
    onEnded(track: TrackView, durationPlayed: number) {
      reportEvent(ipc, track.id, 'complete', durationPlayed);
      void fetchNext();
    },
    onNext() {
      skip();
    },
    onPlayPause(track, playing) {
      reportEvent(ipc, track.id, playing ? 'resume' : 'pause');
    },
  };
}

export function createRadioStore(deps: {
  ipc: IpcClient;
  player: PlayerStore;
  playhead: PlayheadStore;
  ui: UiStore;
}): RadioStore {
  const { ipc, player, playhead, ui } = deps;
  return createStore<RadioState>()((set, get) => {
    const playRadioTrack = (next: RadioTrackView) => {
      set({ current: next, skipAllowed: next.skipAllowed, skipsRemaining: next.skipsRemaining, busy: null });
      ui.getState().clearErrors('radio');
      player.getState().playExternal(next.track, next.stream, source);
      reportEvent(ipc, next.track.id, 'start');
    };
    const fetchNext = async () => {
      set({ busy: 'next' });
      try {
        playRadioTrack(await ipc.call('radio:nextTrack', {}));
      } catch (err) {
        set({ busy: null });
        ui.getState().reportError(err, () => void fetchNext(), 'radio');
      }
    };
    const source = stationSource(ipc, fetchNext, () => void get().skip());
    return {
      station: null,
      current: null,
      skipsRemaining: 0,
      skipAllowed: false,
      busy: null,
      async start(playlistIds, ruleset) {
        if (get().station) await get().stop();
        set({ busy: 'starting' });
        try {
          const station = await ipc.call('radio:startStation', { playlistIds, ruleset });
          set({ station: { ...station, playlistIds }, skipsRemaining: station.skipsRemaining });
          playRadioTrack(await ipc.call('radio:nextTrack', {}));
        } catch (err) {
          set({ busy: null });
          ui.getState().reportError(err, () => void get().start(playlistIds, ruleset), 'radio');
        }
      },
      async skip() {
        const { current, skipAllowed, busy } = get();
        if (!current || !skipAllowed || busy) return;
        set({ busy: 'skipping' });
        try {
          const durationPlayed = Math.floor(playhead.getState().position);
          playRadioTrack(await ipc.call('radio:skip', { trackId: current.track.id, durationPlayed }));
        } catch (err) {
          set({ busy: null });
          if (isAppError(err) && err.code === 'limit_reached') {
            set({ skipAllowed: false, skipsRemaining: 0 });
            ui.getState().notify('No skips left for now on this station');
            return;
          }
          ui.getState().reportError(err, undefined, 'radio');
        }
      },
      async stop() {
        if (!get().station) return;
        set({ busy: 'stopping' });
        player.getState().endExternal();
        try {
          await ipc.call('radio:stopStation', {});
          ui.getState().clearErrors('radio');
        } catch (err) {
          ui.getState().reportError(err, undefined, 'radio');
        }
        set({ station: null, current: null, busy: null, skipAllowed: false, skipsRemaining: 0 });
      },
    };
  });
}

const radio = createStoreContext<RadioState>('radio');
export const RadioStoreContext = radio.context;
export const useRadioActions = radio.useActions;
export const useStation = (): RadioState['station'] => radio.useSelector((s) => s.station);
export const useRadioTrack = (): RadioTrackView | null => radio.useSelector((s) => s.current);
export const useRadioBusy = (): RadioState['busy'] => radio.useSelector((s) => s.busy);
export const useSkipAllowed = (): boolean => radio.useSelector((s) => s.skipAllowed);
export const useSkipsRemaining = (): number => radio.useSelector((s) => s.skipsRemaining);
