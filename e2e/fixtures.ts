// Playwright fixtures: a real emulator (free port, temp data dir), a real app core + browser host
// (free ports, temp data dir, its own keychain service) and the built renderer in Chromium.
// `app.restart()` stops and starts the app on the same data dir; `emulator.stop()/start()` take
// the API away and bring it back on the same port.
import { test as base, expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../electron/core/config/config.js';
import { createLogger } from '../electron/core/logger.js';
import { startBrowserApp, type BrowserApp } from '../electron/host/browser-app.js';
import { startEmulator, type RunningEmulator } from '../emulator/server.js';
import { demoListener } from '../shared/demo.js';
import type { SeptetBridge } from '../shared/ipc/contract.js';

export { expect };

declare global {
  // The bridge the page sees (installed by renderer/services/bridge-browser.ts).
  var septet: SeptetBridge | undefined;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const rendererDir = join(root, 'dist/renderer');
export const screenshotDir = join(root, 'docs/screenshots');

export type EmulatorHandle = {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** GET on the unsigned test-only API. */
  testApi<T = unknown>(path: string, init?: RequestInit): Promise<T>;
};

export type AppHandle = {
  url: string;
  dataDir: string;
  downloadsDir: string;
  /** Files "Show in folder" asked the file manager to show (the one stand-in: no file manager runs here). */
  shownInFolder: string[];
  current(): BrowserApp;
  /** Stops the app and starts it again on the same data dir (and keychain entries). */
  restart(): Promise<void>;
  /** Another app instance (its own data dir, so its own clientId): a second device. */
  startSecondDevice(): Promise<BrowserApp>;
};

type Fixtures = { workDir: string; emulator: EmulatorHandle; app: AppHandle };
type WorkerFixtures = { renderer: string };
type BuildScript = {
  buildIfStale(options: { electron: boolean; log: (line: string) => void }): Promise<void>;
};

const quiet = createLogger('e2e', { level: process.env.SEPTET_E2E_LOG === '1' ? 'debug' : 'silent' });

export const test = base.extend<Fixtures, WorkerFixtures>({
  // Tests drive the built renderer: rebuild it once per run when a source is newer.
  renderer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
    async ({}, use) => {
      const script = (await import(join(root, 'scripts/build.mjs') as string)) as BuildScript;
      await script.buildIfStale({ electron: false, log: (line) => process.stdout.write(`${line}\n`) });
      await use(rendererDir);
    },
    { scope: 'worker', auto: true },
  ],

  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
  workDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'septet-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },

  emulator: async ({ workDir }, use) => {
    const dataDir = join(workDir, 'emulator');
    let running: RunningEmulator | null = await startEmulator({ port: 0, dataDir });
    const port = running.port;
    const url = running.url;
    const handle: EmulatorHandle = {
      url,
      port,
      async stop() {
        await running?.close();
        running = null;
      },
      async start() {
        if (!running) running = await startEmulator({ port, dataDir });
      },
      async testApi(path, init) {
        const response = await fetch(`${url}${path}`, init);
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
        return (await response.json()) as never;
      },
    };
    await use(handle);
    // The emulator as a witness: no radio event or play log the app sent may be impossible
    // (a completion before the track could have played, more listening than the stream existed).
    if (running) {
      const { findings } = await handle.testApi<{ findings: unknown[] }>('/_emulator/implausible');
      expect(findings, 'the emulator found plays or radio events that cannot be true').toEqual([]);
    }
    await running?.close();
  },

  app: async ({ workDir, emulator, renderer, context }, use) => {
    if (!existsSync(join(renderer, 'index.html')))
      throw new Error('dist/renderer is missing: run `node scripts/build.mjs`.');
    const vaultService = `Septet-e2e-${randomBytes(6).toString('hex')}`;
    const downloadsDir = join(workDir, 'downloads');
    await mkdir(downloadsDir, { recursive: true });
    const shownInFolder: string[] = [];
    const extra: BrowserApp[] = [];
    const launch = (dataDir: string): Promise<BrowserApp> =>
      startBrowserApp({
        config: loadConfig({
          flags: { baseUrl: emulator.url, dataDir, logLevel: 'warn' },
          env: {},
          readFile: () => null,
        }),
        rendererDir,
        version: '0.0.0-e2e',
        logger: quiet,
        vaultService,
        defaultDownloadFolder: downloadsDir,
        showItemInFolder: async (path) => {
          shownInFolder.push(path);
        },
        // The "system browser" is a tab of the test's browser: the listener signs in on the
        // emulator's authorise page, which redirects to the app's loopback callback.
        openExternal: async (url) => {
          const tab = await context.newPage();
          await tab.goto(url);
          await tab.getByLabel('Email').fill(demoListener.email);
          await tab.getByLabel('Password').fill(demoListener.password);
          await tab.getByRole('button', { name: 'Allow access' }).click();
          await expect(tab.getByText('You are signed in to Septet')).toBeVisible();
          await tab.close();
        },
      });
    const dataDir = join(workDir, 'app');
    let current = await launch(dataDir);
    const handle: AppHandle = {
      get url() {
        return current.url;
      },
      dataDir,
      downloadsDir,
      shownInFolder,
      current: () => current,
      async restart() {
        await current.close();
        current = await launch(dataDir);
      },
      async startSecondDevice() {
        const other = await startBrowserApp({
          config: loadConfig({
            flags: {
              baseUrl: emulator.url,
              dataDir: join(workDir, `device-${extra.length + 2}`),
              logLevel: 'warn',
            },
            env: {},
            readFile: () => null,
          }),
          rendererDir,
          version: '0.0.0-e2e',
          logger: quiet,
          vaultService: `${vaultService}-${extra.length + 2}`,
          defaultDownloadFolder: downloadsDir,
          openExternal: async () => undefined,
        });
        extra.push(other);
        return other;
      },
    };
    await use(handle);
    for (const other of extra) await other.close();
    await current.close();
  },
});

/** Opens the app and signs in with a demo account (unless a restored session is already signed in). */
export async function openSignedIn(
  page: Page,
  url: string,
  options: { subscription?: boolean } = {},
): Promise<void> {
  await page.goto(url);
  const demoButton =
    options.subscription === false
      ? page.getByRole('button', { name: /Demo account without a subscription/ })
      : page.getByRole('button', { name: 'Sign in with the demo account' });
  const searchNav = page.getByRole('navigation', { name: 'Main' });
  await expect(demoButton.or(searchNav)).toBeVisible({ timeout: 30_000 });
  if (await demoButton.isVisible()) await demoButton.click();
  await expect(searchNav).toBeVisible({ timeout: 30_000 });
}

/** The app's one <audio> element. */
export function audioElement(page: Page) {
  return page.locator('audio.audio-engine');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}
