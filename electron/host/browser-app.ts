// Septet over the browser host, in one process: the core plus the HTTP/WebSocket host. Used by
// `npm start` (without Electron, or --headless), the e2e fixtures and the headless mode.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { SeptetConfig } from '../core/config/config.js';
import { createAppCore, type AppCore, type AppCoreOptions } from '../core/app-core.js';
import type { Logger } from '../core/logger.js';
import { startBrowserHost, type BrowserHost } from './browser-host.js';

export type BrowserAppOptions = {
  config: SeptetConfig;
  rendererDir: string;
  version: string;
  logger: Logger;
  port?: number;
  openExternal?: (url: string) => Promise<void>;
  /** Shows a saved download (default: the platform's file manager; tests pass their own). */
  showItemInFolder?: (path: string) => Promise<void>;
} & Pick<AppCoreOptions, 'vaultService' | 'vault' | 'defaultDownloadFolder'>;

export type BrowserApp = {
  url: string;
  origin: string;
  core: AppCore;
  host: BrowserHost;
  close(): Promise<void>;
};

export async function startBrowserApp(options: BrowserAppOptions): Promise<BrowserApp> {
  const { config, logger } = options;
  const core = await createAppCore({
    config,
    host: 'browser',
    version: options.version,
    openExternal: options.openExternal ?? openWithSystem,
    showItemInFolder: options.showItemInFolder ?? showItemWithSystem,
    logger,
    ...(options.vaultService ? { vaultService: options.vaultService } : {}),
    ...(options.vault ? { vault: options.vault } : {}),
    ...(options.defaultDownloadFolder ? { defaultDownloadFolder: options.defaultDownloadFolder } : {}),
  });
  let host: BrowserHost | undefined;
  try {
    host = await startBrowserHost({
      handlers: core.handlers,
      events: core.events,
      rendererDir: options.rendererDir,
      logger: logger.child('browser-host'),
      gatewayOrigin: () => core.gatewayOrigin(),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
    await core.start({ rendererOrigins: [host.origin, `http://localhost:${host.port}`] });
  } catch (error) {
    await host?.close();
    await core.stop();
    throw error;
  }
  const started = host;
  return {
    url: started.url,
    origin: started.origin,
    core,
    host: started,
    async close() {
      await started.close();
      await core.stop();
    },
  };
}

/** Opens a URL in the system browser (the three-legged sign-in page). */
export function openWithSystem(url: string): Promise<void> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  return launch(command, args);
}

/**
 * How the platform's file manager shows a file: selected in its folder on macOS (open -R) and
 * Windows (explorer /select,), its folder opened elsewhere (xdg-open has no "select"). Arguments
 * go to the program directly, never through a shell.
 */
export function fileManagerCommand(path: string, platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', ['-R', path]];
  if (platform === 'win32') return ['explorer.exe', [`/select,${path}`]];
  return ['xdg-open', [dirname(path)]];
}

/** The browser host's "Show in folder" (Electron uses shell.showItemInFolder). */
export function showItemWithSystem(path: string): Promise<void> {
  const [command, args] = fileManagerCommand(path, process.platform);
  return launch(command, args);
}

function launch(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
