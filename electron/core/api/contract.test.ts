// Contract suite: all 46 operations (and the playlist extensions and token flow) through the
// real client against the real emulator, as the demo partner: managed user (2-legged + userId)
// and a 3-legged access-token variant.
//
// The same suite runs against the real service given real credentials:
//   SEPTET_CONTRACT_BASE_URL, SEPTET_CONTRACT_CONSUMER_KEY, SEPTET_CONTRACT_CONSUMER_SECRET,
//   SEPTET_CONTRACT_USER_ID (a managed user with a subscription and purchases),
//   SEPTET_CONTRACT_USERNAME / SEPTET_CONTRACT_PASSWORD (for the 3-legged variant),
//   SEPTET_CONTRACT_CURRENCY (default USD), SEPTET_CONTRACT_ALLOW_SALES=1 to log real sales
//   and refunds, SEPTET_CONTRACT_ALLOW_WRITES=1 to create users/subscriptions/playlists.
// Without SEPTET_CONTRACT_BASE_URL the emulator is started on a free port with a temp data dir,
// and emulator-only checks (the /_emulator inspection API) run too.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/server.js';
import { operations } from '../../../shared/api/operations.js';
import { demoConsumer, demoListener, demoNoSubscriptionListener } from '../../../shared/demo.js';
import { AppError } from '../../../shared/errors.js';
import { createLogger } from '../logger.js';
import { createApiClient, type ApiClient } from './client.js';
import { createLocalSigner, type OAuthToken } from './oauth.js';
import { createRemoteSigner } from './remote-signer.js';
import { createSigningHandler } from './signing-endpoint.js';

const env = process.env;
const real = Boolean(env.SEPTET_CONTRACT_BASE_URL);
const consumerKey = env.SEPTET_CONTRACT_CONSUMER_KEY ?? demoConsumer.key;
const consumerSecret = env.SEPTET_CONTRACT_CONSUMER_SECRET ?? demoConsumer.secret;
const userId = env.SEPTET_CONTRACT_USER_ID ?? demoListener.userId;
const username = env.SEPTET_CONTRACT_USERNAME ?? demoListener.email;
const password = env.SEPTET_CONTRACT_PASSWORD ?? demoListener.password;
const currency = env.SEPTET_CONTRACT_CURRENCY ?? 'USD';
const allowSales = !real || env.SEPTET_CONTRACT_ALLOW_SALES === '1';
const allowWrites = !real || env.SEPTET_CONTRACT_ALLOW_WRITES === '1';

/** Operation ids that answered (any HTTP status), from the client's own debug log. */
const answered = new Set<string>();
const logger = createLogger('contract', {
  level: 'debug',
  sink: (record) => {
    if (record.msg === 'response' && typeof record.operationId === 'string') answered.add(record.operationId);
  },
});

let baseUrl = env.SEPTET_CONTRACT_BASE_URL ?? '';
let stopEmulator: (() => Promise<void>) | null = null;
let dataDir: string | null = null;
let api: ApiClient;

