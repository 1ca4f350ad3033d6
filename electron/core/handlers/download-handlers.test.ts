// Downloads a person can find (issue 13), through the real core against the real emulator:
// "Artist - Title.mp3" and "Artist - Release.zip", one copy per item (asking again — also after a
// restart — shows the file already saved), and "Show in folder" only for files Septet saved.
// The file manager itself cannot run here: showItemInFolder is the one stand-in (it records the
// path it would open), and fileManagerCommand is checked for each platform.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.js';
import type {
  Channel,
  ChannelArg,
  ChannelValue,
  DownloadView,
  Result,
} from '../../../shared/ipc/contract.js';
import { fileManagerCommand } from '../../host/browser-app.js';
import { createHandle } from '../../host/handle.js';
import { createAppCore, type AppCore } from '../app-core.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logger.js';

const logger = createLogger('test', { level: 'silent' });

describe('downloads a person can find', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let downloads: string;
  let core: AppCore;
  const shown: string[] = [];
  const vaultService = `Septet-test-${randomBytes(6).toString('hex')}`;
  let call: <C extends Channel>(channel: C, arg: ChannelArg<C>) => Promise<ChannelValue<C>>;

  const startCore = async () => {
    core = await createAppCore({
      config: loadConfig({
        flags: { baseUrl: emulator.url, dataDir: join(dir, 'app') },
        env: {},
        readFile: () => null,
      }),
      host: 'browser',
      version: '0.0.0-test',
      openExternal: async () => undefined,
      showItemInFolder: async (path) => {
        shown.push(path);
      },
      vaultService,
      defaultDownloadFolder: downloads,
      logger,
    });
    await core.start({ rendererOrigins: ['http://127.0.0.1:1'] });
    const handle = createHandle({ handlers: core.handlers, host: 'browser', logger });
    call = async (channel, arg) => {
      const result = (await handle(channel, arg, { trusted: true, description: 'test' })) as Result<never>;
      if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
      return result.value;
    };
  };

  /** Starts a download and waits for its end (the core's progress events). */
  const download = async (arg: ChannelArg<'downloads:start'>): Promise<DownloadView> => {
    const ended = new Map<string, DownloadView>();
    let wake = () => undefined as void;
    const off = core.events.on('downloads:progressChanged', (view) => {
      if (view.state === 'done' || view.state === 'failed') ended.set(view.downloadId, view);
      wake();
    });
    try {
      const started = await call('downloads:start', arg);
      while (started.state !== 'done' && !ended.has(started.downloadId))
        await new Promise<void>((resolve) => (wake = resolve));
      return ended.get(started.downloadId) ?? started;
    } finally {
      off();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-downloads-'));
    downloads = join(dir, 'Downloads');
    emulator = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
    await startCore();
    await call('session:signInDemo', {});
  });
  afterAll(async () => {
    await call('session:signOut', {}).catch(() => undefined);
    await core.stop();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('names a track "Artist - Title.mp3" and keeps one copy however often it is asked for', async () => {
    const locker = await call('locker:getLocker', {});
    const release = locker.releases.find((r) => r.title === 'First Light')!;
    const track = (await call('catalogue:getReleaseTracks', { releaseId: release.id }))[0]!;
    const first = await download({ kind: 'track', id: track.id, format: 'mp3' });
    expect(first.state).toBe('done');
    expect(first.filePath).toBe(join(downloads, `${track.artist.name} - ${track.title}.mp3`));

    const again = await call('downloads:start', { kind: 'track', id: track.id, format: 'mp3' });
    expect(again).toMatchObject({ state: 'done', filePath: first.filePath });
    expect((await readdir(downloads)).filter((name) => name.includes(track.title))).toEqual([
      `${track.artist.name} - ${track.title}.mp3`,
    ]);
  });

  it('names a release ZIP "Artist - Release.zip"; after a restart asking again shows the saved file', async () => {
    const release = (await call('locker:getLocker', {})).releases.find((r) => r.title === 'First Light')!;
    const zip = await download({ kind: 'release', id: release.id });
    expect(zip.filePath).toBe(join(downloads, `${release.artist.name} - First Light.zip`));

    await core.stop();
    await startCore();
    const again = await call('downloads:start', { kind: 'release', id: release.id });
    expect(again).toMatchObject({ state: 'done', filePath: zip.filePath });
    expect((await readdir(downloads)).filter((name) => name.endsWith('.zip'))).toEqual([
      `${release.artist.name} - First Light.zip`,
    ]);

    await call('downloads:showInFolder', { downloadId: again.downloadId });
    expect(shown).toEqual([zip.filePath]);
  });

  it('shows nothing it did not save', async () => {
    await expect(call('downloads:showInFolder', { downloadId: 'track-1-nope' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(call('downloads:showInFolder', { downloadId: '../../etc/passwd' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(shown.length).toBeLessThanOrEqual(1);
  });

  it("opens the platform's file manager on the file, without a shell", () => {
    expect(fileManagerCommand('/home/a/Downloads/Septet/A - B.mp3', 'linux')).toEqual([
      'xdg-open',
      ['/home/a/Downloads/Septet'],
    ]);
    expect(fileManagerCommand('/Users/a/Downloads/A - B.mp3', 'darwin')).toEqual([
      'open',
      ['-R', '/Users/a/Downloads/A - B.mp3'],
    ]);
    expect(fileManagerCommand('C:\\Users\\a\\A - B.mp3', 'win32')).toEqual([
      'explorer.exe',
      ['/select,C:\\Users\\a\\A - B.mp3'],
    ]);
  });
});
