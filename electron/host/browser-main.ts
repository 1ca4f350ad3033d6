// Entry of the browser host process (dist/electron/browser-main.js): Septet's core plus the
// HTTP/WebSocket host. Prints `SEPTET_URL=<url>` once it serves, and runs until SIGINT/SIGTERM.
//   node dist/electron/browser-main.js [--port N] [--data-dir DIR] [--api URL]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config/config.js';
import { configureLogging, createLogger } from '../core/logger.js';
import { startBrowserApp } from './browser-app.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    api: { type: 'string' },
    renderer: { type: 'string' },
  },
});

const config = loadConfig({
  flags: {
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values.api ? { baseUrl: values.api } : {}),
  },
});
configureLogging({ level: config.logLevel });
const logger = createLogger('septet');
const here = dirname(fileURLToPath(import.meta.url));

const app = await startBrowserApp({
  config,
  rendererDir: values.renderer ?? join(here, '..', 'renderer'),
  version: process.env.npm_package_version ?? '0.1.0',
  logger,
  ...(values.port ? { port: Number(values.port) } : {}),
});
process.stdout.write(`SEPTET_URL=${app.url}\n`);

let closing = false;
const shutdown = (signal: string): void => {
  if (closing) return;
  closing = true;
  logger.info('shutting down', { signal });
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error('shutdown failed', { error });
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
