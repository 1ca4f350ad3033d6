// Home: recently played, continue listening and new releases (home:getHome, from the listener's
// own play log), and continuing a release where the listener left it.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ContinueListeningView, HomeView } from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import type { CatalogueStore } from './catalogue.js';
import type { PlayerStore } from './player-state.js';
import { failed, idle, loading, type Resource } from './resource.js';
import { createStoreContext } from './store-context.js';
import type { UiStore } from './ui.js';

export type HomeState = {
  home: Resource<HomeView>;
  load(): Promise<void>;
  /** Plays the release from the track the listener left it at. */
  continueRelease(item: ContinueListeningView): Promise<void>;
  clear(): void;
};
export type HomeStore = StoreApi<HomeState>;

export function createHomeStore(deps: {
  ipc: IpcClient;
  ui: UiStore;
  player: PlayerStore;
  catalogue: CatalogueStore;
}): HomeStore {
  const { ipc, ui, player, catalogue } = deps;
  return createStore<HomeState>()((set, get) => ({
    home: idle,
    async load() {
      // A refresh keeps the page on screen; only the first load shows a spinner.
      if (get().home.status !== 'ready') set({ home: loading });
      try {
        set({ home: { status: 'ready', data: await ipc.call('home:getHome', {}) } });
      } catch (err) {
        if (get().home.status !== 'ready') set({ home: failed(err) });
      }
    },
    async continueRelease(item) {
      try {
        const tracks = await catalogue.getState().tracksOfRelease(item.release.id);
        const start = Math.max(
          0,
          tracks.findIndex((t) => t.id === item.track.id),
        );
        await player.getState().playTracks(tracks.length > 0 ? tracks : [item.track], start);
      } catch (err) {
        ui.getState().reportError(err, () => void get().continueRelease(item), 'home');
      }
    },
    clear() {
      set({ home: idle });
    },
  }));
}

const home = createStoreContext<HomeState>('home');
export const HomeStoreContext = home.context;
export const useHomeActions = home.useActions;
export const useHome = (): Resource<HomeView> => home.useSelector((s) => s.home);
