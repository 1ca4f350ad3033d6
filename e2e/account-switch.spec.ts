// Signing out and switching accounts: the play in progress is recorded before the tokens go (a
// paused preview included); the next account sees nothing of the previous one (queue, now
// playing, the playlist open for editing, its playlists); and plays recorded while the service
// could not take them are delivered with their own account's token only — they wait while
// another account is signed in. The fixture checks the emulator saw no play delivered with a
// foreign token (nor anything else that cannot be true).
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, test } from './fixtures.js';

type Log = { trackId: string; userId?: string; durationPlayed: number; timestamp: string };

const position = (page: Page) => audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime);
const player = (page: Page) => page.getByRole('contentinfo', { name: 'Player' });

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in with the demo account' })).toBeVisible({
    timeout: 30_000,
  });
}

async function signIn(page: Page, subscription: boolean): Promise<void> {
  await page
    .getByRole('button', {
      name: subscription ? 'Sign in with the demo account' : /Demo account without a subscription/,
    })
    .click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 30_000 });
}

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
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(3);
}

test('a preview paused at sign-out is logged; the next account sees nothing of the previous one', async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(240_000);
  await openSignedIn(page, app.url, { subscription: false });
  await playFromSearch(page, 'Copper Skies');
  await player(page).getByRole('button', { name: 'Pause' }).click();
  const heard = await position(page);
  await signOut(page);
  await expect
    .poll(
      async () =>
        (await emulator.testApi<{ logs: Log[] }>('/_emulator/logs?endpoint=preview')).logs.filter(
          (l) => l.userId === 'demo-nosub',
        ),
      { timeout: 30_000, intervals: [1_000] },
    )
    .toEqual([expect.objectContaining({ durationPlayed: expect.any(Number) })]);
  const [preview] = (await emulator.testApi<{ logs: Log[] }>('/_emulator/logs?endpoint=preview')).logs;
  expect(preview!.durationPlayed).toBeGreaterThanOrEqual(Math.floor(heard) - 1);
  expect(preview!.durationPlayed).toBeLessThanOrEqual(Math.ceil(heard) + 1);

  // The listener: nothing of the first account on screen; then their own playlist, open for
  // editing, and a track of it playing.
  await signIn(page, true);
  await expect(player(page).getByText('Copper Skies')).toHaveCount(0);
  await expect(player(page).getByRole('button', { name: 'Play' })).toBeDisabled();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Morning Mix' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Morning Mix' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Play all' }).click();
  await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(1);
  const playing = await player(page).locator('.now-title').innerText();

  // The other account: no queue, no now playing, no playlist of the listener, no editor open.
  await signOut(page);
  await signIn(page, false);
  await expect(page.getByRole('heading', { level: 1, name: 'Morning Mix' })).toHaveCount(0);
  await expect(nav.getByRole('button', { name: 'Morning Mix' })).toHaveCount(0);
  await expect(nav.getByRole('button', { name: 'Septet Favourites' })).toHaveCount(0);
  await expect(player(page).getByText(playing, { exact: true })).toHaveCount(0);
  // Its queue is its own again (the preview it played), with nothing of the listener's.
  await player(page).getByRole('button', { name: 'Queue' }).click();
  const queue = page.getByRole('complementary', { name: 'Queue' });
  await expect(queue.getByText('Copper Skies', { exact: true })).toBeVisible();
  await expect(queue.getByText(playing, { exact: true })).toHaveCount(0);
  const saved = await page.evaluate(async () => {
    const result = await window.septet!.invoke('queue:getSaved', {});
    return result.ok ? (result.value?.tracks.map((t) => t.title) ?? []) : ['error'];
  });
  expect(saved).toContain('Copper Skies');
  expect(saved).not.toContain(playing);
});

test("plays recorded while the service refused them are delivered with their own account's token only", async ({
  page,
  app,
  emulator,
}) => {
  test.setTimeout(240_000);
  const logs = async (endpoint: 'subscriber' | 'preview') =>
    (await emulator.testApi<{ logs: Log[] }>(`/_emulator/logs?endpoint=${endpoint}`)).logs;
  // The logging endpoints refuse everything for now (as a service outage would).
  const fault = await emulator.testApi<{ id: string }>('/_emulator/faults', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ pathPattern: '/logging/*', kind: 'status', status: 503 }),
  });

  await openSignedIn(page, app.url);
  await playFromSearch(page, 'Morning Signal');
  await player(page).getByRole('button', { name: 'Next track' }).click();
  await expect(player(page).getByText('Morning Signal', { exact: true })).toHaveCount(0);
  await signOut(page);
  await fetch(`${emulator.url}/_emulator/faults/${fault.id}`, { method: 'DELETE' });

  // Another account signs in (the service takes logs again) and plays a preview.
  await signIn(page, false);
  await playFromSearch(page, 'Copper Skies');
  await player(page).getByRole('button', { name: 'Next track' }).click();
  await expect
    .poll(async () => (await logs('preview')).filter((l) => l.userId === 'demo-nosub'), {
      timeout: 60_000,
      intervals: [1_000],
    })
    .toHaveLength(1);
  // The listener's play waits for the listener: it is not sent with this account's token.
  expect((await logs('subscriber')).filter((l) => l.userId === 'demo-listener')).toEqual([]);
  const waiting = await page.evaluate(async () => {
    const status = await window.septet!.invoke('playlog:getStatus', {});
    return status.ok ? status.value.pending.subscriber : -1;
  });
  expect(waiting).toBeGreaterThanOrEqual(1);

  // The listener signs in again: their play goes, with their token.
  await signOut(page);
  await signIn(page, true);
  await expect
    .poll(async () => (await logs('subscriber')).filter((l) => l.userId === 'demo-listener'), {
      timeout: 90_000,
      intervals: [1_000],
    })
    .toEqual([expect.objectContaining({ durationPlayed: expect.any(Number) })]);
});
