// The window at 900×600 and at 1920×1080, with the queue closed and open: no page scrolls
// sideways, and the page keeps its width when the queue opens in a narrow window (it used to
// shrink to ~290 px with a horizontal scrollbar). Screenshots for the README come from here.
// Also Browse "#": the artists whose names start with a digit or a symbol (none in the
// emulator's catalogue), not all 606.
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, screenshot, test } from './fixtures.js';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

type Widths = { page: number; window: number; main: number; mainScroll: number };

/** How wide the page and the main area are, and how wide their content is. */
function widths(page: Page): Promise<Widths> {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    return {
      page: document.documentElement.scrollWidth,
      window: window.innerWidth,
      main: main?.clientWidth ?? 0,
      mainScroll: main?.scrollWidth ?? 0,
    };
  });
}

async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const w = await widths(page);
  expect(w.page, `${where}: the page`).toBeLessThanOrEqual(w.window);
  expect(w.mainScroll, `${where}: the main area`).toBeLessThanOrEqual(w.main + 1);
}

/** Every view, each checked for sideways scrolling. */
async function visitEveryView(page: Page, size: string): Promise<void> {
  const views: [string, () => Promise<void>][] = [
    [
      'Home',
      async () => void (await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible()),
    ],
    [
      'Search',
      async () => {
        await page.getByRole('searchbox', { name: 'Search' }).fill('Aurora Vale');
        await page.getByRole('tab', { name: 'Tracks' }).click();
        await expect(page.getByRole('list', { name: 'Tracks' }).getByRole('listitem').first()).toBeVisible();
      },
    ],
    [
      'Browse',
      async () => void (await expect(page.getByRole('heading', { name: 'Browse artists' })).toBeVisible()),
    ],
    ['Locker', async () => void (await expect(page.getByRole('heading', { level: 1 })).toBeVisible())],
    ['Playlists', async () => void (await expect(page.getByRole('heading', { level: 1 })).toBeVisible())],
    [
      'Liked songs',
      async () =>
        void (await expect(page.getByRole('heading', { level: 1, name: 'Liked songs' })).toBeVisible()),
    ],
    [
      'Radio',
      async () => void (await expect(page.getByRole('heading', { level: 1, name: 'Radio' })).toBeVisible()),
    ],
    ['Offline', async () => void (await expect(page.getByRole('heading', { level: 1 })).toBeVisible())],
    ['Settings', async () => void (await expect(page.getByRole('heading', { level: 1 })).toBeVisible())],
  ];
  for (const [name, ready] of views) {
    await nav(page).getByRole('button', { name, exact: true }).click();
    await ready();
    await expectNoSidewaysScroll(page, `${size} ${name}`);
  }
  await nav(page).getByRole('button', { name: 'Septet Favourites' }).click();
  await expect(page.getByRole('list', { name: 'Playlist tracks' })).toBeVisible();
  await expectNoSidewaysScroll(page, `${size} playlist`);
  // Dark scrollbars on the lists and the page (not the platform's light ones).
  const scrollbars = await page.evaluate(() => {
    const list = getComputedStyle(document.querySelector('.vlist') as Element);
    const main = getComputedStyle(document.querySelector('main') as Element);
    return { scheme: main.colorScheme, list: list.scrollbarColor, main: main.scrollbarColor };
  });
  expect(scrollbars.scheme).toBe('dark');
  expect(scrollbars.list).toBe('rgb(58, 65, 80) rgba(0, 0, 0, 0)');
  expect(scrollbars.main).toBe(scrollbars.list);
}

test('no sideways scrolling at 900×600 or 1920×1080, with the queue closed or open', async ({
  page,
  app,
}) => {
  // Ten views, two sizes, the queue closed and open.
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openSignedIn(page, app.url);
  // Something played and skipped, so Home has content; a queue to show.
  await page.getByRole('searchbox', { name: 'Search' }).fill('Aurora Vale');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await page
    .getByRole('list', { name: 'Tracks' })
    .getByRole('button', { name: /^Play (?!.* next$)/ })
    .first()
    .click();
  await expect
    .poll(() => audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(2);
  await page.getByRole('contentinfo', { name: 'Player' }).getByRole('button', { name: 'Next track' }).click();

  for (const [width, height] of [
    [900, 600],
    [1920, 1080],
  ] as const) {
    const size = `${width}×${height}`;
    await page.setViewportSize({ width, height });
    await visitEveryView(page, size);
    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    await expect(page.getByRole('complementary', { name: 'Queue' })).toBeVisible();
    await visitEveryView(page, `${size} with the queue`);
    // The page keeps its width beside (or under) the queue: never a sliver.
    expect((await widths(page)).main).toBeGreaterThan(width === 900 ? 600 : 1200);
    await nav(page).getByRole('button', { name: 'Home', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Recently played' })).toBeVisible({ timeout: 30_000 });
    await screenshot(page, `layout-${width}x${height}`);
    await page.getByRole('button', { name: 'Close queue' }).click();
  }
});

test('Browse "#" lists the artists whose names start with a digit or a symbol, not every artist', async ({
  page,
  app,
}) => {
  await openSignedIn(page, app.url);
  await nav(page).getByRole('button', { name: 'Browse', exact: true }).click();
  await expect(
    page.getByRole('list', { name: 'Artists under A' }).getByRole('listitem').first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Artists starting with a number or symbol' }).click();
  await expect(page.getByText('No artists under #')).toBeVisible();
});

test('screenshots: Home, a context menu, an artist page', async ({ page, app }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openSignedIn(page, app.url);
  await page.getByRole('searchbox', { name: 'Search' }).fill('Aurora Vale');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  const tracks = page.getByRole('list', { name: 'Tracks' });
  await tracks
    .getByRole('button', { name: /^Play (?!.* next$)/ })
    .first()
    .click();
  await expect
    .poll(() => audioElement(page).evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(2);
  await page.getByRole('contentinfo', { name: 'Player' }).getByRole('button', { name: 'Next track' }).click();
  await tracks.getByRole('listitem').nth(2).click({ button: 'right' });
  await expect(page.getByRole('menu', { name: /^Actions for / })).toBeVisible();
  await screenshot(page, 'context-menu');
  await page.keyboard.press('Escape');

  await expect(async () => {
    await nav(page).getByRole('button', { name: 'Search', exact: true }).click();
    await nav(page).getByRole('button', { name: 'Home', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Recently played' })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await screenshot(page, 'home-page');

  await page
    .getByRole('list', { name: 'Recently played' })
    .getByRole('button', { name: 'Aurora Vale' })
    .first()
    .click();
  await expect(page.getByRole('list', { name: 'Top tracks' })).toBeVisible();
  await screenshot(page, 'artist');
});
