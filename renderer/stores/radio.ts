// Interactive Radio: a station session (dmca/gvl), next tracks, skips within the budget (with
// the time until the next one), and the session deleted on stop. Playback goes through the
// player store, which keeps the station non-interactive (no seek, replay or jump); the station
// hears start, pause, resume and complete from main, out of the play's own reports.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ArtistRef } from '../../shared/ipc/contract.js';
import type { RadioStationView, RadioTrackView, Ruleset } from '../../shared/ipc/contract.js';
import { isAppError } from '../../shared/errors.js';
import type { IpcClient } from '../services/ipc-client.js';
import type { ExternalSource, PlayerStore } from './player-state.js';
import { createStoreContext } from './store-context.js';
import type { UiStore } from './ui.js';

export type RadioState = {
  /** The station playing; `artist` for an artist station (its seed playlist in playlistIds). */
  station: (RadioStationView & { playlistIds: string[]; artist?: ArtistRef }) | null;
  current: RadioTrackView | null;
  skipsRemaining: number;
  skipAllowed: boolean;
  /** When no skip is left: when the next one comes back (ISO), if known. */
  nextSkipAt: string | null;
  busy: 'starting' | 'skipping' | 'next' | 'stopping' | null;
  start(playlistIds: string[], ruleset: Ruleset): Promise<void>;
  /** Starts a station of the artist's tracks and the listener's own music (DMCA rules). */
  startArtist(artist: ArtistRef): Promise<void>;
  skip(): Promise<void>;
  stop(): Promise<void>;
  /** The time until the next skip has run out: Skip is offered again (main still decides). */
  skipCameBack(): void;
};
export type RadioStore = StoreApi<RadioState>;

/** What the player asks the station while it plays: its track ended, Next, something else played. */
function stationSource(fetchNext: () => Promise<void>, skip: () => void, left: () => void): ExternalSource {
  return {
    onEnded(_track, reported) {
      // The next track is asked for once main has the play (and so the station its 'complete').
      void reported.then(fetchNext);
    },
    onNext() {
      skip();
    },
    onLeft() {
      left();
    },
  };
}

export function createRadioStore(deps: { ipc: IpcClient; player: PlayerStore; ui: UiStore }): RadioStore {
  const { ipc, player, ui } = deps;
  return createStore<RadioState>()((set, get) => {
    const playRadioTrack = (next: RadioTrackView, reported = false) => {
      set({
        current: next,
        skipAllowed: next.skipAllowed,
        skipsRemaining: next.skipsRemaining,
        nextSkipAt: next.nextSkipAt ?? null,
        busy: null,
      });
      ui.getState().clearErrors('radio');
      player.getState().playExternal(next.track, next.stream, source, { reported });
    };
    const fetchNext = async () => {
      if (!get().station) return;
      set({ busy: 'next' });
      try {
        playRadioTrack(await ipc.call('radio:nextTrack', {}));
      } catch (err) {
        set({ busy: null });
        ui.getState().reportError(err, () => void fetchNext(), 'radio');
      }
    };
    const forget = () =>
      set({
        station: null,
        current: null,
        busy: null,
        skipAllowed: false,
        skipsRemaining: 0,
        nextSkipAt: null,
      });
    const source = stationSource(
      fetchNext,
      () => void get().skip(),
      () => {
        // The player already ended the station's track: only the session is left to delete.
        forget();
        ipc
          .call('radio:stopStation', {})
          .catch((err: unknown) => ui.getState().reportError(err, undefined, 'radio'));
      },
    );
    return {
      station: null,
      current: null,
      skipsRemaining: 0,
      skipAllowed: false,
      nextSkipAt: null,
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
      async startArtist(artist) {
        if (get().station) await get().stop();
        set({ busy: 'starting' });
        try {
          const station = await ipc.call('radio:startArtistStation', { artistId: artist.id });
          set({
            station: { ...station, playlistIds: [station.playlistId] },
            skipsRemaining: station.skipsRemaining,
          });
          ui.getState().notify(`${station.artist.name} radio is on`);
          playRadioTrack(await ipc.call('radio:nextTrack', {}));
        } catch (err) {
          set({ busy: null });
          ui.getState().reportError(err, () => void get().startArtist(artist), 'radio');
        }
      },
      async skip() {
        const { current, skipAllowed, busy } = get();
        const play = player.getState().currentPlay();
        if (!current || !play || busy) return;
        if (!skipAllowed) {
          ui.getState().notify('No skips left for now on this station');
          return;
        }
        set({ busy: 'skipping' });
        try {
          playRadioTrack(await ipc.call('radio:skip', play), true);
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
        forget();
      },
      skipCameBack() {
        if (!get().station || get().skipAllowed) return;
        set({ skipAllowed: true, skipsRemaining: Math.max(1, get().skipsRemaining), nextSkipAt: null });
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
export const useNextSkipAt = (): string | null => radio.useSelector((s) => s.nextSkipAt);
