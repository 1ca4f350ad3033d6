// The two loopback servers a web page could try to reach, the browser host and the media gateway
// (issue 6, Security): bound to 127.0.0.1 only; the per-run token on every route; foreign Host
// headers (DNS rebinding: a hostile name that resolves to 127.0.0.1) and foreign Origins refused.
// These are the cases browser-host.test.ts and media-gateway.test.ts do not already cover. Real
// servers, raw node:http so the test sets Host and Origin exactly as a hostile page's browser would.
// The gateway's upstream is a function that counts calls: no request in this file may reach it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAppEventBus } from '../shared/ipc/handlers.js';
import { createLogger } from './core/logger.js';
import { createMediaGateway } from './core/media-gateway/media-gateway.js';
import { cookieName, startBrowserHost, type BrowserHost } from './host/browser-host.js';
import { handlersWith } from './host/testing/test-handlers.js';

type Reply = { status: number; body: string };

function send(
  address: string,
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: address, port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Connects to address:port; resolves 'refused' when nothing listens there. */
function tryConnect(address: string, port: number): Promise<'connected' | 'refused'> {
  return new Promise((resolve) => {
    const req = request({ host: address, port, path: '/', timeout: 2000 }, (res) => {
      res.resume();
      resolve('connected');
    });
    req.on('error', () => resolve('refused'));
    req.on('timeout', () => {
      req.destroy();
      resolve('refused');
    });
    req.end();
  });
}

const otherAddresses = (): string[] =>
  Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
    .map((i) => i!.address);

// Host headers a DNS-rebinding page would send: names that resolve to 127.0.0.1, lookalikes, wrong ports.
const rebindingHosts = (port: number): string[] => [
  `127.0.0.1.nip.io:${port}`,
  `localhost.evil.example:${port}`,
  `evil.example:${port}`,
  `127.0.0.1:${port}.evil.example`,
  `127.0.0.1@evil.example:${port}`,
  `127.0.0.1:${port + 1}`,
  '127.0.0.1',
  `0.0.0.0:${port}`,
  `2130706433:${port}`,
];

describe('browser host on loopback', () => {
  let dir: string;
  let host: BrowserHost;
  let calls = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-loopback-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
    host = await startBrowserHost({
      rendererDir: dir,
      events: createAppEventBus(() => undefined),
      logger: createLogger('test', { level: 'silent' }),
      handlers: handlersWith({
        'session:getSession': async () => {
          calls++;
          return { state: 'signedOut' };
        },
      }),
    });
  });
  afterAll(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  const apiCall = (headers: Record<string, string>) =>
    send('127.0.0.1', host.port, {
      method: 'POST',
      path: '/api/session:getSession',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: '{}',
    });

  it('listens on 127.0.0.1 only, never on another interface', async () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(new URL(host.url).hostname).toBe('127.0.0.1');
    expect(host.token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    for (const address of otherAddresses())
      expect(await tryConnect(address, host.port), address).toBe('refused');
  });

  it('refuses DNS-rebinding Host headers on the API, the page and the events socket, even with the token', async () => {
    const before = calls;
    for (const hostHeader of rebindingHosts(host.port)) {
      const reply = await apiCall({ Host: hostHeader, 'X-Septet-Token': host.token });
      expect(reply.status, hostHeader).toBeGreaterThanOrEqual(400);
      expect(reply.body, hostHeader).not.toContain('signedOut');
      const page = await send('127.0.0.1', host.port, {
        path: `/?token=${host.token}`,
        headers: { Host: hostHeader },
      });
      expect(page.status, hostHeader).toBeGreaterThanOrEqual(400);
      expect(page.body).not.toContain(host.token);
    }
    const ws = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`, {
        headers: { Host: `127.0.0.1.nip.io:${host.port}` },
      });
      socket.on('open', () => resolve('open'));
      socket.on('error', () => resolve('refused'));
    });
    expect(ws).toBe('refused');
    expect(calls).toBe(before);
  });

  it('refuses foreign and lookalike Origins, even with the token', async () => {
    const before = calls;
    const origins = [
      'null',
      `http://127.0.0.1:${host.port + 1}`,
      `http://127.0.0.1.nip.io:${host.port}`,
      `https://127.0.0.1:${host.port}`,
      `http://localhost.evil.example:${host.port}`,
      'septet://app',
      'file://',
    ];
    for (const origin of origins) {
      const reply = await apiCall({
        Host: `127.0.0.1:${host.port}`,
        Origin: origin,
        'X-Septet-Token': host.token,
      });
      expect(reply.status, origin).toBe(403);
    }
    expect(calls).toBe(before);
    // The own origin still works (the control).
    expect(
      (await apiCall({ Host: `127.0.0.1:${host.port}`, Origin: host.origin, 'X-Septet-Token': host.token }))
        .status,
    ).toBe(200);
  });

  it('requires the token on every route: API, static files, events; a cookie of another port does not count', async () => {
    const self = { Host: `127.0.0.1:${host.port}` };
    expect((await apiCall({ ...self, Cookie: `${cookieName(host.port)}=${host.token}` })).status).toBe(403); // API needs the header
    expect((await send('127.0.0.1', host.port, { path: '/index.html', headers: self })).status).toBe(403);
    expect((await send('127.0.0.1', host.port, { path: '/assets/app.js', headers: self })).status).toBe(403);
    expect(
      (
        await send('127.0.0.1', host.port, {
          path: '/',
          headers: { ...self, Cookie: `${cookieName(host.port + 1)}=${host.token}` },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await send('127.0.0.1', host.port, {
          path: '/',
          headers: { ...self, Cookie: `${cookieName(host.port)}=` },
        })
      ).status,
    ).toBe(403);
    expect((await send('127.0.0.1', host.port, { path: '/?token=', headers: self })).status).toBe(403);
  });
});

describe('media gateway on loopback', () => {
  let upstreamCalls = 0;
  const gateway = createMediaGateway({
    upstream: async () => {
      upstreamCalls++;
      return new Response('#EXTM3U\n', { headers: { 'Content-Type': 'application/vnd.apple.mpegurl' } });
    },
    getSession: () => null,
    allowedOrigins: ['http://127.0.0.1:5999'],
  });
  let port = 0;
  beforeAll(async () => {
    ({ port } = await gateway.start());
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('listens on 127.0.0.1 only and hands out 127.0.0.1 URLs with a 256-bit token', async () => {
    expect(gateway.origin()).toBe(`http://127.0.0.1:${port}`);
    const url = new URL(gateway.urlFor({ trackId: 't', source: 'subscription', format: 'hls' }));
    expect(url.hostname).toBe('127.0.0.1');
    const token = url.pathname.split('/')[1] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32); // 192 bits, base64url
    for (const address of otherAddresses()) expect(await tryConnect(address, port), address).toBe('refused');
  });

  it('refuses DNS-rebinding Host headers even with a valid URL, before anything reaches upstream', async () => {
    const path = new URL(gateway.urlFor({ trackId: 't', source: 'subscription', format: 'hls' })).pathname;
    for (const hostHeader of rebindingHosts(port)) {
      const reply = await send('127.0.0.1', port, { path, headers: { Host: hostHeader } });
      expect(`${hostHeader} -> ${reply.status}`).toBe(`${hostHeader} -> 403`);
    }
    expect(upstreamCalls).toBe(0);
  });

  it('refuses a preflight from a foreign Origin and never grants it CORS', async () => {
    const path = new URL(gateway.urlFor({ trackId: 't', source: 'subscription', format: 'hls' })).pathname;
    for (const origin of [
      'https://evil.example',
      'null',
      `http://127.0.0.1.nip.io:${port}`,
      'http://127.0.0.1:5998',
    ]) {
      const reply = await send('127.0.0.1', port, {
        method: 'OPTIONS',
        path,
        headers: {
          Host: `127.0.0.1:${port}`,
          Origin: origin,
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'range',
        },
      });
      expect(reply.status, origin).toBe(403);
    }
    expect(upstreamCalls).toBe(0);
  });
});
