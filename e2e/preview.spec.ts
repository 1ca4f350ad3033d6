// A listener without a subscription hears a 30-second preview, reported to preview logging.
import { audioElement, expect, openSignedIn, test } from './fixtures.js';

test('a listener without a subscription plays a preview → a preview log arrives', async ({
  page,
  app,
  emulator,
}) => {
  await openSignedIn(page, app.url, { subscription: false });
  await page.getByRole('searchbox', { name: 'Search' }).fill('Copper Skies');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await page.getByRole('button', { name: 'Play Copper Skies' }).first().click();

  const audio = audioElement(page);
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(1);
  const duration = await audio.evaluate((el: HTMLAudioElement) => el.duration);
  expect(duration).toBeLessThanOrEqual(31);
  await audio.evaluate((el: HTMLAudioElement) => {
    el.currentTime = el.duration - 2;
  });
  // The queue is the search results ("Copper Skies (Live)" is next): the preview ends, then
  // the player stops or moves on.
  await expect
    .poll(
      async () =>
        (await audio.evaluate((el: HTMLAudioElement) => el.ended || el.paused)) ||
        (await page
          .getByRole('contentinfo', { name: 'Player' })
          .getByText('Copper Skies', { exact: true })
          .count()) === 0,
      { timeout: 30_000 },
    )
    .toBe(true);

  await expect
    .poll(
      async () =>
        (
          await emulator.testApi<{ logs: { trackId: string; userId?: string }[] }>(
            '/_emulator/logs?endpoint=preview',
          )
        ).logs,
      {
        timeout: 60_000,
        intervals: [1_000],
      },
    )
    .toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: 'demo-nosub', trackId: expect.any(String) }),
      ]),
    );
  const subscriber = await emulator.testApi<{ logs: unknown[] }>('/_emulator/logs?endpoint=subscriber');
  expect(subscriber.logs).toHaveLength(0);
});
