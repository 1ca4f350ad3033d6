// Figure 7: memory.
//   7a/7b  after playing 20 tracks and scrolling the 10,000-track playlist: the renderer's JS
//          heap (after a forced GC, CDP Runtime.getHeapUsage) and the main side's RSS (the
//          browser-host process: core + host + media gateway, from /proc). Samples are three
//          readings a second apart.
//   7c/7d  a radio soak (--soak-minutes, default 30; quick 0.5): the station plays in real time,
//          as licensed (no seeking on radio: the player refuses it, and main would not count a
//          jump); growth of each figure from a baseline taken after a 2-minute warm-up of radio
//          to the end of the soak (plus the least-squares trend per 30 minutes). The station must
//          keep playing to the end (a soak whose audio stopped advancing is an error, not a
//          pass). It is seeded with the big playlist of catalogue tracks (every track has audio)
//          and runs under the service's real rules: the 3-hour DMCA window, ≤ 3 per release,
//          ≤ 4 per artist.
import type { CDPSession, Page } from 'playwright-core';
import type { FigureGroup } from '../lib/figure.js';
import { audioSelector, scrollProbe } from '../lib/page-probes.js';
import { firstLine, signIn, startAppProcess, withUi, type AppProcess } from '../lib/ui.js';
import { playFromSearch, stopAudio, type AudioTrack } from './first-audio.js';
import { createBigPlaylist } from './lists.js';

/** The soak fails when the audio has not advanced for this long. */
const soakStallMs = 60_000;

/** The playing position and the title on the player bar (a new title is a new station track). */
const nowPlaying = `(() => {
  const a = document.querySelector('${audioSelector}');
  const title = document.querySelector('.now-playing .now-title');
  return { position: a ? a.currentTime : -1, title: title ? title.textContent : null };
})()`;

/**
 * Radio played before the soak's baseline reading: the first minutes fill caches (the audio engine's buffers, SQLite
 * pages, the allocator) and release what the 7a/7b phase left, which would hide real growth.
 */
const soakWarmUpMs = 120_000;

/** One soak reading: seconds since the station started, renderer heap and main RSS. */
type Reading = { atSec: number; heapMB: number; rssMB: number };

function trendPer30Min(points: Array<[number, number]>): number {
  if (points.length < 2) return Number.NaN;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : Math.round((sxy / sxx) * 1800 * 100) / 100;
}

async function heapMB(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usage.usedSize / 2 ** 20;
}

async function readings(cdp: CDPSession, app: AppProcess, page: Page) {
  const heap: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    heap.push(await heapMB(cdp));
    rss.push(app.rssMB());
    await page.waitForTimeout(1_000);
  }
  return { heap, rss };
}

