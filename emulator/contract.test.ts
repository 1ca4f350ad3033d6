// Contract suite: every one of the 46 operations and the OAuth token flow against a running
// emulator, through a real OAuth 1.0 client (oauth-1.0a + node:crypto HMAC-SHA1); every 2xx
// JSON body validated against shared/api/openapi.yml with ajv; a failing case for each rule.
// Written against the HTTP surface only (base URL, demo credentials, the /_emulator/ test API)
// so the same calls could run against the real service with real credentials.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { operations } from '../shared/api/operations.js';
import { demoConsumer, demoListener, demoNoSubscriptionListener } from '../shared/demo.js';
import { startEmulator, type RunningEmulator } from './server.js';

type Token = { key: string; secret: string };

const spec = parseYaml(readFileSync(new URL('../shared/api/openapi.yml', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...spec, $id: 'openapi' });
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Validates a 2xx JSON body against the operation's response schema in the spec. */
function expectValid(operationId: string, body: unknown): void {
  const op = operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`unknown operation ${operationId}`);
  const validate = ajv.getSchema(
    `openapi#/${pointer('paths', op.path, op.method.toLowerCase(), 'responses', String(op.okStatus), 'content', 'application/json', 'schema')}`,
  );
  if (!validate) throw new Error(`no JSON schema for ${operationId}`);
  const ok = validate(body);
  expect(ok ? null : { operationId, errors: validate.errors }).toBeNull();
}
function expectSchema(name: string, body: unknown): void {
  const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name}`);
  expect(validate(body) ? null : { name, errors: validate.errors }).toBeNull();
}

const covered = new Set<string>();
const hmac = (base: string, key: string) => createHmac('sha1', key).update(base).digest('base64');
const makeClient = (consumer: Token = demoConsumer as unknown as Token) =>
  new OAuth({
    consumer: { key: consumer.key, secret: consumer.secret },
    signature_method: 'HMAC-SHA1',
    hash_function: hmac,
  });
const demoKey: Token = { key: demoConsumer.key, secret: demoConsumer.secret };

let emulator: RunningEmulator;
let dataDir: string;
let client: OAuth;

/** Query strings are built with %20 (oauth-1.0a does not decode '+'). */
const qs = (query: Record<string, string | number | boolean>) =>
  Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');

type CallOptions = {
  query?: Record<string, string | number | boolean>;
  json?: unknown;
  form?: Record<string, string>;
  rawBody?: string | Buffer;
  contentType?: string;
  token?: Token;
  /** 'query' (GET/DELETE default), 'header' (POST/PUT default), 'bare' key-only header, false = none */
  sign?: 'query' | 'header' | 'bare' | false;
  client?: OAuth;
  headers?: Record<string, string>;
  /** Extra oauth_* protocol parameters (e.g. oauth_callback), signed and sent with the others. */
  oauthParams?: Record<string, string>;
  /** Wrongly include JSON body fields in the signature (the bug the emulator must reject). */
  signJsonFields?: boolean;
};

function prepare(method: string, path: string, o: CallOptions = {}): { url: string; init: RequestInit } {
  const query = o.query ? qs(o.query) : '';
  let url = `${emulator.url}${path}${query ? `${path.includes('?') ? '&' : '?'}${query}` : ''}`;
  const headers: Record<string, string> = { ...o.headers };
  let body: string | Buffer | undefined;
  if (o.form) {
    body = new URLSearchParams(o.form).toString().replace(/\+/g, '%20');
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['content-type'] = 'application/json';
  }
  if (o.rawBody !== undefined) {
    body = o.rawBody;
    headers['content-type'] = o.contentType ?? 'application/json';
  }
  const mode = o.sign ?? (method === 'GET' || method === 'DELETE' ? 'query' : 'header');
  if (mode === 'bare') headers.authorization = `oauth_consumer_key=${demoKey.key}`;
  else if (mode !== false) {
    const data =
      o.oauthParams ?? o.form ?? (o.signJsonFields ? (o.json as Record<string, unknown>) : undefined);
    const auth = (o.client ?? client).authorize({ url, method, ...(data ? { data } : {}) }, o.token);
    if (mode === 'query') {
      // oauth-1.0a's authorize() result also carries the URL's own query params (it merges
      // them into the object it returns): append only the oauth_* ones.
      const oauthOnly = Object.fromEntries(
        Object.entries(auth).filter(([k]) => k.startsWith('oauth_')),
      ) as Record<string, string>;
      url += `${url.includes('?') ? '&' : '?'}${qs(oauthOnly)}`;
    } else {
      // toHeader() keeps every oauth_* key of the authorize() result, oauthParams included.
      headers.authorization = (o.client ?? client).toHeader({ ...auth, ...o.oauthParams }).Authorization;
    }
  }
  return { url, init: { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' } };
}

async function call(method: string, path: string, o: CallOptions = {}): Promise<Response> {
  const { url, init } = prepare(method, path, o);
  const response = await fetch(url, init);
  expect(response.headers.get('x-ratelimit-limit')).not.toBeNull();
  expect(response.headers.get('x-ratelimit-current')).not.toBeNull();
  expect(response.headers.get('x-ratelimit-reset')).not.toBeNull();
  return response;
}

/** Calls an operation, expects its spec status, validates JSON bodies, records coverage. */
async function op(
  operationId: string,
  method: string,
  path: string,
  o: CallOptions = {},
): Promise<{ response: Response; body: unknown }> {
  const spec = operations.find((x) => x.operationId === operationId);
  const response = await call(method, path, o);
  const type = response.headers.get('content-type') ?? '';
  const isJson = type.startsWith('application/json');
  const body: unknown = isJson ? await response.json() : Buffer.from(await response.arrayBuffer());
  if (response.status !== spec?.okStatus) {
    throw new Error(
      `${operationId}: HTTP ${response.status} ${isJson ? JSON.stringify(body) : String(body).slice(0, 300)}`,
    );
  }
  if (spec.okContent.length > 0) {
    expect((spec.okContent as readonly string[]).some((c) => type.startsWith(c))).toBe(true);
  }
  if (isJson && (spec.okContent as readonly string[]).includes('application/json'))
    expectValid(operationId, body);
  covered.add(operationId);
  return { response, body };
}

async function expectError(
  response: Response,
  status: number,
  code: number,
): Promise<{
  status: string;
  error: { code: number; message: string; errors?: { code: number; message: string; index: number }[] };
}> {
  const body = (await response.json()) as {
    status: string;
    error: { code: number; message: string; errors?: { code: number; message: string; index: number }[] };
  };
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(body.status).toBe('error');
  expect(typeof body.error.message).toBe('string');
  return body;
}
async function expectOAuthError(response: Response, text?: string): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const body = await response.text();
  expect(body.startsWith('OAuth authentication error: ')).toBe(true);
  if (text) expect(body).toBe(`OAuth authentication error: ${text}`);
}

const asListener = { query: { userId: demoListener.userId } };
const nowIso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
type AudioTrack = {
  trackId: string;
  releaseId: string;
  title: string;
  trackNumber: number;
  durationSec: number;
};
let audio: AudioTrack[];
let lockerReleaseIds: string[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'septet-emulator-contract-'));
  // Subscriber/catalogue rates raised so this suite's own calls never hit them; the preview
  // limit (5/s) stays at its default and is tested below.
  emulator = await startEmulator({
    port: 0,
    dataDir,
    config: { subscriberLogRequestsPerSec: 1000, catalogueLogRequestsPerSec: 1000 },
  });
  client = makeClient();
  audio = ((await (await fetch(`${emulator.url}/_emulator/demo-set`)).json()) as { tracks: AudioTrack[] })
    .tracks;
}, 600_000); // the first run on a machine generates the shared media cache

afterAll(async () => {
  await emulator?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('OAuth token flow', () => {
  it('request token → sign-in page → access token, single use', async () => {
    const rt = await call('POST', '/oauth/requesttoken', {
      oauthParams: { oauth_callback: 'http://127.0.0.1:9/callback' },
    });
    expect(rt.status).toBe(200);
    const request = new URLSearchParams(await rt.text());
    const requestToken = {
      key: request.get('oauth_token') ?? '',
      secret: request.get('oauth_token_secret') ?? '',
    };
    expect(requestToken.key).not.toBe('');

    const page = await fetch(
      `${emulator.url}/oauth/authorise?${qs({ oauth_token: requestToken.key, oauth_callback: 'http://127.0.0.1:9/callback' })}`,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('name="password"');

    const signInForm = (password: string) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        oauth_token: requestToken.key,
        oauth_callback: 'http://127.0.0.1:9/callback',
        email: demoListener.email,
        password,
      }).toString(),
      redirect: 'manual' as const,
    });
    expect((await fetch(`${emulator.url}/oauth/authorise`, signInForm('wrong'))).status).toBe(401);
    const signIn = await fetch(`${emulator.url}/oauth/authorise`, signInForm(demoListener.password));
    expect(signIn.status).toBe(302);
    const location = new URL(signIn.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:9/callback');
    expect(location.searchParams.get('oauth_token')).toBe(requestToken.key);
    const verifier = location.searchParams.get('oauth_verifier') ?? '';

    await expectOAuthError(
      await call('POST', '/oauth/accesstoken', {
        token: requestToken,
        oauthParams: { oauth_verifier: 'wrong' },
      }),
      'Invalid verifier',
    );
    const at = await call('POST', '/oauth/accesstoken', {
      token: requestToken,
      oauthParams: { oauth_verifier: verifier },
    });
    expect(at.status).toBe(200);
    const access = new URLSearchParams(await at.text());
    const accessToken = {
      key: access.get('oauth_token') ?? '',
      secret: access.get('oauth_token_secret') ?? '',
    };
    expect(access.get('userId')).toBe(demoListener.userId);
    await expectOAuthError(
      await call('POST', '/oauth/accesstoken', {
        token: requestToken,
        oauthParams: { oauth_verifier: verifier },
      }),
    );
    // A signed-in page can't be reused either.
    expect((await fetch(`${emulator.url}/oauth/authorise`, signInForm(demoListener.password))).status).toBe(
      400,
    );

    // The access token works for 3-legged operations of its user only.
    await op('getUserLocker', 'GET', `/users/${demoListener.userId}/locker`, { token: accessToken });
    await expectOAuthError(
      await call('GET', `/users/${demoNoSubscriptionListener.userId}/locker`, { token: accessToken }),
      'Access to resource denied',
    );
  });

  it('answers XML token responses when asked', async () => {
    const xml = await call('POST', '/oauth/requesttoken', { headers: { accept: 'application/xml' } });
    expect(xml.status).toBe(200);
    expect(await xml.text()).toMatch(
      /<response status="ok" version="1.2"><oauth_request_token><oauth_token>\w+<\/oauth_token><oauth_token_secret>/,
    );
  });

  it('partner username/password exchange (2-legged)', async () => {
    const rt = new URLSearchParams(await (await call('POST', '/oauth/requesttoken')).text());
    const requestToken = { key: rt.get('oauth_token') ?? '', secret: rt.get('oauth_token_secret') ?? '' };
    const unauthorised = await call('POST', '/oauth/accesstoken', { token: requestToken });
    await expectOAuthError(unauthorised, 'Request token not authorised');
    await expectOAuthError(
      await call('GET', '/oauth/requestToken/authorise', {
        query: { username: demoListener.email, password: 'nope', token: requestToken.key },
      }),
    );
    const ok = await call('GET', '/oauth/requestToken/authorise', {
      query: { username: demoListener.email, password: demoListener.password, token: requestToken.key },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('status="ok"');
    const at = await call('POST', '/oauth/accesstoken', { token: requestToken });
    expect(at.status).toBe(200);
    const accessToken = new URLSearchParams(await at.text());
    await op('getUserLocker', 'GET', `/users/${demoListener.userId}/locker`, {
      token: {
        key: accessToken.get('oauth_token') ?? '',
        secret: accessToken.get('oauth_token_secret') ?? '',
      },
    });
    // Single use: the exchanged request token is gone.
    expect(
      (
        await call('GET', '/oauth/requestToken/authorise', {
          query: { username: demoListener.email, password: demoListener.password, token: requestToken.key },
        })
      ).status,
    ).toBe(404);
  });
});

describe('OAuth verification rules', () => {
  it('rejects a missing or unknown key, a bad signature, a stale timestamp and a replayed nonce', async () => {
    await expectOAuthError(
      await call('GET', '/tracks/10000001/details', { sign: false }),
      'Missing consumer key',
    );
    await expectOAuthError(
      await call('GET', '/tracks/10000001/details', { client: makeClient({ key: 'nobody', secret: 'x' }) }),
      'Unknown consumer key',
    );
    await expectOAuthError(
      await call('GET', '/tracks/10000001/details', {
        client: makeClient({ key: demoKey.key, secret: 'wrong-secret' }),
      }),
      'Invalid signature',
    );
    const stale = makeClient();
    stale.getTimeStamp = () => Math.floor(Date.now() / 1000) - 301;
    await expectOAuthError(
      await call('GET', '/tracks/10000001/details', { client: stale }),
      'Timestamp expired',
    );
    const { url, init } = prepare('GET', '/tracks/10000001/details');
    expect((await fetch(url, init)).status).toBe(200);
    await expectOAuthError(await fetch(url, init), 'Nonce already used');
  });

  it('signs form bodies but never JSON bodies', async () => {
    const json = { name: 'Signed JSON', description: 'x' };
    await expectOAuthError(
      await call('POST', '/playlists', { json, signJsonFields: true }),
      'Invalid signature',
    );
    await op('createPlaylist', 'POST', '/playlists', { json });
    // Tampering with a signed form body breaks the signature.
    const { url, init } = prepare('POST', '/users', {
      form: { email: 'tamper@septet.test', password: 'pw', country: 'GB' },
    });
    await expectOAuthError(
      await fetch(url, { ...init, body: 'email=other%40septet.test&password=pw&country=GB' }),
      'Invalid signature',
    );
  });

  it('3-legged operations need a user token or a managed userId', async () => {
    await expectOAuthError(
      await call('POST', '/logging/subscriber', { json: { logs: [] } }),
      'Not authorised - no user credentials provided',
    );
    await expectOAuthError(
      await call('GET', `/users/${demoListener.userId}/locker`, { sign: 'bare' }),
      'Missing signature',
    );
    await expectOAuthError(
      await call('GET', '/users/demo-listener/locker', { token: { key: 'unknown-token', secret: 'x' } }),
      'Invalid token',
    );
  });

  it('catalogue GETs accept a key-only call (bare Authorization header)', async () => {
    await op('getTrackDetails', 'GET', '/tracks/10000001/details', { sign: 'bare' });
    await expectOAuthError(
      await call('POST', '/logging/preview', { sign: 'bare', json: { logs: [] } }),
      'Missing signature',
    );
  });
});

describe('catalogue', () => {
  it('browse, details, releases, search (case and accent tolerant)', async () => {
    const browse = (
      await op('browseArtistsByName', 'GET', '/artists/browse', { query: { letter: 'b', pageSize: 5 } })
    ).body as { totalItems: number; artists: { name: string }[] };
    expect(browse.artists.length).toBe(5);
    expect(browse.totalItems).toBeGreaterThan(5);
    const page2 = (
      await op('browseArtistsByName', 'GET', '/artists/browse', {
        query: { letter: 'b', pageSize: 5, page: 2 },
      })
    ).body as { artists: { name: string }[] };
    expect(page2.artists[0]?.name).not.toBe(browse.artists[0]?.name);
    // "#" is the bucket of names starting with a digit or a symbol (none in the generated
    // catalogue), not an empty prefix that matches every artist.
    const hash = (await op('browseArtistsByName', 'GET', '/artists/browse', { query: { letter: '#' } }))
      .body as { totalItems: number; artists: { name: string }[] };
    expect(hash.totalItems).toBe(0);
    expect(hash.artists).toEqual([]);

    const artists = (await op('searchArtists', 'GET', '/artists/search', { query: { q: 'CAFE UMLAUT' } }))
      .body as { artists: { id: string; name: string }[] };
    expect(artists.artists[0]?.name).toBe('Café Ümlaut');
    const artistId = artists.artists[0]?.id ?? '';
    const artist = (await op('getArtistDetails', 'GET', `/artists/${artistId}/details`)).body as {
      name: string;
    };
    expect(artist.name).toBe('Café Ümlaut');
    const releases = (
      await op('getArtistReleases', 'GET', `/artists/${artistId}/releases`, { query: { type: 'single' } })
    ).body as { releases: { type: string }[] };
    expect(releases.releases.every((r) => r.type === 'single')).toBe(true);
    await expectError(
      await call('GET', `/artists/${artistId}/releases`, { query: { type: 'lp' } }),
      400,
      1006,
    );

    const found = (await op('searchReleases', 'GET', '/releases/search', { query: { q: 'first light' } }))
      .body as { releases: { id: string; title: string }[] };
    expect(found.releases[0]?.title).toBe('First Light');
    const releaseId = found.releases[0]?.id ?? '';
    await op('getReleaseDetails', 'GET', `/releases/${releaseId}/details`);
    const listing = (await op('getReleaseTrackListing', 'GET', `/releases/${releaseId}/tracks`)).body as {
      totalItems: number;
      tracks: { trackNumber: number }[];
    };
    expect(listing.totalItems).toBeGreaterThanOrEqual(10);
    expect(listing.tracks.map((t) => t.trackNumber)).toEqual(listing.tracks.map((_t, i) => i + 1));

    const tracks = (await op('searchTracks', 'GET', '/tracks/search', { query: { q: 'creme brulee' } }))
      .body as { tracks: { title: string }[] };
    expect(tracks.tracks[0]?.title).toBe('Crème Brûlée');
    const track = (await op('getTrackDetails', 'GET', `/tracks/${audio[0]?.trackId}/details`)).body as {
      id: string;
      isrc: string;
    };
    expect(track.isrc).toMatch(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/);
    await expectError(await call('GET', '/tracks/99999999999/details'), 404, 2001);
    await expectError(await call('GET', '/artists/search', { query: { q: '' } }), 400, 1001);
  });

  it('paging limits and real totals', async () => {
    await expectError(
      await call('GET', '/tracks/search', { query: { q: 'harbour', pageSize: 101 } }),
      400,
      1003,
    );
    await expectError(await call('GET', '/tracks/search', { query: { q: 'harbour', page: 0 } }), 400, 1003);
    await expectError(
      await call('GET', '/tracks/search', { query: { q: 'harbour', pageSize: 'ten' } }),
      400,
      1002,
    );
    const all = (await op('searchTracks', 'GET', '/tracks/search', { query: { q: 'septet', pageSize: 100 } }))
      .body as { totalItems: number; tracks: unknown[] };
    expect(all.tracks.length).toBe(Math.min(100, all.totalItems));
  });

  it('batch lookups keep order and report invalid ids with their index', async () => {
    const ids = [audio[2]?.trackId ?? '', 'nope', audio[0]?.trackId ?? '', '1; DROP TABLE users'];
    const batch = (
      await op('getTracksBatchDetails', 'POST', '/tracks/details/batch', {
        json: { trackIds: ids, showErrors: true },
      })
    ).body as {
      tracks: { id: string }[];
      errors: { code: number; index: number }[];
    };
    expect(batch.tracks.map((t) => t.id)).toEqual([ids[0], ids[2]]);
    expect(batch.errors).toEqual([
      expect.objectContaining({ code: 2001, index: 1 }),
      expect.objectContaining({ code: 2001, index: 3 }),
    ]);
    const quiet = (
      await op('getTracksBatchDetails', 'POST', '/tracks/details/batch', { json: { trackIds: ids } })
    ).body as { errors?: unknown };
    expect(quiet.errors).toBeUndefined();
    const releaseIds = [audio[12]?.releaseId ?? '', 'x', audio[0]?.releaseId ?? ''];
    const releases = (
      await op('getReleasesBatchDetails', 'POST', '/releases/details/batch', {
        json: { releaseIds, showErrors: true },
      })
    ).body as {
      releases: { id: string }[];
      errors: { index: number }[];
    };
    expect(releases.releases.map((r) => r.id)).toEqual([releaseIds[0], releaseIds[2]]);
    expect(releases.errors.map((e) => e.index)).toEqual([1]);
    await expectError(
      await call('POST', '/tracks/details/batch', {
        json: { trackIds: Array.from({ length: 101 }, (_x, i) => String(10000001 + i)) },
      }),
      400,
      1003,
    );
    await expectError(await call('POST', '/tracks/details/batch', { json: { showErrors: true } }), 400, 1001);
  });

  it('usage types, download URL and artwork', async () => {
    const types = (await op('getUsageTypeInformation', 'GET', '/usage-types')).body as {
      usageTypes: { id: string }[];
    };
    expect(types.usageTypes.map((t) => t.id)).toContain('subscription-streaming');
    const download = (await op('downloadTrack', 'GET', `/tracks/${audio[0]?.trackId}/download`)).body as {
      url: string;
    };
    const file = await fetch(download.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/mpeg');
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    // Every catalogue track has media, not only the demo artists'.
    const other = (await op('downloadTrack', 'GET', '/tracks/10000100/download')).body as { url: string };
    expect((await fetch(other.url, { headers: { range: 'bytes=0-2' } })).status).toBe(206);
    await expectError(await call('GET', '/tracks/99999999/download'), 404, 2001);
    const art = await fetch(
      ((await (await call('GET', `/releases/${audio[0]?.releaseId}/details`)).json()) as { image: string })
        .image,
    );
    expect(art.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  });
});

describe('logging', () => {
  const trackId = () => audio[0]?.trackId ?? '';
  const logs = async (endpoint: string) =>
    (await (await fetch(`${emulator.url}/_emulator/logs?endpoint=${endpoint}`)).json()) as {
      logs: Record<string, unknown>[];
      duplicates: number;
    };

  it('records accepted logs exactly as received, with duplicate counts', async () => {
    const item = {
      trackId: trackId(),
      userId: demoListener.userId,
      clientId: 'device-a',
      timestamp: nowIso(-60_000),
      durationPlayed: 12,
      country: 'GB',
    };
    await op('reportPreviewStream', 'POST', '/logging/preview', { json: { logs: [item] } });
    const preview = await logs('preview');
    expect(preview.logs.at(-1)).toEqual({ ...item, receivedAt: expect.any(String) });
    await op('reportSubscriberStream', 'POST', '/logging/subscriber', {
      ...asListener,
      json: { logs: [{ ...item, playMode: 'offline' }] },
    });
    await op('reportSubscriberStream', 'POST', '/logging/subscriber', {
      ...asListener,
      json: { logs: [{ ...item, playMode: 'offline' }] },
    });
    expect((await logs('subscriber')).duplicates).toBe(1);
    await op('reportCatalogueStream', 'POST', '/logging/catalogue', {
      ...asListener,
      json: { logs: [{ ...item, durationPlayed: 0, endReason: 'userSkipped' }] },
    });
    expect((await logs('catalogue')).logs).toHaveLength(1);
  });

  it('validates each log and rejects the whole batch with indexed errors', async () => {
    const before = (await logs('subscriber')).logs.length;
    const good = { trackId: trackId(), timestamp: nowIso(-1000) };
    const body = await expectError(
      await call('POST', '/logging/subscriber', {
        ...asListener,
        json: {
          logs: [
            good,
            { trackId: trackId(), timestamp: nowIso(3600_000) },
            { trackId: trackId(), timestamp: nowIso(-61 * 86_400_000) },
            { trackId: '404404', timestamp: nowIso() },
            { trackId: trackId(), timestamp: 'yesterday' },
            { trackId: trackId(), timestamp: nowIso(), playMode: 'radio' },
            { timestamp: nowIso() },
          ],
        },
      }),
      400,
      1008,
    );
    expect(body.error.errors?.map((e) => [e.index, e.code])).toEqual([
      [1, 1002],
      [2, 1002],
      [3, 2001],
      [4, 1002],
      [5, 1002],
      [6, 1001],
    ]);
    expect((await logs('subscriber')).logs.length).toBe(before);
    // Never had a subscription → 1003.
    const nosub = await expectError(
      await call('POST', '/logging/subscriber', {
        query: { userId: demoNoSubscriptionListener.userId },
        json: { logs: [good] },
      }),
      400,
      1008,
    );
    expect(nosub.error.errors?.[0]?.code).toBe(1003);
  });

  it('enforces batch sizes and the preview rate limit', async () => {
    const item = { trackId: trackId(), timestamp: nowIso(-1000) };
    await expectError(
      await call('POST', '/logging/preview', { json: { logs: Array.from({ length: 501 }, () => item) } }),
      429,
      1003,
    );
    await expectError(
      await call('POST', '/logging/subscriber', {
        ...asListener,
        json: { logs: Array.from({ length: 21 }, () => item) },
      }),
      429,
      1003,
    );
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => call('POST', '/logging/preview', { json: { logs: [item] } })),
    );
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    await expectError(limited[0] as Response, 429, 1003);
  });
});

describe('users, subscriptions, offline devices', () => {
  it('creates users; a duplicate is 2003', async () => {
    const form = {
      email: 'new.listener@septet.test',
      password: 'pw-1',
      country: 'GB',
      firstName: 'New',
      lastName: 'Listener',
    };
    const user = (await op('createUser', 'POST', '/users', { form })).body as { id: string; email: string };
    expect(user.email).toBe(form.email);
    await expectError(await call('POST', '/users', { form }), 409, 2003);
    await expectError(
      await call('POST', '/users', { form: { email: 'not-an-email', password: 'x', country: 'GB' } }),
      400,
      1002,
    );
    await expectError(
      await call('POST', '/users', { form: { email: 'a@septet.test', country: 'GB' } }),
      400,
      1001,
    );
  });

  it('subscriptions last at most a month', async () => {
    const userId = (
      (
        await op('createUser', 'POST', '/users', {
          form: { email: 'sub.user@septet.test', password: 'pw', country: 'GB' },
        })
      ).body as { id: string }
    ).id;
    const base = { userId, productId: 'unlimited-streaming-monthly' };
    await expectError(
      await call('POST', '/subscriptions', {
        form: { ...base, startDate: '2026-01-31', endDate: '2026-03-01' },
      }),
      400,
      1003,
    );
    await expectError(
      await call('POST', '/subscriptions', {
        form: { ...base, startDate: '2026-01-10', endDate: '2026-01-09' },
      }),
      400,
      1003,
    );
    const ok = (
      await op('createSubscription', 'POST', '/subscriptions', {
        form: { ...base, startDate: '2026-01-31', endDate: '2026-02-28' },
      })
    ).body as { status: string };
    expect(ok.status).toBe('expired');
    const today = new Date().toISOString().slice(0, 10);
    const end = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const active = (
      await op('createSubscription', 'POST', '/subscriptions', {
        form: { ...base, startDate: today, endDate: end },
      })
    ).body as { status: string };
    expect(active.status).toBe('active');
    // Extension: the user's subscriptions, newest first.
    const listed = (await (await call('GET', `/users/${userId}/subscription`)).json()) as {
      active: boolean;
      subscriptions: unknown[];
    };
    expect(listed.active).toBe(true);
    listed.subscriptions.forEach((sub) => expectSchema('Subscription', sub));
  });

  it('authorises devices up to the cap; needs an active subscription', async () => {
    const userId = (
      (
        await op('createUser', 'POST', '/users', {
          form: { email: 'devices@septet.test', password: 'pw', country: 'GB' },
        })
      ).body as { id: string }
    ).id;
    const today = new Date().toISOString().slice(0, 10);
    const device = (n: number) => ({
      deviceId: `device-${n}`,
      deviceName: `Device ${n}`,
      platform: 'windows',
    });
    await expectError(
      await call('POST', `/users/${userId}/unlimitedStreaming/offline`, { json: device(0) }),
      400,
      1003,
    );
    await op('createSubscription', 'POST', '/subscriptions', {
      form: {
        userId,
        productId: 'p',
        startDate: today,
        endDate: new Date(Date.now() + 86_400_000 * 10).toISOString().slice(0, 10),
      },
    });
    for (let n = 1; n <= 5; n += 1) {
      const body = (
        await op('authorizeOfflineDevice', 'POST', `/users/${userId}/unlimitedStreaming/offline`, {
          json: device(n),
        })
      ).body as { status: string };
      expect(body.status).toBe('authorised');
    }
    await op('authorizeOfflineDevice', 'POST', `/users/${userId}/unlimitedStreaming/offline`, {
      json: device(5),
    });
    const capped = await expectError(
      await call('POST', `/users/${userId}/unlimitedStreaming/offline`, { json: device(6) }),
      400,
      1003,
    );
    expect(capped.error.message).toBe('Maximum number of offline devices registered');
    const off = (
      await op('authorizeOfflineDevice', 'POST', `/users/${userId}/unlimitedStreaming/offline`, {
        json: { deviceId: 'device-1', offlineEnabled: false },
      })
    ).body as { status: string };
    expect(off.status).toBe('deauthorised');
    await op('authorizeOfflineDevice', 'POST', `/users/${userId}/unlimitedStreaming/offline`, {
      json: device(6),
    });
    const status = (
      await op('getOfflineDeviceStatus', 'GET', `/users/${userId}/unlimitedStreaming/offline/device-1`)
    ).body as { status: string };
    expect(status.status).toBe('deauthorised');
    const list = (await op('listOfflineDevices', 'GET', `/users/${userId}/unlimitedStreaming/devices`))
      .body as { devices: { status: string }[] };
    expect(list.devices.filter((d) => d.status === 'authorised')).toHaveLength(5);
    await expectError(await call('GET', `/users/${userId}/unlimitedStreaming/offline/unknown`), 404, 2001);
    const nosub = demoNoSubscriptionListener.userId;
    await expectError(
      await call('POST', `/users/${nosub}/unlimitedStreaming/offline`, { json: device(1) }),
      400,
      1003,
    );
  });
});

describe('sales and locker', () => {
  it('demo locker has purchases; credit-item answers XML and adds to the locker', async () => {
    const locker = (
      await op('getUserLocker', 'GET', `/users/${demoListener.userId}/locker`, { query: { pageSize: 100 } })
    ).body as {
      totalItems: number;
      releases: { id: string }[];
      tracks: { id: string }[];
    };
    expect(locker.releases.length).toBeGreaterThanOrEqual(3);
    expect(locker.releases.every((r) => /^\d+$/.test((r as { purchaseId?: string }).purchaseId ?? ''))).toBe(
      true,
    );
    lockerReleaseIds = locker.releases.map((r) => r.id);
    const paged = (
      await op('getUserLocker', 'GET', `/users/${demoListener.userId}/locker`, {
        query: { pageSize: 2, page: 2 },
      })
    ).body as {
      totalItems: number;
      releases: unknown[];
      tracks: unknown[];
    };
    expect(paged.totalItems).toBe(locker.totalItems);
    expect(paged.releases.length + paged.tracks.length).toBe(2);

    const release = audio.find(
      (t) => !lockerReleaseIds.includes(t.releaseId) && t.releaseId !== audio[12]?.releaseId,
    );
    const credit = await op('creditSalesItem', 'POST', '/sales/credit-item', {
      form: {
        userId: demoListener.userId,
        releaseId: release?.releaseId ?? '',
        currency: 'USD',
        price: '9.99',
        transactionId: 'tx-1',
      },
    });
    const xml = (credit.body as Buffer).toString('utf8');
    expect(credit.response.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(xml).toMatch(/<response status="ok" version="1.2"><purchase id="\d+"><purchaseDate>/);
    const after = (
      await op('getUserLocker', 'GET', `/users/${demoListener.userId}/locker`, { query: { pageSize: 100 } })
    ).body as { releases: { id: string }[] };
    expect(after.releases.map((r) => r.id)).toContain(release?.releaseId);
    const badCurrency = await call('POST', '/sales/credit-item', {
      form: {
        userId: demoListener.userId,
        releaseId: release?.releaseId ?? '',
        currency: 'GBP',
        price: '9.99',
      },
    });
    expect(badCurrency.status).toBe(400);
    expect(await badCurrency.text()).toContain('<error code="1002">');
  });

  it('refunds: unknown sale 2001, outside the reporting period 2002, success removes the sale', async () => {
    const userId = demoListener.userId;
    const credit = async (trackId: string | null, releaseId: string) => {
      const form: Record<string, string> = { userId, releaseId, currency: 'USD', price: '0.99' };
      if (trackId) form.trackId = trackId;
      const xml = (
        (await op('creditSalesItem', 'POST', '/sales/credit-item', { form })).body as Buffer
      ).toString('utf8');
      return /purchase id="(\d+)"/.exec(xml)?.[1] ?? '';
    };
    const track = audio[20] as AudioTrack;
    const trackPurchase = await credit(track.trackId, track.releaseId);
    await op('reportTrackRefund', 'POST', '/sales/refund/track', {
      json: { userId, purchaseId: trackPurchase, reason: 'Customer request' },
    });
    await expectError(
      await call('POST', '/sales/refund/track', { json: { userId, purchaseId: trackPurchase } }),
      404,
      2001,
    );
    await expectError(
      await call('POST', '/sales/refund/release', { json: { userId, purchaseId: '987654321' } }),
      404,
      2001,
    );
    await expectError(
      await call('POST', '/sales/refund/release', { json: { userId, purchaseId: "1' OR '1'='1" } }),
      404,
      2001,
    );

    const releasePurchase = await credit(null, audio[12]?.releaseId ?? '');
    await op('reportReleaseRefund', 'POST', '/sales/refund/release', {
      json: { userId, purchaseId: releasePurchase },
    });
    // The demo's oldest purchase (120 days ago) is outside the reporting period.
    await expectError(
      await call('POST', '/sales/refund/release', { json: { userId, purchaseId: '1' } }),
      403,
      2002,
    );
  });

  it('locker streams and purchase downloads need the item in the locker', async () => {
    const owned = audio.find((t) => lockerReleaseIds.includes(t.releaseId)) as AudioTrack;
    const notOwned = audio[13] as AudioTrack; // Night Signals: only its first track was bought
    const opts = asListener;
    await op('streamLockerTrackHls', 'GET', `/streaming/locker/${owned.trackId}/hls`, opts);
    await op('streamLockerTrackProgressive', 'GET', `/streaming/locker/${owned.trackId}/progressive`, opts);
    await expectError(
      await call('GET', `/streaming/locker/${notOwned.trackId}/progressive`, opts),
      404,
      2001,
    );
    const file = await op(
      'downloadPurchasedTrack',
      'GET',
      `/users/${demoListener.userId}/downloads/tracks/${owned.trackId}`,
    );
    expect((file.body as Buffer).length).toBeGreaterThan(10_000);
    await expectError(
      await call('GET', `/users/${demoListener.userId}/downloads/tracks/${notOwned.trackId}`),
      404,
      2001,
    );
    const zip = await op(
      'downloadPurchasedReleaseZip',
      'GET',
      `/users/${demoListener.userId}/downloads/releases/${owned.releaseId}`,
    );
    expect((zip.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const purchase = await op(
      'downloadPurchaseZip',
      'GET',
      `/users/${demoListener.userId}/downloads/purchases/2`,
    );
    expect((purchase.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  });
});

describe('streaming and content delivery', () => {
  it('previews (2-legged), catalogue, subscription and offline streams', async () => {
    const t = audio[1] as AudioTrack;
    await op('streamPreviewClip', 'GET', `/streaming/preview/${t.trackId}`);
    await op('streamCatalogueTrackHls', 'GET', `/streaming/catalogue/${t.trackId}/hls`, asListener);
    await op(
      'streamCatalogueTrackProgressive',
      'GET',
      `/streaming/catalogue/${t.trackId}/progressive`,
      asListener,
    );
    const manifest = await op(
      'streamSubscriptionTrackHls',
      'GET',
      `/streaming/subscription/${t.trackId}/hls`,
      asListener,
    );
    expect((manifest.body as Buffer).toString()).toContain('#EXTM3U');
    const ranged = await call('GET', `/streaming/subscription/${t.trackId}/progressive`, {
      ...asListener,
      headers: { range: 'bytes=0-99' },
    });
    expect(ranged.status).toBe(206);
    await op(
      'streamSubscriptionTrackProgressive',
      'GET',
      `/streaming/subscription/${t.trackId}/progressive`,
      asListener,
    );
    const nosub = { query: { userId: demoNoSubscriptionListener.userId } };
    await expectError(await call('GET', `/streaming/subscription/${t.trackId}/hls`, nosub), 403, 2002);

    const clientId = 'contract-offline-device';
    await expectError(
      await call('GET', `/streaming/subscription/${t.trackId}/offline/hls`, {
        query: { userId: demoListener.userId },
      }),
      400,
      1001,
    );
    await expectError(
      await call('GET', `/streaming/subscription/${t.trackId}/offline/hls`, {
        query: { userId: demoListener.userId, clientId },
      }),
      403,
      2002,
    );
    await op('authorizeOfflineDevice', 'POST', `/users/${demoListener.userId}/unlimitedStreaming/offline`, {
      json: { deviceId: clientId, platform: 'windows' },
    });
    await op('streamSubscriptionTrackOfflineHls', 'GET', `/streaming/subscription/${t.trackId}/offline/hls`, {
      query: { userId: demoListener.userId, clientId },
    });
    await op(
      'streamSubscriptionTrackOfflineProgressive',
      'GET',
      `/streaming/subscription/${t.trackId}/offline/progressive`,
      { query: { userId: demoListener.userId, clientId } },
    );
    await op('authorizeOfflineDevice', 'POST', `/users/${demoListener.userId}/unlimitedStreaming/offline`, {
      json: { deviceId: clientId, offlineEnabled: false },
    });
  });

  it('with clientId the newest stream request wins; the displaced device continuing gets 3201', async () => {
    const userId = (
      (
        await op('createUser', 'POST', '/users', {
          form: { email: 'two.devices@septet.test', password: 'pw', country: 'GB' },
        })
      ).body as { id: string }
    ).id;
    const today = new Date().toISOString().slice(0, 10);
    await op('createSubscription', 'POST', '/subscriptions', {
      form: {
        userId,
        productId: 'p',
        startDate: today,
        endDate: new Date(Date.now() + 86_400_000 * 10).toISOString().slice(0, 10),
      },
    });
    const path = `/streaming/subscription/${audio[4]?.trackId}/hls`;
    const progressive = `/streaming/subscription/${audio[4]?.trackId}/progressive`;
    expect((await call('GET', path, { query: { userId, clientId: 'device-a' } })).status).toBe(200);
    expect((await call('GET', path, { query: { userId, clientId: 'device-b' } })).status).toBe(200);
    await expectError(
      await call('GET', progressive, {
        query: { userId, clientId: 'device-a' },
        headers: { range: 'bytes=1000-' },
      }),
      403,
      3201,
    );
    // Device A asks for a stream again: it wins at once.
    expect((await call('GET', path, { query: { userId, clientId: 'device-a' } })).status).toBe(200);
  });

  it('media transfer validates format and bitrate', async () => {
    const t = audio[2] as AudioTrack;
    await op('transferMedia', 'GET', '/content-delivery/media-transfer', {
      query: { trackId: t.trackId, format: 'flac', bitrate: 1411 },
    });
    await expectError(
      await call('GET', '/content-delivery/media-transfer', {
        query: { trackId: t.trackId, format: 'flac', bitrate: 320 },
      }),
      400,
      1002,
    );
    const other = await call('GET', '/content-delivery/media-transfer', {
      query: { trackId: '10000100', format: 'mp3', bitrate: 192 },
      headers: { range: 'bytes=0-9999' },
    });
    expect(other.status).toBe(206);
    expect(other.headers.get('content-type')).toBe('audio/mpeg');
    expect(
      Buffer.from(await other.arrayBuffer())
        .subarray(0, 3)
        .toString(),
    ).toBe('ID3');
    await expectError(
      await call('GET', '/content-delivery/media-transfer', {
        query: { trackId: '99999999', format: 'mp3' },
      }),
      404,
      2001,
    );
  });
});

describe('playlists', () => {
  it('lists the demo playlists with 10+ tracks each', async () => {
    const list = (await op('listPlaylists', 'GET', '/playlists', asListener)).body as {
      totalItems: number;
      playlists: { trackCount: number }[];
    };
    expect(list.totalItems).toBeGreaterThanOrEqual(2);
    expect(list.playlists.every((p) => p.trackCount >= 10)).toBe(true);
  });

  it('create, update (description truncated to 500), add, remove, move, get, delete', async () => {
    const t = audio.slice(0, 4).map((a) => a.trackId);
    const created = (
      await op('createPlaylist', 'POST', '/playlists', {
        ...asListener,
        json: {
          name: 'Contract',
          description: 'd'.repeat(600),
          visibility: 'public',
          tracks: [{ trackId: t[0], title: 'x', artist: 'y' }, { trackId: t[1] }],
        },
      })
    ).body as { id: string; description: string; tracks: { id: string; position: number }[] };
    expect(created.description).toHaveLength(500);
    const id = created.id;
    const updated = (
      await op('updatePlaylistDetails', 'PUT', `/playlists/${id}`, {
        json: { name: 'Renamed', visibility: 'private', description: 'e'.repeat(501) },
      })
    ).body as {
      name: string;
      description: string;
      trackCount: number;
    };
    expect([updated.name, updated.description.length, updated.trackCount]).toEqual(['Renamed', 500, 2]);
    const added = (
      await op('addTracksToPlaylist', 'POST', `/playlists/${id}/tracks`, {
        json: { tracks: [{ trackId: t[2] }, { trackId: t[3] }] },
      })
    ).body as {
      tracks: { id: string; trackId: string; position: number }[];
    };
    expect(added.tracks.map((x) => [x.trackId, x.position])).toEqual(t.map((x, i) => [x, i + 1]));
    await expectError(
      await call('POST', `/playlists/${id}/tracks`, { json: { tracks: [{ trackId: 'no-such-track' }] } }),
      404,
      2001,
    );
    const last = added.tracks[3]?.id ?? '';
    const moved = await call('POST', `/playlists/${id}/tracks/${last}/move`, { json: { pos: '0' } });
    expect(moved.status).toBe(200);
    const movedBody = (await moved.json()) as unknown;
    expectSchema('Playlist', movedBody);
    expect((movedBody as { tracks: { trackId: string }[] }).tracks.map((x) => x.trackId)).toEqual([
      t[3],
      t[0],
      t[1],
      t[2],
    ]);
    const removed = (await (
      await call('DELETE', `/playlists/${id}/tracks/${added.tracks[0]?.id}`)
    ).json()) as { tracks: { position: number }[] };
    expect(removed.tracks.map((x) => x.position)).toEqual([1, 2, 3]);
    const fetched = await call('GET', `/playlists/${id}`);
    expect(fetched.status).toBe(200);
    expectSchema('Playlist', await fetched.json());
    expect((await call('DELETE', `/playlists/${id}`)).status).toBe(204);
    await expectError(await call('GET', `/playlists/${id}`), 404, 2001);
  });
});

describe('interactive radio', () => {
  it('session → next track (idempotent) → events → history → delete', async () => {
    const playlists = (await (await call('GET', '/playlists', asListener)).json()) as {
      playlists: { id: string; name: string }[];
    };
    const playlistId = playlists.playlists.find((p) => p.name === 'Septet Favourites')?.id ?? '';
    const session = (
      await op('createInteractiveRadioSession', 'POST', '/interactive-radio/sessions', {
        json: { userId: demoListener.userId, playlistIds: [playlistId], ruleset: 'dmca' },
      })
    ).body as { sessionId: string; skipsRemaining: number };
    expect(session.skipsRemaining).toBe(6);
    const next = (
      await op(
        'getInteractiveRadioNextTrack',
        'GET',
        `/interactive-radio/sessions/${session.sessionId}/next-track`,
      )
    ).body as { track: { id: string } };
    const again = (
      await op(
        'getInteractiveRadioNextTrack',
        'GET',
        `/interactive-radio/sessions/${session.sessionId}/next-track`,
      )
    ).body as { track: { id: string } };
    expect(again.track.id).toBe(next.track.id);
    await op(
      'postInteractiveRadioPlaybackEvents',
      'POST',
      `/interactive-radio/sessions/${session.sessionId}/events`,
      {
        json: {
          events: [
            { trackId: next.track.id, eventType: 'start', timestamp: nowIso() },
            { trackId: next.track.id, eventType: 'skip', timestamp: nowIso(), durationPlayed: 3 },
          ],
        },
      },
    );
    const history = await fetch(`${emulator.url}/_emulator/radio/${session.sessionId}/history`);
    expect(history.status).toBe(200);
    await op('deleteInteractiveRadioSession', 'DELETE', `/interactive-radio/sessions/${session.sessionId}`);
    await expectError(
      await call('GET', `/interactive-radio/sessions/${session.sessionId}/next-track`),
      404,
      2001,
    );
  });
});

describe('bad input never crashes the emulator', () => {
  it('malformed JSON, wrong content types, wrong types, oversized bodies', async () => {
    await expectError(
      await call('POST', '/tracks/details/batch', {
        rawBody: '{"trackIds": [',
        contentType: 'application/json',
      }),
      400,
      1002,
    );
    await expectError(
      await call('POST', '/tracks/details/batch', { rawBody: 'trackIds=1', contentType: 'text/plain' }),
      400,
      1002,
    );
    await expectError(await call('POST', '/tracks/details/batch', { json: { trackIds: 'abc' } }), 400, 1002);
    await expectError(await call('POST', '/tracks/details/batch', { json: [1, 2] }), 400, 1002);
    await expectError(
      await call('POST', '/logging/catalogue', { ...asListener, json: { logs: 'x' } }),
      400,
      1002,
    );
    await expectError(
      await call('POST', '/users', { json: { email: 'json@septet.test', password: 'x', country: 'GB' } }),
      400,
      1002,
    );
    await expectError(await call('POST', '/playlists', { json: { name: 42 } }), 400, 1002);
    const big = Buffer.alloc(1024 * 1024 + 10, 0x61);
    const response = await call('POST', '/tracks/details/batch', {
      rawBody: big,
      contentType: 'application/json',
    });
    await expectError(response, 413, 1003);
  });

  it('ids with path or SQL metacharacters → 4xx envelope', async () => {
    for (const id of ["1'%20OR%20'1'='1", '..%2F..%2Fetc%2Fpasswd', '%00', 'x%25y', '%E0%A4%A']) {
      const response = await call('GET', `/tracks/${id}/details`);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      const body = (await response.json()) as { status: string };
      expect(body.status).toBe('error');
    }
    await expectError(await call('GET', '/playlists/%27%3B%20DROP%20TABLE%20playlists%3B--'), 404, 2001);
    await expectError(
      await call('GET', "/users/'; DROP TABLE users;--/locker".replace(/ /g, '%20')),
      404,
      2001,
    );
    // Still alive and intact.
    await op('getTrackDetails', 'GET', `/tracks/${audio[0]?.trackId}/details`);
  });
});

describe('test API', () => {
  it('injects faults per path pattern and clears them', async () => {
    const add = async (fault: Record<string, unknown>) =>
      (
        (await (
          await fetch(`${emulator.url}/_emulator/faults`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(fault),
          })
        ).json()) as { id: string }
      ).id;
    const id = await add({ pathPattern: '/usage-types', kind: 'status', status: 503 });
    await expectError(await call('GET', '/usage-types'), 503, 9001);
    expect((await fetch(`${emulator.url}/_emulator/faults/${id}`, { method: 'DELETE' })).status).toBe(200);
    await op('getUsageTypeInformation', 'GET', '/usage-types');

    await add({ pathPattern: '/tracks/*/details', kind: 'status', status: 429, times: 1 });
    const limited = await call('GET', `/tracks/${audio[0]?.trackId}/details`);
    expect(limited.headers.get('retry-after')).toBe('1');
    await expectError(limited, 429, 1003);
    await op('getTrackDetails', 'GET', `/tracks/${audio[0]?.trackId}/details`);

    await add({ pathPattern: '/users/*/locker', kind: 'status', status: 401, times: 1 });
    await expectOAuthError(await call('GET', `/users/${demoListener.userId}/locker`));
    await op('getUserLocker', 'GET', `/users/${demoListener.userId}/locker`);

    await add({ pathPattern: '/usage-types', kind: 'drop', times: 1 });
    const { url, init } = prepare('GET', '/usage-types');
    await expect(fetch(url, init)).rejects.toThrow();
    await add({ pathPattern: '/usage-types', kind: 'truncate', times: 1 });
    const truncated = prepare('GET', '/usage-types');
    await expect(fetch(truncated.url, truncated.init).then((r) => r.text())).rejects.toThrow();
    await add({ pathPattern: '/usage-types', kind: 'latency', latencyMs: 50, times: 1 });
    await op('getUsageTypeInformation', 'GET', '/usage-types');
    expect((await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' })).status).toBe(200);
  });

  it('clock offset moves the emulator clock, OAuth window included', async () => {
    const set = (offsetMs: number) =>
      fetch(`${emulator.url}/_emulator/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offsetMs }),
      });
    expect((await set(3600_000)).status).toBe(200);
    await expectOAuthError(await call('GET', '/usage-types'), 'Timestamp expired');
    const shifted = makeClient();
    shifted.getTimeStamp = () => Math.floor((Date.now() + 3600_000) / 1000);
    expect((await call('GET', '/usage-types', { client: shifted })).status).toBe(200);
    expect((await set(0)).status).toBe(200);
  });

  it('expiring a subscription stops subscription streams and device authorisation', async () => {
    const email = 'expire@septet.test';
    const userId = (
      (await op('createUser', 'POST', '/users', { form: { email, password: 'pw', country: 'GB' } })).body as {
        id: string;
      }
    ).id;
    const today = new Date().toISOString().slice(0, 10);
    await op('createSubscription', 'POST', '/subscriptions', {
      form: {
        userId,
        productId: 'p',
        startDate: today,
        endDate: new Date(Date.now() + 86_400_000 * 10).toISOString().slice(0, 10),
      },
    });
    const t = audio[3] as AudioTrack;
    expect(
      (await call('GET', `/streaming/subscription/${t.trackId}/hls`, { query: { userId } })).status,
    ).toBe(200);
    expect(
      (await fetch(`${emulator.url}/_emulator/subscriptions/${userId}/expire`, { method: 'POST' })).status,
    ).toBe(200);
    await expectError(
      await call('GET', `/streaming/subscription/${t.trackId}/hls`, { query: { userId } }),
      403,
      2002,
    );
    await expectError(
      await call('POST', `/users/${userId}/unlimitedStreaming/offline`, { json: { deviceId: 'd' } }),
      400,
      1003,
    );
  });
});

describe('coverage', () => {
  it('exercised every one of the 46 operations', () => {
    const missing = operations.map((o) => o.operationId).filter((id) => !covered.has(id));
    expect(operations).toHaveLength(46);
    expect(missing).toEqual([]);
  });
});
