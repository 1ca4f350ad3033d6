// Stream concurrency: when a second device of the same listener starts streaming, the first one
// is told plainly (and offered to play here again).
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
    .getByRole('button', { name: `Play ${title}` })
    .first()
    .click();
}

test('a second device takes over the stream → the first shows the message', async ({
  page,
  app,
  browser,
}) => {
  await openSignedIn(page, app.url);
  await playFromSearch(page, 'Seven Bridges');
  await expect
    .poll(() => audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(1);

  const other = await app.startSecondDevice();
  const context = await browser.newContext();
  const secondPage = await context.newPage();
  try {
    await openSignedIn(secondPage, other.url);
    await playFromSearch(secondPage, 'Paper Boats');
    await expect
      .poll(() => audioElement(secondPage).evaluate((el: HTMLAudioElement) => el.currentTime), {
        timeout: 30_000,
      })
      .toBeGreaterThan(1);

    // The first device may finish its track; its next stream is refused.
    await playFromSearch(page, 'Copper Skies');
    const notice = page.getByRole('alert').filter({ hasText: 'Playback moved to another device' });
    await expect(notice).toBeVisible({ timeout: 30_000 });
    await expect(notice.getByRole('button', { name: 'Play here' })).toBeVisible();
    await screenshot(page, 'takeover');
  } finally {
    await context.close();
  }
});
