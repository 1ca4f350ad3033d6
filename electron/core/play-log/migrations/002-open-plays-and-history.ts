// Schema version 2 of play-log.sqlite: plays still open (a stream resolved, the listening not
// yet reported), the audit fields kept beside what is sent, and the history of delivered plays
// (an ACKED row moves there instead of being deleted) for `septet logs export`.
// Shipped: never edit; add a new numbered file instead.
export const openPlaysAndHistory = `
      -- One row per stream main resolved, until the play is reported, or closed for the
      -- listener (sign-out, account switch, quit, a restart after a crash).
      CREATE TABLE play_open (
        stream_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        endpoint TEXT NOT NULL CHECK (endpoint IN ('preview', 'catalogue', 'subscriber')),
        -- the fields main decided when it resolved the stream (JSON): track, release, format,
        -- play mode, country, client, context, source, radio session, duration
        play TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        started_at INTEGER,
        listened_ms INTEGER NOT NULL DEFAULT 0,
        seeks INTEGER NOT NULL DEFAULT 0,
        pauses INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX play_open_user ON play_open (user_id, opened_at);

      -- What was measured but is not sent (stream id, listened ms, seeks, context, times).
      ALTER TABLE play_log ADD COLUMN audit TEXT;
      ALTER TABLE play_log_dead_letter ADD COLUMN audit TEXT;

      CREATE TABLE play_log_delivered (
        local_id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        user_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        audit TEXT,
        recorded_at INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        ambiguous INTEGER NOT NULL,
        batch_id TEXT NOT NULL,
        delivered_at INTEGER NOT NULL
      );
      CREATE INDEX play_log_delivered_recorded ON play_log_delivered (recorded_at);
    `;
