// Sign in, search for a common word, play the first result (any catalogue track: the emulator
// makes its audio on demand): the audio element really plays, and when the track ends a
// subscriber log with the right fields reaches the emulator.
import { audioElement, expect, openSignedIn, screenshot, test } from './fixtures.js';

type ReceivedLog = {
  trackId: string;
  userId?: string;
  clientId?: string;
  country?: string;
  durationPlayed?: number;
  playMode?: string;
  timestamp?: string;
  releaseId?: string;
};

test('sign in, search, play a track to its end → a subscriber log reaches the service', async ({
  page,
  app,
  emulator,
}) => {
  await openSignedIn(page, app.url);
  await screenshot(page, 'home');

  await page.getByRole('searchbox', { name: 'Search' }).fill('the');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  const play = page
    .getByRole('tabpanel')
    .getByRole('button', { name: /^Play / })
    .first();
  await expect(play).toBeVisible({ timeout: 30_000 });
  const playedTitle = ((await play.getAttribute('aria-label')) ?? '').replace(/^Play /, '');
  await screenshot(page, 'search');
  await play.click();
  await expect(
    page.getByRole('contentinfo', { name: 'Player' }).getByText(playedTitle).first(),
  ).toBeVisible();

  const audio = audioElement(page);
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(1);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await screenshot(page, 'now-playing');

  // Jump close to the end, then let it finish on its own.
  const duration = await audio.evaluate((el: HTMLAudioElement) => el.duration);
  expect(duration).toBeGreaterThan(10);
  await audio.evaluate((el: HTMLAudioElement) => {
    el.currentTime = el.duration - 3;
  });
  // The queue is the search results: when the track ends, the next result starts.
  await expect(
    page.getByRole('contentinfo', { name: 'Player' }).getByText(playedTitle, { exact: true }),
  ).toHaveCount(0, { timeout: 30_000 });

  const info = await page.evaluate(async () => {
    const result = await window.septet!.invoke('app:getInfo', {});
    return result.ok ? result.value : null;
  });
  // A partial subscriber batch goes within 60 s.
  await expect
    .poll(
      async () => {
        const { logs } = await emulator.testApi<{ logs: ReceivedLog[] }>(
          '/_emulator/logs?endpoint=subscriber',
        );
        return logs;
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          userId: 'demo-listener',
          clientId: info?.clientId,
          country: 'GB',
          playMode: 'online',
          durationPlayed: expect.any(Number),
          timestamp: expect.any(String),
          trackId: expect.any(String),
        }),
      ]),
    );
  const { logs } = await emulator.testApi<{ logs: ReceivedLog[] }>('/_emulator/logs?endpoint=subscriber');
  expect(logs[0]?.durationPlayed).toBeGreaterThan(0);
  // The first result is an ordinary catalogue track, not one of the demo artists'.
  const demoSet = await emulator.testApi<{ tracks: { trackId: string }[] }>('/_emulator/demo-set');
  expect(demoSet.tracks.map((t) => t.trackId)).not.toContain(logs[0]?.trackId);
});
