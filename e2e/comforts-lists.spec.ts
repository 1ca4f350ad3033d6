// Issue 13's everyday comforts in lists, through the real app, core and emulator, by accessible
// names: context menus on tracks, releases and artists (mouse and keyboard), Liked songs as a
// private playlist, playlist rows with durations and total time, reordering by drag and by
// Shift+Alt+↑/↓ with the focus kept on the moved row, the duplicate warning, Undo after removing
// (playlist and queue).
import type { Locator, Page } from '@playwright/test';
import { expect, openSignedIn, test } from './fixtures.js';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function search(page: Page, query: string, tab: 'Artists' | 'Releases' | 'Tracks'): Promise<void> {
  await nav(page).getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(query);
  await page.getByRole('tab', { name: tab }).click();
}

async function openPlaylist(page: Page, name: string): Promise<void> {
  await nav(page).getByRole('button', { name: 'Playlists', exact: true }).click();
  await page
    .getByRole('list', { name: 'Your playlists' })
    .getByRole('button', { name: new RegExp(`^${name}\\b`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

function playlistTitles(page: Page) {
  return page
    .getByRole('list', { name: 'Playlist tracks' })
    .getByRole('button', { name: /^Remove .* from playlist$/ })
    .evaluateAll((buttons) =>
      buttons.map((b) => (b.getAttribute('aria-label') ?? '').replace(/^Remove (.*) from playlist$/, '$1')),
    );
}

function queueTitles(page: Page) {
  return page
    .getByRole('list', { name: 'Queue tracks' })
    .getByRole('button', { name: /^Remove .* from queue$/ })
    .evaluateAll((buttons) =>
      buttons.map((b) => (b.getAttribute('aria-label') ?? '').replace(/^Remove (.*) from queue$/, '$1')),
    );
}

/** The accessible name of the focused element (what a screen reader says after a move). */
const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));

function menu(page: Page, title: string): Locator {
  return page.getByRole('menu', { name: `Actions for ${title}` });
}

test.beforeEach(async ({ page }) => {
  // Tall enough that every row of a 12-track playlist is rendered (the lists are virtualised).
  await page.setViewportSize({ width: 1280, height: 1100 });
});

test('context menus on tracks, releases and artists, by mouse and keyboard; Liked songs syncs as a private playlist', async ({
  page,
  app,
}) => {
  await openSignedIn(page, app.url);
  await search(page, 'Glass Harbour', 'Tracks');
  const row = page.getByRole('list', { name: 'Tracks' }).getByRole('listitem').first();
  await expect(row.getByRole('button', { name: 'Play Glass Harbour', exact: true })).toBeVisible();

  // Right-click a track.
  await row.click({ button: 'right' });
  await expect(menu(page, 'Glass Harbour').getByRole('menuitem')).toHaveText([
    'Play',
    'Play next',
    'Add to queue',
    'Add to playlist…',
    'Add to Liked songs',
    'Go to artist',
    'Go to release',
    'Start artist radio',
  ]);
  await expect(
    menu(page, 'Glass Harbour').getByRole('menuitem', { name: 'Play', exact: true }),
  ).toBeFocused();
  await menu(page, 'Glass Harbour').getByRole('menuitem', { name: 'Add to Liked songs' }).click();
  await expect(page.getByText('Added “Glass Harbour” to Liked songs')).toBeVisible();

  // The keyboard: Shift+F10 on the focused row opens the same menu; Escape gives focus back.
  const play = row.getByRole('button', { name: 'Play Glass Harbour', exact: true });
  await play.focus();
  await page.keyboard.press('Shift+F10');
  await expect(
    menu(page, 'Glass Harbour').getByRole('menuitem', { name: 'Remove from Liked songs' }),
  ).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(menu(page, 'Glass Harbour').getByRole('menuitem', { name: 'Play next' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu(page, 'Glass Harbour')).toBeHidden();
  await expect(play).toBeFocused();
  // The context-menu key does the same; Enter runs the focused entry.
  await page.keyboard.press('ContextMenu');
  await page.keyboard.press('End');
  await expect(
    menu(page, 'Glass Harbour').getByRole('menuitem', { name: 'Start artist radio' }),
  ).toBeFocused();
  await page.keyboard.press('Escape');

  // Liked songs: a private playlist on the service, listed with the others.
  await nav(page).getByRole('button', { name: 'Liked songs', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Liked songs' })).toBeVisible();
  await expect.poll(() => playlistTitles(page)).toEqual(['Glass Harbour']);
  await expect(page.getByText('Private playlist · 1 track')).toBeVisible();
  await nav(page).getByRole('button', { name: 'Playlists', exact: true }).click();
  await expect(
    page.getByRole('list', { name: 'Your playlists' }).getByRole('button', { name: /^Liked songs/ }),
  ).toBeVisible();

  // A release's menu queues its tracks.
  await search(page, 'First Light', 'Releases');
  const release = page.getByRole('list', { name: 'Releases' }).getByRole('listitem').first();
  await release.click({ button: 'right' });
  const releaseMenu = page.getByRole('menu', { name: /^Actions for / });
  await expect(releaseMenu.getByRole('menuitem')).toHaveText([
    'Play',
    'Play next',
    'Add to queue',
    'Add to playlist…',
    'Go to release',
    'Go to artist',
  ]);
  await releaseMenu.getByRole('menuitem', { name: 'Add to queue' }).click();
  await expect(page.getByText('Added 12 tracks to the queue')).toBeVisible();

  // An artist's menu, from the keyboard, opens the artist page.
  await search(page, 'Aurora Vale', 'Artists');
  const artist = page
    .getByRole('list', { name: 'Artists' })
    .getByRole('button', { name: /^Aurora Vale/ })
    .first();
  await artist.focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu(page, 'Aurora Vale').getByRole('menuitem')).toHaveText([
    'Go to artist',
    'Start artist radio',
  ]);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Aurora Vale' })).toBeVisible();
});

test('playlists: durations and total time, reorder by keyboard (focus stays) and by drag, duplicate warning, Undo', async ({
  page,
  app,
}) => {
  await openSignedIn(page, app.url);
  await openPlaylist(page, 'Morning Mix');
  const list = page.getByRole('list', { name: 'Playlist tracks' });
  const rows = list.getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  // Every row says how long its track is; the header adds them up.
  await expect(rows.first()).toContainText(/\d:\d\d$/);
  await expect(page.getByText(/^Public playlist · 12 tracks, \d+ min$/)).toBeVisible();
  const before = await playlistTitles(page);
  expect(before).toHaveLength(12);
  const [first, second, third] = before as [string, string, string];

  // Shift+Alt+↓ on the focused row moves it; the focus stays on that row's control.
  const moveDown = list.getByRole('button', { name: `Move ${first} down` });
  await moveDown.focus();
  await page.keyboard.press('Shift+Alt+ArrowDown');
  await expect.poll(() => playlistTitles(page)).toEqual([second, first, third, ...before.slice(3)]);
  await expect.poll(() => focusedLabel(page)).toBe(`Move ${first} down`);
  await page.keyboard.press('Shift+Alt+ArrowDown');
  await expect.poll(() => playlistTitles(page)).toEqual([second, third, first, ...before.slice(3)]);
  await expect.poll(() => focusedLabel(page)).toBe(`Move ${first} down`);
  await expect(
    page.getByRole('status').filter({ hasText: `Moved ${first} to position 3 of 12` }),
  ).toBeAttached();
  // The button itself keeps the focus too (it used to go disabled while saving, dropping it).
  await page.keyboard.press('Enter');
  await expect
    .poll(() => playlistTitles(page))
    .toEqual([second, third, before[3], first, ...before.slice(4)]);
  await expect.poll(() => focusedLabel(page)).toBe(`Move ${first} down`);

  // Drag the fourth row to the top.
  await rows.nth(3).dragTo(rows.nth(0), { targetPosition: { x: 40, y: 4 } });
  await expect.poll(() => playlistTitles(page)).toEqual([first, second, third, ...before.slice(3)]);
  // Still so after a reload from the service.
  await page.reload();
  await openPlaylist(page, 'Morning Mix');
  await expect.poll(() => playlistTitles(page)).toEqual(before);

  // A track already in the playlist: a warning first.
  await search(page, first, 'Tracks');
  await page
    .getByRole('button', { name: `Add ${first} to playlist` })
    .first()
    .click();
  await page
    .getByRole('dialog')
    .getByRole('list', { name: 'Playlists' })
    .getByRole('button', { name: /^Morning Mix/ })
    .click();
  const warning = page.getByRole('alertdialog', { name: 'Already in “Morning Mix”' });
  await expect(warning).toContainText(`“${first}” is already in this playlist`);
  await warning.getByRole('button', { name: 'Cancel' }).click();
  await openPlaylist(page, 'Morning Mix');
  await expect.poll(() => playlistTitles(page)).toHaveLength(12);
  await search(page, first, 'Tracks');
  await page
    .getByRole('button', { name: `Add ${first} to playlist` })
    .first()
    .click();
  await page
    .getByRole('dialog')
    .getByRole('list', { name: 'Playlists' })
    .getByRole('button', { name: /^Morning Mix/ })
    .click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Add anyway' }).click();
  await expect(page.getByText(`Added “${first}” to “Morning Mix”`)).toBeVisible();
  await openPlaylist(page, 'Morning Mix');
  await expect.poll(() => playlistTitles(page)).toEqual([...before, first]);

  // Remove, then Undo: the track is back at its place.
  await list.getByRole('button', { name: `Remove ${second} from playlist` }).click();
  await expect.poll(() => playlistTitles(page)).toEqual([first, ...before.slice(2), first]);
  await page
    .getByRole('status')
    .filter({ hasText: `Removed “${second}” from “Morning Mix”` })
    .getByRole('button', { name: 'Undo' })
    .click();
  await expect.poll(() => playlistTitles(page)).toEqual([...before, first]);
});

test('queue: reorder by drag and Shift+Alt+↑/↓ with the focus kept, remove with Undo, a menu per row', async ({
  page,
  app,
}) => {
  await openSignedIn(page, app.url);
  await openPlaylist(page, 'Morning Mix');
  const titles = await playlistTitles(page);
  await page.getByRole('button', { name: 'Play all' }).click();
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  const queue = page.getByRole('list', { name: 'Queue tracks' });
  const [a, b, c] = titles as [string, string, string];
  await expect.poll(async () => (await queueTitles(page)).slice(0, 3)).toEqual([a, b, c]);

  await queue.getByRole('button', { name: `Move ${c} up` }).focus();
  await page.keyboard.press('Shift+Alt+ArrowUp');
  await expect.poll(async () => (await queueTitles(page)).slice(0, 3)).toEqual([a, c, b]);
  await expect.poll(() => focusedLabel(page)).toBe(`Move ${c} up`);

  const rows = queue.getByRole('listitem');
  await rows.nth(2).dragTo(rows.nth(0), { targetPosition: { x: 40, y: 4 } });
  await expect.poll(async () => (await queueTitles(page)).slice(0, 3)).toEqual([b, a, c]);

  await queue.getByRole('button', { name: `Remove ${c} from queue` }).click();
  await expect.poll(async () => (await queueTitles(page)).slice(0, 3)).toEqual([b, a, titles[3]]);
  await page
    .getByRole('status')
    .filter({ hasText: `Removed “${c}” from the queue` })
    .getByRole('button', { name: 'Undo' })
    .click();
  await expect.poll(async () => (await queueTitles(page)).slice(0, 3)).toEqual([b, a, c]);

  await rows.nth(1).click({ button: 'right' });
  await expect(menu(page, a).getByRole('menuitem', { name: 'Remove from queue' })).toBeVisible();
  await page.keyboard.press('Escape');
});
