// Playback under network faults (issue 6 "Faults"), through the real media gateway and the
// emulator's fault injection: bursts of 5xx and 429, 2 s latency, dropped connections and truncated
// segments, then the API gone for 30 s. Playback must carry on with no action from the listener:
// the playhead passes the fault window, the <audio> element ends up playing, and no error is shown.
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, test, type EmulatorHandle } from './fixtures.js';

type FaultView = { id: string; pathPattern: string; remaining: number | null };

/** Every segment of every HLS stream on the emulator (the media gateway fetches these upstream). */
const segments = '/_media/hls/*/seg-*';

async function addFault(emulator: EmulatorHandle, fault: Record<string, unknown>): Promise<string> {
  const { id } = await emulator.testApi<{ id: string }>('/_emulator/faults', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(fault),
  });
  return id;
}

async function faultsLeft(emulator: EmulatorHandle): Promise<FaultView[]> {
  const body = await emulator.testApi<{ faults: FaultView[] } | FaultView[]>('/_emulator/faults');
  return Array.isArray(body) ? body : body.faults;
}

async function openRelease(page: Page, title: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(title);
  await page.getByRole('tab', { name: 'Releases' }).click();
  await page
    .getByRole('button', { name: new RegExp(title) })
    .first()
    .click();
}

const currentTime = (page: Page) => audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime);
const isPlaying = (page: Page) =>
  audioElement(page).evaluate((el: HTMLAudioElement) => !el.paused && !el.ended && el.readyState >= 3);
const bufferedEnd = (page: Page) =>
  audioElement(page).evaluate((el: HTMLAudioElement) =>
    el.buffered.length ? el.buffered.end(el.buffered.length - 1) : 0,
  );

/** Starts a track from the open release page and waits until it really plays. */
async function startTrack(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: `Play ${title}`, exact: true }).click();
  await expect(page.locator('footer.player-bar .now-title')).toHaveText(title);
  // The new stream's playhead (not the previous track's, still at 40 s or more).
  await expect
    .poll(
      async () => {
        const t = await currentTime(page);
        return t > 0.5 && t < 20;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}

/** Jumps past everything buffered so the next segments must come over the (faulty) network. */
async function seekIntoUnbuffered(page: Page, at: number): Promise<void> {
  expect(await bufferedEnd(page)).toBeLessThan(at);
  await audioElement(page).evaluate((el: HTMLAudioElement, to: number) => {
    el.currentTime = to;
  }, at);
}

/** The audio from `from` to `to` was played without a jump: nothing was skipped over a hole. */
const playedContinuously = (page: Page, from: number, to: number) =>
  audioElement(page).evaluate(
    (el: HTMLAudioElement, [a, b]) => {
      for (let i = 0; i < el.played.length; i += 1)
        if (el.played.start(i) <= a && el.played.end(i) >= b) return true;
      return false;
    },
    [from, to] as const,
  );

async function expectPlayingPast(page: Page, position: number): Promise<void> {
  await expect.poll(() => currentTime(page), { timeout: 60_000, intervals: [250] }).toBeGreaterThan(position);
  await expect.poll(() => isPlaying(page), { timeout: 10_000 }).toBe(true);
  await expect(page.getByRole('alert')).toHaveCount(0);
}

// Each burst is longer than one retry but shorter than the audio engine's retry budget (about 10 s).
const bursts: { name: string; fault: Record<string, unknown> }[] = [
  { name: '5xx burst', fault: { kind: 'status', status: 503, times: 3 } },
  { name: '500 burst', fault: { kind: 'status', status: 500, times: 2 } },
  { name: '429 burst (Retry-After)', fault: { kind: 'status', status: 429, times: 3 } },
  { name: '2 s latency', fault: { kind: 'latency', latencyMs: 2_000, times: 3 } },
  { name: 'dropped connections', fault: { kind: 'drop', times: 3 } },
  { name: 'truncated segments', fault: { kind: 'truncate', times: 3 } },
];

test('segment faults during playback (5xx, 429, latency, drops, truncation) → playback carries on by itself', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(180_000);
  // The renderer logs every stream failure it gives up on; none may happen.
  const streamFailures: string[] = [];
  page.on('console', (message) => {
    if (/fatal hls error|\[player\]|play\(\) rejected/.test(message.text()))
      streamFailures.push(message.text());
  });
  await openSignedIn(page, app.url);
  await openRelease(page, 'Low Tide Sessions');
  // Two 72 s tracks (13 segments): each fault starts a fresh stream, then jumps to 40 s, past the
  // ~30 s the audio engine buffers ahead, so the segments after the jump hit the fault.
  const tracks = ['Driftwood', 'Estuary'];
  for (const [i, { name, fault }] of bursts.entries()) {
    await test.step(name, async () => {
      await startTrack(page, tracks[i % tracks.length]!);
      await addFault(emulator, { pathPattern: segments, ...fault });
      await seekIntoUnbuffered(page, 40);
      await expectPlayingPast(page, 44);
      expect(await playedContinuously(page, 40.5, 44)).toBe(true);
      // The burst really hit the stream: every injected failure was consumed.
      expect(await faultsLeft(emulator)).toEqual([]);
      expect(streamFailures).toEqual([]);
    });
  }
});

test('the API gone for 30 s mid-track → playback resumes by itself when it returns', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(150_000);
  await openSignedIn(page, app.url);
  await openRelease(page, 'Low Tide Sessions');
  await startTrack(page, 'Estuary');

  await emulator.stop();
  await seekIntoUnbuffered(page, 40);
  const outageStarted = Date.now();
  // The player stalls (nothing past 40 s can load) and tells the listener it will resume.
  await expect(page.getByText(/playback will resume/i)).toBeVisible({ timeout: 40_000 });
  const waitMs = 30_000 - (Date.now() - outageStarted);
  if (waitMs > 0) await page.waitForTimeout(waitMs);
  expect(await currentTime(page)).toBeLessThan(41);

  await emulator.start();
  const back = Date.now();
  await expect.poll(() => currentTime(page), { timeout: 30_000, intervals: [100] }).toBeGreaterThan(40.5);
  const resumeMs = Date.now() - back;
  process.stdout.write(
    `faults.spec: playback resumed ${resumeMs} ms after the API came back (30 s outage)\n`,
  );
  test.info().annotations.push({ type: 'resume-delay-ms', description: String(resumeMs) });
  await expectPlayingPast(page, 42);
});
