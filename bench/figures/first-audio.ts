// Figure 1: time to first audio in the real renderer (hls.js + <audio>) served by the browser
// host, its media gateway and the emulator: pointerdown on Play → the first timeupdate with
// currentTime > 0 (see lib/page-probes.ts; the resource timings are kept as a cross-check).
//   1a  streamed: a track neither cached nor prefetched
//   1b  from the offline cache: a release made available offline first
//   1c  prefetched next track: "Next track" after the player prefetched it (last 12 s of the previous one)
import type { Page } from 'playwright-core';
import type { FigureGroup } from '../lib/figure.js';
import { armTtfaProbe, audioSelector, awaitProbe, invoke } from '../lib/page-probes.js';
import { firstLine, signIn, startAppProcess, withUi } from '../lib/ui.js';

export type AudioTrack = {
  trackId: string;
  releaseId: string;
  title: string;
  durationSec: number;
  releaseTitle: string;
};
type Probe = {
  ms: number;
  currentTime: number;
  events: unknown[];
  resources: Array<{ kind: string; path: string; start: number; end: number }>;
};

export async function openSearch(page: Page, query: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Search' }).click();
  const box = page.getByRole('searchbox', { name: 'Search' });
  await box.fill(query);
  const tab = page.getByRole('tab', { name: 'Tracks' });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
}

export async function stopAudio(page: Page): Promise<void> {
  await page.evaluate(
    `(() => { const a = document.querySelector('${audioSelector}'); if (a) a.pause(); })()`,
  );
  await page.waitForTimeout(300);
}

/** The rAF-resolution cross-check of each measured play (first frame that saw currentTime > 0). */
const crossChecks: number[] = [];

/** Measures one press of `button` (located after the probe is armed). */
async function measure(page: Page, press: () => Promise<void>): Promise<Probe> {
  await page.evaluate(armTtfaProbe);
  await press();
  const probe = (await page.evaluate(awaitProbe('ttfa', 20_000))) as Probe;
  const frame = (probe.events as Array<[string, number]>).find(
    ([name]) => name === 'firstFrameWithCurrentTime>0',
  );
  if (frame) crossChecks.push(frame[1]);
  return probe;
}

export async function playFromSearch(page: Page, track: AudioTrack): Promise<Probe> {
  await openSearch(page, track.title);
  const play = page.getByRole('button', { name: `Play ${track.title}`, exact: true }).first();
  await play.waitFor({ state: 'visible', timeout: 15_000 });
  return measure(page, () => play.click());
}

