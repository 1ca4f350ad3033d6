import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAppEventBus } from '../../shared/ipc/handlers.js';
import { createLogger } from '../core/logger.js';
import { cookieName, startBrowserHost, type BrowserHost } from './browser-host.js';
import { handlersWith } from './testing/test-handlers.js';

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

// Raw node:http so the test controls Host and Origin exactly as an attacker's browser would send them.
function send(
  host: BrowserHost,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser host', () => {
  let dir: string;
  let host: BrowserHost;
  const events = createAppEventBus(() => undefined);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-host-'));
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><html><head><title>Septet</title></head><body></body></html>',
    );
    host = await startBrowserHost({
      rendererDir: dir,
      events,
      logger: createLogger('test', { level: 'silent' }),
      handlers: handlersWith({
        'app:getInfo': async (_arg, context) => ({
          version: '0.0.0',
          host: context.host,
          vaultBackend: 'none',
          clientId: 'c',
          apiBaseUrl: 'http://127.0.0.1:1',
          usingEmulator: true,
          online: true,
          platform: 'linux',
        }),
      }),
    });
  });
  afterAll(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  const api = (headers: Record<string, string>) =>
    send(host, {
      method: 'POST',
      path: '/api/app:getInfo',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: '{}',
    });
  const self = () => ({ Host: `127.0.0.1:${host.port}`, Origin: host.origin });

  it('answers a contract call that carries the token from its own origin', async () => {
    const reply = await api({ ...self(), 'X-Septet-Token': host.token });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { host: 'browser' } });
  });

  it('rejects calls without the token or with a wrong one', async () => {
    expect((await api(self())).status).toBe(403);
    expect((await api({ ...self(), 'X-Septet-Token': `${host.token.slice(0, -1)}x` })).status).toBe(403);
  });

  it('rejects calls from another origin even with the token', async () => {
    const reply = await api({
      Host: `127.0.0.1:${host.port}`,
      Origin: 'https://evil.example',
      'X-Septet-Token': host.token,
    });
    expect(reply.status).toBe(403);
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const reply = await api({
      Host: `evil.example:${host.port}`,
      Origin: `http://evil.example:${host.port}`,
      'X-Septet-Token': host.token,
    });
    expect(reply.status).toBe(421);
    const page = await send(host, { path: '/', headers: { Host: `evil.example:${host.port}` } });
    expect(page.status).toBe(421);
    expect(page.body).not.toContain(host.token);
  });

  it('serves the app only to the holder of the token, trading the URL token for a cookie', async () => {
    const anonymous = await send(host, { path: '/', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(anonymous.status).toBe(403);
    expect(anonymous.body).not.toContain(host.token);

    const first = await send(host, {
      path: `/?token=${host.token}`,
      headers: { Host: `127.0.0.1:${host.port}` },
    });
    expect(first.status).toBe(303);
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    expect(cookie).toBe(`${cookieName(host.port)}=${host.token}`);
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly/);

    const page = await send(host, { path: '/', headers: { Host: `127.0.0.1:${host.port}`, Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="septet-token" content="${host.token}"`);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('never serves files outside the renderer folder', async () => {
    const cookie = `${cookieName(host.port)}=${host.token}`;
    const reply = await send(host, {
      path: '/..%2f..%2fetc%2fpasswd',
      headers: { Host: `127.0.0.1:${host.port}`, Cookie: cookie },
    });
    expect(reply.body).not.toContain('root:');
  });

  it('pushes events over the WebSocket only to a client with the token and our origin', async () => {
    const wsUrl = `ws://127.0.0.1:${host.port}/events`;
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(wsUrl, { origin: host.origin });
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });
    expect(refused).toBe('refused');
    const foreign = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${wsUrl}?token=${host.token}`, { origin: 'https://evil.example' });
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });
    expect(foreign).toBe('refused');

    const ws = new WebSocket(`${wsUrl}?token=${host.token}`, { origin: host.origin });
    await new Promise((resolve) => ws.on('open', resolve));
    const received = new Promise<unknown>((resolve) =>
      ws.on('message', (data) => resolve(JSON.parse(String(data)))),
    );
    events.emit('app:connectivityChanged', { online: false });
    expect(await received).toEqual({ event: 'app:connectivityChanged', payload: { online: false } });
    ws.close();
  });
});
