// A fake audio engine for store tests: Node has no <audio> element or MediaSource. It records
// loads, preloads and calls, and lets the test fire engine events.
import type { AudioClockReading } from '../../services/audio-clock.js';
import type { AudioEngine, EngineEventMap, StreamSource } from '../../services/audio-engine.js';

export type FakeEngine = AudioEngine & {
  loads: { source: StreamSource; startAt?: number | undefined; autoplay?: false }[];
  preloads: StreamSource[];
  log: string[];
  fire<K extends keyof EngineEventMap>(event: K, payload: EngineEventMap[K]): void;
  /** The output rendered `sec` seconds of media in real time (what readClock() reports next). */
  render(sec: number): void;
  /** The playhead as the engine has it. */
  readClockPosition(): number;
};

export function createFakeEngine(): FakeEngine {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let source: StreamSource | null = null;
  let position = 0;
  let pending: AudioClockReading = { mediaSec: 0, audioSec: 0, elapsedSec: 0, position: 0 };
  const engine: FakeEngine = {
    element: {} as HTMLAudioElement,
    loads: [],
    preloads: [],
    log: [],
    fire(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    render(sec) {
      position += sec;
      pending = {
        mediaSec: pending.mediaSec + sec,
        audioSec: pending.audioSec + sec,
        elapsedSec: pending.elapsedSec + sec,
        position,
      };
    },
    readClockPosition: () => position,
    readClock() {
      const reading = pending;
      pending = { mediaSec: 0, audioSec: 0, elapsedSec: 0, position };
      return reading;
    },
    load(next, opts) {
      source = next;
      position = opts?.startAt ?? 0;
      pending = { mediaSec: 0, audioSec: 0, elapsedSec: 0, position };
      // autoplay is recorded only when a load asks not to play.
      engine.loads.push({
        source: next,
        startAt: opts?.startAt,
        ...(opts?.autoplay === false ? { autoplay: false } : {}),
      });
    },
    play: () => engine.log.push('play'),
    pause: () => engine.log.push('pause'),
    seek: (s) => {
      position = s;
      pending = { ...pending, position };
      engine.log.push(`seek ${s}`);
    },
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
