// A fake audio engine for store tests: Node has no <audio> element or MediaSource. It records
// loads, preloads and calls, and lets the test fire engine events.
import type { AudioEngine, EngineEventMap, StreamSource } from '../../services/audio-engine.js';

export type FakeEngine = AudioEngine & {
  loads: { source: StreamSource; startAt?: number | undefined }[];
  preloads: StreamSource[];
  log: string[];
  fire<K extends keyof EngineEventMap>(event: K, payload: EngineEventMap[K]): void;
};

export function createFakeEngine(): FakeEngine {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let source: StreamSource | null = null;
  const engine: FakeEngine = {
    element: {} as HTMLAudioElement,
    loads: [],
    preloads: [],
    log: [],
    fire(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    load(next, opts) {
      source = next;
      engine.loads.push({ source: next, startAt: opts?.startAt });
    },
    play: () => engine.log.push('play'),
    pause: () => engine.log.push('pause'),
    seek: (s) => engine.log.push(`seek ${s}`),
    setVolume: (v) => engine.log.push(`volume ${v}`),
    setMuted: (m) => engine.log.push(`muted ${m}`),
    preload: (s) => engine.preloads.push(s),
    retry: () => engine.log.push('retry'),
    stop: () => {
      source = null;
      engine.log.push('stop');
    },
    currentSource: () => source,
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    destroy: () => undefined,
  };
  return engine;
}
