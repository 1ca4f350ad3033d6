// Figure 4: a 10,000-track playlist in the real renderer.
//   4a  first frame: pointerdown on the playlist's card → the first frame that shows its rows
//       (see armAppearProbe; the first, cold open that fetches the playlist is the warm-up)
//   4b  scrolling: the list is scrolled 600 px per animation frame for 3 s; the sample is the
//       longest frame-to-frame gap of the run (long tasks > 50 ms are kept in the details)
import type { Page } from 'playwright-core';
import type { TrackView } from '../../shared/ipc/contract.js';
import { getCatalogue } from '../../emulator/catalogue.js';
import type { FigureGroup } from '../lib/figure.js';
import { armAppearProbe, awaitProbe, invoke, scrollProbe } from '../lib/page-probes.js';
import { percentile } from '../lib/stats.js';
import { signIn, startAppProcess, withUi } from '../lib/ui.js';

const listSelector = '[role="list"][aria-label="Playlist tracks"]';

export function trackViews(count: number): TrackView[] {
  const catalogue = getCatalogue();
  const tracks = [...catalogue.tracks.values()];
  return Array.from({ length: count }, (_, i) => {
    const t = tracks[(i * 13) % tracks.length]!;
    const release = catalogue.releases.get(t.releaseId);
    return {
      id: t.id,
      title: t.title,
      artist: { id: t.artistId, name: catalogue.artistOf(t.artistId)?.name ?? 'Unknown' },
      ...(release ? { release: { id: release.id, title: release.title } } : {}),
      trackNumber: t.trackNumber,
      durationSec: t.durationSec,
    };
  });
}

type Result<T> = { ok: boolean; value?: T; error?: { message: string } };

/** Creates the playlist through the app's own channels (1,000 tracks per call, the contract's maximum). */
export async function createBigPlaylist(page: Page, name: string, size: number): Promise<string> {
  const tracks = trackViews(size);
  const created = (await page.evaluate(
    invoke('playlists:create', { name, tracks: tracks.slice(0, 1000) }),
  )) as Result<{ id: string }>;
  if (!created.ok || !created.value)
    throw new Error(`playlists:create failed: ${created.error?.message ?? ''}`);
  for (let i = 1000; i < size; i += 1000) {
    const added = (await page.evaluate(
      invoke('playlists:addTracks', { playlistId: created.value.id, tracks: tracks.slice(i, i + 1000) }),
    )) as Result<unknown>;
    if (!added.ok) throw new Error(`playlists:addTracks failed at ${i}: ${added.error?.message ?? ''}`);
  }
  return created.value.id;
}

async function openPlaylists(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Playlists' }).click();
}

export const lists: FigureGroup = {
  key: '4',
  title: 'big lists',
  rows: [
    {
      id: '4a',
      name: 'lists: 10k playlist, click → first frame',
      unit: 'ms',
      checks: [{ stat: 'p95', op: '<=', limit: 100 }],
      ui: true,
    },
    {
      id: '4a.cold',
      name: 'lists: 10k playlist, first open after a reload (fetched)',
      unit: 'ms',
      checks: [],
      info: true,
      ui: true,
    },
    {
      id: '4b',
      name: 'lists: 10k playlist scroll, longest frame',
      unit: 'ms',
      checks: [{ stat: 'max', op: '<=', limit: 50 }],
      ui: true,
    },
  ],
  async run(options, report) {
    await withUi(options.log, ['4a', '4a.cold', '4b'], report, async ({ ui, emulatorUrl, browser, log }) => {
      const size = options.quick ? 1000 : 10_000;
      const runs = options.quick ? 2 : Math.max(3, Math.round(6 * options.scale));
      const app = await startAppProcess(ui, emulatorUrl, { log });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        await signIn(page, app.url);
        const name = `Bench ${size} tracks`;
        await createBigPlaylist(page, name, size);
        const firstFrame: number[] = [];
        const maxFrame: number[] = [];
        const perRun: unknown[] = [];
        for (let run = -1; run < runs; run += 1) {
          await page
            .getByRole('navigation', { name: 'Main' })
            .getByRole('button', { name: 'Search' })
            .click();
          await page.waitForTimeout(300);
          await openPlaylists(page);
          const card = page.getByRole('button', { name: new RegExp(name) }).first();
          await card.waitFor({ state: 'visible', timeout: 30_000 });
          await page.evaluate(armAppearProbe('list', `${listSelector} [role="listitem"]`));
          await card.click();
          const shown = (await page.evaluate(awaitProbe('list', 30_000))) as {
            ms: number;
            method: string;
            inDomMs: number;
            afterFrameMs: number;
            rows: number;
          };
          await page.waitForTimeout(500);
          const scroll = (await page.evaluate(
            scrollProbe(listSelector, 600, options.quick ? 1_500 : 3_000),
          )) as {
            deltas: number[];
            longTasks: number[];
            scrollTop: number;
            scrollHeight: number;
            rows: number;
          };
          if (run < 0) continue;
          firstFrame.push(shown.ms);
          maxFrame.push(Math.max(...scroll.deltas));
          perRun.push({
            firstFrameMs: Math.round(shown.ms),
            rowsInFirstFrame: shown.rows,
            method: shown.method,
            rowsInDomMs: Math.round(shown.inDomMs),
            taskAfterFrameMs: Math.round(shown.afterFrameMs),
            frames: scroll.deltas.length,
            frameP50: Math.round(percentile(scroll.deltas, 50) * 10) / 10,
            frameP95: Math.round(percentile(scroll.deltas, 95) * 10) / 10,
            framesOver50: scroll.deltas.filter((d) => d > 50).length,
            longTasks: scroll.longTasks,
            scrolledPx: Math.round(scroll.scrollTop),
            scrollHeight: scroll.scrollHeight,
            domRows: scroll.rows,
          });
        }
        const details = { playlistTracks: size, runs: perRun, scroll: '600 px per animation frame' };
        report.measured('4a', firstFrame, details);
        report.measured('4b', maxFrame, details);

        if (options.selected('4a.cold')) {
          // A reload empties the renderer's stores: the open fetches the playlist through the
          // host, the core and the API before its rows can show.
          const cold: number[] = [];
          for (let run = 0; run < (options.quick ? 1 : 3); run += 1) {
            await page.reload();
            await page
              .getByRole('navigation', { name: 'Main' })
              .waitFor({ state: 'visible', timeout: 30_000 });
            await openPlaylists(page);
            const card = page.getByRole('button', { name: new RegExp(name) }).first();
            await card.waitFor({ state: 'visible', timeout: 30_000 });
            await page.waitForTimeout(300);
            await page.evaluate(armAppearProbe('list', `${listSelector} [role="listitem"]`));
            await card.click();
            cold.push(((await page.evaluate(awaitProbe('list', 30_000))) as { ms: number }).ms);
          }
          report.measured('4a.cold', cold);
        }
      } finally {
        await context.close();
        await app.close();
      }
    });
  },
};
