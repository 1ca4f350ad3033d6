// The radio engine's SQLite tables (radio_*: sessions, their track pools, what each session
// served and the playback events it received) and the statements over them.
import type Database from 'better-sqlite3';
import type { RadioEventType, RadioRuleset } from './radio-rules.js';

export type SessionRow = {
  id: string;
  user_id: string;
  consumer_key: string;
  ruleset: RadioRuleset;
  country: string;
  playlist_ids: string;
  created_at: number;
  deleted_at: number | null;
  current_history_id: number | null;
};
export type HistoryRow = {
  id: number;
  track_id: string;
  release_id: string;
  artist_id: string;
  is_compilation: number;
  served_at: number;
  resolution: 'complete' | 'skip' | null;
  resolved_at: number | null;
};

export type EventRow = {
  track_id: string;
  event_type: RadioEventType;
  timestamp: string;
  duration_played: number | null;
  received_at: number;
};

/** Creates the tables (if need be) and prepares the statements. */
export function prepareRadioStatements(db: Database.Database) {
  return {
    session: db.prepare<[string], SessionRow>('SELECT * FROM radio_sessions WHERE id = ?'),
    insertSession: db.prepare(
      'INSERT INTO radio_sessions (id, user_id, consumer_key, ruleset, country, playlist_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertPoolTrack: db.prepare(
      'INSERT INTO radio_session_tracks (session_id, position, track_id) VALUES (?, ?, ?)',
    ),
    pool: db.prepare<[string], { track_id: string }>(
      'SELECT track_id FROM radio_session_tracks WHERE session_id = ? ORDER BY position',
    ),
    history: db.prepare<[string], HistoryRow>('SELECT * FROM radio_history WHERE session_id = ? ORDER BY id'),
    historyRow: db.prepare<[number], HistoryRow>('SELECT * FROM radio_history WHERE id = ?'),
    servedTrack: db.prepare<[string, string], { id: number }>(
      'SELECT id FROM radio_history WHERE session_id = ? AND track_id = ? LIMIT 1',
    ),
    insertHistory: db.prepare(
      'INSERT INTO radio_history (session_id, track_id, release_id, artist_id, is_compilation, served_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    setCurrent: db.prepare('UPDATE radio_sessions SET current_history_id = ? WHERE id = ?'),
    resolve: db.prepare('UPDATE radio_history SET resolution = ?, resolved_at = ? WHERE id = ?'),
    deleteSession: db.prepare(
      'UPDATE radio_sessions SET deleted_at = ?, current_history_id = NULL WHERE id = ?',
    ),
    skipsSince: db.prepare<[string, number], { n: number }>(
      "SELECT COUNT(*) AS n FROM radio_events WHERE session_id = ? AND event_type = 'skip' AND received_at > ?",
    ),
    insertEvent: db.prepare(
      'INSERT INTO radio_events (session_id, track_id, event_type, timestamp, duration_played, received_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    events: db.prepare<[string], EventRow>('SELECT * FROM radio_events WHERE session_id = ? ORDER BY id'),
  };
}
