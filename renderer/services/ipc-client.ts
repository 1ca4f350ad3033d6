// The only module that touches window.septet: a typed client whose calls resolve to the value
// or throw an AppError, so store actions can use plain try/catch.
import { AppError } from '../../shared/errors.js';
import type {
  Channel,
  ChannelArg,
  ChannelValue,
  EventName,
  EventPayload,
  SeptetBridge,
} from '../../shared/ipc/contract.js';

export type IpcClient = {
  call<C extends Channel>(channel: C, arg: ChannelArg<C>): Promise<ChannelValue<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export function createIpcClient(bridge: SeptetBridge): IpcClient {
  return {
    async call(channel, arg) {
      let result;
      try {
        result = await bridge.invoke(channel, arg);
      } catch (err) {
        throw new AppError(
          { code: 'network', message: `Septet's core did not answer (${channel})` },
          { cause: err },
        );
      }
      if (result.ok) return result.value;
      throw new AppError(result.error);
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}

declare global {
  var septet: SeptetBridge | undefined;
}

/** The bridge installed by the Electron preload or the browser host's bridge script. */
export function windowBridge(): SeptetBridge {
  const bridge = globalThis.septet;
  if (!bridge)
    throw new AppError({ code: 'internal', message: 'The Septet bridge is not available in this window' });
  return bridge;
}
