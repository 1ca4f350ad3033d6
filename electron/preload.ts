// The contextBridge: exactly the SeptetBridge, over an allowlist of the contract's channels and
// events. Nothing else crosses into the renderer (sandboxed preload: only `electron` is importable,
// so the allowlists are the contract's, inlined by the bundler).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppErrorData } from '../shared/errors.js';
import type {
  Channel,
  ChannelArg,
  ChannelValue,
  EventName,
  Result,
  SeptetBridge,
} from '../shared/ipc/contract.js';
import { channelNames, eventNameList } from '../shared/ipc/names.js';

const allowedChannels = new Set<string>(channelNames);
const allowedEvents = new Set<string>(eventNameList);

function refused(message: string): Result<never> {
  const error: AppErrorData = { code: 'invalid_input', message };
  return { ok: false, error };
}

const bridge: SeptetBridge = {
  invoke<C extends Channel>(channel: C, arg: ChannelArg<C>): Promise<Result<ChannelValue<C>>> {
    if (!allowedChannels.has(channel)) return Promise.resolve(refused(`Unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, arg) as Promise<Result<ChannelValue<C>>>;
  },
  on(event, listener) {
    if (!allowedEvents.has(event)) throw new Error(`Unknown event ${String(event)}`);
    // Never hand the IpcRendererEvent (and its sender) to the page.
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => {
      (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(event as EventName, wrapped);
    return () => {
      ipcRenderer.removeListener(event as EventName, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('septet', bridge);
