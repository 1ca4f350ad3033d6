// Locker: download a release ZIP → "Artist - Release.zip", a valid archive with every track, under
// its final name only once complete; one copy however often it is asked for; "Show in folder".
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { expect, openSignedIn, screenshot, test } from './fixtures.js';

/** Reads every entry (which checks each CRC) and returns the names. */
function readZip(path: string): Promise<{ name: string; bytes: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries: { name: string; bytes: number }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          let bytes = 0;
          stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, bytes });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

test('locker: download a release ZIP → a valid archive with all its tracks', async ({ page, app }) => {
  await openSignedIn(page, app.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Locker', exact: true })
    .click();
  const download = page.getByRole('button', { name: 'Download First Light (ZIP)' });
  await expect(download).toBeVisible({ timeout: 30_000 });
  await screenshot(page, 'locker');
  await download.click();

  // Named as a person would look for it, and said where it went.
  const zipName = 'The Septet Ensemble - First Light.zip';
  const saved = page.getByRole('status').filter({ hasText: `Saved “${zipName}” to ${app.downloadsDir}` });
  await expect(saved.first()).toBeVisible({ timeout: 90_000 });
  const files = await readdir(app.downloadsDir);
  expect(files).toEqual([zipName]);
  const entries = await readZip(join(app.downloadsDir, zipName));

  const tracks = await page.evaluate(async () => {
    const search = await window.septet!.invoke('catalogue:searchReleases', { q: 'First Light' });
    if (!search.ok) throw new Error(search.error.message);
    const release = search.value.items.find((r) => r.title === 'First Light');
    const listing = await window.septet!.invoke('catalogue:getReleaseTracks', { releaseId: release!.id });
    if (!listing.ok) throw new Error(listing.error.message);
    return listing.value.map((t) => t.title);
  });
  expect(tracks.length).toBeGreaterThan(0);
  expect(entries).toHaveLength(tracks.length);
  for (const entry of entries) {
    expect(entry.name).toMatch(/^\d{2} - .+\.(mp3|flac)$/);
    expect(entry.bytes).toBeGreaterThan(1000);
  }
  for (const title of tracks) expect(entries.some((e) => e.name.includes(title))).toBe(true);

  // A second click shows the one copy instead of making "(1)"; "Show in folder" shows that file
  // (the file manager is the one stand-in here: app.shownInFolder records what it was asked).
  await page.getByRole('button', { name: 'Download First Light (ZIP)' }).click();
  await expect(page.getByText(`Saved “${zipName}” to`).first()).toBeVisible();
  expect(await readdir(app.downloadsDir)).toEqual([zipName]);
  await screenshot(page, 'locker-saved');
  await page.getByRole('button', { name: 'Show in folder' }).first().click();
  await expect.poll(() => app.shownInFolder).toEqual([join(app.downloadsDir, zipName)]);

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Settings', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await screenshot(page, 'settings');
});
