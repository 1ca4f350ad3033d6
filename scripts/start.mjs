// `npm start [-- --headless] [--port N] [--data-dir DIR]`
// Builds what is stale, starts the MassiveMusic emulator with its demo data when no API is
// configured (SEPTET_API_BASE_URL unset), then opens Septet in Electron. Without an Electron
// binary it says so in one line and opens the same app through the browser host in an installed
// Chromium/Chrome as an app window (its own profile); with no browser it prints the URL.
// --headless: browser host only; prints the URL and keeps running.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildEmulatorIfStale, buildIfStale } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

const dataDir = resolve(values['data-dir'] ?? process.env.SEPTET_DATA_DIR ?? defaultDataDir());
const logDir = join(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });
const children = new Set();
let shuttingDown = false;

function defaultDataDir() {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Septet');
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Septet');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'septet');
}

function track(child, name) {
  children.add(child);
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (!shuttingDown && name !== 'browser') {
      console.error(`${name} exited (${signal ?? code}); stopping Septet.`);
      void shutdown(code ?? 1);
    }
  });
  return child;
}

/** Spawns a process and resolves with the first stdout line matching `pattern`. */
function spawnAndWait(name, command, args, options, pattern) {
  const logFile = openSync(join(logDir, `${name}.log`), 'a');
  const child = track(spawn(command, args, { ...options, stdio: ['ignore', 'pipe', logFile] }), name);
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = pattern.exec(line);
      if (match) resolvePromise({ child, match });
    });
    child.once('exit', (code) =>
      reject(
        new Error(`${name} exited with ${code} before it was ready; see ${join(logDir, `${name}.log`)}`),
      ),
    );
    child.once('error', reject);
  });
}

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    return existsSync(candidate) ? candidate : null;
  }
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function findBrowser() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return null;
  const candidates = [
    process.env.SEPTET_CHROMIUM,
    process.env.CHROME_PATH,
    ...(process.platform === 'darwin'
      ? [
          '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
          '/Applications/Chromium.app/Contents/MacOS/Chromium',
        ]
      : process.platform === 'win32'
        ? [
            join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Google/Chrome/Application/chrome.exe'),
            join(
              process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)',
              'Google/Chrome/Application/chrome.exe',
            ),
          ]
        : [
            '/usr/bin/chromium',
            '/usr/bin/chromium-browser',
            '/usr/bin/google-chrome',
            '/usr/bin/google-chrome-stable',
            '/snap/bin/chromium',
          ]),
  ];
  return candidates.find((candidate) => candidate && existsSync(candidate)) ?? null;
}

async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  const exits = [...children].map(
    (child) =>
      new Promise((resolvePromise) => {
        child.once('exit', resolvePromise);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  );
  await Promise.all(exits);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function main() {
  if (!values['no-build']) {
    await buildIfStale({ log: (line) => console.log(line) });
    if (!process.env.SEPTET_API_BASE_URL) await buildEmulatorIfStale({ log: (line) => console.log(line) });
  }
  const env = { ...process.env, SEPTET_DATA_DIR: dataDir };

  if (!process.env.SEPTET_API_BASE_URL) {
    const { match } = await spawnAndWait(
      'emulator',
      process.execPath,
      [join(root, 'dist/emulator/cli.js'), '--port', '0', '--data-dir', join(dataDir, 'emulator')],
      { cwd: root, env },
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    env.SEPTET_API_BASE_URL = match[1];
    console.log(`MassiveMusic emulator (demo data) at ${match[1]}`);
  }

  const electron = values.headless ? null : electronBinary();
  if (electron) {
    const child = track(spawn(electron, [root], { cwd: root, env, stdio: 'inherit' }), 'Electron');
    child.once('exit', (code) => void shutdown(code ?? 0));
    return;
  }
  if (!values.headless) {
    console.log(
      'Electron is not installed here (no binary in node_modules/electron): opening Septet through the browser host instead.',
    );
  }

  const { match } = await spawnAndWait(
    'septet',
    process.execPath,
    [join(root, 'dist/electron/browser-main.js'), ...(values.port ? ['--port', values.port] : [])],
    { cwd: root, env },
    /^SEPTET_URL=(\S+)/,
  );
  const url = match[1];
  const browser = values.headless ? null : findBrowser();
  if (!browser) {
    console.log(`Septet is running at ${url}`);
    console.log(`(logs in ${logDir}; Ctrl+C to stop)`);
    return;
  }
  const profile = join(dataDir, 'browser-profile');
  console.log(`Opening ${url.replace(/token=.*/, 'token=…')} in ${browser} (logs in ${logDir})`);
  const window = track(
    spawn(
      browser,
      [
        `--app=${url}`,
        `--user-data-dir=${profile}`,
        '--no-first-run',
        '--no-default-browser-check',
        '--autoplay-policy=no-user-gesture-required',
      ],
      {
        stdio: 'ignore',
      },
    ),
    'browser',
  );
  window.once('exit', () => void shutdown(0));
}

main().catch((error) => {
  console.error(`Septet could not start: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
