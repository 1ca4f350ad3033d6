// Septet's browser host as its own process (what `npm start -- --headless` runs), for tests that
// need what one process cannot change about itself — here, a computer with no Secret Service:
// its D-Bus address points at nothing, so keytar finds no keychain (the real failure, nothing
// mocked). Resolves once it prints its URL; stop() ends it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export type AppProcess = { url: string; stop(): Promise<void> };

export async function startAppWithoutKeychain(options: {
  apiUrl: string;
  dataDir: string;
  /** HOME of the process (its default downloads folder and config live under it). */
  homeDir: string;
}): Promise<AppProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/septet-no-keychain',
    SEPTET_DATA_DIR: options.dataDir,
    SEPTET_LOG_LEVEL: 'warn',
    HOME: options.homeDir,
  };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.SEPTET_KEYRING;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'electron/host/browser-main.ts'),
      '--api',
      options.apiUrl,
      '--data-dir',
      options.dataDir,
      '--renderer',
      join(root, 'dist/renderer'),
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Its log (the vault's warnings are expected here) is kept for the error, not printed.
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^SEPTET_URL=(\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before it served:\n${log}`)));
    child.once('error', reject);
  });
  return { url, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
