// The radio operations over real HTTP with a real (in-memory) SQLite db; the server is the media
// tests' stand-in for the core's (no OAuth) and the catalogue is a fake deps object. The core's
// contract suite runs these routes end-to-end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../media/testing/test-server.js';
import { startTestServer } from '../media/testing/test-server.js';
import { migratedDb } from '../testing/migrated-db.js';
import type { RadioEngine, RadioTrackMeta } from './engine.js';
import type { RadioRouteDeps } from './routes.js';
import { registerRadioRoutesWithDeps as registerRadioRoutes } from './routes.js';

const tracks = new Map<string, RadioTrackMeta>();
for (let r = 0; r < 8; r++) {
  for (let n = 0; n < 3; n++) {
    const id = `${r}${n}`;
    tracks.set(id, {
      trackId: id,
      releaseId: `rel-${r}`,
      artistId: `art-${r}`,
      isCompilation: false,
    });
  }
}
let clockMs = Date.parse('2026-06-01T10:00:00Z');
let server: TestServer;
let engine: RadioEngine | undefined;

beforeAll(async () => {
  server = await startTestServer((router, baseUrl) => {
    const deps: RadioRouteDeps = {
      db: migratedDb(),
      now: () => new Date(clockMs),
      playlistTrackIds: (id) => (id === 'pl-all' ? [...tracks.keys()] : undefined),
      trackMeta: (id) => tracks.get(id),
      trackJson: (id) => ({ id, title: `Track ${id}`, trackNumber: 1, duration: 60 }),
      streamUrl: (id) => `${baseUrl()}/streaming/catalogue/${id}/hls`,
    };
    engine = registerRadioRoutes(router, deps);
  });
});
afterAll(() => server.close());

const json = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    ...(body !== undefined
      ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });
async function expectError(response: Response, status: number, code: number) {
  expect(response.status).toBe(status);
  expect(((await response.json()) as { error: { code: number } }).error.code).toBe(code);
}

describe('interactive radio routes', () => {
  it('runs a station: create (201), next-track, events (202), skip budget, delete (204) then 404', async () => {
    const created = await json('POST', '/interactive-radio/sessions', {
      userId: 'u1',
      playlistIds: ['pl-all'],
      ruleset: 'gvl',
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as {
      sessionId: string;
      userId: string;
      ruleset: string;
      skipsRemaining: number;
      createdAt: string;
    };
    expect(session).toMatchObject({
      userId: 'u1',
      ruleset: 'gvl',
      skipsRemaining: 6,
      createdAt: new Date(clockMs).toISOString(),
    });
    expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const base = `/interactive-radio/sessions/${session.sessionId}`;

    for (let i = 0; i < 7; i++) {
      const next = await json('GET', `${base}/next-track`);
      expect(next.status).toBe(200);
      const body = (await next.json()) as { track: { id: string }; streamUrl: string; skipAllowed: boolean };
      expect(body.streamUrl).toBe(`${server.url}/streaming/catalogue/${body.track.id}/hls`);
      expect(body.skipAllowed).toBe(i < 6);
      const again = (await (await json('GET', `${base}/next-track`)).json()) as { track: { id: string } };
      expect(again.track.id).toBe(body.track.id);
      const events = {
        events: [
          {
            trackId: body.track.id,
            eventType: 'skip',
            timestamp: new Date(clockMs).toISOString(),
            durationPlayed: 5,
          },
        ],
      };
      const posted = await json('POST', `${base}/events`, events);
      if (i < 6) {
        expect(posted.status).toBe(202);
        expect(await posted.text()).toBe('');
      } else {
        await expectError(posted, 400, 1002);
      }
      clockMs += 30_000;
    }
    expect(engine?.history(session.sessionId)?.events.filter((e) => e.eventType === 'skip').length).toBe(6);

    const deleted = await json('DELETE', base);
    expect(deleted.status).toBe(204);
    await expectError(await json('GET', `${base}/next-track`), 404, 2001);
    await expectError(await json('POST', `${base}/events`, { events: [] }), 404, 2001);
    await expectError(await json('DELETE', base), 404, 2001);
    expect(engine?.history(session.sessionId)?.deletedAt).not.toBeNull();
  });

  it('validates the create body', async () => {
    await expectError(
      await json('POST', '/interactive-radio/sessions', { playlistIds: ['pl-all'] }),
      400,
      1001,
    );
    await expectError(await json('POST', '/interactive-radio/sessions', { userId: 'u1' }), 400, 1001);
    await expectError(
      await json('POST', '/interactive-radio/sessions', { userId: 'u1', playlistIds: [] }),
      400,
      1001,
    );
    await expectError(
      await json('POST', '/interactive-radio/sessions', { userId: 'u1', playlistIds: 'pl-all' }),
      400,
      1002,
    );
    await expectError(
      await json('POST', '/interactive-radio/sessions', {
        userId: 'u1',
        playlistIds: ['pl-all'],
        ruleset: 'bbc',
      }),
      400,
      1002,
    );
    await expectError(
      await json('POST', '/interactive-radio/sessions', { userId: 'u1', playlistIds: ['nope'] }),
      404,
      2001,
    );
    const wrongType = await fetch(`${server.url}/interactive-radio/sessions`, {
      method: 'POST',
      body: 'userId=u1',
    });
    await expectError(wrongType, 400, 1002);
    const created = await json('POST', '/interactive-radio/sessions', {
      userId: 'u1',
      playlistIds: ['pl-all'],
    });
    expect(((await created.json()) as { ruleset: string }).ruleset).toBe('dmca');
  });
});
