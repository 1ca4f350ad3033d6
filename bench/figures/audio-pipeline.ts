// Figure 10: the audio pipeline, measured on what the player's WebAudio graph outputs (an
// AudioWorklet tap on its last node, lib/audio-capture.ts), in the real renderer against the
// real emulator.
//   10a  gapless: at every track boundary of the emulator's gapless releases (their tracks are
//        one continuous signal), the milliseconds of silence or discontinuity in the captured
//        output (lib/boundary-analysis.ts). Each track is fast-forwarded to 10 s before its end
//        (the player prepares the next track in the last 12 s).
//   10b  loudness normalisation (on, −14 LUFS): tracks mastered across −20…−8 LUFS, each played
//        from its start; the integrated loudness (BS.1770, the emulator's meter) of the captured
//        output from 3 s to 33 s; the row's samples are each track's loudness above the quietest,
//        so max is the spread.
//   10c  CPU of the renderer process (Chromium's per-process CPU time) while a track plays with
//        the graph (normalisation, equaliser on a preset, limiter) minus the same playback with
//        the graph bypassed, in alternating 6 s windows of one run.
import type { CDPSession, Page } from 'playwright-core';
import type { BenchOptions, FigureGroup, Reporter } from '../lib/figure.js';
import {
  captureNow,
  frameAtMediaTime,
  readCapture,
  startCapture,
  trimCapture,
} from '../lib/audio-capture.js';
import { readBoundary, type BoundaryReading } from '../lib/boundary-analysis.js';
import { join } from 'node:path';
import { benchTempDir } from '../lib/temp.js';
import { firstLine, signIn, startAppProcess, withUi, type UiSession } from '../lib/ui.js';
import { integratedLoudness } from '../../emulator/media/loudness.js';
import { trackSource } from '../../emulator/media/track-audio.js';
import { neverPlayedTracks, openSearch } from './first-audio.js';

type GaplessRelease = {
  releaseId: string;
  title: string;
  artistName: string;
  tracks: { trackId: string; title: string; durationSec: number }[];
};

const rate = 48_000;

export const audioPipeline: FigureGroup = {
  key: '10',
  title: 'audio pipeline: gapless boundaries, loudness spread, graph CPU',
  rows: [
    {
      id: '10a',
      name: 'gapless: silence or discontinuity per track boundary (captured output)',
      unit: 'ms',
      checks: [{ stat: 'p95', op: '<=', limit: 5 }],
      ui: true,
    },
    {
      id: '10b',
      name: 'normalisation: loudness above the quietest track, −20…−8 LUFS masters (captured)',
      unit: 'LU',
      checks: [{ stat: 'max', op: '<=', limit: 1.5 }],
      ui: true,
    },
    {
      id: '10c',
      name: 'graph CPU: renderer process, graph on − bypassed (% of one core)',
      unit: '%',
      checks: [{ stat: 'p50', op: '<=', limit: 5 }],
      ui: true,
    },
  ],
  async run(options, reporter) {
    const rows = ['10a', '10b', '10c'].filter((id) => options.selected(id));
    // A row measured before a later one fails keeps its measurement.
    const done = new Set<string>();
    const report: Reporter = {
      measured(id, samples, details) {
        done.add(id);
        reporter.measured(id, samples, details);
      },
      notMeasured: (id, reason) => reporter.notMeasured(id, reason),
    };
    await withUi(options.log, rows, report, async (session) => {
      const app = await startAppProcess(session.ui, session.emulatorUrl, { log: options.log });
      const context = await session.browser.newContext({ bypassCSP: true });
      try {
        const page = await context.newPage();
        await signIn(page, app.url);
        await page.evaluate(startCapture);
        if (options.selected('10a')) await gapless(page, session, options, report);
        if (options.selected('10b') || options.selected('10c'))
          await loudnessAndCpu(page, session, options, report);
      } catch (error) {
        // What the page showed, for the reason (in the bench's temporary folder).
        const shot = join(benchTempDir('figure-10').dir, 'failure.png');
        await context
          .pages()[0]
          ?.screenshot({ path: shot })
          .catch(() => undefined);
        for (const id of rows.filter((r) => !done.has(r)))
          report.notMeasured(id, `error: ${firstLine(error)} (screenshot ${shot})`);
      } finally {
        await context.close();
        await app.close();
      }
    });
  },
};

async function gapless(
  page: Page,
  session: UiSession,
  options: BenchOptions,
  report: Reporter,
): Promise<void> {
  const { releases } = (await (
    await fetch(`${session.emulatorUrl}/_emulator/media/gapless-releases`)
  ).json()) as {
    releases: GaplessRelease[];
  };
  const wanted = options.quick ? 4 : 20;
  const plan = options.quick ? [releases[0]!] : [...releases, releases[0]!];
  const readings: (BoundaryReading & { releaseId: string; boundary: number })[] = [];
  for (const release of plan) {
    if (readings.length >= wanted && !options.quick) break;
    readings.push(...(await playRelease(page, release, options)));
  }
  report.measured(
    '10a',
    readings.map((r) => r.gapMs),
    { boundaries: readings, releases: plan.map((r) => r.title) },
  );
}

