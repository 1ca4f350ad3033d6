// The audio pipeline through the real app: a gapless album plays through on one MediaSource
// timeline (the element's source never changes between its tracks) and the play log gets one
// record per track with what was heard and a natural end; the sound settings (normalisation,
// crossfade, equaliser) are kept by the core across a restart and reach the audio graph.
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, screenshot, test } from './fixtures.js';

type SubscriberLog = { trackId: string; durationPlayed: number; endReason?: string };
type GaplessRelease = {
  releaseId: string;
  title: string;
  tracks: { trackId: string; title: string; durationSec: number }[];
};

const nowPlaying = (page: Page) =>
  page.getByRole('contentinfo', { name: 'Player' }).locator('.now-title').innerText();
async function setCrossfade(page: Page, seconds: number): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Settings', exact: true })
    .click();
  await page.getByRole('slider', { name: 'Crossfade' }).fill(String(seconds));
  await expect(page.getByText(`${seconds} s`, { exact: true })).toBeVisible();
}
const element = (page: Page) =>
  audioElement(page).evaluate((el: HTMLAudioElement) => ({ t: el.currentTime, src: el.src }));

test('a gapless album plays through on one timeline: one record per track, each a natural end of what was heard', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(300_000);
  const { releases } = await emulator.testApi<{ releases: GaplessRelease[] }>(
    '/_emulator/media/gapless-releases',
  );
  const album = releases.find((r) => r.title === 'The Estuary Suite');
  if (!album) throw new Error('the emulator has no Estuary Suite');
  await openSignedIn(page, app.url);
  // Crossfade is on, and never applies inside a release: it still plays gapless.
  await setCrossfade(page, 4);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Search', exact: true })
    .click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(album.title);
  await page.getByRole('tab', { name: 'Releases' }).click();
  await page
    .getByRole('button', { name: /The Estuary Suite/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Play all' }).click();

  let startSec = 0;
  let src = '';
  for (const track of album.tracks) {
    await expect.poll(() => nowPlaying(page), { timeout: 60_000 }).toBe(track.title);
    await expect
      .poll(async () => (await element(page)).t, { timeout: 60_000 })
      .toBeGreaterThan(startSec + 0.2);
    const now = await element(page);
    // Every track after the first plays on the same timeline: nothing was reloaded between them.
    if (src) expect(now.src).toBe(src);
    src = now.src;
    // Hear the last 12 s of each track (a jump there, then unbroken to the end).
    const endSec = startSec + track.durationSec;
    await audioElement(page).evaluate((el: HTMLAudioElement, t: number) => {
      el.currentTime = t;
    }, endSec - 12);
    startSec = endSec;
  }
  // The album's end is the queue's: the player stops.
  await expect(
    page.getByRole('contentinfo', { name: 'Player' }).getByRole('button', { name: 'Play', exact: true }),
  ).toBeVisible({
    timeout: 60_000,
  });

  const logs = async () =>
    (await emulator.testApi<{ logs: SubscriberLog[] }>('/_emulator/logs?endpoint=subscriber')).logs;
  const ids = album.tracks.map((t) => t.trackId);
  // A partial subscriber batch goes within 60 s.
  await expect
    .poll(async () => (await logs()).filter((l) => ids.includes(l.trackId)).length, {
      timeout: 90_000,
      intervals: [1_000],
    })
    .toBe(ids.length);
  const received = (await logs()).filter((l) => ids.includes(l.trackId));
  expect(received.map((l) => l.trackId)).toEqual(ids);
  for (const log of received) {
    expect(log.endReason).toBe('naturalEnd');
    // 12 s heard before each end, and what played before the jump (under a second and a half).
    expect(log.durationPlayed).toBeGreaterThanOrEqual(11);
    expect(log.durationPlayed).toBeLessThanOrEqual(14);
  }
});

test('with crossfade on, the next track of another release fades in on the other deck while the first fades out', async ({
  page,
  app,
}) => {
  await openSignedIn(page, app.url);
  await setCrossfade(page, 4);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Search', exact: true })
    .click();
  // Two tracks of two releases, one after the other (the queue is the results).
  await page.getByRole('searchbox', { name: 'Search' }).fill('Signal');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  const play = page
    .getByRole('tabpanel')
    .getByRole('button', { name: /^Play / })
    .first();
  await expect(play).toBeVisible({ timeout: 30_000 });
  const first = ((await play.getAttribute('aria-label')) ?? '').replace(/^Play /, '');
  await play.click();
  await expect.poll(() => nowPlaying(page), { timeout: 30_000 }).toBe(first);
  await expect.poll(async () => (await element(page)).t, { timeout: 30_000 }).toBeGreaterThan(0.5);
  const firstSrc = (await element(page)).src;
  await audioElement(page).evaluate((el: HTMLAudioElement) => {
    el.currentTime = el.duration - 9;
  });
  // Both decks sound together for the crossfade, then only the new one plays.
  const playingDecks = () =>
    page.evaluate(
      () => [...document.querySelectorAll('audio')].filter((a) => !a.paused && a.currentTime > 0).length,
    );
  await expect.poll(playingDecks, { timeout: 30_000, intervals: [100] }).toBe(2);
  // The other deck is the player's now (its own source).
  await expect.poll(async () => (await element(page)).src, { timeout: 30_000 }).not.toBe(firstSrc);
  await expect.poll(playingDecks, { timeout: 30_000 }).toBe(1);
  await expect.poll(async () => (await element(page)).t, { timeout: 30_000 }).toBeGreaterThan(4);
});

test('normalisation, crossfade and the equaliser are kept across a restart and reach the audio graph', async ({
  page,
  app,
}) => {
  await openSignedIn(page, app.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Settings', exact: true }).click();
  const sound = page
    .getByRole('region', { name: 'Sound' })
    .or(page.locator('.panel', { hasText: 'Loudness normalisation' }));
  await expect(sound.getByText('Loudness normalisation')).toBeVisible();
  await sound.getByRole('combobox', { name: 'Loudness normalisation' }).selectOption('loud');
  await sound.getByRole('slider', { name: 'Crossfade' }).fill('5');
  await sound.getByRole('combobox', { name: 'Equaliser preset' }).selectOption('rock');
  await expect(sound.getByRole('slider', { name: 'Equaliser 31 Hz' })).toHaveValue('4');
  await sound.scrollIntoViewIfNeeded();
  await screenshot(page, 'sound-settings');
  await expect
    .poll(() =>
      page.evaluate(() =>
        (
          window as unknown as { septetAudioGraph: { isEqualiserActive(): boolean } }
        ).septetAudioGraph.isEqualiserActive(),
      ),
    )
    .toBe(true);

  await app.restart();
  await openSignedIn(page, app.url);
  await nav.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(sound.getByRole('combobox', { name: 'Loudness normalisation' })).toHaveValue('loud');
  await expect(sound.getByRole('slider', { name: 'Crossfade' })).toHaveValue('5');
  await expect(sound.getByRole('combobox', { name: 'Equaliser preset' })).toHaveValue('rock');
  await expect(sound.getByRole('slider', { name: 'Equaliser 16k Hz' })).toHaveValue('4');
  await expect
    .poll(() =>
      page.evaluate(() =>
        (
          window as unknown as { septetAudioGraph: { isEqualiserActive(): boolean } }
        ).septetAudioGraph.isEqualiserActive(),
      ),
    )
    .toBe(true);

  // Flat leaves the equaliser out of the graph.
  await sound.getByRole('combobox', { name: 'Equaliser preset' }).selectOption('flat');
  await expect
    .poll(() =>
      page.evaluate(() =>
        (
          window as unknown as { septetAudioGraph: { isEqualiserActive(): boolean } }
        ).septetAudioGraph.isEqualiserActive(),
      ),
    )
    .toBe(false);
});
