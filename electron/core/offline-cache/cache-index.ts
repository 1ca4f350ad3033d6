// SQLite index of the offline cache: one row per cached track. The audio itself lives in
// encrypted files next to the database; a row is written only after its file is complete.
import type { StreamFormat } from '../../../shared/domain/stream.js';
import type { SqliteDatabase } from '../db/open-database.js';

export { cacheIndexMigrations } from './migrations/index.js';

export type CachePart = { name: string; offset: number; length: number; contentType: string };

export type CacheRow = {
  trackId: string;
  userId: string;
  sourceOperation: string;
  format: StreamFormat;
  contentType: string;
  fileId: string;
  plainBytes: number;
  storedBytes: number;
  chunkSize: number;
  chunkCount: number;
  sha256: string;
  wrappedKey: Buffer;
  parts: CachePart[];
  pinned: boolean;
  status: 'ok' | 'bad';
  lastPlayed: number | null;
  createdAt: number;
};

type RawRow = {
  track_id: string;
  user_id: string;
  source_operation: string;
  format: StreamFormat;
  content_type: string;
  file_id: string;
  plain_bytes: number;
  stored_bytes: number;
  chunk_size: number;
  chunk_count: number;
  sha256: string;
  wrapped_key: Buffer;
  parts: string;
  pinned: number;
  status: 'ok' | 'bad';
  last_played: number | null;
  created_at: number;
};

function fromRaw(raw: RawRow): CacheRow {
  return {
    trackId: raw.track_id,
    userId: raw.user_id,
    sourceOperation: raw.source_operation,
    format: raw.format,
    contentType: raw.content_type,
    fileId: raw.file_id,
    plainBytes: raw.plain_bytes,
    storedBytes: raw.stored_bytes,
    chunkSize: raw.chunk_size,
    chunkCount: raw.chunk_count,
    sha256: raw.sha256,
    wrappedKey: raw.wrapped_key,
    parts: JSON.parse(raw.parts) as CachePart[],
    pinned: raw.pinned === 1,
    status: raw.status,
    lastPlayed: raw.last_played,
    createdAt: raw.created_at,
  };
}

export type CacheIndex = ReturnType<typeof createCacheIndex>;

export function createCacheIndex(db: SqliteDatabase) {
  const getStmt = db.prepare<[string], RawRow>('SELECT * FROM offline_entries WHERE track_id = ?');
  const listStmt = db.prepare<[], RawRow>('SELECT * FROM offline_entries ORDER BY created_at, track_id');
  const upsertStmt = db.prepare(`
    INSERT INTO offline_entries (track_id, user_id, source_operation, format, content_type, file_id, plain_bytes,
      stored_bytes, chunk_size, chunk_count, sha256, wrapped_key, parts, pinned, status, last_played, created_at)
    VALUES (@trackId, @userId, @sourceOperation, @format, @contentType, @fileId, @plainBytes, @storedBytes,
      @chunkSize, @chunkCount, @sha256, @wrappedKey, @parts, @pinned, 'ok', @lastPlayed, @createdAt)
    ON CONFLICT (track_id) DO UPDATE SET user_id = excluded.user_id, source_operation = excluded.source_operation,
      format = excluded.format, content_type = excluded.content_type, file_id = excluded.file_id,
      plain_bytes = excluded.plain_bytes, stored_bytes = excluded.stored_bytes, chunk_size = excluded.chunk_size,
      chunk_count = excluded.chunk_count, sha256 = excluded.sha256, wrapped_key = excluded.wrapped_key,
      parts = excluded.parts, pinned = excluded.pinned, status = 'ok', created_at = excluded.created_at`);
  const deleteStmt = db.prepare<[string]>('DELETE FROM offline_entries WHERE track_id = ?');
  const statusStmt = db.prepare<[string, string]>('UPDATE offline_entries SET status = ? WHERE track_id = ?');
  const pinStmt = db.prepare<[number, string]>('UPDATE offline_entries SET pinned = ? WHERE track_id = ?');
  const playedStmt = db.prepare<[number, string]>(
    'UPDATE offline_entries SET last_played = ? WHERE track_id = ?',
  );
  const usageStmt = db.prepare<[], { used: number | null; count: number }>(
    'SELECT sum(stored_bytes) AS used, count(*) AS count FROM offline_entries',
  );
  const evictableStmt = db.prepare<[], RawRow>(
    `SELECT * FROM offline_entries WHERE pinned = 0
     ORDER BY status = 'bad' DESC, coalesce(last_played, created_at), created_at`,
  );
  const metaGet = db.prepare<[string], { value: string }>('SELECT value FROM offline_meta WHERE key = ?');
  const metaSet = db.prepare<[string, string]>(
    'INSERT INTO offline_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );

  return {
    get(trackId: string): CacheRow | undefined {
      const raw = getStmt.get(trackId);
      return raw ? fromRaw(raw) : undefined;
    },
    list(): CacheRow[] {
      return listStmt.all().map(fromRaw);
    },
    upsert(row: Omit<CacheRow, 'status'>): void {
      upsertStmt.run({ ...row, parts: JSON.stringify(row.parts), pinned: row.pinned ? 1 : 0 });
    },
    delete(trackId: string): void {
      deleteStmt.run(trackId);
    },
    setStatus(trackId: string, status: 'ok' | 'bad'): void {
      statusStmt.run(status, trackId);
    },
    setPinned(trackId: string, pinned: boolean): void {
      pinStmt.run(pinned ? 1 : 0, trackId);
    },
    touch(trackId: string, at: number): void {
      playedStmt.run(at, trackId);
    },
    usage(): { usedBytes: number; count: number } {
      const row = usageStmt.get();
      return { usedBytes: row?.used ?? 0, count: row?.count ?? 0 };
    },
    evictionCandidates(): CacheRow[] {
      return evictableStmt.all().map(fromRaw);
    },
    getMeta(key: string): string | undefined {
      return metaGet.get(key)?.value;
    },
    setMeta(key: string, value: string): void {
      metaSet.run(key, value);
    },
  };
}
