// Schema version 1 of play-log.sqlite: the queue, dead letters, per-endpoint delivery state.
// Shipped: never edit; add a new numbered file instead.
export const playLogQueue = `
      CREATE TABLE play_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        local_id TEXT NOT NULL UNIQUE,
        endpoint TEXT NOT NULL CHECK (endpoint IN ('preview', 'catalogue', 'subscriber')),
        user_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_flight')),
        batch_id TEXT,
        attempt INTEGER NOT NULL DEFAULT 0,
        -- set when a process died with this row in flight: the service may already have it
        ambiguous INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX play_log_queue ON play_log (endpoint, state, seq);
      CREATE INDEX play_log_batch ON play_log (batch_id);

      CREATE TABLE play_log_dead_letter (
        local_id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        payload TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        service_code INTEGER,
        status INTEGER,
        attempt INTEGER NOT NULL,
        dead_at INTEGER NOT NULL
      );

      -- ACKED rows are deleted; this keeps their count, and each endpoint's retry state,
      -- so 'septet logs status' can read it from another process.
      CREATE TABLE play_log_endpoint (
        endpoint TEXT PRIMARY KEY,
        delivered INTEGER NOT NULL DEFAULT 0,
        batches INTEGER NOT NULL DEFAULT 0,
        ambiguous_resends INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        last_error TEXT,
        last_error_at INTEGER,
        last_success_at INTEGER
      );
      INSERT INTO play_log_endpoint (endpoint) VALUES ('preview'), ('catalogue'), ('subscriber');

      CREATE TABLE play_log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `;
