// The offline library (issue 13): what a release or playlist kept offline looks like — its
// details, its track list and its artwork — sealed in library.sqlite next to the encrypted
// tracks, so its pages, the queue and search within offline music work with no network, after
// a restart too. Each record is AES-256-GCM under its own key, wrapped by the vault's master key
// (the primitives of the track cache, chunked-cipher.ts): without the keychain nothing opens.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PlaylistView, ReleaseView, TrackView } from '../../../shared/ipc/contract.js';
import { AppError } from '../../../shared/errors.js';
import { openDatabase, toDatabaseError, type SqliteDatabase } from '../db/open-database.js';
import {
  decryptChunk,
  encryptChunk,
  newFileId,
  newFileKey,
  unwrapFileKey,
  wrapFileKey,
} from '../offline-cache/chunked-cipher.js';
import { offlineLibraryMigrations } from './migrations/index.js';

/** A release or playlist as it was when it was made available offline. */
export type LibraryItem =
  | { kind: 'release'; release: ReleaseView; tracks: TrackView[]; savedAt: string }
  | { kind: 'playlist'; playlist: PlaylistView; tracks: TrackView[]; savedAt: string };

export type StoredImage = { data: Buffer; contentType: string };

export type OfflineLibrary = {
  putItem(itemId: string, item: LibraryItem): Promise<void>;
  getItem(itemId: string): Promise<LibraryItem | null>;
  /** Every readable item, by item id (an item sealed under another master key is left out). */
  items(): Promise<Map<string, LibraryItem>>;
  /** Forgets an item, and the artwork no other item uses. */
  removeItem(itemId: string): Promise<void>;
  hasArtwork(url: string): boolean;
  putArtwork(url: string, image: StoredImage): Promise<void>;
  /** The artwork stored under an artwork id (see artworkIdOf), or null. */
  artwork(artworkId: string): Promise<StoredImage | null>;
  close(): void;
};

const itemName = (itemId: string): string => `item:${itemId}`;
const artName = (artworkId: string): string => `art:${artworkId}`;

/** The stable id of an image URL: what the media gateway's artwork route is asked for. */
export function artworkIdOf(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

/** Every image URL an item shows (release cover, each track's release cover, playlist rows). */
export function artworkUrlsOf(item: LibraryItem): string[] {
  const urls = new Set<string>();
  if (item.kind === 'release' && item.release.image) urls.add(item.release.image);
  if (item.kind === 'playlist') for (const t of item.playlist.tracks) if (t.image) urls.add(t.image);
  for (const t of item.tracks) if (t.release?.image) urls.add(t.release.image);
  return [...urls];
}

export function createOfflineLibrary(deps: {
  /** Folder of the offline cache: the library is library.sqlite in it. */
  dir: string;
  getMasterKey: () => Promise<Buffer>;
  now?: () => number;
}): OfflineLibrary {
  // Long by design (over 80 lines): a createX factory over its prepared statements; each method is short.
  const now = deps.now ?? Date.now;
  const path = join(deps.dir, 'library.sqlite');
  const db: SqliteDatabase = openDatabase(path, {
    migrations: offlineLibraryMigrations,
  });
  type Row = { record_id: Buffer; wrapped_key: Buffer; sealed: Buffer };
  const getStmt = db.prepare<[string], Row>(
    'SELECT record_id, wrapped_key, sealed FROM library_records WHERE name = ?',
  );
  const namesStmt = db.prepare<[string], { name: string }>(
    'SELECT name FROM library_records WHERE name LIKE ?',
  );
  const hasStmt = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM library_records WHERE name = ?',
  );
  const putStmt = db.prepare(
    `INSERT INTO library_records (name, record_id, wrapped_key, sealed, updated_at)
     VALUES (@name, @recordId, @wrappedKey, @sealed, @updatedAt)
     ON CONFLICT (name) DO UPDATE SET record_id = excluded.record_id, wrapped_key = excluded.wrapped_key,
       sealed = excluded.sealed, updated_at = excluded.updated_at`,
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM library_records WHERE name = ?');

  const seal = async (name: string, plain: Buffer): Promise<void> => {
    const masterKey = await deps.getMasterKey();
    const recordId = newFileId();
    const key = newFileKey();
    const row = {
      name,
      recordId,
      wrappedKey: wrapFileKey(masterKey, key, recordId),
      sealed: encryptChunk(key, recordId, 0, true, plain),
      updatedAt: now(),
    };
    try {
      putStmt.run(row);
    } catch (error) {
      throw toDatabaseError(error, path); // a full disk is disk_full, said as such
    }
  };

  const open = async (name: string): Promise<Buffer | null> => {
    const row = getStmt.get(name);
    if (!row) return null;
    const key = unwrapFileKey(await deps.getMasterKey(), row.wrapped_key, row.record_id);
    return decryptChunk(key, row.record_id, 0, true, row.sealed);
  };

  const getItem = async (itemId: string): Promise<LibraryItem | null> => {
    const plain = await open(itemName(itemId));
    return plain ? (JSON.parse(plain.toString('utf8')) as LibraryItem) : null;
  };

  const items = async (): Promise<Map<string, LibraryItem>> => {
    const found = new Map<string, LibraryItem>();
    for (const { name } of namesStmt.all('item:%')) {
      const itemId = name.slice('item:'.length);
      try {
        const item = await getItem(itemId);
        if (item) found.set(itemId, item);
      } catch (error) {
        // Sealed under a master key that is gone: it cannot be shown (the tracks cannot play either).
        if (!(error instanceof AppError) || error.code !== 'integrity') throw error;
      }
    }
    return found;
  };

  return {
    putItem: (itemId, item) => seal(itemName(itemId), Buffer.from(JSON.stringify(item), 'utf8')),
    getItem,
    items,
    async removeItem(itemId) {
      deleteStmt.run(itemName(itemId));
      const stillShown = new Set([...(await items()).values()].flatMap(artworkUrlsOf).map(artworkIdOf));
      for (const { name } of namesStmt.all('art:%'))
        if (!stillShown.has(name.slice('art:'.length))) deleteStmt.run(name);
    },
    hasArtwork: (url) => hasStmt.get(artName(artworkIdOf(url))) !== undefined,
    putArtwork: (url, image) =>
      seal(artName(artworkIdOf(url)), Buffer.concat([Buffer.from(`${image.contentType}\n`), image.data])),
    async artwork(artworkId) {
      if (!/^[0-9a-f]{32}$/.test(artworkId)) return null;
      const plain = await open(artName(artworkId));
      if (!plain) return null;
      const newline = plain.indexOf(0x0a);
      return { contentType: plain.subarray(0, newline).toString('utf8'), data: plain.subarray(newline + 1) };
    },
    close: () => db.close(),
  };
}
