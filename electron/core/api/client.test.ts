// The client against a real local HTTP server started by each test: signatures checked by the
// emulator's own OAuth verifier, placement of parameters, retries, and hostile responses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOAuthVerifier } from '../../../emulator/oauth.js';
import { AppError } from '../../../shared/errors.js';
import { createLogger, type LogRecord } from '../logger.js';
import { createApiClient, type ApiClientOptions } from './client.js';
import { createLocalSigner, type Signer } from './oauth.js';
import { createRemoteSigner } from './remote-signer.js';
import { retryAfterOf } from './retry.js';
import { createSigningHandler } from './signing-endpoint.js';

type Seen = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
};
type Handler = (req: Seen, res: ServerResponse, n: number) => void;

const consumer = { key: 'test-key', secret: 'test-secret!*' };
const servers: Server[] = [];

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server that records requests and lets the test answer them. */
async function startServer(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const url = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const entry: Seen = {
        method: req.method ?? '',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(entry);
      handler(entry, res, seen.length);
    });
  });
  return { url, seen };
}

function verify(seen: Seen, baseUrl: string, tokenSecret?: string, skewMs = 0) {
  const verifier = createOAuthVerifier({
    getConsumerSecret: (key) => (key === consumer.key ? consumer.secret : null),
    getTokenSecret: () => tokenSecret ?? null,
    now: () => Date.now() + skewMs,
    timestampWindowSec: () => 300,
  });
  return verifier.verify({
    method: seen.method,
    baseUrl: `${baseUrl}${seen.path}`,
    query: seen.query,
    headers: seen.headers,
    body: seen.body,
  });
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function client(url: string, extra: Partial<ApiClientOptions> = {}) {
  return createApiClient({
    baseUrl: url,
    signer: createLocalSigner({ consumerKey: consumer.key, consumerSecret: consumer.secret }),
    timeoutMs: 5_000,
    retry: { retries: 3, baseMs: 1, capMs: 5, maxWaitMs: 5_000 },
    logger: createLogger('api-test', { level: 'silent' }),
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the call to fail');
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())),
  );
});

