// The UI side of the bench: Septet built the way it ships (the browser host's main bundle and
// the renderer), started as its own process against the emulator, and driven in headless
// Chromium. Built into node_modules/.cache/septet-bench so a bench run never races another
// engineer's dist/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../e2e/chromium.js';
import { nowMs } from './stats.js';
import { benchTempDir } from './temp.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const uiCacheDir = join(root, 'node_modules/.cache/septet-bench/app');

export type UiBuild = { browserMain: string; rendererDir: string };

let built: Promise<UiBuild> | null = null;

/** Builds once per bench run (esbuild + Vite, mirroring scripts/build.mjs, whose options are not exported). */
export function buildUi(log: (line: string) => void): Promise<UiBuild> {
  built ??= (async () => {
    const missing = [
      'electron/host/browser-main.ts',
      'electron/core/app-core.ts',
      'renderer/main.tsx',
      'renderer/vite.config.ts',
    ].filter((p) => !existsSync(join(root, p)));
    if (missing.length > 0) throw new Error(`the app is not there yet (missing ${missing.join(', ')})`);
    const started = Date.now();
    const electronDir = join(uiCacheDir, 'electron');
    mkdirSync(electronDir, { recursive: true });
    await esbuild({
      entryPoints: { 'browser-main': join(root, 'electron/host/browser-main.ts') },
      outdir: electronDir,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      sourcemap: false,
      logLevel: 'warning',
      external: ['electron', 'better-sqlite3', 'keytar', '@ffmpeg-installer/ffmpeg', 'fsevents'],
      banner: {
        js: "import { createRequire as __septetCreateRequire } from 'node:module'; const require = __septetCreateRequire(import.meta.url);",
      },
    });
    writeFileSync(join(electronDir, 'package.json'), '{ "type": "module" }\n');
    const rendererDir = join(uiCacheDir, 'renderer');
    const vite = await import('vite');
    await vite.build({
      root: join(root, 'renderer'),
      configFile: join(root, 'renderer/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: rendererDir, emptyOutDir: true, sourcemap: false },
    });
    if (!existsSync(join(rendererDir, 'index.html')))
      throw new Error('the renderer build produced no index.html');
    log(`ui: built the browser host and the renderer in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { browserMain: join(electronDir, 'browser-main.js'), rendererDir };
  })();
  return built;
}

/** The e2e browser's flags, plus honest timers and precise memory figures for measuring. */
export const benchChromiumArgs = [
  ...chromiumArgs,
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--enable-precise-memory-info',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: benchChromiumArgs });
}

export type AppProcess = {
  url: string;
  pid: number | undefined;
  dataDir: string;
  /** Monotonic ms (nowMs) when the process was spawned and when it printed its URL. */
  spawnedAt: number;
  listeningAt: number;
  /** Resident set size of the app process (the main side), from /proc. */
  rssMB(): number;
  close(): Promise<void>;
};

/** Starts Septet's browser host process (core + host) against the emulator, on a fresh data dir unless given one. */
export async function startAppProcess(
  ui: UiBuild,
  emulatorUrl: string,
  options: { dataDir?: string; log?: (line: string) => void } = {},
): Promise<AppProcess> {
  const tmp = options.dataDir ? null : benchTempDir('app');
  const dataDir = options.dataDir ?? join(tmp!.dir, 'data');
  const home = benchTempDir('home');
  const spawnedAt = nowMs();
  const child = spawn(
    process.execPath,
    [ui.browserMain, '--data-dir', dataDir, '--api', emulatorUrl, '--renderer', ui.rendererDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: home.dir,
        SEPTET_LOG_LEVEL: 'warn',
        SEPTET_API_BASE_URL: emulatorUrl,
      },
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) options.log?.(`[app] ${line}`);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the app did not print SEPTET_URL within 60 s')), 60_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      out += text;
      const match = /SEPTET_URL=(\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${String(code)} before serving: ${stderr.slice(-500)}`));
    });
  });
  const listeningAt = nowMs();
  let closing: Promise<void> | null = null;
  return {
    url,
    pid: child.pid,
    dataDir,
    spawnedAt,
    listeningAt,
    rssMB() {
      return readRssMB(child.pid);
    },
    close() {
      closing ??= (async () => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
        tmp?.remove();
        home.remove();
      })();
      return closing;
    },
  };
}

function readRssMB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The first interactive screen: the demo sign-in button (enabled) or, when a session was restored, the main navigation. */
export async function waitForFirstScreen(page: Page, timeoutMs = 30_000): Promise<'sign-in' | 'main'> {
  const demo = page.getByRole('button', { name: 'Sign in with the demo account' });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await demo.and(page.locator(':enabled')).or(nav).first().waitFor({ state: 'visible', timeout: timeoutMs });
  return (await nav.isVisible()) ? 'main' : 'sign-in';
}

export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const screen = await waitForFirstScreen(page);
  if (screen === 'sign-in') await page.getByRole('button', { name: 'Sign in with the demo account' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'visible', timeout: 30_000 });
}

export type UiSession = { ui: UiBuild; emulatorUrl: string; browser: Browser; log: (line: string) => void };

/**
 * Runs `fn` with a built app, a running emulator and Chromium. When any of them cannot start,
 * every UI row of the figure is reported "not measured" with the reason instead.
 */
export async function withUi(
  log: (line: string) => void,
  rows: string[],
  report: { notMeasured(id: string, reason: string): void },
  fn: (session: UiSession) => Promise<void>,
  emulatorConfig?: Record<string, unknown>,
): Promise<void> {
  let ui: UiBuild;
  try {
    ui = await buildUi(log);
  } catch (error) {
    for (const id of rows) report.notMeasured(id, `the app cannot be built: ${firstLine(error)}`);
    return;
  }
  const { startBenchEmulator } = await import('./emulator.js');
  const emulator = await startBenchEmulator({ log, ...(emulatorConfig ? { config: emulatorConfig } : {}) });
  let browser: Browser | undefined;
  try {
    try {
      browser = await launchChromium();
    } catch (error) {
      for (const id of rows) report.notMeasured(id, `Chromium cannot start: ${firstLine(error)}`);
      return;
    }
    await fn({ ui, emulatorUrl: emulator.url, browser, log });
  } finally {
    await browser?.close();
    await emulator.close();
  }
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160);
}
