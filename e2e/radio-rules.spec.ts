// Interactive Radio is non-interactive, as licensed: with the skip budget spent, the listener
// cannot get ahead by the seek bar, the keyboard, media keys, the queue or Previous; the time
// until the next skip is shown; a jump of the media element is not a completion (the emulator
// records none, and the station plays the same track again); a track heard to its end completes
// it, and the emulator saw it complete only after its length had elapsed. The emulator's list of
// what cannot be true stays empty (checked by the fixture after each test).
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, test } from './fixtures.js';

type RadioHistory = {
  tracks: { trackId: string; servedAt: string; resolution: string | null; resolvedAt: string | null }[];
  events: { trackId: string; eventType: string; receivedAt: string }[];
};
type CatalogueLog = { trackId: string; durationPlayed: number; endReason?: string; userId?: string };

async function startStation(page: Page): Promise<{ sessionId: string; skipsRemaining: number }> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Radio', exact: true })
    .click();
  await page.getByRole('radio', { name: /DMCA/ }).check();
  const started = page.waitForResponse((response) => /\/api\/radio(%3A|:)startStation/.test(response.url()));
  await page.getByRole('button', { name: 'Start station' }).click();
  const body = (await (await started).json()) as {
    ok: boolean;
    value: { sessionId: string; skipsRemaining: number };
  };
  expect(body.ok).toBe(true);
  return body.value;
}

const nowPlaying = (page: Page) =>
  page.getByRole('contentinfo', { name: 'Player' }).locator('.now-title').innerText();
const position = (page: Page) => audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime);

test('radio with no skips left: no seek, keys, media keys, queue jump or Previous gets ahead; the next skip is counted down; a jump of the player is no completion', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(240_000);
  await openSignedIn(page, app.url);
  // A queue first: the station cuts it off, and its tracks must not be a way out of the station.
  await page.getByRole('searchbox', { name: 'Search' }).fill('Copper Skies');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await page.getByRole('button', { name: 'Play Copper Skies' }).first().click();
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(0.5);

  const { sessionId, skipsRemaining } = await startStation(page);
  expect(skipsRemaining).toBeGreaterThan(0);
  const skip = page.getByRole('button', { name: 'Skip', exact: true });
  for (let left = skipsRemaining; left > 0; left--) {
    await expect(page.getByText(`${left} skip${left === 1 ? '' : 's'} left`, { exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await skip.click();
  }
  await expect(page.getByText(/No skips left — next skip in \d+:\d\d/).first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(skip).toBeDisabled();
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(0.5);
  const track = await nowPlaying(page);

  // Every way ahead is closed: the seek bar, the arrow keys, Previous, media keys, the queue.
  const player = page.getByRole('contentinfo', { name: 'Player' });
  await expect(player.getByRole('slider', { name: 'Seek' })).toBeDisabled();
  await expect(player.getByRole('button', { name: 'Previous track' })).toBeDisabled();
  const before = await position(page);
  const started = Date.now();
  // The window's shortcuts (nothing focused): → and Shift+→ seek, ← goes back.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 12; i++) await page.keyboard.press(i % 3 === 0 ? 'Shift+ArrowRight' : 'ArrowRight');
  await page.keyboard.press('ArrowLeft');
  for (const key of ['next', 'previous'] as const) app.current().core.mediaKeyPressed(key);
  await player.getByRole('button', { name: 'Queue' }).click();
  const queue = page.getByRole('complementary', { name: 'Queue' });
  await expect(queue.getByRole('button', { name: /^Play / }).first()).toBeDisabled();
  const after = await position(page);
  // The playhead moved on with the time that passed (plus a timeupdate of slack): not back, not ahead.
  expect(after - before).toBeLessThanOrEqual((Date.now() - started) / 1000 + 0.5);
  expect(after).toBeGreaterThanOrEqual(before);
  expect(await nowPlaying(page)).toBe(track);
  await player.getByRole('button', { name: 'Queue' }).click();

  // A jump of the media element (what a drag of the seek bar used to do): the track ends, but
  // it was not heard through — the station does not count it complete, and plays it again.
  const history = () => emulator.testApi<RadioHistory>(`/_emulator/radio/${sessionId}/history`);
  const current = (await history()).tracks.at(-1)!;
  await audioElement(page).evaluate((el: HTMLAudioElement) => {
    el.currentTime = el.duration - 1;
  });
  // It ends at once, and the station plays the same track again from its start.
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeLessThan(10);
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(0.5);
  expect(await nowPlaying(page)).toBe(track);
  const afterJump = await history();
  expect(afterJump.tracks.at(-1)?.trackId).toBe(current.trackId);
  expect(afterJump.tracks.filter((t) => t.resolution === 'complete')).toEqual([]);
  expect(afterJump.events.filter((e) => e.eventType === 'complete')).toEqual([]);
});

test('a station track heard to its end completes it, only after its length; its catalogue log says so', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(240_000);
  await openSignedIn(page, app.url);
  const { sessionId } = await startStation(page);
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(0.5);
  const history = () => emulator.testApi<RadioHistory>(`/_emulator/radio/${sessionId}/history`);
  const first = (await history()).tracks[0]!;
  const duration = await audioElement(page).evaluate((el: HTMLAudioElement) => el.duration);

  // The track plays through in real time (the demo tracks last 35–75 s); then the next one starts.
  await expect
    .poll(async () => (await history()).tracks.length, { timeout: 150_000, intervals: [2_000] })
    .toBeGreaterThan(1);
  const done = (await history()).tracks[0]!;
  expect(done).toMatchObject({ trackId: first.trackId, resolution: 'complete' });
  expect(Date.parse(done.resolvedAt!) - Date.parse(done.servedAt)).toBeGreaterThanOrEqual(
    duration * 1000 - 1000,
  );

  await expect
    .poll(
      async () =>
        (await emulator.testApi<{ logs: CatalogueLog[] }>('/_emulator/logs?endpoint=catalogue')).logs.filter(
          (l) => l.trackId === first.trackId,
        ),
      { timeout: 60_000, intervals: [1_000] },
    )
    .toEqual([
      expect.objectContaining({
        userId: 'demo-listener',
        endReason: 'naturalEnd',
        durationPlayed: expect.any(Number),
      }),
    ]);
  const { logs } = await emulator.testApi<{ logs: CatalogueLog[] }>('/_emulator/logs?endpoint=catalogue');
  const played = logs.find((l) => l.trackId === first.trackId)!.durationPlayed;
  expect(played).toBeGreaterThanOrEqual(Math.floor(duration) - 2);
  expect(played).toBeLessThanOrEqual(Math.ceil(duration));
});
