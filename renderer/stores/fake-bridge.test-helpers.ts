// Test doubles for store tests. The bridge is an in-memory fake of window.septet (the real
// bridge and core are exercised by the e2e tests); the engine is a fake because Node has no
// <audio> element or MediaSource.
import { AppError } from '../../shared/errors.js';
import type {
  Channel,
  ChannelArg,
  ChannelValue,
  EventName,
  EventPayload,
  SeptetBridge,
  StreamView,
  TrackView,
} from '../../shared/ipc/contract.js';
import type { AudioEngine, EngineEventMap, StreamSource } from '../services/audio-engine.js';

type Handler<C extends Channel> = (arg: ChannelArg<C>) => ChannelValue<C> | Promise<ChannelValue<C>>;

export type FakeBridge = SeptetBridge & {
  calls: { channel: Channel; arg: unknown }[];
  handle<C extends Channel>(channel: C, handler: Handler<C>): void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  callsTo(channel: Channel): unknown[];
};

export function createFakeBridge(): FakeBridge {
  const handlers = new Map<Channel, (arg: unknown) => unknown>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: { channel: Channel; arg: unknown }[] = [];
  return {
    calls,
    handle(channel, handler) {
      handlers.set(channel, handler as (arg: unknown) => unknown);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    callsTo: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.arg),
    async invoke(channel, arg) {
      calls.push({ channel, arg });
      const handler = handlers.get(channel);
      if (!handler)
        return { ok: false, error: { code: 'internal', message: `no fake handler for ${channel}` } };
      try {
        return { ok: true, value: (await handler(arg)) as never };
      } catch (err) {
        if (err instanceof AppError) return { ok: false, error: err.toData() };
        throw err;
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}

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

export const track = (id: string, durationSec = 200): TrackView => ({
  id,
  title: `Track ${id}`,
  artist: { id: 'artist-1', name: 'The Emulators' },
  release: { id: 'rel-1', title: 'Loopback' },
  durationSec,
});

export function stream(trackId: string, overrides: Partial<StreamView> = {}): StreamView {
  return {
    trackId,
    url: `http://127.0.0.1:9/media/${trackId}.m3u8`,
    kind: 'hls',
    playMode: 'online',
    logKind: 'subscriber',
    context: 'subscription',
    durationSec: 200,
    ...overrides,
  };
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
