// The offline-first library (issue 13), as a listener tries it: make Glass Harbour and Morning Mix
// available offline, lose the network (the emulator stopped), open them from the Offline page,
// search within offline music and play — then restart Septet with the network still gone and do
// it again. What cannot play offline is greyed out with the reason, in the queue too.
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, screenshot, test } from './fixtures.js';

async function go(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
}

async function openRelease(page: Page, title: string): Promise<void> {
  await go(page, 'Search');
  await page.getByRole('searchbox', { name: 'Search' }).fill(title);
  await page.getByRole('tab', { name: 'Releases' }).click();
  await page
    .getByRole('button', { name: new RegExp(title) })
    .first()
    .click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

async function expectPlaying(page: Page): Promise<void> {
  const audio = audioElement(page);
  const start = await audio.evaluate((el: HTMLAudioElement) => el.currentTime);
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(start + 1);
}

/** No horizontal scrolling at this size (the page fits the window). */
async function expectNoSideScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const el = document.scrollingElement ?? document.documentElement;
    const main = document.querySelector('main');
    return [el.scrollWidth - el.clientWidth, main ? main.scrollWidth - main.clientWidth : 0];
  });
  expect(overflow).toEqual([0, 0]);
}

async function screenshotsAtThreeSizes(page: Page, name: string): Promise<void> {
  for (const [width, height, suffix] of [
    [1280, 800, ''],
    [900, 600, '-900x600'],
    [1920, 1080, '-1920x1080'],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expectNoSideScroll(page);
    await screenshot(page, `${name}${suffix}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('offline-first: kept music opens, searches and plays with no network, before and after a restart', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openSignedIn(page, app.url);
  await go(page, 'Offline');
  await page.getByRole('button', { name: 'Authorise this device' }).click();
  await expect(page.getByText('Authorised for offline listening.')).toBeVisible({ timeout: 30_000 });

  await openRelease(page, 'Glass Harbour');
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await go(page, 'Playlists');
  await page
    .getByRole('list', { name: 'Your playlists' })
    .getByRole('button', { name: /Morning Mix/ })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Morning Mix' })).toBeVisible();
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const status = await window.septet!.invoke('offline:getStatus', {});
          return status.ok ? status.value.items.map((item) => `${item.title}:${item.state}`).sort() : [];
        }),
      { timeout: 240_000, intervals: [1_000] },
    )
    .toEqual(['Glass Harbour:ready', 'Morning Mix:ready']);

  // Listening (online) to Glass Harbour, with a track that is not kept offline queued after it.
  await openRelease(page, 'Glass Harbour');
  await page.getByRole('button', { name: 'Play all' }).click();
  await expectPlaying(page);
  await go(page, 'Search');
  await page.getByRole('searchbox', { name: 'Search' }).fill('Seven Bridges');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await page.getByRole('button', { name: 'Add Seven Bridges to queue' }).first().click();

  // The network goes: the Offline page's items open from the library, and play.
  await emulator.stop();
  await go(page, 'Offline');
  await page
    .getByRole('list', { name: 'Offline items' })
    .getByRole('button', { name: 'Glass Harbour', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Glass Harbour' })).toBeVisible();
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await expect(page.getByText(/You’re offline/)).toBeVisible({ timeout: 30_000 });

  // The queue greys out what cannot play offline, with the reason.
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  const queue = page.getByRole('complementary', { name: 'Queue' });
  await expect(queue.getByText('Not available offline')).toBeVisible();
  await expect(queue.getByRole('button', { name: 'Play Seven Bridges', exact: true })).toBeDisabled();
  await screenshot(page, 'offline-queue');
  await page.getByRole('button', { name: 'Close queue' }).click();

  await page.getByRole('button', { name: 'Play Tidewater', exact: true }).click();
  await expectPlaying(page);

  await go(page, 'Offline');
  await page.getByRole('searchbox', { name: 'Search offline music' }).fill('salt silver');
  const results = page.getByRole('list', { name: 'Offline search results' });
  await expect(results.getByRole('button', { name: 'Play Salt and Silver', exact: true })).toBeVisible();
  await screenshotsAtThreeSizes(page, 'offline');
  await results.getByRole('button', { name: 'Play Salt and Silver', exact: true }).click();
  await expectPlaying(page);

  // Restart with the network still gone: signed in, the library and its pages still there.
  await app.restart();
  await page.goto(app.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 30_000 });
  await go(page, 'Offline');
  const items = page.getByRole('list', { name: 'Offline items' });
  await expect(items.getByText(/8\/8 tracks .* ready/)).toBeVisible();
  await items.getByRole('button', { name: 'Morning Mix', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Morning Mix' })).toBeVisible();
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await go(page, 'Offline');
  await items.getByRole('button', { name: 'Glass Harbour', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Glass Harbour' })).toBeVisible();
  await screenshotsAtThreeSizes(page, 'release-offline');
  await page.getByRole('button', { name: 'Play Lighthouse Keeper', exact: true }).click();
  await expectPlaying(page);

  await emulator.start();
});