export const firstAudio: FigureGroup = {
  key: '1',
  title: 'time to first audio',
  rows: [
    {
      id: '1a',
      name: 'first audio: streamed',
      unit: 'ms',
      checks: [
        { stat: 'p50', op: '<=', limit: 200 },
        { stat: 'p95', op: '<=', limit: 400 },
      ],
      ui: true,
    },
    {
      id: '1b',
      name: 'first audio: from the offline cache',
      unit: 'ms',
      checks: [{ stat: 'p50', op: '<=', limit: 150 }],
      ui: true,
    },
    {
      id: '1c',
      name: 'first audio: prefetched next track',
      unit: 'ms',
      checks: [{ stat: 'p50', op: '<=', limit: 100 }],
      ui: true,
    },
    // Cross-checks: the first animation frame that saw currentTime > 0 (Chromium throttles
    // timeupdate to about every 250 ms, so the rows above carry up to that much quantisation).
    {
      id: '1a.f',
      name: 'first audio: streamed, first frame with currentTime > 0',
      unit: 'ms',
      checks: [],
      info: true,
      ui: true,
    },
    {
      id: '1b.f',
      name: 'first audio: cached, first frame with currentTime > 0',
      unit: 'ms',
      checks: [],
      info: true,
      ui: true,
    },
    {
      id: '1c.f',
      name: 'first audio: prefetched, first frame with currentTime > 0',
      unit: 'ms',
      checks: [],
      info: true,
      ui: true,
    },
  ],
  async run(options, report) {
    const ids = ['1a', '1b', '1c', '1a.f', '1b.f', '1c.f'].filter((id) => options.selected(id));
    const crossCheckRow = (id: string, values: number[]) => {
      if (!options.selected(id)) return;
      if (values.length > 0) report.measured(id, values);
      else report.notMeasured(id, 'no play advanced currentTime');
    };
    await withUi(options.log, ids, report, async ({ ui, emulatorUrl, browser, log }) => {
      const audioSet = (
        (await (await fetch(`${emulatorUrl}/_emulator/audio-set`)).json()) as { tracks: AudioTrack[] }
      ).tracks;
      const titles = new Map<string, number>();
      for (const t of audioSet) titles.set(t.title, (titles.get(t.title) ?? 0) + 1);
      const unique = audioSet.filter((t) => titles.get(t.title) === 1 && t.durationSec >= 20);
      const byRelease = new Map<string, AudioTrack[]>();
      for (const t of unique) byRelease.set(t.releaseId, [...(byRelease.get(t.releaseId) ?? []), t]);
      const offlineRelease = [...byRelease.values()].sort((a, b) => b.length - a.length)[0] ?? [];
      const streamed = unique.filter((t) => !offlineRelease.includes(t));

      const app = await startAppProcess(ui, emulatorUrl, { log });
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await signIn(page, app.url);
        let next = 0;
        const take = () => {
          const track = streamed[next % streamed.length];
          next += 1;
          if (!track) throw new Error('no audio-set tracks to play');
          return track;
        };

        if (options.selected('1a')) {
          const n = options.quick ? 2 : Math.max(5, Math.round(12 * options.scale));
          const samples: number[] = [];
          const misses: string[] = [];
          let example: Probe | undefined;
          for (let i = -1; i < n; i += 1) {
            const track = take();
            try {
              const probe = await playFromSearch(page, track);
              if (i < 0) crossChecks.splice(0);
              if (i >= 0) {
                samples.push(probe.ms);
                example ??= probe;
              }
            } catch (error) {
              misses.push(`${track.title}: ${firstLine(error)}`);
            }
            await stopAudio(page);
          }
          if (samples.length === 0)
            report.notMeasured('1a', `no track started: ${misses.slice(0, 2).join('; ')}`);
          else report.measured('1a', samples, { misses, example, firstAdvanceMs: [...crossChecks] });
          crossCheckRow('1a.f', crossChecks.splice(0));
        }

        if (options.selected('1b')) {
          const first = offlineRelease[0];
          if (!first) report.notMeasured('1b', 'the emulator has no release with audio');
          else {
            const made = (await page.evaluate(
              invoke('offline:makeAvailable', { releaseId: first.releaseId }),
            )) as { ok: boolean; error?: { message: string } };
            if (!made.ok) throw new Error(`offline:makeAvailable failed: ${made.error?.message ?? ''}`);
            const deadline = Date.now() + 180_000;
            for (;;) {
              const status = (await page.evaluate(invoke('offline:getStatus', {}))) as {
                ok: boolean;
                value?: { cachedTrackIds?: string[] };
              };
              const cached = new Set(status.value?.cachedTrackIds ?? []);
              if (offlineRelease.every((t) => cached.has(t.trackId))) break;
              if (Date.now() > deadline)
                throw new Error(`the release was not cached within 180 s (${cached.size} tracks cached)`);
              await page.waitForTimeout(500);
            }
            const rounds = options.quick ? 1 : Math.max(1, Math.round(2 * options.scale));
            const samples: number[] = [];
            const misses: string[] = [];
            let example: Probe | undefined;
            for (let round = 0; round < rounds; round += 1) {
              for (const track of offlineRelease.slice(0, options.quick ? 2 : 8)) {
                try {
                  const probe = await playFromSearch(page, track);
                  samples.push(probe.ms);
                  example ??= probe;
                } catch (error) {
                  misses.push(`${track.title}: ${firstLine(error)}`);
                }
                await stopAudio(page);
              }
            }
            if (samples.length === 0)
              report.notMeasured('1b', `no cached track started: ${misses.slice(0, 2).join('; ')}`);
            else
              report.measured('1b', samples, {
                releaseId: first.releaseId,
                tracks: offlineRelease.length,
                misses,
                example,
                firstAdvanceMs: [...crossChecks],
              });
            crossCheckRow('1b.f', crossChecks.splice(0));
          }
        }

        if (options.selected('1c')) {
          const n = options.quick ? 1 : Math.max(3, Math.round(5 * options.scale));
          const samples: number[] = [];
          const nextChecks: number[] = [];
          const misses: string[] = [];
          let example: Probe | undefined;
          for (let i = 0; i < n; i += 1) {
            const a = take();
            const b = take();
            try {
              await playFromSearch(page, a);
              crossChecks.splice(0);
              await openSearch(page, b.title);
              const playNext = page
                .getByRole('button', { name: `Play ${b.title} next`, exact: true })
                .first();
              await playNext.waitFor({ state: 'visible', timeout: 15_000 });
              await playNext.click();
              // Into the last 12 s, where the player prefetches the next track; give it time to.
              await page.evaluate(
                `(() => { const el = document.querySelector('${audioSelector}'); el.currentTime = Math.max(0, el.duration - 11); })()`,
              );
              await page.waitForTimeout(3_000);
              const nextButton = page.getByRole('button', { name: 'Next track' });
              const probe = await measure(page, () => nextButton.click());
              nextChecks.push(...crossChecks.splice(0));
              samples.push(probe.ms);
              example ??= probe;
            } catch (error) {
              misses.push(`${a.title} → ${b.title}: ${firstLine(error)}`);
            }
            await stopAudio(page);
          }
          crossCheckRow('1c.f', nextChecks);
          if (samples.length === 0)
            report.notMeasured('1c', `no prefetched track started: ${misses.slice(0, 2).join('; ')}`);
          else
            report.measured('1c', samples, {
              misses,
              example,
              firstAdvanceMs: nextChecks,
              note: 'the previous track is seeked to 11 s before its end and left playing 3 s so the player prefetches the next one',
            });
        }
      } finally {
        await context.close();
        await app.close();
      }
    });
  },
};
