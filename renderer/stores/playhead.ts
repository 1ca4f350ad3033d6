// The playhead lives in its own tiny store so 4 Hz time updates re-render only the seek bar.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createStoreContext } from './store-context.js';

export type PlayheadState = { position: number; duration: number; buffering: boolean };
export type PlayheadStore = StoreApi<PlayheadState>;

export function createPlayheadStore(): PlayheadStore {
  return createStore<PlayheadState>()(() => ({ position: 0, duration: 0, buffering: false }));
}

const playhead = createStoreContext<PlayheadState>('playhead');
export const PlayheadStoreContext = playhead.context;
export const usePlayheadPosition = (): number => playhead.useSelector((s) => s.position);
export const usePlayheadDuration = (): number => playhead.useSelector((s) => s.duration);
export const useBuffering = (): boolean => playhead.useSelector((s) => s.buffering);
