// Creates every store with its dependencies. Called once by the composition root (main.tsx)
// and by tests with a fake bridge.
import type { AudioEngine } from '../services/audio-engine.js';
import type { IpcClient } from '../services/ipc-client.js';
import { createCatalogueStore, type CatalogueStore } from './catalogue.js';
import { createHomeStore, type HomeStore } from './home.js';
import { createLibraryStore, type LibraryStore } from './library.js';
import { createLikedStore, type LikedStore } from './liked.js';
import { createOfflineStore, type OfflineStore } from './offline.js';
import { createPlayerStore } from './player.js';
import type { PlayerStore } from './player-state.js';
import { createPlayheadStore, type PlayheadStore } from './playhead.js';
import { createPlaylistsStore, type PlaylistsStore } from './playlists.js';
import { createRadioStore, type RadioStore } from './radio.js';
import { createSearchStore, type SearchStore } from './search.js';
import { createSessionStore, type SessionStore } from './session.js';
import { createSettingsStore, type SettingsStore } from './settings.js';
import { createSleepTimerStore, type SleepTimerStore } from './sleep-timer.js';
import { createUiStore, type UiStore } from './ui.js';

export type AppStores = {
  ipc: IpcClient;
  ui: UiStore;
  session: SessionStore;
  playhead: PlayheadStore;
  player: PlayerStore;
  search: SearchStore;
  catalogue: CatalogueStore;
  library: LibraryStore;
  playlists: PlaylistsStore;
  radio: RadioStore;
  liked: LikedStore;
  home: HomeStore;
  sleep: SleepTimerStore;
  offline: OfflineStore;
  settings: SettingsStore;
};

export function createAppStores(deps: {
  ipc: IpcClient;
  engine: AudioEngine;
  random?: () => number;
}): AppStores {
  const { ipc, engine } = deps;
  const ui = createUiStore();
  const offline = createOfflineStore({ ipc, ui });
  const playhead = createPlayheadStore();
  const sleep = createSleepTimerStore();
  const player = createPlayerStore({
    ipc,
    engine,
    playhead,
    ui,
    isPlayable: (trackId) => ui.getState().online || offline.getState().cached.has(trackId),
    isCached: (trackId) => offline.getState().cached.has(trackId),
    sleepAtTrackEnd: () => sleep.getState().takeEndOfTrack(),
    ...(deps.random ? { random: deps.random } : {}),
  });
  const catalogue = createCatalogueStore({ ipc });
  const playlists = createPlaylistsStore({ ipc, ui, player });
  return {
    ipc,
    ui,
    session: createSessionStore({ ipc, beforeSignOut: () => player.getState().forgetAccount() }),
    playhead,
    player,
    search: createSearchStore({ ipc }),
    catalogue,
    library: createLibraryStore({ ipc, ui }),
    playlists,
    radio: createRadioStore({ ipc, player, ui }),
    offline,
    settings: createSettingsStore({ ipc, ui }),
    liked: createLikedStore({ ipc, ui, playlists }),
    home: createHomeStore({ ipc, ui, player, catalogue }),
    sleep,
  };
}
