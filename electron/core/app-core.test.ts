// The composition root against the real emulator: every handler family once, through the same
// handle() wrapper the hosts use (so arguments are validated exactly as in the app).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.js';
import type { Channel, ChannelArg, ChannelValue, Result } from '../../shared/ipc/contract.js';
import { createHandle } from '../host/handle.js';
import { createAppCore, type AppCore } from './app-core.js';
import { loadConfig } from './config/config.js';
import { createLogger } from './logger.js';

const logger = createLogger('test', { level: 'silent' });

describe('app core against the emulator', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let core: AppCore;
  let call: <C extends Channel>(channel: C, arg: ChannelArg<C>) => Promise<ChannelValue<C>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-core-'));
    emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
    core = await createAppCore({
      config: loadConfig({
        flags: { baseUrl: emulator.url, dataDir: join(dir, 'app') },
        env: {},
        readFile: () => null,
      }),
      host: 'browser',
      version: '0.0.0-test',
      openExternal: async () => undefined,
      vaultService: `Septet-test-${randomBytes(6).toString('hex')}`,
      defaultDownloadFolder: join(dir, 'downloads'),
      logger,
    });
    await core.start({ rendererOrigins: ['http://127.0.0.1:1'] });
    const handle = createHandle({ handlers: core.handlers, host: 'browser', logger });
    call = async (channel, arg) => {
      const result = (await handle(channel, arg, { trusted: true, description: 'test' })) as Result<never>;
      if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
      return result.value;
    };
  });
  afterAll(async () => {
    await call('session:signOut', {}).catch(() => undefined);
    await core.stop();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses catalogue-independent user calls before sign-in, then signs in the demo listener', async () => {
    expect(await call('session:getSession', {})).toEqual({ state: 'signedOut' });
    await expect(call('locker:getLocker', {})).rejects.toMatchObject({ code: 'unauthorized' });
    const session = await call('session:signInDemo', {});
    expect(session).toMatchObject({ state: 'signedIn', userId: 'demo-listener', subscription: 'active' });
  });

  it('searches and pages the catalogue into views', async () => {
    const page = await call('catalogue:searchTracks', { q: 'Signal', pageSize: 5 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items[0]).toMatchObject({
      id: expect.any(String),
      title: expect.any(String),
      artist: { name: expect.any(String) },
    });
    const releases = await call('catalogue:searchReleases', { q: 'First Light' });
    const firstLight = releases.items.find((r) => r.title === 'First Light');
    expect(firstLight).toBeDefined();
    const release = await call('catalogue:getRelease', { releaseId: firstLight!.id });
    expect(release.owned).toBe(true);
    const tracks = await call('catalogue:getReleaseTracks', { releaseId: firstLight!.id });
    expect(tracks.length).toBe(12);
    const batch = await call('catalogue:getTracks', { trackIds: tracks.slice(0, 2).map((t) => t.id) });
    expect(batch.map((t) => t.id)).toEqual(tracks.slice(0, 2).map((t) => t.id));
    const artists = await call('catalogue:browseArtists', { letter: 'a' });
    expect(artists.items.length).toBeGreaterThan(0);
  });

  it('resolves a subscription stream to a playable gateway URL and records the play durably', async () => {
    const [track] = (await call('catalogue:searchTracks', { q: 'Morning Signal' })).items;
    const stream = await call('playback:resolveStream', { trackId: track!.id, context: 'subscription' });
    expect(stream).toMatchObject({ kind: 'hls', playMode: 'online', logKind: 'subscriber' });
    expect(stream.url.startsWith(core.gatewayOrigin() ?? 'none')).toBe(true);
    const manifest = await fetch(stream.url);
    expect(manifest.status).toBe(200);
    expect(await manifest.text()).toMatch(/^#EXTM3U/);

    // The renderer reports by stream id; more than the wall clock since the stream was served is refused.
    await expect(
      call('playback:reportPlay', { streamId: stream.streamId, listened: 60, endReason: 'naturalEnd' }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const { localId } = await call('playback:reportPlay', {
      streamId: stream.streamId,
      listened: 1.2,
      endReason: 'userSkipped',
    });
    expect(localId).toEqual(expect.any(String));
    await expect(
      call('playback:reportPlay', { streamId: stream.streamId, listened: 1.2, endReason: 'userSkipped' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const status = await call('playlog:getStatus', {});
    expect(status.pending.subscriber + status.deadLetters).toBeGreaterThanOrEqual(0);
  });

  it('keeps the queue and settings', async () => {
    const [track] = (await call('catalogue:searchTracks', { q: 'Morning Signal' })).items;
    await call('queue:save', { tracks: [track!], index: 0, positionSec: 3.5, shuffle: false, repeat: 'off' });
    expect(await call('queue:getSaved', {})).toMatchObject({
      index: 0,
      positionSec: 3.5,
      tracks: [{ id: track!.id }],
    });
    expect(await call('settings:update', { streamFormat: 'progressive' })).toMatchObject({
      streamFormat: 'progressive',
    });
    await expect(call('settings:update', { cacheQuotaBytes: 1 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await call('settings:update', { streamFormat: 'hls' });
    const info = await call('app:getInfo', {});
    expect(info).toMatchObject({
      host: 'browser',
      apiBaseUrl: emulator.url,
      usingEmulator: true,
      online: true,
    });
    expect(JSON.stringify(info)).not.toMatch(/secret/i);
  });

  it('edits playlists (create, add, move, remove, delete)', async () => {
    const tracks = (await call('catalogue:searchTracks', { q: 'Tide' })).items.slice(0, 3);
    expect(tracks.length).toBe(3);
    const created = await call('playlists:create', { name: 'Test list', tracks });
    expect(created.tracks.map((t) => t.trackId)).toEqual(tracks.map((t) => t.id));
    const last = created.tracks[2]!;
    const moved = await call('playlists:moveTrack', {
      playlistId: created.id,
      playlistTrackId: last.playlistTrackId,
      toPosition: 1,
    });
    expect(moved.tracks.map((t) => t.trackId)).toEqual([tracks[2]!.id, tracks[0]!.id, tracks[1]!.id]);
    const removed = await call('playlists:removeTrack', {
      playlistId: created.id,
      playlistTrackId: moved.tracks[1]!.playlistTrackId,
    });
    expect(removed.tracks.map((t) => t.trackId)).toEqual([tracks[2]!.id, tracks[1]!.id]);
    const renamed = await call('playlists:update', {
      playlistId: created.id,
      name: 'Renamed',
      description: 'x'.repeat(500),
    });
    expect(renamed).toMatchObject({ name: 'Renamed' });
    await expect(
      call('playlists:update', { playlistId: created.id, description: 'x'.repeat(501) }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const list = await call('playlists:list', {});
    expect(list.items.some((p) => p.id === created.id)).toBe(true);
    await call('playlists:delete', { playlistId: created.id });
    expect((await call('playlists:list', {})).items.some((p) => p.id === created.id)).toBe(false);
  });

  it('buys a release (credit item) so it shows in the locker', async () => {
    const releases = await call('catalogue:searchReleases', { q: 'Night Signals' });
    const nightSignals = releases.items.find((r) => r.title === 'Night Signals')!;
    expect((await call('catalogue:getRelease', { releaseId: nightSignals.id })).owned).toBe(false);
    const receipt = await call('sales:buy', { releaseId: nightSignals.id });
    expect(receipt.purchaseId).toEqual(expect.any(String));
    expect((await call('catalogue:getRelease', { releaseId: nightSignals.id })).owned).toBe(true);
    const locker = await call('locker:getLocker', { pageSize: 100 });
    expect(locker.releases.some((r) => r.id === nightSignals.id)).toBe(true);
  });

  it('falls back to previews once the subscription lapses, and says so in the session', async () => {
    const expired = await fetch(`${emulator.url}/_emulator/subscriptions/demo-listener/expire`, {
      method: 'POST',
    });
    expect(expired.ok).toBe(true);
    const [track] = (await call('catalogue:searchTracks', { q: 'Copper Skies' })).items;
    const stream = await call('playback:resolveStream', { trackId: track!.id, context: 'subscription' });
    expect(stream).toMatchObject({ logKind: 'preview', kind: 'progressive', durationSec: 30 });
    expect(await call('session:getSession', {})).toMatchObject({
      state: 'signedIn',
      subscription: 'expired',
    });
  });

  it('signs out, and user calls are refused again', async () => {
    expect(await call('session:signOut', {})).toEqual({ state: 'signedOut', reason: 'signedOut' });
    await expect(call('playlists:list', {})).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
