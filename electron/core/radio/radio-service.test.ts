// Real HTTP with real OAuth signing. The service here is a small local radio server started by
// the test (sessions, idempotent next-track, atomic event batches, a 6-skip budget, 404/2001
// after delete), to test the service's side of each answer in isolation;
// media-gateway/emulator-integration.test.ts runs a station against the emulator itself.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import { createSignedUpstream } from '../media-gateway/testing/signed-upstream.js';
import { apiCallFromUpstream } from '../media-gateway/upstream.js';
import { createRadioService, type RadioServiceDeps, type RadioStationView } from './radio-service.js';

type Received = { method: string; path: string; body: unknown };
let server: Server;
let baseUrl: string;
let received: Received[];

function startRadioServer(): Promise<void> {
  received = [];
  const sessions = new Map<
    string,
    { current: string | null; served: number; skips: number; deleted: boolean }
  >();
  let nextId = 1;
  const json = (res: import('node:http').ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) return void res.writeHead(status).end();
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };
  const fail = (res: import('node:http').ServerResponse, status: number, code: number, message: string) =>
    json(res, status, { status: 'error', error: { code, message } });
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body: unknown = raw ? JSON.parse(raw) : undefined;
      received.push({ method: req.method ?? '', path, body });
      if (!String(req.headers.authorization ?? '').startsWith('OAuth ')) {
        return void res
          .writeHead(401, { 'Content-Type': 'text/plain' })
          .end('OAuth authentication error: missing');
      }
      if (req.method === 'POST' && path === '/interactive-radio/sessions') {
        const id = `session-${nextId++}`;
        sessions.set(id, { current: null, served: 0, skips: 0, deleted: false });
        return json(res, 201, {
          sessionId: id,
          userId: (body as { userId: string }).userId,
          skipsRemaining: 6,
        });
      }
      const m = /^\/interactive-radio\/sessions\/([^/]+)(\/next-track|\/events)?$/.exec(path);
      const s = m ? sessions.get(m[1]!) : undefined;
      if (!m || !s || s.deleted) return fail(res, 404, 2001, 'Listening session not found');
      if (req.method === 'DELETE' && !m[2]) {
        s.deleted = true;
        return json(res, 204);
      }
      if (req.method === 'GET' && m[2] === '/next-track') {
        s.current ??= `track-${++s.served}`;
        return json(res, 200, {
          track: { id: s.current, title: `Song ${s.served}` },
          streamUrl: `${baseUrl}/streaming/catalogue/${s.current}/hls`,
          skipAllowed: s.skips < 6,
        });
      }
      if (req.method === 'POST' && m[2] === '/events') {
        const events = (body as { events: Array<{ trackId: string; eventType: string }> }).events;
        const skips = events.filter((e) => e.eventType === 'skip').length;
        if (s.skips + skips > 6) return fail(res, 400, 1002, 'No skips remaining in this listening session');
        s.skips += skips;
        if (
          events.some(
            (e) => e.trackId === s.current && (e.eventType === 'skip' || e.eventType === 'complete'),
          )
        ) {
          s.current = null;
        }
        return json(res, 202);
      }
      return fail(res, 404, 2001, 'not found');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeEach(startRadioServer);
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function makeService(extra: Partial<RadioServiceDeps> = {}) {
  const views: Array<RadioStationView | null> = [];
  let clock = Date.parse('2026-11-27T04:00:00Z');
  const service = createRadioService({
    call: apiCallFromUpstream(createSignedUpstream({ baseUrl, userId: 'demo-listener' })),
    getSession: () => ({ userId: 'demo-listener', country: 'GB', clientId: 'c', subscriptionActive: true }),
    batchSize: 3,
    now: () => clock,
    onChange: (v) => views.push(v),
    ...extra,
  });
  return { service, views, advance: (ms: number) => (clock += ms) };
}

const posts = () => received.filter((r) => r.path.endsWith('/events'));

