// Issue 13's comforts around the player, through the real app, core and emulator, by accessible
// names: Home (from the listener's own play log), an artist page's top tracks and artist radio,
// the bar after "Stop station", error toasts that clear when the action later succeeds, the mute
// shortcut and Unmute at volume 0, the volume after a restart, the sleep timer, the notification
// on track change, and the word about subscribing when a preview ends.
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, test } from './fixtures.js';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const bar = (page: Page) => page.getByRole('contentinfo', { name: 'Player' });

async function playFirstTrack(page: Page, query: string): Promise<string> {
  await nav(page).getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(query);
  await page.getByRole('tab', { name: 'Tracks' }).click();
  const play = page.getByRole('list', { name: 'Tracks' }).getByRole('button', { name: /^Play (?!.* next$)/ });
  const title = ((await play.first().getAttribute('aria-label')) ?? '').replace(/^Play /, '');
  await play.first().click();
  await expect
    .poll(() => audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(2);
  return title;
}

/** The core's saved settings, through the page's own bridge. */
async function savedSettings(page: Page): Promise<{ volume: number; muted: boolean }> {
  return page.evaluate(async () => {
    const result = await window.septet!.invoke('settings:get', {});
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  });
}

test('Home shows what the listener played, releases to continue and new releases of their artists', async ({
  page,
  app,
}) => {
  await openSignedIn(page, app.url);
  await nav(page).getByRole('button', { name: 'Home', exact: true }).click();
  await expect(page.getByText('Play something to fill your Home')).toBeVisible();

  const first = await playFirstTrack(page, 'Aurora Vale');
  await bar(page).getByRole('button', { name: 'Next track' }).click();
  await expect(async () => {
    await nav(page).getByRole('button', { name: 'Search', exact: true }).click();
    await nav(page).getByRole('button', { name: 'Home', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Recently played' })).toContainText(first, {
      timeout: 2_000,
    });
  }).toPass({ timeout: 30_000 });
  const resume = page
    .getByRole('list', { name: 'Continue listening' })
    .getByRole('button', { name: new RegExp(`^Continue .* from ${first}$`) });
  await expect(resume).toBeVisible();
  await expect(page.getByRole('list', { name: 'New releases' }).getByRole('listitem').first()).toBeVisible();

  // Continue listening plays the release from the track it was left at.
  await resume.click();
  await expect(bar(page).getByRole('button', { name: first })).toBeVisible({ timeout: 30_000 });
});

test('artist page: top tracks with durations, and artist radio; Stop station gives the bar back to the queue’s track', async ({
  page,
  app,
}) => {
  await openSignedIn(page, app.url);
  await nav(page).getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill('Aurora Vale');
  await page.getByRole('tab', { name: 'Artists' }).click();
  await page
    .getByRole('list', { name: 'Artists' })
    .getByRole('button', { name: /^Aurora Vale/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Aurora Vale' })).toBeVisible();
  const top = page.getByRole('list', { name: 'Top tracks' }).getByRole('listitem');
  await expect(top.first()).toContainText(/\d:\d\d$/);
  expect(await top.count()).toBeGreaterThan(2);

  await page.getByRole('button', { name: 'Play top tracks' }).click();
  await expect
    .poll(() => audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(1);
  const queueTitle = (await bar(page).locator('.now-title').textContent()) ?? '';
  const queueLength = Number(await bar(page).getByRole('slider', { name: 'Seek' }).getAttribute('max'));

  await page.getByRole('button', { name: 'Start artist radio' }).click();
  await expect(page.getByText('Aurora Vale radio is on')).toBeVisible();
  await expect(bar(page).getByText('Radio · DMCA')).toBeVisible({ timeout: 30_000 });
  await nav(page).getByRole('button', { name: 'Radio', exact: true }).click();
  await expect(page.getByText(/^On air · DMCA rules$/)).toBeVisible();
  await nav(page).getByRole('button', { name: 'Playlists', exact: true }).click();
  await expect(
    page.getByRole('list', { name: 'Your playlists' }).getByRole('button', { name: /^Aurora Vale Radio/ }),
  ).toBeVisible();

  // Stop station: the bar shows the queue's track again, with that track's length.
  await nav(page).getByRole('button', { name: 'Radio', exact: true }).click();
  await page.getByRole('button', { name: 'Stop station' }).click();
  await expect(bar(page).getByText('Radio · DMCA')).toBeHidden();
  await expect(bar(page).getByRole('button', { name: queueTitle })).toBeVisible();
  await expect(bar(page).getByRole('slider', { name: 'Seek' })).toHaveAttribute('max', String(queueLength));
});

test('an error toast goes away once the action that failed succeeds', async ({ page, app, emulator }) => {
  await openSignedIn(page, app.url);
  await emulator.testApi('/_emulator/faults', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      pathPattern: '/interactive-radio/sessions',
      kind: 'status',
      status: 400,
      times: 1,
    }),
  });
  await nav(page).getByRole('button', { name: 'Radio', exact: true }).click();
  await page.getByRole('button', { name: 'Start station' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toHaveCount(1);
  await page.getByRole('button', { name: 'Start station' }).click();
  await expect(page.getByText(/^On air · DMCA rules$/)).toBeVisible({ timeout: 30_000 });
  await expect(alert).toHaveCount(0);
});

test('M mutes; Unmute at volume 0 is heard again; the volume comes back after a restart', async ({
  page,
  app,
}) => {
  await openSignedIn(page, app.url);
  const volume = bar(page).getByRole('slider', { name: 'Volume' });
  // Not in the search box (there, M is a letter): on the Home button.
  await nav(page).getByRole('button', { name: 'Home', exact: true }).click();
  await page.keyboard.press('m');
  await expect(bar(page).getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(volume).toHaveAttribute('aria-valuetext', 'Muted');
  await page.keyboard.press('m');
  await expect(bar(page).getByRole('button', { name: 'Mute', exact: true })).toBeVisible();

  // Volume at 0, then Unmute: an audible volume again, not a silent "unmuted".
  await volume.focus();
  await page.keyboard.press('Home');
  await expect(volume).toHaveAttribute('aria-valuetext', '0%');
  await bar(page).getByRole('button', { name: 'Unmute' }).click();
  await expect(volume).not.toHaveAttribute('aria-valuetext', /^(0%|Muted)$/);

  // 30 %, kept by the core, is what the app starts with after a restart.
  await volume.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
  await expect(volume).toHaveAttribute('aria-valuetext', '30%');
  await expect.poll(() => savedSettings(page)).toMatchObject({ volume: 0.3, muted: false });
  await app.restart();
  await openSignedIn(page, app.url);
  await expect(bar(page).getByRole('slider', { name: 'Volume' })).toHaveAttribute('aria-valuetext', '30%');
});

test('sleep timer: minutes or the end of this track, from a menu button', async ({ page, app }) => {
  await openSignedIn(page, app.url);
  const sleep = bar(page).getByRole('button', { name: 'Sleep timer' });
  await sleep.click();
  const menu = page.getByRole('menu', { name: 'Sleep timer' });
  await expect(menu.getByRole('menuitemradio', { name: 'Off' })).toHaveAttribute('aria-checked', 'true');
  await menu.getByRole('menuitemradio', { name: '15 minutes' }).click();
  await expect(sleep).toHaveAttribute('aria-description', 'Pauses in 15 min');
  await expect(sleep).toBeFocused();

  // End of this track: the track ends, the next one waits, paused.
  const first = await playFirstTrack(page, 'Aurora Vale');
  await sleep.click();
  await page
    .getByRole('menu', { name: 'Sleep timer' })
    .getByRole('menuitemradio', { name: 'End of this track' })
    .click();
  await expect(sleep).toHaveAttribute('aria-description', 'Stops at the end of this track');
  await audioElement(page).evaluate((el: HTMLAudioElement) => {
    el.currentTime = Math.max(0, el.duration - 1);
  });
  await expect(bar(page).getByRole('button', { name: first })).toBeHidden({ timeout: 30_000 });
  await expect(bar(page).getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await expect(sleep).toHaveAttribute('aria-description', 'Off');
  expect(await audioElement(page).evaluate((el: HTMLAudioElement) => el.paused)).toBe(true);
});

test('a notification when the track changes, once turned on in Settings', async ({ page, app, context }) => {
  // Headless Chromium shows no system notifications: the page's Notification constructor is
  // wrapped to record what Septet asks the system to show (the only stand-in in this test).
  await context.grantPermissions(['notifications']);
  await page.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
    const Real = window.Notification;
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    window.Notification = Recording as typeof Notification;
  });
  await openSignedIn(page, app.url);
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Show a notification when the track changes' }).check();
  await expect.poll(() => page.evaluate(() => Notification.permission)).toBe('granted');
  const title = await playFirstTrack(page, 'Aurora Vale');
  await expect
    .poll(() =>
      page.evaluate(
        () => (window as unknown as { shownNotifications: { title: string }[] }).shownNotifications,
      ),
    )
    .toEqual([expect.objectContaining({ title, body: expect.stringContaining('Aurora Vale') })]);
});

test('when a preview ends, the listener hears why the next one is short too', async ({ page, app }) => {
  await openSignedIn(page, app.url, { subscription: false });
  await page.getByRole('searchbox', { name: 'Search' }).fill('Copper Skies');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await page.getByRole('button', { name: 'Play Copper Skies', exact: true }).first().click();
  await expect(bar(page).getByText('Preview · 30 s')).toBeVisible({ timeout: 30_000 });
  const audio = audioElement(page);
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(1);
  await audio.evaluate((el: HTMLAudioElement) => {
    el.currentTime = el.duration - 1;
  });
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: '“Copper Skies” was a 30-second preview. Subscribe to hear whole tracks.' }),
  ).toBeVisible({ timeout: 30_000 });
});
