// `npm run emulator -- [--port N] [--data-dir DIR]`: runs the MassiveMusic emulator on
// 127.0.0.1 until SIGINT/SIGTERM.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './server.js';

function defaultDataDir(): string {
  if (process.env.SEPTET_EMULATOR_DATA_DIR) return process.env.SEPTET_EMULATOR_DATA_DIR;
  if (process.platform === 'win32')
    return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'septet-emulator');
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'septet-emulator');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'septet-emulator');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      'data-dir': { type: 'string' },
      'media-cache-dir': { type: 'string' },
      'media-cache-max-mb': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: npm run emulator -- [--port N] [--data-dir DIR] [--media-cache-dir DIR] [--media-cache-max-mb MB] [--quiet]',
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid --port: ${values.port}`);
    process.exitCode = 2;
    return;
  }
  const maxMbText = values['media-cache-max-mb'] ?? process.env.SEPTET_MEDIA_CACHE_MAX_MB;
  const maxMb = maxMbText === undefined ? undefined : Number(maxMbText);
  if (maxMb !== undefined && !(Number.isFinite(maxMb) && maxMb >= 10)) {
    console.error(`Invalid media cache limit: ${maxMbText} (a number of MB, at least 10)`);
    process.exitCode = 2;
    return;
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const emulator = await startEmulator({
    port,
    dataDir,
    ...(values['media-cache-dir'] ? { mediaCacheDir: resolve(values['media-cache-dir']) } : {}),
    ...(maxMb !== undefined ? { mediaCacheMaxBytes: Math.round(maxMb * 1024 * 1024) } : {}),
    log: values.quiet ? () => undefined : (line) => console.error(`[emulator] ${line}`),
  });
  console.log(`MassiveMusic emulator listening on ${emulator.url} (data: ${dataDir})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`[emulator] ${signal}: shutting down`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
