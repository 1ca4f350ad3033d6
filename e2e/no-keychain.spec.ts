// Secrets, honestly (issue 13): Septet run as its own process on a computer whose D-Bus has no
// Secret Service (nothing mocked: keytar finds no keychain). The first screen says what cannot be
// kept; "Make available offline" is refused up front with the reason; and copies made while a
// keychain was there are never shown as "ready" once it is gone — their tracks play from the
// service instead of spinning on copies that cannot be decrypted.
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { startAppWithoutKeychain } from './app-process.js';
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

test('no keychain on a fresh data dir: said on the first screen, offline refused up front', async ({
  page,
  emulator,
  workDir,
}) => {
  const app = await startAppWithoutKeychain({
    apiUrl: emulator.url,
    dataDir: join(workDir, 'fresh'),
    homeDir: join(workDir, 'home'),
  });
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(app.url);
    const notice = page.getByRole('alert', { name: 'No keychain' });
    await expect(notice).toContainText('cannot remember your sign-in or keep music offline');
    await expect(page.getByRole('button', { name: 'Sign in with the demo account' })).toBeVisible();
    await screenshot(page, 'no-keychain');

    await page.getByRole('button', { name: 'Sign in with the demo account' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 30_000 });
    await expect(notice).toBeVisible();

    await openRelease(page, 'Glass Harbour');
    await expect(page.getByText('Can’t keep offline: no keychain on this computer')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Make available offline' })).toHaveCount(0);
    const refused = await page.evaluate(async () => {
      const search = await window.septet!.invoke('catalogue:searchReleases', { q: 'Glass Harbour' });
      if (!search.ok) throw new Error(search.error.message);
      return window.septet!.invoke('offline:makeAvailable', { releaseId: search.value.items[0]!.id });
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'vault_unavailable' } });

    await go(page, 'Offline');
    await expect(page.getByText('Music can’t be kept offline on this computer')).toBeVisible();
    await expect(page.getByText('Nothing offline yet')).toBeVisible();
  } finally {
    await app.stop();
  }
});

test('copies kept with a keychain are not "ready" once it is gone, and their tracks still play', async ({
  page,
  app,
  emulator,
  workDir,
}) => {
  test.setTimeout(240_000);
  await openSignedIn(page, app.url);
  await go(page, 'Offline');
  await page.getByRole('button', { name: 'Authorise this device' }).click();
  await expect(page.getByText('Authorised for offline listening.')).toBeVisible({ timeout: 30_000 });
  await openRelease(page, 'Paper Satellites');
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await expect(page.getByText('Available offline', { exact: true })).toBeVisible({ timeout: 120_000 });

  // The same data dir, started where the keychain does not answer.
  await app.current().close();
  const without = await startAppWithoutKeychain({
    apiUrl: emulator.url,
    dataDir: app.dataDir,
    homeDir: join(workDir, 'home'),
  });
  try {
    await page.goto(without.url);
    // The tokens were in the keychain: sign-in is not remembered, and the first screen says why.
    await expect(page.getByRole('alert', { name: 'No keychain' })).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Sign in with the demo account' }).click();
    await go(page, 'Offline');
    const item = page.getByRole('list', { name: 'Offline items' }).getByRole('listitem');
    await expect(item).toContainText('can’t play offline');
    await expect(item).not.toContainText('ready');
    await screenshot(page, 'offline-no-keychain');

    await item.getByRole('button', { name: 'Paper Satellites', exact: true }).click();
    await page.getByRole('button', { name: 'Play Orbit', exact: true }).click();
    const audio = audioElement(page);
    await expect
      .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
      .toBeGreaterThan(1);
  } finally {
    await without.stop();
    await app.restart();
  }
});
