// Offline-first reads over a real offline library: what is kept answers when the service cannot
// be reached (or at once while offline); what is not kept says so; other failures pass through.
// The remote handlers are stand-ins that fail the way the API client does (no network here).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { ChannelHandlers } from '../../../shared/ipc/handlers.js';
import { createLogger } from '../logger.js';
import { createOfflineLibrary, type OfflineLibrary } from '../offline-library/offline-library.js';
import { withOfflineLibrary } from './offline-first.js';

const ctx = { host: 'browser' } as const;
const track = (id: string, title: string) => ({ id, title, artist: { id: '5', name: 'Aurora Vale' } });

describe('offline-first reads', () => {
  let dir: string;
  let library: OfflineLibrary;
  let online: boolean;
  let remoteError: AppError | null;
  let remoteCalls: number;
  let signedIn: string | undefined;
  let handlers: ChannelHandlers;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-offline-first-'));
    const key = randomBytes(32);
    library = createOfflineLibrary({ dir, getMasterKey: async () => key });
    await library.putItem('release:77', {
      kind: 'release',
      release: { id: '77', title: 'Glass Harbour', artist: { id: '5', name: 'Aurora Vale' } },
      tracks: [track('7701', 'Lanterns'), track('7702', 'Tide Clock')],
      savedAt: new Date().toISOString(),
    });
    await library.putItem('playlist:p1', {
      kind: 'playlist',
      playlist: {
        id: 'p1',
        name: 'Morning Mix',
        visibility: 'private',
        trackCount: 1,
        tracks: [
          { playlistTrackId: '1', trackId: '7702', title: 'Tide Clock', artist: 'Aurora Vale', position: 1 },
        ],
      },
      tracks: [track('7702', 'Tide Clock')],
      savedAt: new Date().toISOString(),
    });
    online = true;
    remoteError = null;
    remoteCalls = 0;
    signedIn = 'listener';
    const remote = async () => {
      remoteCalls += 1;
      if (remoteError) throw remoteError;
      return 'from the service' as never;
    };
    const base = new Proxy({} as ChannelHandlers, { get: () => remote });
    handlers = withOfflineLibrary(base, {
      library,
      items: {
        ownedBy: (userId) =>
          (userId === 'listener' ? [{ itemId: 'release:77' }, { itemId: 'playlist:p1' }] : []) as never,
      },
      userId: () => signedIn,
      online: () => online,
      artworkUrl: () => undefined,
      log: createLogger('test', { level: 'silent' }),
    });
  });
  afterEach(async () => {
    library.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('asks the service while it answers', async () => {
    expect(await handlers['catalogue:getRelease']({ releaseId: '77' }, ctx)).toBe('from the service');
  });

  it('answers a kept release, its tracks, a playlist and the playlist list when the service cannot be reached', async () => {
    remoteError = new AppError({
      code: 'offline',
      message: 'Septet cannot reach the music service right now.',
    });
    expect(await handlers['catalogue:getRelease']({ releaseId: '77' }, ctx)).toMatchObject({
      title: 'Glass Harbour',
    });
    expect(
      (await handlers['catalogue:getReleaseTracks']({ releaseId: '77' }, ctx)).map((t) => t.title),
    ).toEqual(['Lanterns', 'Tide Clock']);
    expect(await handlers['playlists:get']({ playlistId: 'p1' }, ctx)).toMatchObject({ name: 'Morning Mix' });
    expect(await handlers['playlists:list']({ page: 1, pageSize: 100 }, ctx)).toMatchObject({
      items: [{ id: 'p1', name: 'Morning Mix' }],
      totalItems: 1,
    });
    expect(
      (await handlers['catalogue:getTracks']({ trackIds: ['7702', 'x', '7701'] }, ctx)).map((t) => t.id),
    ).toEqual(['7702', '7701']);
    // Another account on this device is not shown the listener's offline playlists.
    signedIn = 'someone-else';
    expect(await handlers['playlists:list']({ page: 1, pageSize: 100 }, ctx)).toMatchObject({
      items: [],
      totalItems: 0,
    });
  });

  it('while offline answers from the library without trying the service, and says what is not kept', async () => {
    online = false;
    expect(await handlers['catalogue:getRelease']({ releaseId: '77' }, ctx)).toMatchObject({
      title: 'Glass Harbour',
    });
    expect(remoteCalls).toBe(0);
    await expect(handlers['catalogue:getRelease']({ releaseId: '99' }, ctx)).rejects.toMatchObject({
      code: 'offline',
      message: expect.stringContaining('not kept on this device'),
    });
  });

  it('passes on failures that are not about the network', async () => {
    remoteError = new AppError({ code: 'not_found', message: 'no such release', serviceCode: 2001 });
    await expect(handlers['catalogue:getRelease']({ releaseId: '77' }, ctx)).rejects.toBe(remoteError);
  });
});
