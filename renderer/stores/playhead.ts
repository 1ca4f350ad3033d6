// The playhead lives in its own tiny store so 4 Hz time updates re-render only the seek bar.
import { createStore, type StoreApi } from 'zustand/vanilla';

export type PlayheadState = { position: number; duration: number; buffering: boolean };
export type PlayheadStore = StoreApi<PlayheadState>;

export function createPlayheadStore(): PlayheadStore {
  return createStore<PlayheadState>()(() => ({ position: 0, duration: 0, buffering: false }));
}
