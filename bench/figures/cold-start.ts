// Figure 2a: cold start — from spawning the browser-host process (core + host, the bundle that
// ships) to the first interactive screen in Chromium (the demo sign-in button enabled, or the
// main navigation when a session is restored). Chromium itself is already running: its own
// start-up is not Septet's.
import type { FigureGroup } from '../lib/figure.js';
import { nowMs } from '../lib/stats.js';
import { benchTempDir } from '../lib/temp.js';
import { startAppProcess, waitForFirstScreen, withUi } from '../lib/ui.js';

export const coldStart: FigureGroup = {
  key: '2a',
  title: 'cold start',
  rows: [
    {
      id: '2a',
      name: 'cold start: process start → first interactive screen',
      unit: 'ms',
      checks: [{ stat: 'p50', op: '<=', limit: 1500 }],
      ui: true,
    },
  ],
  async run(options, report) {
    await withUi(options.log, ['2a'], report, async ({ ui, emulatorUrl, browser, log }) => {
      const runs = options.quick ? 2 : Math.max(3, Math.round(7 * options.scale));
      const tmp = benchTempDir('coldstart');
      const dataDir = `${tmp.dir}/data`;
      const samples: number[] = [];
      const toListening: number[] = [];
      const screens: string[] = [];
      try {
        for (let run = -1; run < runs; run += 1) {
          const app = await startAppProcess(ui, emulatorUrl, { dataDir, log });
          const context = await browser.newContext();
          try {
            const page = await context.newPage();
            await page.goto(app.url);
            const screen = await waitForFirstScreen(page);
            const total = nowMs() - app.spawnedAt;
            if (run >= 0) {
              samples.push(total);
              toListening.push(app.listeningAt - app.spawnedAt);
              screens.push(screen);
            } else log(`2a: warm-up (first run on a fresh data dir) ${total.toFixed(0)} ms`);
          } finally {
            await context.close();
            await app.close();
          }
        }
      } finally {
        tmp.remove();
      }
      report.measured('2a', samples, {
        processToListeningMs: toListening,
        screens,
        dataDir: 'reused across runs (created by the warm-up run)',
      });
    });
  },
};