describe('signing and parameter placement', () => {
  it('GET: parameters and oauth_* travel in the query, RFC 3986-encoded, and verify', async () => {
    const { url, seen } = await startServer((_r, res) =>
      json(res, 200, { status: 'ok', tracks: [{ id: '1', title: 'x' }] }),
    );
    const result = await client(url).searchTracks({ q: "rock & roll!*'()", page: 2 });
    expect(result.tracks?.[0]?.id).toBe('1');
    const req = seen[0]!;
    expect(req.method).toBe('GET');
    expect(req.query.get('q')).toBe("rock & roll!*'()");
    expect(req.query.get('oauth_consumer_key')).toBe(consumer.key);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers.accept).toBe('application/json');
    expect(verify(req, url).signed).toBe(true);
  });

  it('JSON body: sent with an Authorization header and NOT part of the signature', async () => {
    const { url, seen } = await startServer((_r, res) => json(res, 201, { sessionId: 's1' }));
    await client(url).createInteractiveRadioSession({ body: { userId: 'u1', playlistIds: ['p1'] } });
    const req = seen[0]!;
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toMatch(/^OAuth /);
    expect(JSON.parse(req.body.toString())).toEqual({ userId: 'u1', playlistIds: ['p1'] });
    expect(verify(req, url).signed).toBe(true);
    // The same request with the JSON fields fed into the signature would not verify: prove
    // the body really is outside it by presenting it as a form body to the verifier.
    const asForm = {
      ...req,
      headers: { ...req.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('userId=u1'),
    };
    expect(() => verify(asForm, url)).toThrow(/Invalid signature/);
  });

  it('form body: parameters in the body, signed; only userId/country/shopId/onBehalfOfPartnerId stay in a POST query', async () => {
    const { url, seen } = await startServer((_r, res) => json(res, 201, { id: 'new-user' }));
    await client(url).call('createUser', {
      query: { country: 'GB', shopId: '34', firstName: 'Jane' },
      body: { email: 'jane+1@example.com', password: 'p a*ss', country: 'GB' },
    });
    const req = seen[0]!;
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect([...req.query.keys()].sort()).toEqual(['country', 'shopId']);
    const body = req.body.toString();
    expect(body).toContain('email=jane%2B1%40example.com');
    expect(body).toContain('password=p%20a%2Ass');
    expect(body).toContain('firstName=Jane');
    expect(body).not.toContain('+');
    expect(verify(req, url).signed).toBe(true);
    // Drop a body field and the signature no longer matches: the body is signed.
    const tampered = { ...req, body: Buffer.from(body.replace('firstName=Jane', 'firstName=Joan')) };
    expect(() => verify(tampered, url)).toThrow(/Invalid signature/);
  });

  it('JSON POST refuses non-whitelisted query parameters instead of misplacing them', async () => {
    const { url, seen } = await startServer((_r, res) => json(res, 201, {}));
    const error = await failure(
      client(url).call('createPlaylist', { query: { userId: 'u', name: 'x' }, body: { name: 'x' } }),
    );
    expect(error.code).toBe('invalid_input');
    expect(seen).toHaveLength(0);
  });

  it('3-legged: managed user signs 2-legged with userId in the query; a token signs 3-legged', async () => {
    const { url, seen } = await startServer((_r, res) => json(res, 200, { status: 'ok', releases: [] }));
    await client(url).getUserLocker({ userId: 'listener 1' });
    expect(seen[0]!.path).toBe('/users/listener%201/locker');
    expect(seen[0]!.query.get('userId')).toBe('listener 1');
    expect(seen[0]!.query.get('oauth_token')).toBeNull();
    expect(verify(seen[0]!, url).signed).toBe(true);

    const token = { key: 'access-key', secret: 'access-secret' };
    await client(url, { getUserToken: () => token }).getUserLocker({ userId: 'listener1' });
    expect(seen[1]!.query.get('oauth_token')).toBe('access-key');
    expect(seen[1]!.query.get('userId')).toBeNull();
    expect(verify(seen[1]!, url, token.secret).token).toBe('access-key');
  });

  it('3-legged without token or userId fails before any request', async () => {
    const { url, seen } = await startServer((_r, res) => json(res, 200, {}));
    const error = await failure(client(url).call('getUserLocker', { path: { userId: 'u' } }));
    expect(error.code).toBe('unauthorized');
    expect(seen).toHaveLength(0);
  });

  it('missing required parameters and unknown operations are invalid_input', async () => {
    const api = client('http://127.0.0.1:9');
    expect((await failure(api.call('searchTracks', {}))).code).toBe('invalid_input');
    expect((await failure(api.call('getTrackDetails', {}))).code).toBe('invalid_input');
    expect((await failure(api.call('noSuchOperation', {}))).code).toBe('invalid_input');
  });

  it('signedUrl yields a self-contained signed GET URL', async () => {
    const { url, seen } = await startServer((_r, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      res.end(Buffer.alloc(10));
    });
    const signed = await client(url).signedUrl('streamPreviewClip', {
      path: { trackId: '42' },
      query: { format: 'mp3' },
      userId: 'u',
    });
    const response = await fetch(signed);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(verify(seen[0]!, url).signed).toBe(true);
  });

  it('works through a remote signer (partner endpoint holds the secret)', async () => {
    const handler = createSigningHandler({
      signer: createLocalSigner({ consumerKey: consumer.key, consumerSecret: consumer.secret }),
    });
    const signerUrl = await listen((req, res) => void handler(req, res));
    const { url, seen } = await startServer((_r, res) => json(res, 201, { id: 'u' }));
    const remote: Signer = createRemoteSigner({ url: signerUrl, consumerKey: consumer.key });
    await client(url, { signer: remote }).call('createUser', {
      body: { email: 'a@b.c', password: 'x', country: 'GB' },
    });
    await client(url, { signer: remote }).searchTracks({ q: 'x y' });
    expect(verify(seen[0]!, url).signed).toBe(true);
    expect(verify(seen[1]!, url).signed).toBe(true);
  });

  it('remote signer errors become AppErrors; non-https remote URLs are refused', async () => {
    const signerUrl = await listen((_req, res) => json(res, 403, { error: 'no' }));
    const api = client('http://127.0.0.1:9', {
      signer: createRemoteSigner({ url: signerUrl, consumerKey: consumer.key }),
    });
    expect((await failure(api.searchTracks({ q: 'x' }))).code).toBe('forbidden');
    expect(() => createRemoteSigner({ url: 'http://signer.example.com/sign', consumerKey: 'k' })).toThrow(
      /https/,
    );
  });
});