/** Plays a gapless release through, fast-forwarding each track to 10 s before its end; reads each boundary. */
async function playRelease(page: Page, release: GaplessRelease, options: BenchOptions) {
  const info = {
    trackId: release.tracks[0]!.trackId,
    releaseId: release.releaseId,
    title: '',
    artistName: release.artistName,
    releaseTitle: release.title,
    trackNumber: 1,
    durationSec: release.tracks[0]!.durationSec,
    gaplessRelease: release.tracks.map((t) => ({ trackId: t.trackId, durationSec: t.durationSec })),
  };
  const signal = trackSource(info);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Search' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(release.title);
  await page.getByRole('tab', { name: 'Releases' }).click();
  await page
    .getByRole('button', { name: new RegExp(escapeRegExp(release.title)) })
    .first()
    .click();
  const before = await page.evaluate(
    () => (document.querySelector('[data-testid="audio-engine"]') as HTMLMediaElement).src,
  );
  await page.getByRole('button', { name: 'Play all' }).click();
  // The release's own timeline (a new source), not the previous release's, still playing.
  await page.waitForFunction(
    (old) => (document.querySelector('[data-testid="audio-engine"]') as HTMLMediaElement).src !== old,
    before,
    { timeout: 60_000 },
  );
  const out: (BoundaryReading & { releaseId: string; boundary: number })[] = [];
  let startSec = 0;
  for (let k = 0; k + 1 < release.tracks.length; k++) {
    const endSec = startSec + release.tracks[k]!.durationSec;
    // The element's timeline runs on across the release: fast-forward this track to its last 10 s.
    await reachTimeline(page, startSec + 0.3, `${release.title}, track ${k + 1} playing`);
    await page.evaluate((t) => {
      (document.querySelector('[data-testid="audio-engine"]') as HTMLMediaElement).currentTime = t;
    }, endSec - 10);
    await reachTimeline(page, endSec + 0.7, `${release.title}, into track ${k + 2} on the same timeline`);
    const approx = await frameAtMediaTime(page, endSec);
    if (approx === null) throw new Error(`boundary ${k + 1} of ${release.title} was not seen playing`);
    const span = Math.round(0.7 * rate);
    const captured = await readCapture(page, Math.round(approx) - span, 2 * span);
    const boundarySample = Math.round(endSec * rate);
    const reading = readBoundary(
      captured.left,
      span,
      Math.round(0.25 * rate),
      (first, count) => signal.render(boundarySample + first, count, rate).left,
    );
    out.push({ ...reading, releaseId: release.releaseId, boundary: k + 1 });
    options.log(
      `10a: ${release.title} boundary ${k + 1}: ${reading.gapMs.toFixed(2)} ms (offset ${reading.offsetMs} ms, r ${reading.correlationBefore.toFixed(3)}/${reading.correlationAfter.toFixed(3)})`,
    );
    await trimCapture(page, await captureNow(page));
    startSec = endSec;
    if (options.quick && out.length >= 4) break;
  }
  return out;
}

