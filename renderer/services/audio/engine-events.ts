// The engine's events: a small emitter, and the <audio> element's events mapped to what the
// player hears (positions and durations of the current track, not of the element's timeline).
import type { ElementClockEvent } from '../audio-clock.js';
import type { AudioEngine, EngineEventMap } from '../audio-engine.js';

type Listener<K extends keyof EngineEventMap> = (payload: EngineEventMap[K]) => void;

export type EngineEvents = {
  emit<K extends keyof EngineEventMap>(event: K, payload: EngineEventMap[K]): void;
  emitTime(): void;
  on: AudioEngine['on'];
  clear(): void;
};

export type ElementHooks = {
  position(): number;
  duration(): number;
  /** Every event the audio clock attributes (registered before the others). */
  onClockEvent(event: ElementClockEvent): void;
  onTime(): void;
  onSeeking(): void;
  onLoadedMetadata(): void;
  /** The element played to its end. */
  onEnded(): void;
  /** The element's own error event is the engine's to report (not while a timeline plays). */
  ownsErrors(): boolean;
};

const clockEvents: ElementClockEvent[] = [
  'timeupdate',
  'play',
  'playing',
  'pause',
  'waiting',
  'seeking',
  'seeked',
  'ended',
  'ratechange',
];

export function createEngineEvents(element: HTMLMediaElement, hooks: ElementHooks): EngineEvents {
  const listeners = new Map<keyof EngineEventMap, Set<(payload: never) => void>>();
  const emit: EngineEvents['emit'] = (event, payload) => {
    for (const l of listeners.get(event) ?? []) (l as Listener<typeof event>)(payload);
  };
  const emitTime = () => emit('time', { position: hooks.position(), duration: hooks.duration() });
  for (const event of clockEvents) element.addEventListener(event, () => hooks.onClockEvent(event));
  element.addEventListener('timeupdate', () => {
    emitTime();
    hooks.onTime();
  });
  element.addEventListener('durationchange', emitTime);
  element.addEventListener('loadedmetadata', () => hooks.onLoadedMetadata());
  element.addEventListener('playing', () => {
    emit('waiting', { waiting: false });
    emit('playing', { playing: true });
    hooks.onTime();
  });
  element.addEventListener('pause', () => emit('playing', { playing: false }));
  element.addEventListener('waiting', () => emit('waiting', { waiting: true }));
  element.addEventListener('seeking', () => hooks.onSeeking());
  element.addEventListener('seeked', () => {
    emit('seeked', { position: hooks.position() });
    hooks.onTime();
  });
  element.addEventListener('ended', () => hooks.onEnded());
  element.addEventListener('error', () => {
    if (!hooks.ownsErrors()) return;
    emit('error', { code: 'network', message: element.error?.message || 'The audio could not be loaded' });
  });
  return {
    emit,
    emitTime,
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    clear: () => listeners.clear(),
  };
}
