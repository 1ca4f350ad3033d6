// When the listener signs out, or another account takes over, nothing of the previous account
// may stay on screen or in a store: its queue and now-playing item, its playlists and the one
// open for editing, its locker and downloads, its offline list, the station, the views of its
// pages (release pages say what it owns). Each store goes back to the state a fresh store has —
// taken from freshly made stores, so a field added later is reset too — except what belongs to
// the device and not the account (volume, the search box, connectivity, notices).
import type { StoreApi } from 'zustand/vanilla';
import type { AppStores } from './app-stores.js';

/**
 * The fields that belong to the device and survive an account change, per store ('*': the whole
 * store). Every other store (and field) is per account: a store added later is reset by default.
 */
const keep: Partial<Record<keyof AppStores, readonly string[] | '*'>> = {
  session: '*',
  search: '*',
  ui: ['toasts', 'online', 'searchFocusRequest'],
  settings: ['settings', 'info'],
  player: ['volume', 'muted'],
};

const isStore = (value: unknown): value is StoreApi<object> =>
  typeof value === 'object' && value !== null && 'getState' in value && 'setState' in value;

function resetTo<S extends object>(store: StoreApi<S>, fresh: StoreApi<S>, kept: readonly string[]): void {
  const data = Object.entries(fresh.getState()).filter(
    ([name, value]) => typeof value !== 'function' && !kept.includes(name),
  );
  store.setState(Object.fromEntries(data) as Partial<S>);
}

/**
 * Reports the play in progress (the player stops), then empties every per-account store.
 * `fresh`: stores made anew, whose initial state the others go back to.
 */
export async function forgetAccount(stores: AppStores, fresh: AppStores): Promise<void> {
  await stores.player.getState().forgetAccount();
  await stores.radio.getState().stop();
  for (const name of Object.keys(stores) as (keyof AppStores)[]) {
    const store: unknown = stores[name];
    const freshStore: unknown = fresh[name];
    const kept = keep[name] ?? [];
    if (kept === '*' || !isStore(store) || !isStore(freshStore)) continue;
    resetTo(store, freshStore, kept);
  }
}
