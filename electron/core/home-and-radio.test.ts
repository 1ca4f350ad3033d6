// Issue 13's core channels against the real emulator, through the same handle() wrapper the
// hosts use: an artist's top tracks, durations on playlist rows, Home from the listener's own
// play log (real SQLite, rows written by the real play-log store), and artist radio.
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
import { createPlayLogStore, openPlayLogDatabase } from './play-log/play-log-store.js';
import { artistStationDescription, artistStationLimits } from './radio/artist-station.js';

const logger = createLogger('test', { level: 'silent' });

describe('home, top tracks, playlist durations and artist radio against the emulator', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let core: AppCore;
  let call: <C extends Channel>(channel: C, arg: ChannelArg<C>) => Promise<ChannelValue<C>>;
  let auroraVale: { id: string; name: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-home-'));
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
    await call('session:signInDemo', {});
    const artists = await call('catalogue:searchArtists', { q: 'Aurora Vale' });
    const found = artists.items.find((a) => a.name === 'Aurora Vale');
    if (!found) throw new Error('the demo artist Aurora Vale is missing');
    auroraVale = { id: found.id, name: found.name };
  });
  afterAll(async () => {
    await call('session:signOut', {}).catch(() => undefined);
    await core.stop();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists an artist’s most popular tracks: only theirs, each song once, in the search’s popularity order', async () => {
    const top = await call('catalogue:getArtistTopTracks', { artistId: auroraVale.id, limit: 8 });
    expect(top.length).toBeGreaterThan(2);
    expect(top.length).toBeLessThanOrEqual(8);
    expect(top.every((t) => t.artist.id === auroraVale.id)).toBe(true);
    const songs = top.map((t) => `${t.title}|${t.version ?? ''}`);
    expect(new Set(songs).size).toBe(songs.length);
    const search = await call('catalogue:searchTracks', { q: 'Aurora Vale', pageSize: 100 });
    const order = search.items.filter((t) => t.artist.id === auroraVale.id).map((t) => t.id);
    const positions = top.map((t) => order.indexOf(t.id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('gives every playlist row its track’s duration from the catalogue', async () => {
    const list = await call('playlists:list', {});
    const favourites = list.items.find((p) => p.name === 'Septet Favourites');
    const playlist = await call('playlists:get', { playlistId: favourites!.id });
    expect(playlist.tracks.length).toBe(44);
    const catalogue = await call('catalogue:getTracks', { trackIds: playlist.tracks.map((t) => t.trackId) });
    const byId = new Map(catalogue.map((t) => [t.id, t.durationSec]));
    expect(playlist.tracks.map((t) => t.durationSec)).toEqual(
      playlist.tracks.map((t) => byId.get(t.trackId)),
    );
    expect(playlist.tracks.every((t) => (t.durationSec ?? 0) > 0)).toBe(true);
  });

  it('builds Home from the listener’s own plays in the play log', async () => {
    expect(await call('home:getHome', {})).toEqual({
      recentlyPlayed: [],
      continueListening: [],
      newReleases: [],
    });
    const top = await call('catalogue:getArtistTopTracks', { artistId: auroraVale.id, limit: 2 });
    const [heard, left] = top;
    if (!heard?.release || !left?.release) throw new Error('expected two tracks with releases');
    // Written by the real play-log store into the core's own database (WAL: a second connection).
    const db = openPlayLogDatabase(join(dir, 'app', 'play-log.sqlite'));
    const store = createPlayLogStore(db);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const base = { clientId: 'c1', country: 'GB', playMode: 'online' as const };
    store.insert(
      'subscriber',
      {
        ...base,
        userId: 'demo-listener',
        trackId: heard.id,
        releaseId: heard.release.id,
        durationPlayed: heard.durationSec ?? 60,
        endReason: 'naturalEnd',
        timestamp: at(10),
      },
      Date.now() - 10 * 60_000,
    );
    store.insert(
      'subscriber',
      {
        ...base,
        userId: 'demo-listener',
        trackId: left.id,
        releaseId: left.release.id,
        durationPlayed: 5,
        endReason: 'userSkipped',
        timestamp: at(5),
      },
      Date.now() - 5 * 60_000,
    );
    store.insert(
      'preview',
      { ...base, userId: 'demo-nosub', trackId: '10000001', durationPlayed: 30, timestamp: at(1) },
      Date.now() - 60_000,
    );
    db.close();

    const home = await call('home:getHome', {});
    expect(home.recentlyPlayed.map((t) => t.id)).toEqual([left.id, heard.id]);
    expect(home.continueListening).toEqual([
      expect.objectContaining({
        release: expect.objectContaining({ id: left.release.id }),
        track: expect.objectContaining({ id: left.id }),
      }),
    ]);
    expect(home.newReleases.length).toBeGreaterThan(0);
    expect(home.newReleases.every((r) => r.artist.id === auroraVale.id)).toBe(true);
    const dates = home.newReleases.map((r) => r.releaseDate ?? '');
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('starts artist radio from a private seed of the artist’s top tracks and the listener’s own music', async () => {
    const station = await call('radio:startArtistStation', { artistId: auroraVale.id });
    expect(station).toMatchObject({
      artist: auroraVale,
      ruleset: 'dmca',
      skipsRemaining: expect.any(Number),
    });
    expect(station.artistTracks).toBeGreaterThan(0);
    expect(station.artistTracks).toBeLessThanOrEqual(artistStationLimits.artistTracks);
    expect(station.otherTracks).toBeGreaterThan(0);

    const seed = await call('playlists:get', { playlistId: station.playlistId });
    expect(seed).toMatchObject({ name: 'Aurora Vale Radio', visibility: 'private' });
    expect(seed.description).toBe(artistStationDescription);
    const byArtist = new Map<string, number>();
    for (const t of seed.tracks) byArtist.set(t.artist, (byArtist.get(t.artist) ?? 0) + 1);
    expect(byArtist.get('Aurora Vale')).toBe(station.artistTracks);
    for (const [artist, count] of byArtist)
      if (artist !== 'Aurora Vale') expect(count).toBeLessThanOrEqual(artistStationLimits.perOtherArtist);
    expect(byArtist.size).toBeGreaterThan(1);

    const next = await call('radio:nextTrack', {});
    expect(seed.tracks.some((t) => t.trackId === next.track.id)).toBe(true);
    await call('radio:stopStation', {});

    // Starting it again refills the seed instead of piling up playlists.
    const again = await call('radio:startArtistStation', { artistId: auroraVale.id });
    await call('radio:stopStation', {});
    const seeds = (await call('playlists:list', {})).items.filter((p) => p.name === 'Aurora Vale Radio');
    expect(seeds.map((p) => p.id)).toEqual([again.playlistId]);
  });
});
