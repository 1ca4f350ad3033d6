// The offline library on a real SQLite file: what is kept comes back, nothing of it is readable
// on disk, a master key that changed opens nothing, and artwork goes with the last item using it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { artworkIdOf, createOfflineLibrary, type LibraryItem } from './offline-library.js';
import { withStoredArtwork } from './snapshot.js';

const cover = 'http://127.0.0.1:1/_media/artwork/77';
const glassHarbour: LibraryItem = {
  kind: 'release',
  release: { id: '77', title: 'Glass Harbour', artist: { id: '5', name: 'Aurora Vale' }, image: cover },
  tracks: [
    {
      id: '7701',
      title: 'Lanterns Over Water',
      artist: { id: '5', name: 'Aurora Vale' },
      release: { id: '77', title: 'Glass Harbour', image: cover },
    },
  ],
  savedAt: '2026-12-01T00:00:00.000Z',
};
const morningMix: LibraryItem = {
  kind: 'playlist',
  playlist: {
    id: 'p1',
    name: 'Morning Mix',
    visibility: 'private',
    trackCount: 1,
    tracks: [
      {
        playlistTrackId: '1',
        trackId: '7701',
        title: 'Lanterns Over Water',
        artist: 'Aurora Vale',
        position: 1,
      },
    ],
  },
  tracks: glassHarbour.tracks,
  savedAt: '2026-12-01T00:00:00.000Z',
};

describe('offline library', () => {
  let dir: string;
  let masterKey: Buffer;
  const open = () => createOfflineLibrary({ dir, getMasterKey: async () => masterKey });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'septet-library-'));
    masterKey = randomBytes(32);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps items and artwork across a reopen, sealed: no title or image byte is readable on disk', async () => {
    const library = open();
    await library.putItem('release:77', glassHarbour);
    await library.putArtwork(cover, {
      data: Buffer.from('<svg>HARBOUR-ART</svg>'),
      contentType: 'image/svg+xml',
    });
    library.close();

    for (const name of await readdir(dir)) {
      const bytes = await readFile(join(dir, name));
      expect(bytes.includes('Glass Harbour')).toBe(false);
      expect(bytes.includes('Lanterns')).toBe(false);
      expect(bytes.includes('HARBOUR-ART')).toBe(false);
    }

    const reopened = open();
    expect(await reopened.getItem('release:77')).toEqual(glassHarbour);
    expect(await reopened.artwork(artworkIdOf(cover))).toEqual({
      data: Buffer.from('<svg>HARBOUR-ART</svg>'),
      contentType: 'image/svg+xml',
    });
    expect(await reopened.artwork('not-an-id')).toBeNull();
    reopened.close();
  });

  it('opens nothing sealed under a master key the keychain no longer has', async () => {
    const library = open();
    await library.putItem('release:77', glassHarbour);
    masterKey = randomBytes(32);
    await expect(library.getItem('release:77')).rejects.toMatchObject({ code: 'integrity' });
    expect((await library.items()).size).toBe(0);
    library.close();
  });

  it('forgets artwork with the last item that shows it', async () => {
    const library = open();
    await library.putItem('release:77', glassHarbour);
    await library.putItem('playlist:p1', morningMix);
    await library.putArtwork(cover, { data: Buffer.from('art'), contentType: 'image/png' });
    await library.removeItem('release:77');
    expect(library.hasArtwork(cover)).toBe(true); // Morning Mix's track still shows it
    await library.removeItem('playlist:p1');
    expect(library.hasArtwork(cover)).toBe(false);
    expect((await library.items()).size).toBe(0);
    library.close();
  });

  it('points kept images at the local copy and drops the ones it does not have', async () => {
    const library = open();
    await library.putArtwork(cover, { data: Buffer.from('art'), contentType: 'image/png' });
    const local = (url: string) => `http://gateway/art/${artworkIdOf(url)}`;
    const shown = withStoredArtwork(glassHarbour, library, local);
    expect(shown.kind === 'release' && shown.release.image).toBe(local(cover));
    expect(shown.tracks[0]?.release?.image).toBe(local(cover));
    const other = withStoredArtwork(
      { ...glassHarbour, release: { ...glassHarbour.release, image: 'https://cdn.example/x.jpg' } },
      library,
      local,
    );
    expect(other.kind === 'release' && other.release.image).toBeUndefined();
    library.close();
  });
});
