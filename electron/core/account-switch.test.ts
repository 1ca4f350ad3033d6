// Another account on the same device, through the real core, the real emulator and a real
// keychain: it neither sees nor plays the first listener's offline list (a listener without a
// subscription hears a 30 s preview, not the first listener's cached copy), nor gets their saved
// queue; the first listener finds theirs again after signing back in.
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

describe('account switch on one device', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let core: AppCore;
  let call: <C extends Channel>(channel: C, arg: ChannelArg<C>) => Promise<ChannelValue<C>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-switch-'));
    emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
    const dataDir = join(dir, 'app');
    core = await createAppCore({
      config: loadConfig({ flags: { baseUrl: emulator.url, dataDir }, env: {}, readFile: () => null }),
      host: 'browser',
      version: '0.0.0-test',
      openExternal: async () => undefined,
      defaultDownloadFolder: join(dataDir, 'downloads'),
      logger,
      vaultService: `Septet-test-${randomBytes(6).toString('hex')}`,
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

  it("keeps each listener's offline list, cached copies and saved queue to themselves", async () => {
    await call('session:signInDemo', {});
    const release = (await call('catalogue:searchReleases', { q: 'Paper Satellites' })).items[0]!;
    const tracks = await call('catalogue:getReleaseTracks', { releaseId: release.id });
    await call('offline:authoriseDevice', {});
    await call('offline:makeAvailable', { releaseId: release.id });
    const deadline = Date.now() + 120_000;
    let status = await call('offline:getStatus', {});
    while (status.items.some((i) => i.state !== 'ready') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      status = await call('offline:getStatus', {});
    }
    expect(status.items.map((i) => [i.title, i.state])).toEqual([['Paper Satellites', 'ready']]);
    expect(status.cachedTrackIds).toHaveLength(tracks.length);
    const cached = await call('playback:resolveStream', { trackId: tracks[0]!.id, context: 'subscription' });
    expect(cached.playMode).toBe('online-cached');
    await call('queue:save', { tracks, index: 1, positionSec: 12, shuffle: false, repeat: 'off' });

    // Another account signs in on the same device (without signing the first out).
    await call('session:signInDemo', { subscription: false });
    const theirs = await call('offline:getStatus', {});
    expect(theirs.items).toEqual([]);
    expect(theirs.cachedTrackIds).toEqual([]);
    const preview = await call('playback:resolveStream', { trackId: tracks[0]!.id, context: 'subscription' });
    expect(preview).toMatchObject({ logKind: 'preview', playMode: 'online' });
    expect(await call('queue:getSaved', {})).toBeNull();
    expect(await call('offline:remove', { releaseId: release.id })).toBeNull();

    // The first listener again: everything of theirs is there.
    await call('session:signInDemo', {});
    const back = await call('offline:getStatus', {});
    expect(back.items.map((i) => [i.title, i.state])).toEqual([['Paper Satellites', 'ready']]);
    expect(back.cachedTrackIds).toHaveLength(tracks.length);
    expect(await call('queue:getSaved', {})).toMatchObject({ index: 1, positionSec: 12 });
  });
});
