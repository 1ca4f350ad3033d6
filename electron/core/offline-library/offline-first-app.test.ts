// The offline-first library through the real core, the real emulator and a real keychain
// (issue 13): a release and a playlist made available offline open, play and show their artwork
// with the emulator stopped, after a restart too; and with no keychain, "Make available offline"
// is refused up front and nothing claims to be ready.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.js';
import type { Channel, ChannelArg, ChannelValue, Result } from '../../../shared/ipc/contract.js';
import { createHandle } from '../../host/handle.js';
import { createAppCore, type AppCore } from '../app-core.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logger.js';
import { createRefusingVault, type SecretVault } from '../vault/secret-vault.js';

const logger = createLogger('test', { level: 'silent' });
type Call = <C extends Channel>(channel: C, arg: ChannelArg<C>) => Promise<ChannelValue<C>>;

async function startCore(
  emulatorUrl: string,
  dataDir: string,
  vault: { vaultService: string } | { vault: SecretVault },
): Promise<{ core: AppCore; call: Call }> {
  const core = await createAppCore({
    config: loadConfig({ flags: { baseUrl: emulatorUrl, dataDir }, env: {}, readFile: () => null }),
    host: 'browser',
    version: '0.0.0-test',
    openExternal: async () => undefined,
    defaultDownloadFolder: join(dataDir, 'downloads'),
    logger,
    ...vault,
  });
  await core.start({ rendererOrigins: ['http://127.0.0.1:1'] });
  const handle = createHandle({ handlers: core.handlers, host: 'browser', logger });
  const call: Call = async (channel, arg) => {
    const result = (await handle(channel, arg, { trusted: true, description: 'test' })) as Result<never>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value;
  };
  return { core, call };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('offline-first library', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let app: { core: AppCore; call: Call };
  const vaultService = `Septet-test-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-library-app-'));
    emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
    app = await startCore(emulator.url, join(dir, 'app'), { vaultService });
    await app.call('session:signInDemo', {});
  });
  afterAll(async () => {
    await app.call('session:signOut', {}).catch(() => undefined);
    await app.core.stop();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens, plays and shows artwork of what is kept offline with the service gone, after a restart too', async () => {
    const { call } = app;
    const release = (await call('catalogue:searchReleases', { q: 'Paper Satellites' })).items[0]!;
    const morningMix = (await call('playlists:list', {})).items.find((p) => p.name === 'Morning Mix')!;
    await call('offline:authoriseDevice', {});
    await call('offline:makeAvailable', { releaseId: release.id });
    await call('offline:makeAvailable', { playlistId: morningMix.id });
    const status = await until(
      () => call('offline:getStatus', {}),
      (s) => s.items.length === 2 && s.items.every((i) => i.state === 'ready'),
      120_000,
    );
    expect(status.items.map((i) => i.state)).toEqual(['ready', 'ready']);

    await emulator.close();
    await app.core.stop();
    app = await startCore(emulator.url, join(dir, 'app'), { vaultService });
    const { call: again } = app;

    expect(await again('session:getSession', {})).toMatchObject({
      state: 'signedIn',
      userId: 'demo-listener',
    });
    const page = await again('catalogue:getRelease', { releaseId: release.id });
    expect(page).toMatchObject({ id: release.id, title: 'Paper Satellites' });
    const tracks = await again('catalogue:getReleaseTracks', { releaseId: release.id });
    expect(tracks).toHaveLength(3);
    const playlist = await again('playlists:get', { playlistId: morningMix.id });
    expect(playlist.tracks).toHaveLength(12);
    expect((await again('playlists:list', {})).items.map((p) => p.name)).toEqual(['Morning Mix']);

    const library = await again('offline:getLibrary', {});
    expect(library.map((i) => i.kind).sort()).toEqual(['playlist', 'release']);
    const kept = library.find((i) => i.kind === 'release');
    const cover = kept?.kind === 'release' ? kept.release.image : undefined;
    expect(cover).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[^/]+\/art\/[0-9a-f]{32}$/);
    const art = await fetch(cover!);
    expect(art.status).toBe(200);
    expect(art.headers.get('content-type')).toMatch(/^image\//);

    const stream = await again('playback:resolveStream', { trackId: tracks[0]!.id, context: 'subscription' });
    expect(stream.playMode).toBe('offline');
    const manifest = await fetch(stream.url);
    expect(manifest.status).toBe(200);
    expect(await manifest.text()).toContain('#EXTM3U');

    await expect(again('catalogue:getRelease', { releaseId: '1000003' })).rejects.toMatchObject({
      code: 'offline',
      message: expect.stringContaining('not kept on this device'),
    });
  }, 240_000);
});

describe('offline copies without a keychain', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let app: { core: AppCore; call: Call };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-no-keychain-'));
    emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
    // The product's own vault for "no keychain answered" (what createSecretVault falls back to).
    const vault = createRefusingVault(['keytar: Cannot autolaunch D-Bus without X11 $DISPLAY']);
    app = await startCore(emulator.url, join(dir, 'app'), { vault });
    await app.call('session:signInDemo', {});
  });
  afterAll(async () => {
    await app.core.stop();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says so in app:getInfo and refuses "Make available offline" up front, with the reason', async () => {
    const info = await app.call('app:getInfo', {});
    expect(info.vaultBackend).toBe('none');
    expect(info.vaultProblem).toMatch(/cannot remember your sign-in or keep music offline/);
    await app.call('offline:authoriseDevice', {});
    const release = (await app.call('catalogue:searchReleases', { q: 'Paper Satellites' })).items[0]!;
    await expect(app.call('offline:makeAvailable', { releaseId: release.id })).rejects.toMatchObject({
      code: 'vault_unavailable',
      message: expect.stringContaining('no working keychain'),
    });
    const status = await app.call('offline:getStatus', {});
    expect(status.items).toEqual([]);
    expect(status.cachedTrackIds).toEqual([]);
  });
});
