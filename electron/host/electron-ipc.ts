// The Electron host: the contract's handlers over ipcMain.handle, events over webContents.send.
// Same handle() as the browser host; only the transport differs.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channels, eventNames } from '../../shared/ipc/contract.js';
import type { AppEventSource, ChannelHandlers } from '../../shared/ipc/handlers.js';
import type { Logger } from '../core/logger.js';
import { createHandle, type Sender } from './handle.js';

export type ElectronIpcOptions = {
  ipcMain: IpcMain;
  handlers: ChannelHandlers;
  events: AppEventSource;
  logger: Logger;
  /** The one window's contents: the only sender allowed, and the receiver of events. */
  getWebContents: () => WebContents | null;
  /** The origin the app is served from (e.g. septet://app). */
  appOrigin: string;
};

export function registerElectronIpc(options: ElectronIpcOptions): () => void {
  const { ipcMain, handlers, events, logger, getWebContents, appOrigin } = options;
  const handle = createHandle({ handlers, host: 'electron', logger });

  const senderOf = (event: IpcMainInvokeEvent): Sender => {
    const frameUrl = event.senderFrame?.url ?? '';
    const isOurWindow = event.sender === getWebContents();
    const isTopFrame = event.senderFrame !== null && event.senderFrame === event.sender.mainFrame;
    const isOurOrigin = safeOrigin(frameUrl) === appOrigin;
    return {
      trusted: isOurWindow && isTopFrame && isOurOrigin,
      description: `frame ${safeOrigin(frameUrl)}`,
    };
  };

  for (const channel of channels) {
    ipcMain.handle(channel, (event, arg: unknown) => handle(channel, arg, senderOf(event)));
  }

  const unsubscribe = eventNames.map((name) =>
    events.on(name, (payload) => {
      const contents = getWebContents();
      if (contents && !contents.isDestroyed()) contents.send(name, payload);
    }),
  );

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    for (const off of unsubscribe) off();
  };
}

function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    // Custom schemes report origin "null"; compare scheme + host instead.
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'invalid';
  }
}
