// Every browser-host route fuzzed over real HTTP and WebSocket, in front of the real app core
// (signed in, real emulator, temp data dir; run under scripts/with-keyring.sh). Refusals at the
// transport are 4xx with a plain-text reason (403 token/Origin, 421 Host, 405 method, 413 size,
// 415 content type); bad input that reaches the contract (bad JSON, malformed argument, unknown
// channel) is the contract's own answer, 200 { ok: false, error: { code: 'invalid_input' } }, which
// is what the renderer's bridge reads. Never a 5xx, never a crash, and the server keeps answering.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEmulator } from '../../emulator/server.js';
import { channels, isChannel } from '../../shared/ipc/contract.js';
import { cookieName, startBrowserHost, type BrowserHost } from './browser-host.js';
import {
  isRejected,
  malformedArgs,
  observableState,
  silentLogger,
  startCoreFixture,
  type CoreFixture,
} from './testing/fuzz-support.js';

type Reply = { status: number; headers: string; body: string };

/** A raw HTTP/1.1 exchange over a socket, so the request line and headers can be anything at all. */
function raw(port: number, head: string, body: Buffer | string = ''): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer (413) and close before it has read the whole body.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') socket.destroy();
      else reject(error);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!match)
        return reject(
          new Error(
            `no HTTP answer to ${JSON.stringify(head.slice(0, 200))}: ${JSON.stringify(text.slice(0, 200))}`,
          ),
        );
      const headers = text.slice(0, split);
      let body = text.slice(split + 4);
      if (/^transfer-encoding: *chunked/im.test(headers)) body = unchunk(body);
      resolve({ status: Number(match[1]), headers, body: Buffer.from(body, 'latin1').toString('utf8') });
    });
    // No half-close: Node's server would abort the request; `Connection: close` ends the exchange.
    socket.write(head);
    socket.write(body);
  });
}

function unchunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

