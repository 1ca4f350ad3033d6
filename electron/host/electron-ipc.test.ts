// The Electron host's transport. Electron cannot run here, so ipcMain and the sender's
// WebContents/frames are small fakes with the fields registerElectronIpc reads; the handlers,
// handle() wrapper and event bus are the real ones.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { channels } from '../../shared/ipc/contract.js';
import { createAppEventBus } from '../../shared/ipc/handlers.js';
import { createLogger } from '../core/logger.js';
import { registerElectronIpc } from './electron-ipc.js';
import { handlersWith } from './testing/test-handlers.js';

type Listener = (event: IpcMainInvokeEvent, arg: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipcMain = {
    handle: (channel: string, listener: Listener) => handlers.set(channel, listener),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as IpcMain;
  return { ipcMain, handlers };
}

function fakeContents() {
  const sent: [string, unknown][] = [];
  const mainFrame = { url: 'septet://app/index.html' };
  const contents = {
    mainFrame,
    isDestroyed: () => false,
    send: (channel: string, payload: unknown) => sent.push([channel, payload]),
  } as unknown as WebContents;
  return { contents, mainFrame, sent };
}

describe('Electron IPC host', () => {
  const logger = createLogger('test', { level: 'silent' });
  const events = createAppEventBus(() => undefined);
  const handlers = handlersWith({ 'session:getSession': async () => ({ state: 'signedOut' }) });

  it('registers exactly the contract channels and routes them through handle()', async () => {
    const { ipcMain, handlers: registered } = fakeIpcMain();
    const { contents, mainFrame } = fakeContents();
    const unregister = registerElectronIpc({
      ipcMain,
      handlers,
      events,
      logger,
      getWebContents: () => contents,
      appOrigin: 'septet://app',
    });
    expect([...registered.keys()].sort()).toEqual([...channels].sort());

    const event = { sender: contents, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent;
    expect(await registered.get('session:getSession')!(event, {})).toEqual({
      ok: true,
      value: { state: 'signedOut' },
    });
    expect(await registered.get('catalogue:searchTracks')!(event, { q: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    unregister();
    expect(registered.size).toBe(0);
  });

  it('refuses other windows, subframes and other origins', async () => {
    const { ipcMain, handlers: registered } = fakeIpcMain();
    const { contents, mainFrame } = fakeContents();
    registerElectronIpc({
      ipcMain,
      handlers,
      events,
      logger,
      getWebContents: () => contents,
      appOrigin: 'septet://app',
    });
    const call = registered.get('session:getSession')!;

    const other = fakeContents();
    const fromOtherWindow = {
      sender: other.contents,
      senderFrame: other.mainFrame,
    } as unknown as IpcMainInvokeEvent;
    const fromSubframe = {
      sender: contents,
      senderFrame: { url: 'septet://app/x.html' },
    } as unknown as IpcMainInvokeEvent;
    const foreignTop = { url: 'https://evil.example/' };
    const fromForeignPage = {
      sender: { ...contents, mainFrame: foreignTop },
      senderFrame: foreignTop,
    } as unknown as IpcMainInvokeEvent;
    for (const event of [fromOtherWindow, fromSubframe]) {
      expect(await call(event, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // A navigated-away window (foreign origin) is refused even as the top frame.
    mainFrame.url = 'https://evil.example/';
    expect(
      await call({ sender: contents, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent, {}),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await call(fromForeignPage, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('forwards events to the window', () => {
    const { ipcMain } = fakeIpcMain();
    const { contents, sent } = fakeContents();
    registerElectronIpc({
      ipcMain,
      handlers,
      events,
      logger,
      getWebContents: () => contents,
      appOrigin: 'septet://app',
    });
    events.emit('app:connectivityChanged', { online: false });
    expect(sent).toEqual([['app:connectivityChanged', { online: false }]]);
  });
});
