// The play meter through the real app: a locker track playing while downloads run is logged with
// what was heard, not with where the playhead ended up — a jump of the media element to the end
// (what a Download click sometimes caused) is neither listening nor a natural end, and a seek to
// the end with the seek bar is recorded as a skip. Settings shows the plays waiting and the last
// delivery. The emulator's list of what cannot be true stays empty (checked by the fixture).
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, test } from './fixtures.js';

type SubscriberLog = { trackId: string; durationPlayed: number; endReason?: string; userId?: string };

// The track's position: the element plays a release's tracks on one gapless timeline, and marks
// where the current track starts on it.
const position = (page: Page) =>
  audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime - Number(el.dataset.trackStart ?? 0));
const nowPlaying = (page: Page) =>
  page.getByRole('contentinfo', { name: 'Player' }).locator('.now-title').innerText();

test('a locker track with downloads running is logged with what was heard; a jump or a seek to the end is no natural end', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(240_000);
  await openSignedIn(page, app.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Locker', exact: true })
    .click();
  await page.getByRole('button', { name: 'First Light The Septet Ensemble' }).click();
  await page.getByRole('button', { name: 'Play Overture for Seven', exact: true }).click();
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(0.2);
  const started = Date.now();

  // Downloads of two other tracks of the release while it plays.
  await page.getByRole('button', { name: 'Download Morning Signal', exact: true }).click();
  await page.getByRole('button', { name: 'Download Copper Skies', exact: true }).click();
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(6);

  // The playhead jumps to the end without the listener asking: the track ends, the next starts.
  const jumpedAt = Date.now();
  await audioElement(page).evaluate((el: HTMLAudioElement) => {
    el.currentTime = el.duration - 1;
  });
  await expect.poll(() => nowPlaying(page), { timeout: 30_000 }).toBe('Morning Signal');
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(3);

  // The listener drags the seek bar to the end (keyboard End on the slider, then release).
  const secondStarted = Date.now() - (await position(page)) * 1000;
  const seek = page.getByRole('contentinfo', { name: 'Player' }).getByRole('slider', { name: 'Seek' });
  await seek.focus();
  await seek.press('End');
  const seekedAt = Date.now();
  await expect.poll(() => nowPlaying(page), { timeout: 30_000 }).toBe('Copper Skies');
  await page.getByRole('button', { name: 'Pause' }).click();

  const logs = async () =>
    (await emulator.testApi<{ logs: SubscriberLog[] }>('/_emulator/logs?endpoint=subscriber')).logs;
  // A partial subscriber batch goes within 60 s.
  await expect
    .poll(async () => (await logs()).length, { timeout: 90_000, intervals: [1_000] })
    .toBeGreaterThanOrEqual(2);
  const tracks = await page.evaluate(async () => {
    const search = await window.septet!.invoke('catalogue:searchTracks', { q: 'Overture for Seven' });
    const second = await window.septet!.invoke('catalogue:searchTracks', { q: 'Morning Signal' });
    if (!search.ok || !second.ok) throw new Error('search failed');
    return {
      overture: search.value.items.find((t) => t.title === 'Overture for Seven')!.id,
      morning: second.value.items.find((t) => t.title === 'Morning Signal')!.id,
    };
  });
  const all = await logs();
  const overture = all.find((l) => l.trackId === tracks.overture)!;
  const morning = all.find((l) => l.trackId === tracks.morning)!;
  // What was heard before the jump, not the 54 s of the track; and the end was not natural.
  expect(overture.endReason).toBe('other');
  expect(overture.durationPlayed).toBeGreaterThanOrEqual(5);
  expect(overture.durationPlayed).toBeLessThanOrEqual(Math.ceil((jumpedAt - started) / 1000) + 1);
  // A seek to the end is a skip, and the seconds after it are not the track's length.
  expect(morning.endReason).toBe('userSkipped');
  expect(morning.durationPlayed).toBeGreaterThanOrEqual(2);
  expect(morning.durationPlayed).toBeLessThanOrEqual(Math.ceil((seekedAt - secondStarted) / 1000) + 2);

  // Settings: the plays waiting to be reported and the last delivery.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Settings', exact: true })
    .click();
  await expect(page.getByText('Play reports waiting')).toBeVisible();
  const lastDelivered = page
    .locator('dt', { hasText: 'Last delivered' })
    .locator('xpath=following-sibling::dd[1]');
  await expect(lastDelivered).not.toHaveText('not yet', { timeout: 30_000 });
});