describe('clock skew', () => {
  it('a signature refused by a service whose clock is far off is re-signed once with its time', async () => {
    const skewMs = 3_600_000;
    const { url, seen } = await startServer((req, res) => {
      const date = new Date(Date.now() + skewMs).toUTCString();
      try {
        verify(req, url, undefined, skewMs);
        json(res, 201, { id: 'u1' }, { date });
      } catch (error) {
        res.writeHead(401, { 'content-type': 'text/plain', date }).end((error as Error).message);
      }
    });
    const api = client(url);
    // A POST too: an OAuth rejection means the service did nothing, so re-signing is safe.
    await api.createUser({ body: { email: 'a@b.c', password: 'x', country: 'GB' } });
    expect(seen).toHaveLength(2);
    expect(Math.abs(api.clockSkewMs() - skewMs)).toBeLessThan(5_000);
    await api.createUser({ body: { email: 'b@b.c', password: 'x', country: 'GB' } });
    expect(seen).toHaveLength(3);
  });

  it('does not loop when the clock is not the problem', async () => {
    const { url, seen } = await startServer((_r, res) =>
      res
        .writeHead(401, { 'content-type': 'text/plain' })
        .end('OAuth authentication error: Invalid signature'),
    );
    expect((await failure(client(url).searchTracks({ q: 'x' }))).code).toBe('unauthorized');
    expect(seen).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries an idempotent GET on 503 and succeeds', async () => {
    const { url, seen } = await startServer((_r, res, n) =>
      n < 3 ? json(res, 503, {}) : json(res, 200, { status: 'ok', tracks: [] }),
    );
    await client(url).searchTracks({ q: 'x' });
    expect(seen).toHaveLength(3);
    // each attempt is signed afresh: the service rejects replayed nonces
    expect(new Set(seen.map((s) => s.query.get('oauth_nonce'))).size).toBe(3);
  });

  it('gives up after the retry budget', async () => {
    const { url, seen } = await startServer((_r, res) => json(res, 502, {}));
    const error = await failure(client(url).searchTracks({ q: 'x' }));
    expect(error.status).toBe(502);
    expect(seen).toHaveLength(4);
  });

  it('honours Retry-After (seconds) on 429 before retrying a GET', async () => {
    const records: LogRecord[] = [];
    const { url, seen } = await startServer((_r, res, n) =>
      n === 1
        ? json(
            res,
            429,
            { status: 'error', error: { code: 7001, message: 'slow down' } },
            { 'retry-after': '1' },
          )
        : json(res, 200, { status: 'ok' }),
    );
    const api = client(url, {
      random: () => 0,
      logger: createLogger('t', { level: 'info', sink: (r) => records.push(r) }),
    });
    await api.searchTracks({ q: 'x' });
    expect(seen).toHaveLength(2);
    expect(records.find((r) => r.msg === 'retrying read')?.delayMs).toBe(1000);
  });

  it('honours X-RateLimit-Reset on a 429 without Retry-After', async () => {
    const records: LogRecord[] = [];
    const { url, seen } = await startServer((_r, res, n) =>
      n === 1
        ? json(res, 429, {}, { 'x-ratelimit-reset': '1', 'x-ratelimit-limit': '4000' })
        : json(res, 200, { status: 'ok' }),
    );
    const api = client(url, {
      random: () => 0,
      logger: createLogger('t', { level: 'info', sink: (r) => records.push(r) }),
    });
    await api.searchTracks({ q: 'x' });
    expect(seen).toHaveLength(2);
    expect(records.find((r) => r.msg === 'retrying read')?.delayMs).toBe(1000);
  });

  it('does not wait beyond maxWaitMs: a long Retry-After surfaces as rate_limited with the hint', async () => {
    const { url, seen } = await startServer((_r, res) => json(res, 429, {}, { 'retry-after': '3600' }));
    const error = await failure(client(url).searchTracks({ q: 'x' }));
    expect(error.code).toBe('rate_limited');
    expect(retryAfterOf(error)).toBe(3_600_000);
    expect(seen).toHaveLength(1);
  });

  it.each([
    [
      'reportSubscriberStream',
      { body: { logs: [{ trackId: '1', timestamp: '2026-01-01T00:00:00Z' }] }, userId: 'u' },
    ],
    ['creditSalesItem', { body: { userId: 'u', releaseId: '1', currency: 'GBP', price: 1 }, userId: 'u' }],
    ['reportTrackRefund', { body: { userId: 'u', purchaseId: 'p' } }],
    ['createUser', { body: { email: 'a@b.c', password: 'x', country: 'GB' } }],
  ] as const)('never retries %s (a POST) on 503 or 429', async (operationId, args) => {
    const { url, seen } = await startServer((_r, res) => json(res, 503, {}, { 'retry-after': '0' }));
    const error = await failure(client(url).call(operationId, args));
    expect(error.status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('a 429 on a POST reports the server wait for the caller (play-log flusher) to honour', async () => {
    const { url, seen } = await startServer((_r, res) =>
      json(
        res,
        429,
        { status: 'error', error: { code: 7001, message: 'Too many requests' } },
        { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' },
      ),
    );
    const error = await failure(client(url).reportPreviewStream({ body: { logs: [] } }));
    expect(error.code).toBe('rate_limited');
    expect(error.serviceCode).toBe(7001);
    expect(retryAfterOf(error)).toBeGreaterThan(0);
    expect(seen).toHaveLength(1);
  });

  it('does not retry client errors (400)', async () => {
    const { url, seen } = await startServer((_r, res) =>
      json(res, 400, { status: 'error', error: { code: 1002, message: 'bad' } }),
    );
    const error = await failure(client(url).searchTracks({ q: 'x' }));
    expect(error).toMatchObject({ code: 'invalid_input', serviceCode: 1002, status: 400, message: 'bad' });
    expect(seen).toHaveLength(1);
  });
});

describe('hostile and unusual responses', () => {
  it('OAuth error text, even with status 200, is unauthorized', async () => {
    const { url } = await startServer((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OAuth authentication error: Not found');
    });
    const error = await failure(client(url).searchTracks({ q: 'x' }));
    expect(error).toMatchObject({ code: 'unauthorized', status: 200 });
    expect(error.message).toMatch(/^OAuth authentication error: Not found/);
  });

  it('401 "Access to resource denied" is forbidden', async () => {
    const { url } = await startServer((_r, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('OAuth authentication error: Access to resource denied');
    });
    expect((await failure(client(url).searchTracks({ q: 'x' }))).code).toBe('forbidden');
  });

  it('an error envelope with status 200 is still an error, with serviceCode and status', async () => {
    const { url } = await startServer((_r, res) =>
      json(res, 200, { status: 'error', error: { code: 2001, message: 'Track not found' } }),
    );
    expect(await failure(client(url).getTrackDetails({ trackId: '9' }))).toMatchObject({
      code: 'not_found',
      serviceCode: 2001,
      status: 200,
    });
  });

  it('XML error envelopes are parsed', async () => {
    const { url } = await startServer((_r, res) => {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0"?><response status="error" version="1.2"><error code="2002"><errorMessage>No subscription</errorMessage></error></response>',
      );
    });
    expect(await failure(client(url).getTrackDetails({ trackId: '9' }))).toMatchObject({
      code: 'not_available',
      serviceCode: 2002,
      status: 403,
      message: 'No subscription',
    });
  });

  it('3201 maps to concurrent_stream', async () => {
    const { url } = await startServer((_r, res) =>
      json(res, 403, { status: 'error', error: { code: 3201, message: 'Simultaneous stream' } }),
    );
    expect((await failure(client(url).getTrackDetails({ trackId: '9' }))).code).toBe('concurrent_stream');
  });

  it('credit-item XML is parsed', async () => {
    const { url } = await startServer((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="utf-8"?><response status="ok" version="1.2"><purchase id="987"><purchaseDate>2026-01-01T00:00:00Z</purchaseDate></purchase></response>',
      );
    });
    const doc = await client(url).creditSalesItem({
      userId: 'u',
      body: { userId: 'u', releaseId: '1', currency: 'GBP', price: 0.99 },
    });
    expect(doc).toMatchObject({
      response: { '@_status': 'ok', purchase: { '@_id': '987', purchaseDate: '2026-01-01T00:00:00Z' } },
    });
  });

  it.each([
    [
      'malformed JSON',
      (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"tracks": ['),
    ],
    [
      'HTML instead of JSON',
      (res: ServerResponse) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>proxy</body></html>'),
    ],
    [
      'an empty body',
      (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(),
    ],
    [
      'broken XML',
      (res: ServerResponse) =>
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<response status="ok"><purchase>'),
    ],
  ])('%s → malformed_response', async (_name, answer) => {
    const { url } = await startServer((r, res) => answer(res));
    const op = _name === 'broken XML' ? 'creditSalesItem' : 'searchTracks';
    const args =
      op === 'creditSalesItem'
        ? { body: { userId: 'u', currency: 'GBP', price: 1 }, userId: 'u' }
        : { query: { q: 'x' } };
    expect((await failure(client(url).call(op, args))).code).toBe('malformed_response');
  });

  it('a truncated body (connection dropped before Content-Length) → malformed_response, after retrying the GET', async () => {
    const { url, seen } = await startServer((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"status":"ok","tracks":[');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const error = await failure(client(url).searchTracks({ q: 'x' }));
    expect(error.code).toBe('malformed_response');
    expect(seen).toHaveLength(4);
  });

  it('an error status whose body is cut off (a 421 dropped mid-body) ends in an AppError, never a hang', async () => {
    // undici leaves the read of this body pending even after the request is aborted: the
    // client must give up by its own timeout rather than wait for ever.
    const { url } = await startServer((_r, res) => {
      const body = Buffer.from('<html><body>Sign in to the Wi-Fi</body></html>');
      res.writeHead(421, { 'content-type': 'text/html', 'content-length': String(body.length + 100) });
      res.write(body);
      res.socket?.end(() => res.socket?.destroy());
    });
    const error = await failure(
      client(url, { timeoutMs: 300, retry: { retries: 0, baseMs: 1, capMs: 1, maxWaitMs: 1 } }).searchTracks({
        q: 'x',
      }),
    );
    expect(['timeout', 'service_error', 'malformed_response']).toContain(error.code);
  });

  it('an oversized body → malformed_response (declared or streamed)', async () => {
    const big = Buffer.alloc(4096, 32);
    const { url } = await startServer((r, res) => {
      if (r.query.get('q') === 'declared')
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length }).end(big);
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(big);
        res.end(big);
      }
    });
    const api = client(url, { maxResponseBytes: 1024 });
    expect((await failure(api.searchTracks({ q: 'declared' }))).code).toBe('malformed_response');
    expect((await failure(api.searchTracks({ q: 'chunked' }))).code).toBe('malformed_response');
  });

  it('a server that never answers → timeout, not a hang', async () => {
    const { url, seen } = await startServer(() => undefined);
    const error = await failure(
      client(url, { timeoutMs: 200, retry: { retries: 1, baseMs: 1, capMs: 1 } }).searchTracks({ q: 'x' }),
    );
    expect(error.code).toBe('timeout');
    expect(seen).toHaveLength(2);
  });

  it('a body that stalls mid-way → timeout', async () => {
    const { url } = await startServer((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"status":');
    });
    const error = await failure(
      client(url, { timeoutMs: 200, retry: { retries: 0 } }).searchTracks({ q: 'x' }),
    );
    expect(error.code).toBe('timeout');
  });

  it('connection refused → network', async () => {
    const error = await failure(
      client('http://127.0.0.1:9', { retry: { retries: 1, baseMs: 1, capMs: 1 } }).searchTracks({ q: 'x' }),
    );
    expect(error.code).toBe('network');
  });

  it('the caller can cancel', async () => {
    const { url } = await startServer(() => undefined);
    const controller = new AbortController();
    const pending = client(url).searchTracks({ q: 'x', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await failure(pending)).code).toBe('cancelled');
  });

  it('media: fetchSigned returns the streaming Response; an error envelope becomes AppError', async () => {
    const { url, seen } = await startServer((r, res) => {
      if (r.query.get('trackId') === '404')
        return json(res, 403, { status: 'error', error: { code: 2002, message: 'No audio' } });
      res.writeHead(206, { 'content-type': 'audio/mpeg', 'content-range': 'bytes 0-3/10' });
      res.end(Buffer.from([1, 2, 3, 4]));
    });
    const api = client(url);
    const response = await api.fetchSigned('streamCatalogueTrackProgressive', {
      path: { trackId: '5' },
      userId: 'u',
      range: 'bytes=0-3',
    });
    expect(response.status).toBe(206);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(seen[0]!.headers.range).toBe('bytes=0-3');
    expect(await failure(api.transferMedia({ trackId: '404' }))).toMatchObject({
      code: 'not_available',
      serviceCode: 2002,
    });
  });

  it('HLS operations return the manifest text and reject non-playlists', async () => {
    const { url } = await startServer((r, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
      res.end(r.path.includes('/1/') ? '#EXTM3U\n#EXT-X-ENDLIST\n' : 'hello');
    });
    const api = client(url);
    expect(await api.streamCatalogueTrackHls({ trackId: '1', userId: 'u' })).toMatch(/^#EXTM3U/);
    expect((await failure(api.streamCatalogueTrackHls({ trackId: '2', userId: 'u' }))).code).toBe(
      'malformed_response',
    );
  });
});

describe('token flow', () => {
  it('parses form-encoded and XML token responses and signs with the request token', async () => {
    const { url, seen } = await startServer((r, res) => {
      if (r.path === '/oauth/requesttoken') {
        res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
        res.end('oauth_token=req-key&oauth_token_secret=req-secret&oauth_callback_confirmed=true');
      } else if (r.path === '/oauth/requestToken/authorise') json(res, 200, { status: 'ok' });
      else {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          '<response status="ok"><oauth_access_token><oauth_token>acc-key</oauth_token><oauth_token_secret>acc-secret</oauth_token_secret></oauth_access_token></response>',
        );
      }
    });
    const api = client(url);
    const request = await api.requestToken({ callback: 'http://127.0.0.1:5555/cb' });
    expect(request).toEqual({ key: 'req-key', secret: 'req-secret', callbackConfirmed: true });
    expect(verify(seen[0]!, url).oauth.get('oauth_callback')).toBe('http://127.0.0.1:5555/cb');
    expect(api.authoriseUrl(request, 'http://127.0.0.1:5555/cb')).toBe(
      `${url}/oauth/authorise?oauth_token=req-key&oauth_callback=http%3A%2F%2F127.0.0.1%3A5555%2Fcb`,
    );
    await api.authoriseWithPassword({ requestToken: request, username: 'a@b.c', password: 'pw' });
    expect(seen[1]!.query.get('token')).toBe('req-key');
    const access = await api.accessToken({ requestToken: request, verifier: 'v123' });
    expect(access).toEqual({ key: 'acc-key', secret: 'acc-secret' });
    const verified = verify(seen[2]!, url, 'req-secret');
    expect(verified.token).toBe('req-key');
    expect(verified.oauth.get('oauth_verifier')).toBe('v123');
  });

  it('a token response without a token is malformed', async () => {
    const { url } = await startServer((_r, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello=1'),
    );
    expect((await failure(client(url).requestToken())).code).toBe('malformed_response');
  });
});
