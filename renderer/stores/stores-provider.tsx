// Provides every store to the component tree (each store module reads its own context through
// its named hooks). Rendered once by the composition root, main.tsx.
import type { Context, ReactElement, ReactNode } from 'react';
import type { StoreApi } from 'zustand';
import type { AppStores } from './app-stores.js';
import { CatalogueStoreContext } from './catalogue.js';
import { HomeStoreContext } from './home.js';
import { LibraryStoreContext } from './library.js';
import { LikedStoreContext } from './liked.js';
import { OfflineStoreContext } from './offline.js';
import { PlayerStoreContext } from './player.js';
import { PlayheadStoreContext } from './playhead.js';
import { PlaylistsStoreContext } from './playlists.js';
import { RadioStoreContext } from './radio.js';
import { SearchStoreContext } from './search.js';
import { SessionStoreContext } from './session.js';
import { SettingsStoreContext } from './settings.js';
import { SleepTimerStoreContext } from './sleep-timer.js';
import { UiStoreContext } from './ui.js';

type Wrap = (children: ReactNode) => ReactElement;

function provide<S>(context: Context<StoreApi<S> | null>, store: StoreApi<S>): Wrap {
  return (children) => <context.Provider value={store}>{children}</context.Provider>;
}

export function StoresProvider({ stores, children }: { stores: AppStores; children: ReactNode }): ReactNode {
  const providers: Wrap[] = [
    provide(UiStoreContext, stores.ui),
    provide(SessionStoreContext, stores.session),
    provide(PlayheadStoreContext, stores.playhead),
    provide(PlayerStoreContext, stores.player),
    provide(SearchStoreContext, stores.search),
    provide(CatalogueStoreContext, stores.catalogue),
    provide(LibraryStoreContext, stores.library),
    provide(PlaylistsStoreContext, stores.playlists),
    provide(RadioStoreContext, stores.radio),
    provide(OfflineStoreContext, stores.offline),
    provide(SettingsStoreContext, stores.settings),
    provide(LikedStoreContext, stores.liked),
    provide(HomeStoreContext, stores.home),
    provide(SleepTimerStoreContext, stores.sleep),
  ];
  return providers.reduceRight<ReactNode>((inner, wrap) => wrap(inner), children);
}