describe('radio service', () => {
  it('starts a station, plays next tracks, batches events, and deletes the session on stop', async () => {
    const { service } = makeService();
    const view = await service.startStation({ playlistIds: ['pl-1', 'pl-2'], ruleset: 'gvl' });
    expect(view).toMatchObject({
      sessionId: 'session-1',
      skipsRemaining: 6,
      skipAllowed: false,
      ruleset: 'gvl',
    });
    expect(received[0]).toMatchObject({
      method: 'POST',
      body: { userId: 'demo-listener', playlistIds: ['pl-1', 'pl-2'], ruleset: 'gvl', country: 'GB' },
    });

    const first = await service.nextTrack();
    expect(first).toMatchObject({ trackId: 'track-1', skipAllowed: true });
    service.reportEvents([{ eventType: 'start' }, { eventType: 'pause', durationPlayed: 10 }]);
    expect(posts()).toHaveLength(0); // below the batch size: held
    service.reportEvents([{ eventType: 'resume' }]);
    await service.flush();
    expect(posts()).toHaveLength(1);
    expect((posts()[0]!.body as { events: unknown[] }).events).toHaveLength(3);

    service.reportEvents([{ eventType: 'complete', durationPlayed: 200.4 }]);
    const second = await service.nextTrack(); // pending events go first: they decide what plays next
    expect(second.trackId).toBe('track-2');
    const lastBatch = posts().at(-1)!.body as { events: Array<Record<string, unknown>> };
    expect(lastBatch.events).toEqual([
      {
        trackId: 'track-1',
        eventType: 'complete',
        durationPlayed: 200,
        timestamp: '2026-11-27T04:00:00.000Z',
      },
    ]);

    service.reportEvents([{ eventType: 'start' }]);
    await service.stopStation();
    expect(received.at(-2)).toMatchObject({
      method: 'POST',
      path: '/interactive-radio/sessions/session-1/events',
    });
    expect(received.at(-1)).toMatchObject({
      method: 'DELETE',
      path: '/interactive-radio/sessions/session-1',
    });
    expect(service.view()).toBeNull();
  });

  it('enforces the skip budget client-side, rolling over the hour', async () => {
    const { service, advance } = makeService();
    await service.startStation({ playlistIds: ['pl-1'], ruleset: 'dmca' });
    await expect(service.skip()).rejects.toMatchObject({ code: 'limit_reached' }); // nothing playing yet
    await service.nextTrack();
    for (let i = 0; i < 6; i++) {
      await service.skip({ durationPlayed: 5 });
      advance(60_000);
    }
    expect(service.view()).toMatchObject({ skipsRemaining: 0, skipAllowed: false });
    const postsBefore = posts().length;
    const error = await service.skip().catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('limit_reached');
    expect(posts()).toHaveLength(postsBefore); // refused before reaching the service
    advance(3600_000 - 6 * 60_000 + 1); // only the first skip has left the rolling window
    expect(service.view()).toMatchObject({ skipsRemaining: 1, skipAllowed: true });
    // This test server's budget does not roll: its refusal (400/1002) is taken as the truth.
    await expect(service.skip()).rejects.toMatchObject({ code: 'limit_reached', serviceCode: 1002 });
    expect(service.view()).toMatchObject({ skipsRemaining: 0, skipAllowed: false });
  });

  it('keeps events across a failed send, and stopAll never throws at shutdown', async () => {
    const { service } = makeService({ batchSize: 10 });
    await service.startStation({ playlistIds: ['pl-1'], ruleset: 'dmca' });
    await service.nextTrack();
    service.reportEvents([{ eventType: 'start' }]);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await service.flush().catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('network');
    expect(service.view()?.pendingEvents).toBe(1);
    await service.stopAll(); // the service is unreachable: logged, not thrown
    expect(service.view()).toBeNull();
    await startRadioServer(); // for afterEach
  });

  it('a new station replaces the old one and deletes its session', async () => {
    const { service } = makeService();
    await service.startStation({ playlistIds: ['a'], ruleset: 'dmca' });
    const second = await service.startStation({ playlistIds: ['b'], ruleset: 'dmca' });
    expect(second.sessionId).toBe('session-2');
    expect(received.some((r) => r.method === 'DELETE' && r.path.endsWith('/session-1'))).toBe(true);
    await service.stopAll();
    expect(received.at(-1)).toMatchObject({
      method: 'DELETE',
      path: '/interactive-radio/sessions/session-2',
    });
  });
});
