// Creates every store with its dependencies. Called once by the composition root (main.tsx)
// and by tests with a fake bridge.
import type { AudioEngine } from '../services/audio-engine.js';
import type { IpcClient } from '../services/ipc-client.js';
import { createCatalogueStore, type CatalogueStore } from './catalogue.js';
import { createLibraryStore, type LibraryStore } from './library.js';
import { createOfflineStore, type OfflineStore } from './offline.js';
import { createPlayerStore } from './player.js';
import type { PlayerStore } from './player-state.js';
import { createPlayheadStore, type PlayheadStore } from './playhead.js';
import { createPlaylistsStore, type PlaylistsStore } from './playlists.js';
import { createRadioStore, type RadioStore } from './radio.js';
import { createSearchStore, type SearchStore } from './search.js';
import { createSessionStore, type SessionStore } from './session.js';
import { createSettingsStore, type SettingsStore } from './settings.js';
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
  const player = createPlayerStore({
    ipc,
    engine,
    playhead,
    ui,
    isPlayable: (trackId) => ui.getState().online || offline.getState().cached.has(trackId),
    isCached: (trackId) => offline.getState().cached.has(trackId),
    ...(deps.random ? { random: deps.random } : {}),
  });
  return {
    ipc,
    ui,
    session: createSessionStore({ ipc, beforeSignOut: () => player.getState().forgetAccount() }),
    playhead,
    player,
    search: createSearchStore({ ipc }),
    catalogue: createCatalogueStore({ ipc }),
    library: createLibraryStore({ ipc, ui }),
    playlists: createPlaylistsStore({ ipc, ui, player }),
    radio: createRadioStore({ ipc, player, ui }),
    offline,
    settings: createSettingsStore({ ipc, ui }),
  };
}
