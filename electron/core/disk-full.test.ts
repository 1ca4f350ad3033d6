// A really full disk (ENOSPC from the kernel, not an injected error) under the real app core:
// the data dir and the download folder live on a small tmpfs mounted for this test, filled to the
// last block by a filler file. Recording plays, caching offline and downloading must each fail
// with a clear disk_full (through the same handle() the hosts use), leave no corrupted database
// or cache entry, and work when retried once the filler is gone.
// Needs root (mount); skips with the reason otherwise. CI runs as root.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server.js';
import type { Channel, ChannelArg, ChannelValue, Result } from '../../shared/ipc/contract.js';
import { createHandle } from '../host/handle.js';
import { createAppCore, type AppCore } from './app-core.js';
import { loadConfig } from './config/config.js';
import { createLogger } from './logger.js';

const logger = createLogger('test', { level: 'silent' });

/** Mounts a tmpfs of `size` at a fresh dir; null (with the reason) when mounting is not permitted. */
function mountTmpfs(size: string): { dir: string } | { reason: string } {
  const dir = mkdtempSync(join(tmpdir(), 'septet-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return {
      reason: `cannot mount a tmpfs (needs root): ${String((error as Error).message).split('\n')[0]}`,
    };
  }
}

const mounted = mountTmpfs('160m');
const skipReason = 'reason' in mounted ? mounted.reason : null;

