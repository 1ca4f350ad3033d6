// Secrets canary in the real renderer (issue 6): three-legged sign-in through the "system
// browser", a track played through the media gateway, sign-out. Every response and WebSocket
// frame the page received and the page's state (DOM, localStorage, sessionStorage, readable
// cookies, IndexedDB and Cache Storage names) must hold no access token, token secret or
// consumer secret. The token values are the emulator's own record of what it issued to the
// listener (its SQLite state), so the canary knows the real secrets. The core-level canary
// (electron/core/secrets-canary.test.ts) covers the data dir, the logs and the cache master key.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { demoConsumer } from '../shared/demo.js';
import { audioElement, expect, test } from './fixtures.js';

test('no token, token secret or consumer secret reaches the renderer', async ({ page, app, workDir }) => {
  const received: Array<{ where: string; text: string }> = [];
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!/json|text|javascript|mpegurl|html/.test(type)) return;
    response.text().then(
      (text) => received.push({ where: `response ${response.url()}`, text }),
      () => undefined, // redirects and aborted media requests have no body
    );
    received.push({ where: `headers ${response.url()}`, text: JSON.stringify(response.headers()) });
  });
  page.on('websocket', (ws) =>
    ws.on('framereceived', (frame) =>
      received.push({ where: `ws ${ws.url()}`, text: String(frame.payload) }),
    ),
  );

  const dumpState = async (label: string): Promise<void> => {
    const state = await page.evaluate(async () => {
      const storage = (s: Storage) =>
        Object.fromEntries(
          Array.from({ length: s.length }, (_, i) => s.key(i)!).map((k) => [k, s.getItem(k)]),
        );
      return JSON.stringify({
        html: document.documentElement.outerHTML,
        local: storage(localStorage),
        session: storage(sessionStorage),
        cookie: document.cookie,
        indexedDb: (await indexedDB.databases()).map((d) => d.name),
        caches: await caches.keys(),
        bridge: Object.keys(window.septet ?? {}),
        globals: Object.keys(window).filter((k) => /token|secret|oauth/i.test(k)),
      });
    });
    received.push({ where: `window state ${label}`, text: state });
  };

  await page.goto(app.url);
  await page.getByRole('button', { name: 'Sign in with browser' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeVisible({ timeout: 30_000 });
  await dumpState('signed in');

  await page.getByRole('searchbox', { name: 'Search' }).fill('Morning Signal');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  const play = page.getByRole('button', { name: 'Play Morning Signal' }).first();
  await expect(play).toBeVisible({ timeout: 30_000 });
  await play.click();
  const audio = audioElement(page);
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(1);
  await dumpState('playing');

  // The secrets the emulator issued to this listener (read before sign-out, which may revoke them).
  const db = new Database(join(workDir, 'emulator', 'emulator.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
  const issued = db
    .prepare('SELECT token, secret FROM access_tokens WHERE user_id = ?')
    .all('demo-listener') as Array<{ token: string; secret: string }>;
  db.close();
  expect(issued.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Pause' }).click();
  await nav.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in with browser' })).toBeVisible();
  await dumpState('signed out');

  const secrets = [demoConsumer.secret, ...issued.flatMap((t) => [t.token, t.secret])];
  const forms = secrets.flatMap((s) => [s, encodeURIComponent(s), encodeURIComponent(encodeURIComponent(s))]);
  const leaks = received.flatMap(({ where, text }) => forms.filter((f) => text.includes(f)).map(() => where));
  expect(received.some((r) => r.where.startsWith('ws '))).toBe(true);
  expect(received.some((r) => r.where.includes('/api/'))).toBe(true);
  expect(leaks).toEqual([]);
});