describe('browser host under bad input (real HTTP/WS, real core, real emulator)', () => {
  let fixture: CoreFixture;
  let host: BrowserHost;
  let rendererDir: string;
  let before: unknown;

  const hostHeader = () => `127.0.0.1:${host.port}`;
  const request = (options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  }): Promise<Reply> => {
    const body = options.body ?? '';
    const headers = {
      Host: hostHeader(),
      Connection: 'close',
      'Content-Length': String(Buffer.byteLength(body)),
      ...options.headers,
    };
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
    return raw(
      host.port,
      `${options.method ?? 'GET'} ${options.path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`,
      body,
    );
  };
  const api = (path: string, body: string, headers: Record<string, string> = {}) =>
    request({
      method: 'POST',
      path,
      body,
      headers: {
        'Content-Type': 'application/json',
        Origin: host.origin,
        'X-Septet-Token': host.token,
        ...headers,
      },
    });
  const contractError = (reply: Reply): string => {
    expect(reply.status).toBe(200);
    const result = JSON.parse(reply.body) as { ok: boolean; error?: { code: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error?.message).toEqual(expect.any(String));
    return result.error!.code;
  };
  const stillAnswers = async (): Promise<void> => {
    const reply = await api('/api/settings:get', '{}');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { streamFormat: 'progressive' } });
  };

  beforeAll(async () => {
    fixture = await startCoreFixture(startEmulator);
    rendererDir = await mkdtemp(join(tmpdir(), 'septet-fuzz-renderer-'));
    await writeFile(
      join(rendererDir, 'index.html'),
      '<!doctype html><html><head><title>Septet</title></head><body></body></html>',
    );
    host = await startBrowserHost({
      handlers: fixture.handlers,
      events: fixture.core.events,
      rendererDir,
      logger: silentLogger,
    });
    const ok = async (channel: string, arg: unknown) => {
      const reply = await api(`/api/${channel}`, JSON.stringify(arg));
      const result = JSON.parse(reply.body) as { ok: boolean; value?: unknown };
      if (!result.ok) throw new Error(`${channel}: ${reply.body}`);
      return result.value;
    };
    await ok('session:signInDemo', {});
    const [track] = (
      (await ok('catalogue:searchTracks', { q: 'Signal', pageSize: 1 })) as { items: unknown[] }
    ).items;
    await ok('queue:save', { tracks: [track], index: 0, positionSec: 2, shuffle: false, repeat: 'all' });
    await ok('playlists:create', { name: 'Fuzz guard', tracks: [track] });
    await ok('settings:update', { streamFormat: 'progressive' });
    fixture.calls.clear();
    before = await observableState(fixture.core);
  });
  afterAll(async () => {
    await host?.close();
    await fixture?.close();
    await rm(rendererDir, { recursive: true, force: true });
  });

  it('POST /api/{channel} with a malformed JSON argument → invalid_input, the handler never runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...channels)
          .chain((channel) => fc.tuple(fc.constant(channel), malformedArgs(channel))),
        async ([channel, arg]) => {
          let text: string | undefined;
          try {
            text = JSON.stringify(arg);
          } catch {
            fc.pre(false); // BigInt and cycles cannot be sent as JSON at all
          }
          // What reaches the server is what JSON can carry; `undefined` sends an empty body ({}).
          const sent: unknown = text === undefined ? {} : JSON.parse(text);
          fc.pre(isRejected(channel, sent));
          const reply = await api(`/api/${encodeURIComponent(channel)}`, text ?? '');
          if (Buffer.byteLength(text ?? '') > 16 * 1024 * 1024) expect(reply.status).toBe(413);
          else expect(contractError(reply)).toBe('invalid_input');
        },
      ),
      { numRuns: 300, maxSkipsPerRun: 100 },
    );
  });

  it('prototype-pollution keys in the JSON body are rejected and pollute nothing', async () => {
    for (const body of [
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"q":"x","__proto__":{"q":"y"}}',
      '{"streamFormat":"hls","__proto__":{"streamFormat":"progressive"}}',
    ]) {
      for (const channel of ['settings:update', 'catalogue:searchTracks', 'queue:save', 'settings:get']) {
        expect(contractError(await api(`/api/${channel}`, body))).toBe('invalid_input');
      }
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a body that is not JSON → invalid_input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...channels),
        fc.oneof(
          fc.string({ minLength: 1 }),
          fc
            .uint8Array({ minLength: 1, maxLength: 512 })
            .map((bytes) => Buffer.from(bytes).toString('latin1')),
          fc.constantFrom('{', '{"q":', '[1,2', 'nul', '{"a":1}{"b":2}', '\u0000', '{"q":"\ud800"'),
          // Cut JSON; never empty: an empty body is the call with no argument ({}), not bad JSON.
          fc
            .jsonValue()
            .map((value) => JSON.stringify(value).slice(0, -1))
            .filter((body) => body.length > 0),
        ),
        async (channel, body) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = Symbol('not JSON');
          }
          fc.pre(typeof parsed === 'symbol' || isRejected(channel, parsed));
          expect(contractError(await api(`/api/${channel}`, body))).toBe('invalid_input');
        },
      ),
      { numRuns: 200, maxSkipsPerRun: 100 },
    );
  });

  it('an unknown or garbled channel → invalid_input or 404, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 100 }).map((name) => encodeURIComponent(name)),
          fc.constantFrom(
            '%',
            '%E0%A4%A',
            '%zz',
            '%00',
            '__proto__',
            'constructor',
            'settings:get/..',
            '..%2f..%2fetc%2fpasswd',
            'a'.repeat(8000),
          ),
          fc.stringMatching(/^[\w%:./-]{0,60}$/),
        ),
        async (name) => {
          const reply = await api(`/api/${name}`, '{}');
          expect(reply.status).toBeLessThan(500);
          let decoded: string | null;
          try {
            decoded = decodeURIComponent(name);
          } catch {
            decoded = null;
          }
          if (decoded !== null && isChannel(decoded)) return;
          if (reply.status === 200) expect(contractError(reply)).toBe('invalid_input');
          else expect(reply.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a content type other than JSON → 415; a method other than POST → 405', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...channels),
        fc.oneof(
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'text/json',
            'application/jsonx',
            'json',
          ),
          fc.stringMatching(/^[a-z/+.;= -]{0,40}$/),
        ),
        async (channel, contentType) => {
          // Node trims header values, so " application/json" is JSON.
          fc.pre(!/^application\/json\b/i.test(contentType.trim()));
          const reply = await api(`/api/${channel}`, '{}', { 'Content-Type': contentType });
          expect(reply.status).toBe(415);
          expect(reply.body).toMatch(/Content-Type/);
        },
      ),
      { numRuns: 100 },
    );
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) {
      const reply = await request({
        method,
        path: '/api/settings:update',
        headers: { Origin: host.origin, 'X-Septet-Token': host.token, 'Content-Type': 'application/json' },
        body: method === 'HEAD' || method === 'GET' ? '' : '{"streamFormat":"hls"}',
      });
      expect(reply.status).toBe(405);
    }
  });

  it('a missing or wrong token, a foreign Origin or a foreign Host → 403/421 before anything runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...channels),
        fc.record({
          token: fc.option(
            fc.oneof(
              fc.string({ maxLength: 60 }).filter((t) => !/[\r\n\0]/.test(t)),
              fc.constant(host.token),
            ),
            { nil: undefined },
          ),
          origin: fc.option(
            fc.constantFrom(
              'https://evil.example',
              'null',
              `http://127.0.0.1:${host.port + 1}`,
              `http://localhost.evil:${host.port}`,
              host.origin,
            ),
            {
              nil: undefined,
            },
          ),
          hostName: fc.constantFrom(
            hostHeader(),
            `localhost:${host.port}`,
            `evil.example:${host.port}`,
            '127.0.0.1',
            `127.0.0.2:${host.port}`,
            `[::1]:${host.port}`,
          ),
        }),
        async (channel, { token, origin, hostName }) => {
          const ownHost = [hostHeader(), `localhost:${host.port}`].includes(hostName);
          const ownOrigin = origin === undefined || origin === host.origin;
          fc.pre(!(ownHost && ownOrigin && token === host.token));
          const headers: Record<string, string> = { Host: hostName, 'Content-Type': 'application/json' };
          if (token !== undefined) headers['X-Septet-Token'] = token.replace(/[^\x20-\x7e]/g, '');
          if (origin !== undefined) headers['Origin'] = origin;
          const reply = await request({ method: 'POST', path: `/api/${channel}`, headers, body: '{}' });
          expect(reply.status).toBe(ownHost ? 403 : 421);
          expect(reply.body).toMatch(/^Forbidden: /);
          expect(reply.body).not.toContain(host.token);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('GET of any path with or without the cookie → never a 5xx, never a file outside the renderer', async () => {
    const cookie = `${cookieName(host.port)}=${host.token}`;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.webPath(),
          fc.constantFrom(
            '/%',
            '/%E0%A4%A',
            '/..%2f..%2fetc%2fpasswd',
            '/%2e%2e/%2e%2e/etc/passwd',
            '//etc/passwd',
            '/index.html%00.js',
            '/?token=',
            '/?token=%',
            '/assets/%c0%af',
            'http://[',
            '//[::1',
            '*',
            'http://evil.example/',
            '/%ZZ?token=%',
          ),
          fc.stringMatching(/^\/[\w%./?=&#-]{0,80}$/),
        ),
        fc.boolean(),
        async (path, withCookie) => {
          const reply = await request({ path, headers: withCookie ? { Cookie: cookie } : {} });
          expect(reply.status).toBeLessThan(500);
          expect(reply.body).not.toContain('root:');
          if (!withCookie && !path.includes(`token=${host.token}`))
            expect(reply.body).not.toContain(host.token);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an oversized body → 413, and the server keeps answering', async () => {
    const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
    const reply = await api('/api/queue:save', big.toString('latin1'));
    expect(reply.status).toBe(413);
    await stillAnswers();
  });

  it('the events socket refuses bad paths, tokens and origins, and ignores or cuts off junk messages', async () => {
    const outcome = (url: string, origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { origin });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', () => resolve('refused'));
      });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/events', '/event', '/', '/api/settings:get', '/events/'),
        fc.option(fc.oneof(fc.stringMatching(/^[\w-]{0,50}$/), fc.constant(host.token)), { nil: undefined }),
        fc.constantFrom(host.origin, 'https://evil.example', 'null'),
        async (path, token, origin) => {
          const url = `ws://127.0.0.1:${host.port}${path}${token === undefined ? '' : `?token=${token}`}`;
          const expected =
            path === '/events' && token === host.token && origin === host.origin ? 'open' : 'refused';
          expect(await outcome(url, origin)).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );

    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`, {
      origin: host.origin,
    });
    await new Promise((resolve) => ws.on('open', resolve));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    for (const junk of ['{"event":"session:signOut"}', 'not json', Buffer.from([0xff, 0x00, 0xfe])])
      ws.send(junk);
    ws.send(Buffer.alloc(128 * 1024));
    expect(await closed).toBe(1009);
    await stillAnswers();
  });

  it('left no trace: no handler ran, state is unchanged, and the server still answers', async () => {
    await stillAnswers();
    fixture.calls.delete('settings:get');
    expect(Object.fromEntries(fixture.calls)).toEqual({});
    expect(await observableState(fixture.core)).toEqual(before);
  });
});
