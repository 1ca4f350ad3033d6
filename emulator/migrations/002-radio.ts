// Schema version 2 of the emulator's state: Interactive Radio sessions, their seed tracks, the
// tracks served and the playback events received (emulator/radio/). "IF NOT EXISTS" because data
// dirs written before this migration existed already have these tables (the radio module created
// them itself). Shipped: never edit; add a new numbered file instead.
export const radio = `
  CREATE TABLE IF NOT EXISTS radio_sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    consumer_key TEXT NOT NULL,
    ruleset TEXT NOT NULL,
    country TEXT NOT NULL,
    playlist_ids TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER,
    current_history_id INTEGER
  );
  CREATE TABLE IF NOT EXISTS radio_session_tracks (
    session_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    track_id TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
  );
  CREATE TABLE IF NOT EXISTS radio_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    track_id TEXT NOT NULL,
    release_id TEXT NOT NULL,
    artist_id TEXT NOT NULL,
    is_compilation INTEGER NOT NULL,
    served_at INTEGER NOT NULL,
    resolution TEXT,
    resolved_at INTEGER
  );
  CREATE INDEX IF NOT EXISTS radio_history_session ON radio_history(session_id, id);
  CREATE TABLE IF NOT EXISTS radio_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    track_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    duration_played INTEGER,
    received_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS radio_events_session ON radio_events(session_id, event_type, received_at);
  `;
