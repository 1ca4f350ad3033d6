// Figure 3: search over the full generated catalogue.
//   3a  keystroke → results rendered in the UI (browser host + renderer in Chromium): from the
//       last keydown's timestamp to the frame after the track list first shows results for the
//       typed query. Includes the renderer's debounce, the host round trip and the API call.
//   3b  the API-side part: a signed searchTracks round trip through the real API client.
import { demoConsumer } from '../../shared/demo.js';
import { createApiClient } from '../../electron/core/api/client.js';
import { createLocalSigner } from '../../electron/core/api/oauth.js';
import { createLogger } from '../../electron/core/logger.js';
import { getCatalogue } from '../../emulator/catalogue.js';
import type { FigureGroup } from '../lib/figure.js';
import { startBenchEmulator } from '../lib/emulator.js';
import { nowMs } from '../lib/stats.js';
import { firstLine, signIn, startAppProcess, withUi } from '../lib/ui.js';

/** Distinct queries (prefixes of real title words), never repeated, so no cache answers them. */
function queries(count: number, seed: number): string[] {
  const words = new Set<string>();
  for (const track of getCatalogue().tracks.values()) {
    for (const word of track.title.toLowerCase().split(/\s+/)) if (/^[a-z]{5,}$/.test(word)) words.add(word);
  }
  const list = [...words].sort();
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < count && i < count * 20; i += 1) {
    const word = list[(seed + i * 7919) % list.length]!;
    const q = word.slice(0, 4 + (i % Math.max(1, word.length - 3)));
    if (!seen.has(q)) {
      seen.add(q);
      out.push(q);
    }
  }
  return out;
}

// In-page code is kept as plain JavaScript text: functions passed from tsx-compiled code carry
// esbuild's __name helper, which does not exist in the page.
const armSearchProbe = `(function (query) {
  const input = document.querySelector('input[role="searchbox"]');
  if (!input) throw new Error('no search box');
  globalThis.__septetBench = {
    search: new Promise((resolve) => {
      let lastKey = NaN;
      const onKey = (e) => { lastKey = e.timeStamp; };
      input.addEventListener('keydown', onKey, { capture: true });
      const check = () => {
        const first = document.querySelector('[role="list"][aria-label="Tracks"] [role="listitem"]');
        if (!first || Number.isNaN(lastKey) || !(first.textContent || '').toLowerCase().includes(query)) return;
        observer.disconnect();
        input.removeEventListener('keydown', onKey, { capture: true });
        // The frame that shows the results: after the next animation frame's paint.
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now() - lastKey);
          channel.port2.postMessage(null);
        });
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    }),
  };
})`;

export const search: FigureGroup = {
  key: '3',
  title: 'search',
  rows: [
    {
      id: '3a',
      name: 'search: keystroke → results rendered (UI)',
      unit: 'ms',
      checks: [{ stat: 'p95', op: '<=', limit: 150 }],
      ui: true,
    },
    {
      id: '3b',
      name: 'search: signed searchTracks round trip (API part)',
      unit: 'ms',
      checks: [],
      info: true,
    },
  ],
  async run(options, report) {
    if (options.selected('3b')) {
      const emulator = await startBenchEmulator({ log: options.log });
      try {
        const api = createApiClient({
          baseUrl: emulator.url,
          signer: createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret }),
          logger: createLogger('bench', { level: 'silent' }),
          retry: { retries: 0 },
        });
        const qs = queries(options.quick ? 8 : Math.round(100 * options.scale), 11);
        const samples: number[] = [];
        for (const [i, q] of qs.entries()) {
          const started = nowMs();
          await api.call('searchTracks', { query: { q, pageSize: 50 } });
          if (i >= 3) samples.push(nowMs() - started);
        }
        report.measured('3b', samples, {
          pageSize: 50,
          warmup: 3,
          catalogueTracks: getCatalogue().stats.tracks,
        });
      } finally {
        await emulator.close();
      }
    }
    if (!options.selected('3a')) return;
    await withUi(options.log, ['3a'], report, async ({ ui, emulatorUrl, browser, log }) => {
      const app = await startAppProcess(ui, emulatorUrl, { log });
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await signIn(page, app.url);
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Search' })
          .or(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Search' }))
          .first()
          .click();
        const box = page.getByRole('searchbox', { name: 'Search' });
        await box.waitFor({ state: 'visible' });
        const tracksTab = page.getByRole('tab', { name: 'Tracks' });
        if ((await tracksTab.getAttribute('aria-selected')) !== 'true') await tracksTab.click();
        const qs = queries(options.quick ? 4 : Math.max(10, Math.round(30 * options.scale)), 5);
        const samples: number[] = [];
        const misses: string[] = [];
        for (const [i, q] of qs.entries()) {
          await box.fill('');
          await page
            .getByRole('list', { name: 'Tracks' })
            .waitFor({ state: 'detached', timeout: 10_000 })
            .catch(() => undefined);
          await page.waitForTimeout(300);
          await page.evaluate(`${armSearchProbe}(${JSON.stringify(q)})`);
          await box.pressSequentially(q, { delay: 30 });
          try {
            const ms = (await page.evaluate(
              'Promise.race([globalThis.__septetBench.search, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 15000))])',
            )) as number;
            if (i >= 1) samples.push(ms);
          } catch (error) {
            misses.push(`${q}: ${firstLine(error)}`);
          }
        }
        if (samples.length === 0) throw new Error(`no search rendered results: ${misses.join('; ')}`);
        report.measured('3a', samples, {
          typingDelayMs: 30,
          misses,
          note: "includes the renderer's search debounce (renderer/stores/search-pager.ts: leading edge after a pause, then 60 ms while typing)",
        });
      } finally {
        await context.close();
        await app.close();
      }
    });
  },
};
