// Stream concurrency as a listener expects it (issue 13): when a second device of the same
// listener starts streaming, the first is told plainly; Next there does not pretend to play
// another track; "Play here" takes the stream back at once (the newest request wins) and the
// other device is told in turn.
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, screenshot, test } from './fixtures.js';

async function playFromSearch(page: Page, title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Search', exact: true })
    .click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(title);
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await page
    .getByRole('button', { name: `Play ${title}`, exact: true })
    .first()
    .click();
}

const currentTime = (page: Page) => audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime);

async function expectPlaying(page: Page): Promise<void> {
  await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(1);
}

/** A catalogue track several minutes long: the player keeps fetching its segments as it plays. */
async function longTrackTitle(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const found = await window.septet!.invoke('catalogue:searchTracks', { q: 'the', pageSize: 50 });
    if (!found.ok) throw new Error(found.error.message);
    const long = found.value.items.filter((t) => (t.durationSec ?? 0) >= 240 && !t.version);
    if (!long[0]) throw new Error('no long track in the first page of "the"');
    return long[0].title;
  });
}

test('another device takes over → notice, Next keeps the title, "Play here" plays again at once', async ({
  page,
  app,
  browser,
}) => {
  test.setTimeout(180_000);
  await openSignedIn(page, app.url);
  const title = await longTrackTitle(page);
  await playFromSearch(page, title);
  await expectPlaying(page);
  const player = page.getByRole('contentinfo', { name: 'Player' });
  await expect(player.getByRole('button', { name: title, exact: true })).toBeVisible();

  const other = await app.startSecondDevice();
  const context = await browser.newContext();
  const secondPage = await context.newPage();
  try {
    await openSignedIn(secondPage, other.url);
    await playFromSearch(secondPage, 'Paper Boats');
    await expectPlaying(secondPage);

    // The first device, still playing its long track, is refused its next segment.
    const notice = page.getByRole('alert').filter({ hasText: 'Playback moved to another device' });
    await expect(notice).toBeVisible({ timeout: 60_000 });
    await screenshot(page, 'takeover');

    // Next does not change the title while the audio stays stopped: the notice says what to do.
    await player.getByRole('button', { name: 'Next track' }).click();
    await expect(player.getByRole('button', { name: title, exact: true })).toBeVisible();
    await expect(notice).toBeVisible();

    // "Play here": the newest request wins, so it plays again at once (it used to be refused
    // for two minutes), and the other device is told in its turn.
    const before = await currentTime(page);
    await notice.getByRole('button', { name: 'Play here' }).click();
    await expect
      .poll(
        () =>
          audioElement(page).evaluate(
            (el: HTMLAudioElement, from: number) => !el.paused && el.currentTime > from + 0.2,
            before,
          ),
        { timeout: 2_000, intervals: [100] },
      )
      .toBe(true);
    await expect(notice).toBeHidden();
    await expect(player.getByRole('button', { name: title, exact: true })).toBeVisible();
    await expect(
      secondPage.getByRole('alert').filter({ hasText: 'Playback moved to another device' }),
    ).toBeVisible({ timeout: 60_000 });
  } finally {
    await context.close();
  }
});
