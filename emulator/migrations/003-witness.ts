// Schema version 3 of the emulator's state: what the witness remembers (emulator/witness.ts) —
// when each listener's streams were opened, and play logs sent with another listener's token.
// "IF NOT EXISTS" because data dirs written before this migration already have these tables.
// Shipped: never edit; add a new numbered file instead.
export const witness = `
  CREATE TABLE IF NOT EXISTS witness_stream_opens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consumer_key TEXT NOT NULL,
    user_id TEXT,
    track_id TEXT NOT NULL,
    path TEXT NOT NULL,
    opened_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS witness_stream_opens_track ON witness_stream_opens (track_id, opened_at);
  CREATE TABLE IF NOT EXISTS witness_foreign_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    log_user TEXT NOT NULL,
    track_id TEXT NOT NULL,
    received_at INTEGER NOT NULL
  );
  `;