/** Fills the filesystem holding `dir` to the last byte; returns the filler's path. */
function fillDisk(dir: string): string {
  const path = join(dir, `filler-${randomBytes(4).toString('hex')}`);
  const fd = openSync(path, 'w');
  try {
    for (const size of [1024 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          // A short write means the disk just ran out; the next, smaller chunk takes the rest.
          if (writeSync(fd, chunk) < chunk.length) break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(skipReason !== null)(
  `disk full (ENOSPC on a real tmpfs)${skipReason ? ` — skipped: ${skipReason}` : ''}`,
  () => {
    const disk = 'dir' in mounted ? mounted.dir : '';
    let outside: string;
    let emulator: RunningEmulator;
    let core: AppCore;
    let dataDir: string;
    let downloads: string;
    let invoke: <C extends Channel>(channel: C, arg: ChannelArg<C>) => Promise<Result<ChannelValue<C>>>;
    const call = async <C extends Channel>(channel: C, arg: ChannelArg<C>): Promise<ChannelValue<C>> => {
      const result = await invoke(channel, arg);
      if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
      return result.value;
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      outside = mkdtempSync(join(tmpdir(), 'septet-full-emulator-'));
      emulator = await startEmulator({ port: 0, dataDir: join(outside, 'emulator') });
      dataDir = join(disk, 'app');
      downloads = join(disk, 'downloads');
      mkdirSync(downloads, { recursive: true });
      core = await createAppCore({
        config: loadConfig({ flags: { baseUrl: emulator.url, dataDir }, env: {}, readFile: () => null }),
        host: 'browser',
        version: '0.0.0-test',
        openExternal: async () => undefined,
        vaultService: `Septet-full-${randomBytes(6).toString('hex')}`,
        defaultDownloadFolder: downloads,
        logger,
      });
      await core.start({ rendererOrigins: ['http://127.0.0.1:1'] });
      const handle = createHandle({ handlers: core.handlers, host: 'browser', logger });
      invoke = (channel, arg) => handle(channel, arg, { trusted: true, description: 'test' }) as never;
      await call('session:signInDemo', {});
    });
    afterAll(async () => {
      process.off('unhandledRejection', onUnhandled);
      await core?.stop().catch(() => undefined);
      await emulator?.close();
      if (disk) {
        execFileSync('umount', ['-l', disk]);
        rmSync(disk, { recursive: true, force: true });
      }
      rmSync(outside, { recursive: true, force: true });
    });

    it('recording plays: disk_full, nothing recorded is lost or corrupted, and recording works again once space returns', async () => {
      const [track] = (await call('catalogue:searchTracks', { q: 'Morning Signal' })).items;
      // A play as the renderer makes one: main opens it when it resolves the stream, then the
      // report closes it (one that ended at once: recorded with 0 s, no waiting needed).
      const play = async (): Promise<Result<{ localId: string | null }>> => {
        const stream = await invoke('playback:resolveStream', {
          trackId: track!.id,
          context: 'subscription',
        });
        if (!stream.ok) return stream;
        return invoke('playback:reportPlay', {
          streamId: stream.value.streamId,
          listened: 0,
          endReason: 'naturalEnd',
        });
      };
      const filler = fillDisk(disk);
      const recorded: string[] = [];
      let failure: Result<unknown> | undefined;
      // SQLite reuses pages it already has, so a few plays may still fit; the disk fills soon after.
      for (let i = 0; i < 5_000 && !failure; i++) {
        const result = await play();
        if (result.ok && result.value.localId) recorded.push(result.value.localId);
        else if (!result.ok) failure = result;
      }
      expect(failure).toMatchObject({
        ok: false,
        error: { code: 'disk_full', message: expect.stringMatching(/full/i) },
      });

      rmSync(filler);
      const after = await play();
      expect(after).toMatchObject({ ok: true, value: { localId: expect.any(String) } });
      if (after.ok && after.value.localId) recorded.push(after.value.localId);

      // Every acknowledged play is in an intact database (read by a second connection, as `septet logs` does).
      const db = new Database(join(dataDir, 'play-log.sqlite'), { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
          name: string;
        }[];
        const text = JSON.stringify(
          tables.flatMap(({ name }) =>
            (db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((row) => JSON.stringify(row)),
          ),
        );
        for (const localId of recorded) expect(text).toContain(localId);
      } finally {
        db.close();
      }
    });

    it('caching offline: disk_full, no cache entry for the failed tracks, and the retry caches them', async () => {
      const releases = await call('catalogue:searchReleases', { q: 'First Light' });
      const release = releases.items.find((r) => r.title === 'First Light')!;
      await call('offline:authoriseDevice', {});
      const filler = fillDisk(disk);
      const itemId = `release:${release.id}`;
      const started = await invoke('offline:makeAvailable', { releaseId: release.id });
      let failed: ChannelValue<'offline:getStatus'>;
      if (!started.ok) {
        // Recording the request itself hit the full disk: refused up front, nothing listed.
        expect(started.error).toMatchObject({ code: 'disk_full' });
        failed = await call('offline:getStatus', {});
        expect(failed.items.some((i) => i.itemId === itemId)).toBe(false);
      } else {
        failed = await until(
          () => call('offline:getStatus', {}),
          (status) => status.items.some((i) => i.itemId === itemId && i.state !== 'downloading'),
        );
        expect(failed.items.find((i) => i.itemId === itemId)).toMatchObject({
          state: 'failed',
          error: { code: 'disk_full' },
        });
      }
      const tracks = await call('catalogue:getReleaseTracks', { releaseId: release.id });
      const cachedWhileFull = failed.cachedTrackIds.filter((id) => tracks.some((t) => t.id === id));
      expect(cachedWhileFull.length).toBeLessThan(tracks.length);

      rmSync(filler);
      await call('offline:makeAvailable', { releaseId: release.id });
      const ready = await until(
        () => call('offline:getStatus', {}),
        (status) => status.items.some((i) => i.itemId === itemId && i.state !== 'downloading'),
      );
      expect(ready.items.find((i) => i.itemId === itemId)).toMatchObject({ state: 'ready' });
      const playable = tracks.filter((t) => ready.cachedTrackIds.includes(t.id));
      expect(playable.length).toBeGreaterThan(0);
      // What the cache lists as ok really plays: read a cached track through the gateway.
      const stream = await call('playback:resolveStream', {
        trackId: playable[0]!.id,
        context: 'subscription',
      });
      const response = await fetch(stream.url);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    });

    it('downloading: disk_full, no file under the final name, and the retry completes', async () => {
      const locker = await call('locker:getLocker', { pageSize: 100 });
      const release = locker.releases.find((r) => r.title === 'First Light')!;
      const [track] = await call('catalogue:getReleaseTracks', { releaseId: release.id });
      const folder = join(downloads, 'music');
      mkdirSync(folder, { recursive: true });
      const filler = fillDisk(disk);
      const started = await call('downloads:start', { kind: 'track', id: track!.id, format: 'mp3', folder });
      const failed = await until(
        () => call('downloads:list', {}),
        (list) => list.some((d) => d.downloadId === started.downloadId && d.state !== 'running'),
      );
      expect(failed.find((d) => d.downloadId === started.downloadId)).toMatchObject({
        state: 'failed',
        error: { code: 'disk_full' },
      });
      expect(readdirSync(folder).filter((name) => !name.endsWith('.part'))).toEqual([]);

      rmSync(filler);
      const retry = await call('downloads:start', { kind: 'track', id: track!.id, format: 'mp3', folder });
      const done = await until(
        () => call('downloads:list', {}),
        (list) => list.some((d) => d.downloadId === retry.downloadId && d.state !== 'running'),
      );
      const view = done.find((d) => d.downloadId === retry.downloadId)!;
      expect(view).toMatchObject({ state: 'done' });
      expect(existsSync(view.filePath!)).toBe(true);
    });

    it('no promise was left rejected unhandled while the disk was full', () => {
      expect(unhandled).toEqual([]);
    });
  },
);
