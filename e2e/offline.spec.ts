// Offline: authorise, make a release available offline, stop the API, play it from the encrypted
// cache, bring the API back → the offline plays arrive with playMode offline.
import { audioElement, expect, openSignedIn, screenshot, test } from './fixtures.js';

test('offline: cached release plays with the API down; offline plays are reported when it returns', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(240_000);
  await openSignedIn(page, app.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Offline', exact: true }).click();
  await page.getByRole('button', { name: 'Authorise this device' }).click();
  await expect(page.getByText('Authorised for offline listening.')).toBeVisible({ timeout: 30_000 });

  await nav.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill('Paper Satellites');
  await page.getByRole('tab', { name: 'Releases' }).click();
  await page
    .getByRole('button', { name: /Paper Satellites/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const status = await window.septet!.invoke('offline:getStatus', {});
          return status.ok
            ? status.value.items.map(
                (item) => `${item.title}:${item.state}:${item.cachedCount}/${item.trackCount}`,
              )
            : [];
        }),
      { timeout: 120_000 },
    )
    .toEqual(['Paper Satellites:ready:3/3']);
  await expect(page.getByText('Available offline', { exact: true })).toBeVisible();
  await screenshot(page, 'release');

  await emulator.stop();
  await page.getByRole('button', { name: 'Play Orbit', exact: true }).click();
  const audio = audioElement(page);
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(2);
  await audio.evaluate((el: HTMLAudioElement) => {
    el.currentTime = el.duration - 2;
  });
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.ended || el.paused), { timeout: 30_000 })
    .toBe(true);
  // (The Offline page's screenshots are offline-library.spec.ts's.)

  await emulator.start();
  await expect
    .poll(
      async () =>
        (
          await emulator.testApi<{ logs: { trackId: string; playMode?: string; userId?: string }[] }>(
            '/_emulator/logs?endpoint=subscriber',
          )
        ).logs,
      { timeout: 120_000, intervals: [2_000] },
    )
    .toEqual(
      expect.arrayContaining([expect.objectContaining({ playMode: 'offline', userId: 'demo-listener' })]),
    );
});