async function loudnessAndCpu(
  page: Page,
  session: UiSession,
  options: BenchOptions,
  report: Reporter,
): Promise<void> {
  const candidates = neverPlayedTracks(120, 1014);
  const withLoudness = await Promise.all(
    candidates.map(async (t) => {
      const media = (await (
        await fetch(`${session.emulatorUrl}/_emulator/media/tracks/${t.trackId}`)
      ).json()) as {
        loudnessLufs: number;
      };
      return { ...t, loudnessLufs: media.loudnessLufs };
    }),
  );
  const usable = withLoudness
    .filter((t) => t.durationSec >= 60)
    .sort((a, b) => a.loudnessLufs - b.loudnessLufs);
  const count = options.quick ? 3 : 8;
  const picked: typeof usable = [];
  // The track at each quantile of loudness, or the next one whose title's search shows it.
  for (let i = 0; i < count; i++) {
    for (let at = Math.round((i * (usable.length - 1)) / (count - 1)); at < usable.length; at++) {
      const candidate = usable[at]!;
      if (picked.includes(candidate)) continue;
      await openSearch(page, candidate.title);
      const shown = page.getByRole('button', { name: `Play ${candidate.title}`, exact: true }).first();
      if (
        !(await shown.waitFor({ state: 'visible', timeout: 5_000 }).then(
          () => true,
          () => false,
        ))
      )
        continue;
      picked.push(candidate);
      break;
    }
  }
  // Each track's output is measured from 3 s to 33 s (3–15 s in quick mode).
  const windowSec = options.quick ? [3, 15] : [3, 33];
  const measured: {
    trackId: string;
    title: string;
    masteredLufs: number;
    outputLufs: number;
    gainDb: number;
  }[] = [];
  for (const track of picked) {
    await openSearch(page, track.title);
    const before = await page.evaluate(
      () => (document.querySelector('[data-testid="audio-engine"]') as HTMLMediaElement).src,
    );
    await page
      .getByRole('button', { name: `Play ${track.title}`, exact: true })
      .first()
      .click();
    // This track's playback (the element's source changes when it loads), at `sec`.
    const reach = async (sec: number) => {
      await page.waitForFunction(
        ([t, old]) => {
          const el = document.querySelector('[data-testid="audio-engine"]') as HTMLMediaElement;
          return el.src !== old && el.currentTime >= t;
        },
        [sec, before] as const,
        { timeout: 90_000 },
      );
      return captureNow(page);
    };
    const from = await reach(windowSec[0]);
    const to = await reach(windowSec[1]);
    if (to - from < (windowSec[1] - windowSec[0] - 1) * rate)
      throw new Error(`the capture of ${track.title} has gaps (${to - from} frames)`);
    const captured = await readCapture(page, Math.round(from), Math.round(to - from));
    const outputLufs = integratedLoudness({ left: captured.left, right: captured.right }, rate);
    const gainDb = await page.evaluate(() =>
      (window as unknown as { septetAudioGraph: { trackGainDb(): number } }).septetAudioGraph.trackGainDb(),
    );
    measured.push({
      trackId: track.trackId,
      title: track.title,
      masteredLufs: track.loudnessLufs,
      outputLufs,
      gainDb,
    });
    options.log(
      `10b: ${track.title}: mastered ${track.loudnessLufs} LUFS, gain ${gainDb.toFixed(2)} dB → ${outputLufs.toFixed(2)} LUFS`,
    );
    await trimCapture(page, await captureNow(page));
  }
  const quietest = Math.min(...measured.map((m) => m.outputLufs));
  if (options.selected('10b'))
    report.measured(
      '10b',
      measured.map((m) => m.outputLufs - quietest),
      { tracks: measured, target: -14 },
    );
  if (options.selected('10c')) await graphCpu(page, options, report);
}

async function graphCpu(page: Page, options: BenchOptions, report: Reporter): Promise<void> {
  const cdp: CDPSession = await page.context().browser()!.newBrowserCDPSession();
  const rendererCpu = async () => {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number; cpuTime: number }[];
    };
    return processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + p.cpuTime, 0);
  };
  // The last track of 10b plays on (it is at least 60 s long): the equaliser on a preset, then alternate.
  await page.evaluate(() => {
    const graph = (window as unknown as { septetAudioGraph: { setEqualiser(eq: unknown): void } })
      .septetAudioGraph;
    graph.setEqualiser({
      enabled: true,
      preset: 'rock',
      preampDb: -3,
      bandsDb: [4, 3, 1, 0, -1, 0, 1, 3, 4, 4],
    });
  });
  const pairs = options.quick ? 1 : 4;
  const windowMs = options.quick ? 2000 : 6000;
  const on: number[] = [];
  const off: number[] = [];
  const measure = async (bypass: boolean) => {
    await page.evaluate((b) => {
      (window as unknown as { septetAudioGraph: { setBypass(b: boolean): void } }).septetAudioGraph.setBypass(
        b,
      );
    }, bypass);
    await page.waitForTimeout(500);
    const cpu0 = await rendererCpu();
    const t0 = performance.now();
    await page.waitForTimeout(windowMs);
    const cpu1 = await rendererCpu();
    return ((cpu1 - cpu0) / ((performance.now() - t0) / 1000)) * 100;
  };
  for (let i = 0; i < pairs; i++) {
    // Alternating order, so a drift of the machine's load does not favour one side.
    if (i % 2 === 0) {
      on.push(await measure(false));
      off.push(await measure(true));
    } else {
      off.push(await measure(true));
      on.push(await measure(false));
    }
  }
  await page.evaluate(() => {
    (window as unknown as { septetAudioGraph: { setBypass(b: boolean): void } }).septetAudioGraph.setBypass(
      false,
    );
  });
  await cdp.detach();
  report.measured(
    '10c',
    on.map((v, i) => v - (off[i] ?? 0)),
    { graphOnPercent: on, bypassedPercent: off, windowMs },
  );
}

/** Waits until the engine's element is at `sec` on its timeline; says what it waited for if not. */
async function reachTimeline(page: Page, sec: number, what: string): Promise<void> {
  try {
    await page.waitForFunction(
      (t) => (document.querySelector('[data-testid="audio-engine"]') as HTMLMediaElement).currentTime >= t,
      sec,
      { timeout: 60_000 },
    );
  } catch (error) {
    const state = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="audio-engine"]') as HTMLMediaElement;
      return `currentTime ${el.currentTime.toFixed(2)}, paused ${String(el.paused)}, readyState ${el.readyState}`;
    });
    throw new Error(`${what}: not reached in 60 s (${state}): ${firstLine(error)}`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
