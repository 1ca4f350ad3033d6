// State survives restarts; demo data is seeded once; the test API is unsigned and separate.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OAuth from 'oauth-1.0a';
import { afterAll, describe, expect, it } from 'vitest';
import { demoConsumer, demoListener } from '../shared/demo.js';
import { startEmulator } from './server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'septet-emulator-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const client = new OAuth({
  consumer: { key: demoConsumer.key, secret: demoConsumer.secret },
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
});
function signedGet(url: string): Promise<Response> {
  const auth = client.authorize({ url, method: 'GET' });
  const query = Object.entries(auth)
    .filter(([k]) => k.startsWith('oauth_'))
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return fetch(`${url}${url.includes('?') ? '&' : '?'}${query}`);
}
function signedPostForm(url: string, form: Record<string, string>): Promise<Response> {
  const auth = client.authorize({ url, method: 'POST', data: form });
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: client.toHeader(auth).Authorization,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
}

describe('emulator state', () => {
  it('survives a restart and seeds the demo data only once', { timeout: 600_000 }, async () => {
    const first = await startEmulator({ port: 0, dataDir });
    const created = await signedPostForm(`${first.url}/users`, {
      email: 'persist@septet.test',
      password: 'pw',
      country: 'FR',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const playlists = (await (
      await signedGet(`${first.url}/playlists?userId=${demoListener.userId}`)
    ).json()) as { totalItems: number };
    await first.close();

    const second = await startEmulator({ port: 0, dataDir });
    try {
      const again = await signedPostForm(`${second.url}/users`, {
        email: 'persist@septet.test',
        password: 'pw',
        country: 'FR',
      });
      expect(again.status).toBe(409);
      const locker = await signedGet(`${second.url}/users/${id}/locker`);
      expect(locker.status).toBe(200);
      const after = (await (
        await signedGet(`${second.url}/playlists?userId=${demoListener.userId}`)
      ).json()) as { totalItems: number };
      expect(after.totalItems).toBe(playlists.totalItems);
      // The test API needs no signature and is not an API path.
      expect((await fetch(`${second.url}/_emulator/logs?endpoint=preview`)).status).toBe(200);
      expect((await fetch(`${second.url}/_emulator/logs?endpoint=bogus`)).status).toBe(400);
    } finally {
      await second.close();
    }
  });

  it('a non-live key over its daily limit gets 429 with Retry-After', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'septet-emulator-limit-'));
    const emulator = await startEmulator({
      port: 0,
      dataDir: dir,
      config: { demoKeyLive: false, dailyRequestLimit: 3 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const response = await signedGet(`${emulator.url}/usage-types`);
        statuses.push(response.status);
        if (i === 3) {
          expect(response.headers.get('x-ratelimit-limit')).toBe('3');
          expect(response.headers.get('x-ratelimit-current')).toBe('4');
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(((await response.json()) as { status: string }).status).toBe('error');
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it(
    'dates every response by its own clock, test offset included, so clients can correct skew',
    { timeout: 600_000 },
    async () => {
      const emulator = await startEmulator({
        port: 0,
        dataDir: mkdtempSync(join(tmpdir(), 'septet-emulator-clock-')),
      });
      try {
        const hour = 3_600_000;
        const set = await fetch(`${emulator.url}/_emulator/clock`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ offsetMs: hour }),
        });
        expect(set.ok).toBe(true);
        const res = await fetch(`${emulator.url}/tracks/10000001/details`);
        const served = Date.parse(res.headers.get('date') ?? '');
        expect(Math.abs(served - (Date.now() + hour))).toBeLessThan(60_000);
      } finally {
        await emulator.close();
      }
    },
  );
});