export const memory: FigureGroup = {
  key: '7',
  title: 'memory',
  rows: [
    {
      id: '7a',
      name: 'memory: renderer JS heap after 20 tracks + 10k list',
      unit: 'MB',
      checks: [{ stat: 'p50', op: '<=', limit: 100 }],
      ui: true,
    },
    {
      id: '7b',
      name: 'memory: main-side RSS after 20 tracks + 10k list',
      unit: 'MB',
      checks: [{ stat: 'p50', op: '<=', limit: 200 }],
      ui: true,
    },
    {
      id: '7c',
      name: 'memory: renderer heap growth over the radio soak',
      unit: 'MB',
      checks: [{ stat: 'max', op: '<=', limit: 10 }],
      ui: true,
    },
    {
      id: '7d',
      name: 'memory: main RSS growth over the radio soak',
      unit: 'MB',
      checks: [{ stat: 'max', op: '<=', limit: 10 }],
      ui: true,
    },
  ],
  async run(options, report) {
    await withUi(options.log, ['7a', '7b', '7c', '7d'], report, async ({ ui, emulatorUrl, browser, log }) => {
      const audioSet = (
        (await (await fetch(`${emulatorUrl}/_emulator/demo-set`)).json()) as { tracks: AudioTrack[] }
      ).tracks;
      const counts = new Map<string, number>();
      for (const t of audioSet) counts.set(t.title, (counts.get(t.title) ?? 0) + 1);
      const playable = audioSet.filter((t) => counts.get(t.title) === 1);
      const app = await startAppProcess(ui, emulatorUrl, { log });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await signIn(page, app.url);

        const size = options.quick ? 1000 : 10_000;
        const bigPlaylist = `Bench memory ${size}`;
        const bigPlaylistId = await createBigPlaylist(page, bigPlaylist, size);

        if (options.selected('7a') || options.selected('7b')) {
          const plays = options.quick ? 3 : 20;
          const name = bigPlaylist;
          const misses: string[] = [];
          for (let i = 0; i < plays; i += 1) {
            const track = playable[i % playable.length]!;
            try {
              await playFromSearch(page, track);
              await page.waitForTimeout(1_000);
            } catch (error) {
              misses.push(`${track.title}: ${firstLine(error)}`);
            }
          }
          await stopAudio(page);
          await page
            .getByRole('navigation', { name: 'Main' })
            .getByRole('button', { name: 'Playlists' })
            .click();
          await page
            .getByRole('button', { name: new RegExp(name) })
            .first()
            .click();
          await page
            .locator('[role="list"][aria-label="Playlist tracks"] [role="listitem"]')
            .first()
            .waitFor({ timeout: 30_000 });
          await page.evaluate(
            scrollProbe('[role="list"][aria-label="Playlist tracks"]', 2_000, options.quick ? 1_000 : 5_000),
          );
          const { heap, rss } = await readings(cdp, app, page);
          const details = { tracksPlayed: plays - misses.length, misses, playlistTracks: size };
          report.measured('7a', heap, details);
          report.measured('7b', rss, details);
        }

        if (options.selected('7c') || options.selected('7d')) {
          await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Radio' }).click();
          await page.locator('select').first().selectOption(bigPlaylistId);
          await page.getByRole('button', { name: 'Start station' }).click();
          await page.getByRole('button', { name: 'Stop station' }).waitFor({ timeout: 30_000 });
          // (Polling with evaluate: waitForFunction compiles its predicate in the page, which the CSP forbids.)
          for (
            let waited = 0;
            !(await page.evaluate(
              `(() => { const a = document.querySelector('${audioSelector}'); return !!a && a.currentTime > 0; })()`,
            ));
            waited += 250
          ) {
            if (waited > 30_000) throw new Error('the station did not start playing within 30 s');
            await page.waitForTimeout(250);
          }
          const soakMs = options.soakMinutes * 60_000;
          const warmUpMs = options.quick ? 0 : soakWarmUpMs;
          const sampleEvery = Math.max(5_000, Math.min(60_000, soakMs / 10));
          const started = Date.now();
          const elapsedSec = () => Math.round((Date.now() - started) / 1000);
          const series: Reading[] = [];
          const sample = async (): Promise<Reading> => {
            const reading = { atSec: elapsedSec(), heapMB: await heapMB(cdp), rssMB: app.rssMB() };
            series.push(reading);
            return reading;
          };
          await sample();
          let baseline: Reading | null = warmUpMs === 0 ? series[0]! : null;
          let lastSample = started;
          let advanced = 0;
          let lastProgress = started;
          let last = (await page.evaluate(nowPlaying)) as { position: number; title: string | null };
          while (Date.now() - started < warmUpMs + soakMs) {
            await page.waitForTimeout(4_000);
            const now = (await page.evaluate(nowPlaying)) as { position: number; title: string | null };
            if (now.title !== last.title) advanced += 1;
            if (now.title !== last.title || now.position > last.position) lastProgress = Date.now();
            else if (Date.now() - lastProgress > soakStallMs) {
              const alert = await page
                .getByRole('alert')
                .first()
                .textContent({ timeout: 1_000 })
                .catch(() => null);
              throw new Error(
                `the station stopped after ${advanced} tracks, ${Math.round((lastProgress - started) / 1000)} s into the soak${alert ? `: ${alert.trim().slice(0, 120)}` : ''}`,
              );
            }
            last = now;
            if (!baseline && Date.now() - started >= warmUpMs) {
              lastSample = Date.now();
              baseline = await sample();
            } else if (Date.now() - lastSample >= sampleEvery) {
              lastSample = Date.now();
              await sample();
            }
          }
          const end = await sample();
          await page.getByRole('button', { name: 'Stop station' }).click();
          const start = baseline ?? series[0]!;
          const measured = series.filter((r) => r.atSec >= start.atSec);
          const details = {
            soakMinutes: options.soakMinutes,
            warmUpSec: warmUpMs / 1000,
            baselineAtSec: start.atSec,
            tracksAdvanced: advanced,
            seedPlaylist: bigPlaylist,
            // Least-squares trend over the measured part, per 30 minutes: a leak shows as a
            // steady slope even where the end reading happens to fall after a collection.
            heapTrendMBPer30Min: trendPer30Min(measured.map((r) => [r.atSec, r.heapMB])),
            rssTrendMBPer30Min: trendPer30Min(measured.map((r) => [r.atSec, r.rssMB])),
            series,
          };
          report.measured('7c', [end.heapMB - start.heapMB], details);
          report.measured('7d', [end.rssMB - start.rssMB], details);
        }
      } finally {
        await context.close();
        await app.close();
      }
    });
  },
};
