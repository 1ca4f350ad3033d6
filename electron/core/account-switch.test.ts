// Another account on the same device, through the real core, the real emulator and a real
// keychain: it neither sees nor plays the first listener's offline list (a listener without a
// subscription hears a 30 s preview, not the first listener's cached copy), nor gets their saved
// queue; the first listener finds theirs again after signing back in. A second subscriber who
// keeps the same release offline shares its one copy: the first listener still plays it cached.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConsumer } from '../../shared/demo.js';
import { startEmulator, type RunningEmulator } from '../../emulator/server.js';
import type { Channel, ChannelArg, ChannelValue, Result } from '../../shared/ipc/contract.js';
import { createHandle } from '../host/handle.js';
import { createAppCore, type AppCore } from './app-core.js';
import { loadConfig } from './config/config.js';
import { createLogger } from './logger.js';

const logger = createLogger('test', { level: 'silent' });

/** A partner-signed (two-legged) form POST to the emulator, as a partner's back office would send. */
async function partnerPost(baseUrl: string, path: string, form: Record<string, string>): Promise<unknown> {
  const oauth = new OAuth({
    consumer: demoConsumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const url = `${baseUrl}${path}`;
  const signed = oauth.authorize({ url, method: 'POST', data: form });
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...oauth.toHeader(signed), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const waitUntilReady = async (
  call: <C extends Channel>(channel: C, arg: ChannelArg<C>) => Promise<ChannelValue<C>>,
): Promise<ChannelValue<'offline:getStatus'>> => {
  const deadline = Date.now() + 120_000;
  let status = await call('offline:getStatus', {});
  while (status.items.some((i) => i.state !== 'ready') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    status = await call('offline:getStatus', {});
  }
  return status;
};

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
    const status = await waitUntilReady(call);
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

  it('a second subscriber keeping the same release offline does not take the copy from the first', async () => {
    await call('session:signInDemo', {});
    const release = (await call('catalogue:searchReleases', { q: 'Paper Satellites' })).items[0]!;
    const tracks = await call('catalogue:getReleaseTracks', { releaseId: release.id });
    expect((await waitUntilReady(call)).cachedTrackIds).toHaveLength(tracks.length);

    const email = `second.${randomBytes(4).toString('hex')}@septet.test`;
    const user = (await partnerPost(emulator.url, '/users', {
      email,
      password: 'second-pw',
      country: 'GB',
    })) as {
      id: string;
    };
    const today = new Date().toISOString().slice(0, 10);
    const end = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await partnerPost(emulator.url, '/subscriptions', {
      userId: user.id,
      productId: 'unlimited-streaming-monthly',
      startDate: today,
      endDate: end,
    });
    await call('session:signInWithPassword', { email, password: 'second-pw' });
    await call('offline:authoriseDevice', {});
    await call('offline:makeAvailable', { releaseId: release.id });
    const second = await waitUntilReady(call);
    expect(second.items.map((i) => [i.title, i.state])).toEqual([['Paper Satellites', 'ready']]);
    expect(
      await call('playback:resolveStream', { trackId: tracks[0]!.id, context: 'subscription' }),
    ).toMatchObject({ playMode: 'online-cached' });

    await call('session:signInDemo', {});
    expect(
      await call('playback:resolveStream', { trackId: tracks[1]!.id, context: 'subscription' }),
    ).toMatchObject({ playMode: 'online-cached', logKind: 'subscriber' });

    // The second listener lets it go: the first keeps the tracks and the release's page offline.
    await call('session:signInWithPassword', { email, password: 'second-pw' });
    await call('offline:remove', { releaseId: release.id });
    expect((await call('offline:getStatus', {})).items).toEqual([]);
    await call('session:signInDemo', {});
    expect((await call('offline:getStatus', {})).cachedTrackIds).toHaveLength(tracks.length);
    expect((await call('offline:getLibrary', {})).map((item) => item.itemId)).toEqual([
      `release:${release.id}`,
    ]);
    expect(
      await call('playback:resolveStream', { trackId: tracks[2]!.id, context: 'subscription' }),
    ).toMatchObject({ playMode: 'online-cached' });
  });
});
