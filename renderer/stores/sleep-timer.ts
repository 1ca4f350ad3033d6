// The sleep timer: playback pauses after a number of minutes, or stops at the end of the track
// playing. The minutes run in bindings (a timer is mirroring time outward); the end of the
// track is the player's to honour (it asks takeEndOfTrack when a track ends).
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createStoreContext } from './store-context.js';

export type SleepTimer =
  { mode: 'off' } | { mode: 'minutes'; minutes: number; endsAt: number } | { mode: 'endOfTrack' };

export type SleepTimerState = {
  timer: SleepTimer;
  /** Pauses after `minutes` minutes from `now` (Date.now() by default). */
  setMinutes(minutes: number, now?: number): void;
  setEndOfTrack(): void;
  cancel(): void;
  /** Called by the player when a track ends: true (once) when the timer was set to that moment. */
  takeEndOfTrack(): boolean;
};
export type SleepTimerStore = StoreApi<SleepTimerState>;

export const sleepMinuteChoices = [5, 15, 30, 45, 60, 90] as const;

export function createSleepTimerStore(): SleepTimerStore {
  return createStore<SleepTimerState>()((set, get) => ({
    timer: { mode: 'off' },
    setMinutes(minutes, now = Date.now()) {
      set({ timer: { mode: 'minutes', minutes, endsAt: now + minutes * 60_000 } });
    },
    setEndOfTrack() {
      set({ timer: { mode: 'endOfTrack' } });
    },
    cancel() {
      if (get().timer.mode !== 'off') set({ timer: { mode: 'off' } });
    },
    takeEndOfTrack() {
      if (get().timer.mode !== 'endOfTrack') return false;
      set({ timer: { mode: 'off' } });
      return true;
    },
  }));
}

/** "Sleep in 14 min", "Sleep at end of track", or null when off. */
export function sleepTimerLabel(timer: SleepTimer, now: number): string | null {
  if (timer.mode === 'off') return null;
  if (timer.mode === 'endOfTrack') return 'Stops at the end of this track';
  const minutes = Math.max(1, Math.ceil((timer.endsAt - now) / 60_000));
  return `Pauses in ${minutes} min`;
}

const sleep = createStoreContext<SleepTimerState>('sleep timer');
export const SleepTimerStoreContext = sleep.context;
export const useSleepTimerActions = sleep.useActions;
export const useSleepTimer = (): SleepTimer => sleep.useSelector((s) => s.timer);
