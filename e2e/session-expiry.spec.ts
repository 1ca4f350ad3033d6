// A session that ends mid-use (issue 6 "Faults": a 401 mid-session): the service stops accepting
// the listener's access token → the app asks the listener to sign in again, and the queue, the
// play log and the offline cache survive; after signing in again the queue is back.
import Database from 'better-sqlite3';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { audioElement, expect, openSignedIn, test } from './fixtures.js';

type LogRow = { local_id: string; payload: string };

async function invoke<T>(page: Page, channel: string): Promise<T> {
  return page.evaluate(async (name) => {
    const result = await window.septet!.invoke(name as never, {} as never);
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value as unknown;
  }, channel) as Promise<T>;
}

/** Every file under the offline cache with its size: a cache left alone keeps exactly these. */
async function cacheFiles(dir: string): Promise<Record<string, number>> {
  const files: Record<string, number> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length)] = (await stat(path)).size;
  }
  return files;
}

function savedQueueOnDisk(dataDir: string, userId: string): { index: number; ids: string[] } | null {
  const db = new Database(join(dataDir, 'settings.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(`queue:${userId}`) as
      { value: string } | undefined;
    if (!row) return null;
    const queue = JSON.parse(row.value) as { index: number; tracks: { id: string }[] };
    return { index: queue.index, ids: queue.tracks.map((t) => t.id) };
  } finally {
    db.close();
  }
}

function playLogRows(dataDir: string): LogRow[] {
  const db = new Database(join(dataDir, 'play-log.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT local_id, payload FROM play_log ORDER BY seq').all() as LogRow[];
  } finally {
    db.close();
  }
}

test('the service rejects the access token mid-session → sign in again; queue, play log and offline cache survive', async ({
  page,
  app,
  emulator,
  workDir,
}) => {
  test.setTimeout(240_000);
  await openSignedIn(page, app.url);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Offline cache: a release kept on this device.
  await nav.getByRole('button', { name: 'Offline', exact: true }).click();
  await page.getByRole('button', { name: 'Authorise this device' }).click();
  await expect(page.getByText('Authorised for offline listening.')).toBeVisible({ timeout: 30_000 });
  await nav.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill('Paper Satellites');
  await page.getByRole('tab', { name: 'Releases' }).click();
  await page
    .getByRole('button', { name: /Paper Satellites/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Make available offline' }).click();
  const offlineItems = () =>
    invoke<{ items: { title: string; state: string; cachedCount: number; trackCount: number }[] }>(
      page,
      'offline:getStatus',
    ).then((s) => s.items.map((i) => `${i.title}:${i.state}:${i.cachedCount}/${i.trackCount}`));
  await expect.poll(offlineItems, { timeout: 120_000 }).toEqual(['Paper Satellites:ready:3/3']);

  // A queue (the release) and a recorded play: track 2 played a little, then skipped to Orbit.
  await page.getByRole('button', { name: 'Play Paper Satellites (Radio Edit)', exact: true }).click();
  const audio = audioElement(page);
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(2);
  await page.getByRole('button', { name: 'Next track' }).click();
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(1);
  await page.getByRole('button', { name: 'Pause' }).click();
  const playerBar = page.locator('footer.player-bar');
  const nowPlaying = await playerBar.locator('.now-title').innerText();

  type Saved = { index: number; tracks: { id: string }[] } | null;
  const savedQueue = () =>
    invoke<Saved>(page, 'queue:getSaved').then((q) =>
      q ? { index: q.index, ids: q.tracks.map((t) => t.id) } : null,
    );
  await expect.poll(async () => (await savedQueue())?.index, { timeout: 10_000 }).toBe(2);
  const queueBefore = await savedQueue();
  expect(queueBefore?.ids).toHaveLength(3);
  const cacheDir = join(app.dataDir, 'offline');
  const cacheBefore = await cacheFiles(cacheDir);
  expect(Object.keys(cacheBefore).length).toBeGreaterThan(0);
  const offlineBefore = await offlineItems();
  await expect.poll(() => playLogRows(app.dataDir).length + 0, { timeout: 10_000 }).toBeGreaterThan(0);
  const rowsBefore = playLogRows(app.dataDir);
  const statusBefore = await invoke<{ deadLetters: number }>(page, 'playlog:getStatus');

  // The service revokes every access token (as when a listener changes their password elsewhere).
  // The emulator keeps tokens it has seen in memory, so it is restarted around the revocation.
  await emulator.stop();
  const emulatorDb = new Database(join(workDir, 'emulator', 'emulator.sqlite'));
  try {
    expect(emulatorDb.prepare('DELETE FROM access_tokens').run().changes).toBeGreaterThan(0);
  } finally {
    emulatorDb.close();
  }
  await emulator.start();
  // The next call signed with the access token (the locker) gets the 401.
  await nav.getByRole('button', { name: 'Locker', exact: true }).click();

  await expect(page.getByText('Your session expired. Please sign in again.')).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('button', { name: 'Sign in with the demo account' })).toBeVisible();
  expect((await invoke<{ state: string; reason?: string }>(page, 'session:getSession')).reason).toBe(
    'expired',
  );

  // Nothing the listener owns on this device was touched (the saved queue is the listener's, kept
  // under their id: read from the settings database while nobody is signed in).
  expect(savedQueueOnDisk(app.dataDir, 'demo-listener')).toEqual(queueBefore);
  expect(await cacheFiles(cacheDir)).toEqual(cacheBefore);
  const rowsAfter = playLogRows(app.dataDir);
  const { logs: delivered } = await emulator.testApi<{ logs: { trackId: string; timestamp: string }[] }>(
    '/_emulator/logs?endpoint=subscriber',
  );
  for (const row of rowsBefore) {
    // Each play recorded before is still queued, or already reached the service.
    const payload = JSON.parse(row.payload) as { trackId: string; timestamp: string };
    const kept = rowsAfter.some((r) => r.local_id === row.local_id);
    const sent = delivered.some(
      (log) => log.trackId === payload.trackId && log.timestamp === payload.timestamp,
    );
    expect(kept || sent, `play ${row.local_id} kept or delivered`).toBe(true);
  }
  expect((await invoke<{ deadLetters: number }>(page, 'playlog:getStatus')).deadLetters).toBe(
    statusBefore.deadLetters,
  );

  // Signing in again brings the same queue back, and the offline release is still ready.
  await page.getByRole('button', { name: 'Sign in with the demo account' }).click();
  await expect(nav).toBeVisible({ timeout: 30_000 });
  // The restored queue shows its current track in the player bar again.
  await expect(playerBar).toContainText(nowPlaying, { timeout: 10_000 });
  expect(await savedQueue()).toEqual(queueBefore);
  expect(await offlineItems()).toEqual(offlineBefore);
  expect(await cacheFiles(cacheDir)).toEqual(cacheBefore);
});
