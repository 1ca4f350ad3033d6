// Schema version 1 of the emulator's state: accounts, tokens, sales, devices, playlists, logs.
// Shipped: never edit; add a new numbered file instead.
export const accountsTokensSalesPlaylistsLogs = `
  CREATE TABLE consumers (
    key TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    user_management INTEGER NOT NULL DEFAULT 0,
    live INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT COLLATE NOCASE UNIQUE,
    password_hash TEXT,
    first_name TEXT,
    last_name TEXT,
    country TEXT NOT NULL,
    owner_key TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    country TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    auto_renew INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX subscriptions_user ON subscriptions(user_id);
  CREATE TABLE purchases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    release_id TEXT NOT NULL,
    track_id TEXT,
    price REAL NOT NULL,
    currency TEXT NOT NULL,
    transaction_id TEXT,
    purchased_at INTEGER NOT NULL,
    refunded_at INTEGER
  );
  CREATE INDEX purchases_user ON purchases(user_id);
  CREATE TABLE devices (
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    device_name TEXT,
    platform TEXT,
    status TEXT NOT NULL,
    authorised_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, device_id)
  );
  CREATE TABLE playlists (
    id TEXT PRIMARY KEY,
    owner_key TEXT NOT NULL,
    user_id TEXT,
    name TEXT NOT NULL,
    description TEXT,
    visibility TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
  );
  CREATE INDEX playlists_owner ON playlists(owner_key, user_id);
  CREATE TABLE playlist_tracks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    playlist_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    track_id TEXT NOT NULL,
    title TEXT NOT NULL,
    artist TEXT NOT NULL,
    source TEXT,
    audio_url TEXT,
    image TEXT,
    added_at INTEGER NOT NULL
  );
  CREATE INDEX playlist_tracks_playlist ON playlist_tracks(playlist_id, position);
  CREATE TABLE request_tokens (
    token TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    consumer_key TEXT NOT NULL,
    callback TEXT,
    verifier TEXT,
    user_id TEXT,
    created_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE access_tokens (
    token TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    consumer_key TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE play_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint TEXT NOT NULL,
    consumer_key TEXT NOT NULL,
    user_id TEXT,
    client_id TEXT,
    track_id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL
  );
  CREATE INDEX play_logs_endpoint ON play_logs(endpoint, id);
  `;
