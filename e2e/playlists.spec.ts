// Playlists: create, rename, add, reorder, remove → still so after restarting the app.
import type { Page } from '@playwright/test';
import { expect, openSignedIn, screenshot, test } from './fixtures.js';

async function addFromSearch(page: Page, title: string, playlist: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Search', exact: true })
    .click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(title);
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await page
    .getByRole('button', { name: `Add ${title} to playlist` })
    .first()
    .click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByRole('list', { name: 'Playlists' })
    .getByRole('button', { name: new RegExp(`^${playlist}`) })
    .click();
  await expect(dialog).toBeHidden();
}

async function openPlaylist(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Playlists', exact: true })
    .click();
  await page
    .getByRole('list', { name: 'Your playlists' })
    .getByRole('button', { name: new RegExp(`^${name}\\b`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

function trackTitles(page: Page) {
  return page
    .getByRole('button', { name: /^Remove .* from playlist$/ })
    .evaluateAll((buttons) =>
      buttons.map((b) => (b.getAttribute('aria-label') ?? '').replace(/^Remove (.*) from playlist$/, '$1')),
    );
}

test('playlists: create, rename, add, reorder, remove → the same after a restart', async ({ page, app }) => {
  await openSignedIn(page, app.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Playlists', exact: true })
    .click();
  await page.getByRole('textbox', { name: 'New playlist name' }).fill('Road Trip');
  await page.getByRole('button', { name: 'Create playlist' }).click();
  await openPlaylist(page, 'Road Trip');

  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Coastal Drive');
  await page.getByRole('textbox', { name: 'Description' }).fill('Songs for the sea road.');
  await expect(page.getByText('23/500 characters')).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Coastal Drive' })).toBeVisible();

  for (const title of ['Tidewater', 'Undertow', 'Sea Glass'])
    await addFromSearch(page, title, 'Coastal Drive');
  await openPlaylist(page, 'Coastal Drive');
  await expect.poll(() => trackTitles(page)).toEqual(['Tidewater', 'Undertow', 'Sea Glass']);

  await page.getByRole('button', { name: 'Move Sea Glass up' }).click();
  await expect.poll(() => trackTitles(page)).toEqual(['Tidewater', 'Sea Glass', 'Undertow']);
  await page.getByRole('button', { name: 'Remove Tidewater from playlist' }).click();
  await expect.poll(() => trackTitles(page)).toEqual(['Sea Glass', 'Undertow']);
  await screenshot(page, 'playlist');

  await app.restart();
  await openSignedIn(page, app.url);
  await openPlaylist(page, 'Coastal Drive');
  await expect(page.getByText('Songs for the sea road.')).toBeVisible();
  await expect.poll(() => trackTitles(page)).toEqual(['Sea Glass', 'Undertow']);
});