function makeClient(extra: Partial<Parameters<typeof createApiClient>[0]> = {}): ApiClient {
  return createApiClient({
    baseUrl,
    signer: createLocalSigner({ consumerKey, consumerSecret }),
    timeoutMs: 30_000,
    retry: { retries: 2, baseMs: 100, capMs: 1000 },
    logger,
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

async function drain(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

const nowIso = (): string => new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

// Discovered as the suite goes (no ids are hard-coded, so it also fits the real catalogue).
const found = {
  audioTrackIds: [] as string[],
  trackId: '',
  trackTitle: '',
  releaseId: '',
  releaseTitle: '',
  artistId: '',
  artistName: '',
  playlistId: '',
  lockerTrackId: '',
  lockerReleaseId: '',
  purchaseId: '',
  trackPurchaseId: '',
};

beforeAll(async () => {
  if (!real) {
    dataDir = mkdtempSync(join(tmpdir(), 'septet-contract-'));
    const emulator = await startEmulator({ port: 0, dataDir });
    baseUrl = emulator.url;
    stopEmulator = () => emulator.close();
  }
  api = makeClient();
});

afterAll(async () => {
  await stopEmulator?.();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('catalogue', () => {
  it('listPlaylists finds the listener playlists (the source of tracks with audio)', async () => {
    const list = await api.listPlaylists({ userId, pageSize: 50 });
    expect(list.playlists?.length).toBeGreaterThan(0);
    const withTracks =
      list.playlists?.find((p) => (p.trackCount ?? p.tracks?.length ?? 0) > 0) ?? list.playlists?.[0];
    found.playlistId = withTracks?.id ?? '';
    expect(found.playlistId).not.toBe('');
  });

  it('getTrackDetails / batch details on tracks of that playlist', async () => {
    const playlist = await api.getPlaylist({ playlistId: found.playlistId, userId });
    found.audioTrackIds = (playlist.tracks ?? []).map((t) => t.trackId);
    expect(found.audioTrackIds.length).toBeGreaterThan(0);
    found.trackId = found.audioTrackIds[0] as string;
    const track = await api.getTrackDetails({ trackId: found.trackId });
    expect(track.id).toBe(found.trackId);
    found.trackTitle = track.title ?? '';
    found.releaseId = track.release?.id ?? '';
    found.artistId = track.artist?.id ?? '';
    expect(found.releaseId).not.toBe('');
    expect(found.artistId).not.toBe('');

    const batch = await api.getTracksBatchDetails({
      body: { trackIds: [found.trackId, 'no-such-track-0'], showErrors: true },
    });
    expect(batch.tracks?.map((t) => t.id)).toEqual([found.trackId]);
    expect(batch.errors?.[0]).toMatchObject({ code: 2001, index: 1 });
  });

  it('searchTracks finds the track by a word of its title', async () => {
    const word = found.trackTitle.split(/\s+/).find((w) => w.length > 2) ?? found.trackTitle;
    const result = await api.searchTracks({ q: word, pageSize: 50 });
    expect(result.tracks?.length).toBeGreaterThan(0);
    expect(result.tracks?.every((t) => typeof t.id === 'string')).toBe(true);
  });

  it('release: details, track listing, batch, search', async () => {
    const release = await api.getReleaseDetails({ releaseId: found.releaseId });
    expect(release.id).toBe(found.releaseId);
    found.releaseTitle = release.title ?? '';
    const listing = await api.getReleaseTrackListing({ releaseId: found.releaseId });
    expect(listing.tracks?.some((t) => t.id === found.trackId)).toBe(true);
    const batch = await api.getReleasesBatchDetails({ body: { releaseIds: [found.releaseId] } });
    expect(batch.releases?.[0]?.id).toBe(found.releaseId);
    const word = found.releaseTitle.split(/\s+/).find((w) => w.length > 2) ?? found.releaseTitle;
    const search = await api.searchReleases({ q: word });
    expect(search.releases?.length).toBeGreaterThan(0);
  });

  it('artist: details, releases, search, browse', async () => {
    const artist = await api.getArtistDetails({ artistId: found.artistId });
    expect(artist.id).toBe(found.artistId);
    found.artistName = artist.name ?? '';
    const releases = await api.getArtistReleases({ artistId: found.artistId, pageSize: 50 });
    expect(releases.releases?.some((r) => r.id === found.releaseId)).toBe(true);
    const search = await api.searchArtists({ q: found.artistName });
    expect(search.artists?.some((a) => a.id === found.artistId)).toBe(true);
    const browse = await api.browseArtistsByName({ letter: found.artistName.slice(0, 1) });
    expect(browse.artists?.length).toBeGreaterThan(0);
  });

  it('downloadTrack gives an expiring URL; getUsageTypeInformation lists usage types', async () => {
    const download = await api.downloadTrack({ trackId: found.trackId });
    expect(download.url).toMatch(/^https?:\/\//);
    const usage = await api.getUsageTypeInformation();
    expect(usage.usageTypes?.length).toBeGreaterThan(0);
  });

  it('an unknown track is not_found with service code 2001', async () => {
    expect(await failure(api.getTrackDetails({ trackId: '999999999999' }))).toMatchObject({
      code: 'not_found',
      serviceCode: 2001,
    });
  });

  it('a wrong consumer secret is an OAuth failure, never a crash', async () => {
    const bad = createApiClient({
      baseUrl,
      signer: createLocalSigner({ consumerKey, consumerSecret: 'wrong' }),
      logger,
      retry: { retries: 0 },
    });
    const error = await failure(bad.downloadTrack({ trackId: found.trackId }));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/^OAuth authentication error: /);
  });
});

describe('locker, downloads and sales (managed user)', () => {
  it('getUserLocker lists purchases', async () => {
    const locker = await api.getUserLocker({ userId, pageSize: 50 });
    expect((locker.releases?.length ?? 0) + (locker.tracks?.length ?? 0)).toBeGreaterThan(0);
    for (const release of locker.releases ?? []) {
      const listing = await api.getReleaseTrackListing({ releaseId: release.id ?? '' });
      const playable = listing.tracks?.find((t) => found.audioTrackIds.includes(t.id ?? ''));
      if (playable) {
        found.lockerReleaseId = release.id ?? '';
        found.lockerTrackId = playable.id ?? '';
        break;
      }
    }
    expect(found.lockerTrackId).not.toBe('');
  });

  it.runIf(allowSales)('creditSalesItem logs a sale and answers XML with the purchase id', async () => {
    const doc = await api.creditSalesItem({
      userId,
      body: { userId, releaseId: found.lockerReleaseId, currency, price: 0 },
    });
    const purchase = (doc.response as Record<string, Record<string, string>>).purchase;
    found.purchaseId = purchase?.['@_id'] ?? '';
    expect(found.purchaseId).not.toBe('');
    const trackDoc = await api.creditSalesItem({
      userId,
      body: { userId, releaseId: found.lockerReleaseId, trackId: found.lockerTrackId, currency, price: 0.99 },
    });
    found.trackPurchaseId =
      (trackDoc.response as Record<string, Record<string, string>>).purchase?.['@_id'] ?? '';
    expect(found.trackPurchaseId).not.toBe(found.purchaseId);
  });

  it.runIf(allowSales)(
    'creditSalesItem in the wrong currency is a 1002 error from the XML envelope',
    async () => {
      const error = await failure(
        api.creditSalesItem({
          userId,
          body: { userId, releaseId: found.lockerReleaseId, currency: 'XXX', price: 1 },
        }),
      );
      expect(error).toMatchObject({ code: 'invalid_input', serviceCode: 1002 });
    },
  );

  it('downloadPurchasedTrack streams audio', async () => {
    const response = await api.downloadPurchasedTrack({ userId, trackId: found.lockerTrackId });
    expect(response.headers.get('content-type')).toMatch(/^audio\//);
    expect((await drain(response)).length).toBeGreaterThan(1000);
  });

  it('downloadPurchasedReleaseZip and downloadPurchaseZip stream ZIP files', async () => {
    const release = await drain(
      await api.downloadPurchasedReleaseZip({ userId, releaseId: found.lockerReleaseId }),
    );
    expect(release.subarray(0, 2).toString()).toBe('PK');
    if (found.purchaseId) {
      const purchase = await drain(await api.downloadPurchaseZip({ userId, purchaseId: found.purchaseId }));
      expect(purchase.subarray(0, 2).toString()).toBe('PK');
    } else {
      expect(
        await failure(api.downloadPurchaseZip({ userId, purchaseId: 'no-such-purchase' })),
      ).toMatchObject({ code: 'not_found' });
    }
  });

  it.runIf(allowSales)(
    'reportTrackRefund and reportReleaseRefund reverse the sales; a second refund is 2001',
    async () => {
      const track = (await api.reportTrackRefund({
        body: { userId, purchaseId: found.trackPurchaseId, reason: 'contract test' },
      })) as Record<string, unknown>;
      expect(track?.purchaseId ?? found.trackPurchaseId).toBe(found.trackPurchaseId);
      await api.reportReleaseRefund({ body: { userId, purchaseId: found.purchaseId } });
      expect(
        await failure(api.reportReleaseRefund({ body: { userId, purchaseId: found.purchaseId } })),
      ).toMatchObject({
        code: 'not_found',
        serviceCode: 2001,
      });
    },
  );
});

describe('streaming (managed user)', () => {
  it('streamPreviewClip: a 30 s clip', async () => {
    const response = await api.streamPreviewClip({ trackId: found.trackId, format: 'mp3', userId });
    expect(response.headers.get('content-type')).toMatch(/^audio\/mpeg/);
    expect((await drain(response)).length).toBeGreaterThan(1000);
  });

  it('catalogue HLS and progressive (with Range)', async () => {
    expect(await api.streamCatalogueTrackHls({ trackId: found.trackId, userId })).toMatch(/^#EXTM3U/);
    const partial = await api.fetchSigned('streamCatalogueTrackProgressive', {
      path: { trackId: found.trackId },
      userId,
      range: 'bytes=0-99',
    });
    expect(partial.status).toBe(206);
    expect((await drain(partial)).length).toBe(100);
    const full = await api.streamCatalogueTrackProgressive({ trackId: found.trackId, userId });
    expect((await drain(full)).length).toBeGreaterThan(1000);
  });

  it('locker HLS and progressive', async () => {
    expect(await api.streamLockerTrackHls({ trackId: found.lockerTrackId, userId })).toMatch(/^#EXTM3U/);
    expect(
      (await drain(await api.streamLockerTrackProgressive({ trackId: found.lockerTrackId, userId }))).length,
    ).toBeGreaterThan(1000);
  });

  it('subscription HLS (segments reachable) and progressive', async () => {
    const manifest = await api.streamSubscriptionTrackHls({
      trackId: found.trackId,
      userId,
      clientId: 'contract-device-1',
    });
    expect(manifest).toMatch(/^#EXTM3U/);
    const segment = manifest.split('\n').find((line) => line && !line.startsWith('#'));
    expect(segment).toBeDefined();
    const segmentResponse = await fetch(new URL(segment as string, baseUrl));
    expect(segmentResponse.ok).toBe(true);
    await drain(segmentResponse);
    const progressive = await api.streamSubscriptionTrackProgressive({
      trackId: found.trackId,
      userId,
      extraQuery: { clientId: 'contract-device-1' },
    });
    expect((await drain(progressive)).length).toBeGreaterThan(1000);
  });

  it('a listener without a subscription gets not_available (2002)', async () => {
    const error = await failure(
      api.streamSubscriptionTrackHls({ trackId: found.trackId, userId: demoNoSubscriptionListener.userId }),
    );
    expect(error).toMatchObject({ code: 'not_available', serviceCode: 2002 });
  });

  it('signedUrl: a self-contained URL a player can fetch', async () => {
    const url = await api.signedUrl('streamCatalogueTrackProgressive', {
      path: { trackId: found.trackId },
      userId,
    });
    const response = await fetch(url, { headers: { range: 'bytes=0-9' } });
    expect(response.status).toBe(206);
    await drain(response);
  });
});

describe('offline devices and offline streams', () => {
  const deviceId = `contract-${Date.now()}`;
  it('authorizeOfflineDevice, getOfflineDeviceStatus, listOfflineDevices', async () => {
    const device = await api.authorizeOfflineDevice({
      userId,
      body: { deviceId, deviceName: 'Contract test', platform: 'windows' },
    });
    expect(device).toMatchObject({ deviceId, status: 'authorised' });
    expect(await api.getOfflineDeviceStatus({ userId, deviceId })).toMatchObject({
      deviceId,
      status: 'authorised',
    });
    const list = await api.listOfflineDevices({ userId });
    expect(list.devices?.some((d) => d.deviceId === deviceId)).toBe(true);
  });

  it('offline HLS and progressive for the authorised device', async () => {
    const manifest = await api.streamSubscriptionTrackOfflineHls({
      trackId: found.trackId,
      userId,
      extraQuery: { clientId: deviceId },
    });
    expect(manifest).toMatch(/^#EXTM3U/);
    const progressive = await api.streamSubscriptionTrackOfflineProgressive({
      trackId: found.trackId,
      userId,
      extraQuery: { clientId: deviceId },
    });
    expect((await drain(progressive)).length).toBeGreaterThan(1000);
  });

  it('an unauthorised device gets not_available', async () => {
    const error = await failure(
      api.streamSubscriptionTrackOfflineHls({
        trackId: found.trackId,
        userId,
        extraQuery: { clientId: 'unknown-device' },
      }),
    );
    expect(error.code).toBe('not_available');
  });
});

describe('interactive radio', () => {
  it('session: create, next-track, events, delete', async () => {
    const session = await api.createInteractiveRadioSession({
      body: { userId, playlistIds: [found.playlistId], ruleset: 'dmca' },
    });
    expect(session.sessionId).toBeTruthy();
    expect(session.skipsRemaining).toBeGreaterThan(0);
    const sessionId = session.sessionId as string;
    const next = await api.getInteractiveRadioNextTrack({ sessionId, userId });
    const trackId = next.track?.id as string;
    expect(trackId).toBeTruthy();
    await api.postInteractiveRadioPlaybackEvents({
      sessionId,
      body: { events: [{ trackId, eventType: 'start', timestamp: nowIso() }] },
    });
    await api.postInteractiveRadioPlaybackEvents({
      sessionId,
      body: { events: [{ trackId, eventType: 'complete', timestamp: nowIso(), durationPlayed: 10 }] },
    });
    await api.deleteInteractiveRadioSession({ sessionId });
    expect(await failure(api.getInteractiveRadioNextTrack({ sessionId }))).toMatchObject({
      code: 'not_found',
      serviceCode: 2001,
    });
  });
});

describe('play logging', () => {
  it('preview, catalogue and subscriber logs are accepted', async () => {
    const timestamp = nowIso();
    await api.reportPreviewStream({
      body: { logs: [{ trackId: found.trackId, timestamp, durationPlayed: 30, country: 'GB' }] },
    });
    await api.reportCatalogueStream({
      userId,
      body: { logs: [{ trackId: found.trackId, userId, timestamp, durationPlayed: 12, country: 'GB' }] },
    });
    await api.reportSubscriberStream({
      userId,
      body: {
        logs: [
          {
            trackId: found.trackId,
            userId,
            clientId: 'contract-device-1',
            timestamp,
            durationPlayed: 42,
            country: 'GB',
          },
        ],
      },
    });
    if (!real) {
      const logs = (await (await fetch(`${baseUrl}/_emulator/logs?endpoint=subscriber`)).json()) as {
        logs: Array<Record<string, unknown>>;
      };
      expect(logs.logs.some((l) => l.trackId === found.trackId && l.durationPlayed === 42)).toBe(true);
    }
  });

  it('an invalid batch is rejected whole with 1008 and per-item errors', async () => {
    const future = new Date(Date.now() + 86_400_000 * 3).toISOString();
    const error = await failure(
      api.reportSubscriberStream({
        userId,
        body: {
          logs: [
            { trackId: found.trackId, userId, timestamp: nowIso() },
            { trackId: found.trackId, userId, timestamp: future },
          ],
        },
      }),
    );
    expect(error).toMatchObject({ serviceCode: 1008, status: 400 });
  });
});

describe.runIf(allowWrites)('playlists', () => {
  it('create, update, add tracks, get, move, remove track, delete', async () => {
    const created = await api.createPlaylist({
      userId,
      body: {
        name: 'Contract run',
        visibility: 'private',
        tracks: [{ trackId: found.trackId, title: 't', artist: 'a' }],
      },
    });
    const playlistId = created.id as string;
    expect(playlistId).toBeTruthy();
    const updated = await api.updatePlaylistDetails({
      playlistId,
      body: { name: 'Contract run (renamed)', description: 'x' },
    });
    expect(updated.name).toBe('Contract run (renamed)');
    const second = found.audioTrackIds[1] ?? found.trackId;
    const added = await api.addTracksToPlaylist({
      playlistId,
      body: { tracks: [{ trackId: second, title: 't2', artist: 'a2' }] },
    });
    expect(added.tracks?.length).toBe(2);
    const got = await api.getPlaylist({ playlistId, userId });
    const ids = (got.tracks ?? []).map((t) => String((t as Record<string, unknown>).id ?? t.position));
    const moved = await api.movePlaylistTrack({ playlistId, playlistTrackId: ids[1] as string, after: '0' });
    expect(moved.tracks?.[0]?.trackId).toBe(second);
    const removed = await api.removePlaylistTrack({ playlistId, playlistTrackId: ids[1] as string });
    expect(removed.tracks?.length).toBe(1);
    await api.deletePlaylist({ playlistId });
    expect(await failure(api.getPlaylist({ playlistId }))).toMatchObject({ code: 'not_found' });
  });
});

describe.runIf(allowWrites)('users and subscriptions', () => {
  const email = `contract-${Date.now()}@septet.test`;
  let newUserId = '';
  it('createUser (form-encoded, signed body) and a duplicate is already_exists (2003)', async () => {
    const user = await api.createUser({
      body: { email, password: 'contract-pw', country: 'GB', firstName: 'Con' },
    });
    newUserId = user.id as string;
    expect(user).toMatchObject({ email, country: 'GB' });
    expect(await failure(api.createUser({ body: { email, password: 'x', country: 'GB' } }))).toMatchObject({
      code: 'already_exists',
      serviceCode: 2003,
    });
  });

  it('createSubscription (form-encoded) for the new user; more than a month is 1003', async () => {
    const start = new Date().toISOString().slice(0, 10);
    const end = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const subscription = await api.createSubscription({
      userId: newUserId,
      body: { userId: newUserId, productId: 'unlimited-streaming-monthly', startDate: start, endDate: end },
    });
    expect(subscription).toMatchObject({ userId: newUserId, status: 'active' });
    const tooLong = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    expect(
      await failure(
        api.createSubscription({
          userId: newUserId,
          body: { userId: newUserId, productId: 'p', startDate: start, endDate: tooLong },
        }),
      ),
    ).toMatchObject({ code: 'limit_reached', serviceCode: 1003 });
  });
});

describe('content delivery', () => {
  it('transferMedia streams the requested format', async () => {
    const response = await api.transferMedia({ trackId: found.trackId, format: 'mp3', bitrate: 320 });
    expect(response.headers.get('content-type')).toMatch(/^audio\/mpeg/);
    expect((await drain(response)).length).toBeGreaterThan(1000);
    expect(
      await failure(api.transferMedia({ trackId: found.trackId, format: 'flac', bitrate: 320 })),
    ).toMatchObject({ serviceCode: 1002 });
  });
});

describe('three-legged (access token)', () => {
  let access: OAuthToken & { userId?: string };

  it('request token → username/password exchange → access token', async () => {
    const request = await api.requestToken();
    const authorised = await api.authoriseWithPassword({ requestToken: request, username, password });
    if (!real) expect(authorised.userId).toBe(userId);
    access = await api.accessToken({ requestToken: request });
    expect(access.key).toBeTruthy();
    expect(access.secret).toBeTruthy();
    // A request token is single use.
    expect((await failure(api.accessToken({ requestToken: request }))).code).toBe('unauthorized');
  });

  it.runIf(!real)('browser flow: authorise page → callback with verifier → access token', async () => {
    const callback = 'http://127.0.0.1:1/callback';
    const request = await api.requestToken({ callback });
    const page = await fetch(api.authoriseUrl(request, callback));
    expect(page.ok).toBe(true);
    await page.text();
    const form = new URLSearchParams({
      oauth_token: request.key,
      oauth_callback: callback,
      email: username,
      password,
    });
    const posted = await fetch(`${baseUrl}/oauth/authorise`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(302);
    const location = new URL(posted.headers.get('location') as string);
    const verifier = location.searchParams.get('oauth_verifier') as string;
    expect(location.searchParams.get('oauth_token')).toBe(request.key);
    const token = await api.accessToken({ requestToken: request, verifier });
    expect(token.key).toBeTruthy();
  });

  it('3-legged calls signed with the access token', async () => {
    const listener = makeClient({ getUserToken: () => access });
    const locker = await listener.getUserLocker({ userId });
    expect((locker.releases?.length ?? 0) + (locker.tracks?.length ?? 0)).toBeGreaterThan(0);
    expect(
      await listener.streamSubscriptionTrackHls({ trackId: found.trackId, clientId: 'contract-device-1' }),
    ).toMatch(/^#EXTM3U/);
    await listener.reportSubscriberStream({
      body: { logs: [{ trackId: found.trackId, timestamp: nowIso(), durationPlayed: 5 }] },
    });
    const url = await listener.signedUrl('streamSubscriptionTrackProgressive', {
      path: { trackId: found.trackId },
    });
    expect(new URL(url).searchParams.get('oauth_token')).toBe(access.key);
    const response = await fetch(url, { headers: { range: 'bytes=0-9' } });
    expect(response.status).toBe(206);
    await drain(response);
  });

  it('a forged access token is unauthorized', async () => {
    const forged = makeClient({
      getUserToken: () => ({ key: access.key, secret: 'not-the-secret' }),
      retry: { retries: 0 },
    });
    expect((await failure(forged.getUserLocker({ userId }))).code).toBe('unauthorized');
  });
});

describe('remote signer (the partner keeps the consumer secret)', () => {
  it('signs 2-legged, managed-user and 3-legged calls through the reference signing endpoint', async () => {
    const handler = createSigningHandler({ signer: createLocalSigner({ consumerKey, consumerSecret }) });
    const server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const signerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign`;
      const remote = makeClient({ signer: createRemoteSigner({ url: signerUrl, consumerKey }) });
      expect((await remote.getTrackDetails({ trackId: found.trackId })).id).toBe(found.trackId);
      const locker = await remote.getUserLocker({ userId });
      expect(locker.status).toBe('ok');
      const request = await remote.requestToken();
      await remote.authoriseWithPassword({ requestToken: request, username, password });
      const access = await remote.accessToken({ requestToken: request });
      const listener = makeClient({
        signer: createRemoteSigner({ url: signerUrl, consumerKey }),
        getUserToken: () => access,
      });
      expect(await listener.streamCatalogueTrackHls({ trackId: found.trackId })).toMatch(/^#EXTM3U/);
      if (allowWrites) {
        const playlist = await remote.createPlaylist({
          userId,
          body: { name: 'Remote-signed', visibility: 'private' },
        });
        await remote.deletePlaylist({ playlistId: playlist.id as string });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('coverage', () => {
  it.runIf(allowSales && allowWrites)('every one of the 46 operations was called and answered', () => {
    const missing = operations.map((op) => op.operationId).filter((id) => !answered.has(id));
    expect(missing).toEqual([]);
    expect(operations).toHaveLength(46);
    for (const id of ['getPlaylist', 'movePlaylistTrack', 'removePlaylistTrack', 'deletePlaylist'])
      expect(answered.has(id)).toBe(true);
  });
});
