// An in-memory fake of window.septet for store tests: handlers per channel, recorded calls,
// events pushed by the test. The real bridge and core are exercised by the e2e tests.
import { AppError } from '../../../shared/errors.js';
import type {
  Channel,
  ChannelArg,
  ChannelValue,
  EventName,
  EventPayload,
  SeptetBridge,
} from '../../../shared/ipc/contract.js';

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
