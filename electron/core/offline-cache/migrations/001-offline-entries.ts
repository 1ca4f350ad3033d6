// Schema version 1 of the offline cache's index.sqlite: one row per cached track, and metadata.
// Shipped: never edit; add a new numbered file instead.
export const offlineEntries = `
      CREATE TABLE offline_entries (
        track_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        source_operation TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('hls', 'progressive')),
        content_type TEXT NOT NULL,
        file_id TEXT NOT NULL UNIQUE,
        plain_bytes INTEGER NOT NULL,
        stored_bytes INTEGER NOT NULL,
        chunk_size INTEGER NOT NULL,
        chunk_count INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        wrapped_key BLOB NOT NULL,
        parts TEXT NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'bad')),
        last_played INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX offline_entries_lru ON offline_entries (pinned, coalesce(last_played, created_at));
      CREATE TABLE offline_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `;
