// The Electron host: one hardened window over the same core and handlers as the browser host.
// The renderer is served from the privileged septet://app protocol with a strict CSP; every
// contract channel goes through registerElectronIpc (one handle() wrapper, sender-checked).
// The hardening itself (webPreferences, CSP, navigation/window/permission guards, the
// openExternal allowlist) is data in window-options.ts, asserted by security.test.ts.
import {
  app,
  BrowserWindow,
  dialog,
  globalShortcut,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MediaKey } from '../shared/ipc/contract.js';
import { createAppCore, type AppCore } from './core/app-core.js';
import { loadConfig } from './core/config/config.js';
import { configureLogging, createLogger } from './core/logger.js';
import { securityHeaders } from './host/csp.js';
import { registerElectronIpc } from './host/electron-ipc.js';
import { findRendererFile } from './host/renderer-files.js';
import {
  appContentSecurityPolicy,
  appEntryUrl,
  appHost,
  appOrigin,
  appScheme,
  externalUrlOrThrow,
  hardenSession,
  hardenWebContents,
  windowWebPreferences,
} from './window-options.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');

const mediaKeys: Record<string, MediaKey> = {
  MediaPlayPause: 'playPause',
  MediaNextTrack: 'next',
  MediaPreviousTrack: 'previous',
  MediaStop: 'stop',
};

// Must happen before `ready`: a standard, secure scheme gets an origin, fetch and a real CSP.
protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  main().catch((error: unknown) => {
    // Before a window exists, the only way to tell the user is a native error box.
    const message = error instanceof Error ? error.message : String(error);
    createLogger('septet').error('Septet could not start', { error });
    dialog.showErrorBox('Septet could not start', message);
    app.exit(1);
  });
}

async function main(): Promise<void> {
  // Long by design (over 80 lines): the Electron composition root, one straight sequence of startup steps.
  const config = loadConfig();
  configureLogging({ level: config.logLevel });
  const logger = createLogger('septet');
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  // Nothing inside the app may navigate, open windows or attach webviews.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  await app.whenReady();

  hardenSession(session.defaultSession);

  const core: AppCore = await createAppCore({
    config,
    host: 'electron',
    version: app.getVersion(),
    openExternal: async (url) => {
      // Only the sign-in page of the configured service (http/https) ever goes to the browser.
      await shell.openExternal(externalUrlOrThrow(url));
    },
    chooseFolder: async () => {
      const options = {
        title: 'Download to',
        properties: ['openDirectory', 'createDirectory'],
      } as Electron.OpenDialogOptions;
      const result = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    showItemInFolder: async (path) => shell.showItemInFolder(path),
    safeStorage,
    logger,
  });
  await core.start({ rendererOrigins: [appOrigin] });
  const gatewayOrigin = core.gatewayOrigin();
  const csp = appContentSecurityPolicy(gatewayOrigin);

  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== appHost) return new Response('Not found', { status: 404 });
    const found = await findRendererFile(rendererDir, url.pathname);
    if (!found.ok) return new Response(found.message, { status: found.status });
    try {
      const body = await readFile(found.file.path);
      return new Response(body, {
        headers: { ...securityHeaders(csp), 'Content-Type': found.file.contentType },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });

  const unregister = registerElectronIpc({
    ipcMain,
    handlers: core.handlers,
    events: core.events,
    logger: logger.child('electron-ipc'),
    getWebContents: () => window?.webContents ?? null,
    appOrigin,
  });

  window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Septet',
    show: false,
    backgroundColor: '#111318',
    webPreferences: windowWebPreferences(join(here, 'preload.cjs')),
  });
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => {
    window = null;
  });
  await window.loadURL(appEntryUrl);

  for (const [accelerator, key] of Object.entries(mediaKeys)) {
    const ok = globalShortcut.register(accelerator, () => core.mediaKeyPressed(key));
    if (!ok) logger.warn('media key not available (another app holds it)', { accelerator });
  }

  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    globalShortcut.unregisterAll();
    unregister();
    core.stop().then(
      () => app.quit(),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        app.exit(1);
      },
    );
  });
}
