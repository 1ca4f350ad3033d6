// Main-side shapes of the contract: the handler table both hosts route through, and the event
// source they forward to the renderer. Environment-neutral so core and hosts share them.
import type { Channel, ChannelInput, ChannelValue, EventName, EventPayload } from './contract.js';

export type HostKind = 'electron' | 'browser';

export type HandlerContext = { host: HostKind };

export type ChannelHandler<C extends Channel> = (
  arg: ChannelInput<C>,
  context: HandlerContext,
) => Promise<ChannelValue<C>>;

/** One function per contract channel: a missing one is a type error, in both hosts alike. */
export type ChannelHandlers = { [C in Channel]: ChannelHandler<C> };

export type AppEventListener<E extends EventName> = (payload: EventPayload<E>) => void;

export type AppEventSource = {
  on<E extends EventName>(event: E, listener: AppEventListener<E>): () => void;
};

export type AppEventBus = AppEventSource & {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
};

/** A synchronous typed emitter; a throwing listener does not stop the others. */
export function createAppEventBus(onListenerError: (event: EventName, error: unknown) => void): AppEventBus {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          listener(payload);
        } catch (error) {
          onListenerError(event, error);
        }
      }
    },
  };
}
