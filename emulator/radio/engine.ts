// Interactive Radio (notes §3, rules 12–16): listening sessions over a snapshot of playlist
// tracks, a next-track picker that never breaks the DMCA/GVL 3-hour limits, and a rolling skip
// budget. State lives in SQLite (radio_* tables) so sessions survive restarts.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { serviceErrorCodes } from '../../shared/service-errors.js';
import { defaultConfig, type EmulatorConfig } from '../config.js';
import { invalidValue, missingParameter, notFound, ServiceError } from '../http.js';

export type RadioRuleset = 'dmca' | 'gvl' | 'custom';
export const radioRulesets: readonly RadioRuleset[] = ['dmca', 'gvl', 'custom'];
export type RadioEventType = 'start' | 'complete' | 'skip' | 'pause' | 'resume';
const eventTypes: readonly RadioEventType[] = ['start', 'complete', 'skip', 'pause', 'resume'];

/** The radio rules' part of the emulator's settings (defaults and comments in ../config.ts). */
export type RadioConfig = Pick<
  EmulatorConfig,
  | 'radioSkipBudget'
  | 'radioSkipWindowSec'
  | 'radioRuleWindowSec'
  | 'radioMaxPerRelease'
  | 'radioMaxConsecutivePerRelease'
  | 'radioMaxPerArtist'
  | 'radioMaxConsecutivePerArtist'
>;

const radioDefaults = defaultConfig({});
export const defaultRadioConfig: RadioConfig = {
  radioSkipBudget: radioDefaults.radioSkipBudget,
  radioSkipWindowSec: radioDefaults.radioSkipWindowSec,
  radioRuleWindowSec: radioDefaults.radioRuleWindowSec,
  radioMaxPerRelease: radioDefaults.radioMaxPerRelease,
  radioMaxConsecutivePerRelease: radioDefaults.radioMaxConsecutivePerRelease,
  radioMaxPerArtist: radioDefaults.radioMaxPerArtist,
  radioMaxConsecutivePerArtist: radioDefaults.radioMaxConsecutivePerArtist,
};

export type RadioTrackMeta = {
  trackId: string;
  releaseId: string;
  /** The featured (primary) artist. */
  artistId: string;
  /** The release is a compilation (box set): the per-compilation limits apply to it. */
  isCompilation: boolean;
};

export type RadioEngineDeps = {
  db: Database.Database;
  now(): Date;
  /** Track ids of a playlist the user may use; undefined for an unknown playlist. */
  playlistTrackIds(playlistId: string, userId: string): string[] | undefined;
  trackMeta(trackId: string): RadioTrackMeta | undefined;
  isTrackAvailableInCountry?(trackId: string, country: string): boolean;
  userCountry?(userId: string): string | undefined;
  /** undefined → every userId is accepted. */
  userExists?(userId: string): boolean;
  config?: Partial<RadioConfig>;
  /** For deterministic tests; defaults to Math.random. */
  random?: () => number;
};

export type RadioSessionInfo = {
  sessionId: string;
  userId: string;
  ruleset: RadioRuleset;
  skipsRemaining: number;
  createdAt: string;
};

export type ServedTrack = { trackId: string; skipAllowed: boolean; skipsRemaining: number };

export type RadioHistoryEntry = {
  trackId: string;
  releaseId: string;
  artistId: string;
  isCompilation: boolean;
  servedAt: string;
  resolution: 'complete' | 'skip' | null;
  resolvedAt: string | null;
};

export type RadioHistory = {
  sessionId: string;
  userId: string;
  ruleset: RadioRuleset;
  country: string;
  playlistIds: string[];
  createdAt: string;
  deletedAt: string | null;
  skipsRemaining: number;
  tracks: RadioHistoryEntry[];
  events: {
    trackId: string;
    eventType: RadioEventType;
    timestamp: string;
    durationPlayed: number | null;
    receivedAt: string;
  }[];
};

/** Who is calling: sessions are visible only to the consumer key (and user) that created them. */
export type RadioCaller = { consumerKey: string; userId: string | null };

type SessionRow = {
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
type HistoryRow = {
  id: number;
  track_id: string;
  release_id: string;
  artist_id: string;
  is_compilation: number;
  served_at: number;
  resolution: 'complete' | 'skip' | null;
  resolved_at: number | null;
};

export function createRadioSchema(db: Database.Database): void {
  db.exec(`
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
  `);
}

export type RuleHistoryItem = {
  releaseId: string;
  artistId: string;
  isCompilation: boolean;
  servedAtMs: number;
};

/**
 * Would serving `candidate` at `nowMs` keep the DMCA/GVL limits? `history` is the session's
 * served sequence, oldest first. Counts look at the rolling rule window; runs ("in a row") look
 * at the tail of the whole sequence, which is stricter.
 */
export function keepsRadioRules(
  history: readonly RuleHistoryItem[],
  candidate: Pick<RadioTrackMeta, 'releaseId' | 'artistId' | 'isCompilation'>,
  nowMs: number,
  config: RadioConfig,
): boolean {
  const windowStart = nowMs - config.radioRuleWindowSec * 1000;
  let sameRelease = 0;
  let sameArtist = 0;
  for (const item of history) {
    if (item.servedAtMs <= windowStart) continue;
    if (item.releaseId === candidate.releaseId) sameRelease++;
    if (item.artistId === candidate.artistId) sameArtist++;
  }
  if (sameRelease + 1 > config.radioMaxPerRelease) return false;
  if (sameArtist + 1 > config.radioMaxPerArtist) return false;
  // A compilation is also limited as a box set (≤ 4, ≤ 3 in a row); the album limit is stricter.
  if (candidate.isCompilation && sameRelease + 1 > config.radioMaxPerArtist) return false;
  const run = (matches: (item: RuleHistoryItem) => boolean): number => {
    let n = 0;
    for (let i = history.length - 1; i >= 0 && matches(history[i] as RuleHistoryItem); i--) n++;
    return n;
  };
  if (run((i) => i.releaseId === candidate.releaseId) + 1 > config.radioMaxConsecutivePerRelease)
    return false;
  if (run((i) => i.artistId === candidate.artistId) + 1 > config.radioMaxConsecutivePerArtist) return false;
  if (
    candidate.isCompilation &&
    run((i) => i.releaseId === candidate.releaseId) + 1 > config.radioMaxConsecutivePerArtist
  ) {
    return false;
  }
  return true;
}

export type RadioEngine = ReturnType<typeof createRadioEngine>;

export function createRadioEngine(deps: RadioEngineDeps) {
  const config: RadioConfig = { ...defaultRadioConfig, ...deps.config };
  const random = deps.random ?? Math.random;
  const db = deps.db;
  createRadioSchema(db);

  const stmt = {
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
    events: db.prepare<
      [string],
      {
        track_id: string;
        event_type: RadioEventType;
        timestamp: string;
        duration_played: number | null;
        received_at: number;
      }
    >('SELECT * FROM radio_events WHERE session_id = ? ORDER BY id'),
  };

  const nowMs = () => deps.now().getTime();
  const sessionNotFound = () => notFound('Listening session');

  const skipsRemaining = (sessionId: string, atMs = nowMs()): number => {
    const used = stmt.skipsSince.get(sessionId, atMs - config.radioSkipWindowSec * 1000)?.n ?? 0;
    return Math.max(0, config.radioSkipBudget - used);
  };

  const liveSession = (sessionId: string, caller: RadioCaller): SessionRow => {
    const row = stmt.session.get(sessionId);
    if (!row || row.deleted_at !== null || row.consumer_key !== caller.consumerKey) throw sessionNotFound();
    if (caller.userId && caller.userId !== row.user_id) throw sessionNotFound();
    return row;
  };

  const info = (row: SessionRow): RadioSessionInfo => ({
    sessionId: row.id,
    userId: row.user_id,
    ruleset: row.ruleset,
    skipsRemaining: skipsRemaining(row.id),
    createdAt: new Date(row.created_at).toISOString(),
  });

  function createSession(
    caller: RadioCaller,
    input: { userId: string; playlistIds: string[]; ruleset?: RadioRuleset; country?: string },
  ): RadioSessionInfo {
    if (deps.userExists && !deps.userExists(input.userId)) throw notFound('User');
    if (caller.userId && caller.userId !== input.userId)
      throw invalidValue('userId', 'does not match the authorised user');
    const trackIds: string[] = [];
    const seen = new Set<string>();
    for (const playlistId of input.playlistIds) {
      const ids = deps.playlistTrackIds(playlistId, input.userId);
      if (!ids) throw notFound(`Playlist ${playlistId}`);
      for (const id of ids) {
        if (seen.has(id) || !deps.trackMeta(id)) continue;
        seen.add(id);
        trackIds.push(id);
      }
    }
    if (trackIds.length === 0) {
      throw new ServiceError(
        404,
        serviceErrorCodes.notFound,
        'The playlists contain no tracks to build a station from',
      );
    }
    const id = randomUUID();
    const country = (input.country ?? deps.userCountry?.(input.userId) ?? 'GB').toUpperCase();
    db.transaction(() => {
      stmt.insertSession.run(
        id,
        input.userId,
        caller.consumerKey,
        input.ruleset ?? 'dmca',
        country,
        JSON.stringify(input.playlistIds),
        nowMs(),
      );
      trackIds.forEach((trackId, position) => stmt.insertPoolTrack.run(id, position, trackId));
    })();
    return info(stmt.session.get(id) as SessionRow);
  }

  function nextTrack(sessionId: string, caller: RadioCaller): ServedTrack {
    return db.transaction((): ServedTrack => {
      const session = liveSession(sessionId, caller);
      const at = nowMs();
      const remaining = skipsRemaining(sessionId, at);
      if (session.current_history_id !== null) {
        const current = stmt.historyRow.get(session.current_history_id);
        if (current)
          return { trackId: current.track_id, skipAllowed: remaining > 0, skipsRemaining: remaining };
      }
      const rows = stmt.history.all(sessionId);
      const history = rows.map(toRuleItem);
      const windowStart = at - config.radioRuleWindowSec * 1000;
      const recentlyPlayed = new Set(rows.filter((h) => h.served_at > windowStart).map((h) => h.track_id));
      let best: { meta: RadioTrackMeta; tier: number }[] = [];
      let bestTier = Number.POSITIVE_INFINITY;
      for (const { track_id } of stmt.pool.all(sessionId)) {
        const meta = deps.trackMeta(track_id);
        if (!meta) continue;
        if (deps.isTrackAvailableInCountry && !deps.isTrackAvailableInCountry(track_id, session.country))
          continue;
        if (!keepsRadioRules(history, meta, at, config)) continue;
        // Prefer tracks not heard within the rule window.
        const tier = recentlyPlayed.has(track_id) ? 1 : 0;
        if (tier < bestTier) {
          bestTier = tier;
          best = [];
        }
        if (tier === bestTier) best.push({ meta, tier });
      }
      const choice = best[Math.floor(random() * best.length)];
      if (!choice) {
        throw new ServiceError(
          404,
          serviceErrorCodes.notFound,
          'No track in this station can be played now without breaking the ruleset',
        );
      }
      const { meta } = choice;
      const result = stmt.insertHistory.run(
        sessionId,
        meta.trackId,
        meta.releaseId,
        meta.artistId,
        meta.isCompilation ? 1 : 0,
        at,
      );
      stmt.setCurrent.run(Number(result.lastInsertRowid), sessionId);
      return { trackId: meta.trackId, skipAllowed: remaining > 0, skipsRemaining: remaining };
    })();
  }

  type EventInput = {
    trackId: string;
    eventType: RadioEventType;
    timestamp: string;
    durationPlayed?: number;
  };

  /** Validates a batch (throws the envelope error) without touching state. */
  function parseEvents(body: unknown): EventInput[] {
    if (typeof body !== 'object' || body === null || !('events' in body)) throw missingParameter('events');
    const events = (body as { events: unknown }).events;
    if (!Array.isArray(events)) throw invalidValue('events', 'must be an array');
    return events.map((raw: unknown, index): EventInput => {
      if (typeof raw !== 'object' || raw === null)
        throw invalidValue(`events[${index}]`, 'must be an object');
      const e = raw as Record<string, unknown>;
      if (typeof e.trackId !== 'string' || e.trackId === '')
        throw missingParameter(`events[${index}].trackId`);
      if (typeof e.eventType !== 'string' || e.eventType === '')
        throw missingParameter(`events[${index}].eventType`);
      if (!eventTypes.includes(e.eventType as RadioEventType))
        throw invalidValue(`events[${index}].eventType`, e.eventType);
      if (typeof e.timestamp !== 'string' || e.timestamp === '')
        throw missingParameter(`events[${index}].timestamp`);
      if (Number.isNaN(Date.parse(e.timestamp)))
        throw invalidValue(`events[${index}].timestamp`, e.timestamp);
      if (
        e.durationPlayed !== undefined &&
        (!Number.isInteger(e.durationPlayed) || (e.durationPlayed as number) < 0)
      ) {
        throw invalidValue(`events[${index}].durationPlayed`, String(e.durationPlayed));
      }
      return {
        trackId: e.trackId,
        eventType: e.eventType as RadioEventType,
        timestamp: e.timestamp,
        ...(e.durationPlayed !== undefined ? { durationPlayed: e.durationPlayed as number } : {}),
      };
    });
  }

  /**
   * Records a batch atomically: a skip beyond the budget (or an event for a track this session
   * never served) rejects the whole batch with 400/1002 and records nothing.
   */
  function postEvents(sessionId: string, caller: RadioCaller, body: unknown): { skipsRemaining: number } {
    const events = parseEvents(body);
    return db.transaction(() => {
      const session = liveSession(sessionId, caller);
      const at = nowMs();
      let remaining = skipsRemaining(sessionId, at);
      let currentId = session.current_history_id;
      const current = currentId !== null ? stmt.historyRow.get(currentId) : undefined;
      events.forEach((event, index) => {
        if (!stmt.servedTrack.get(sessionId, event.trackId)) {
          throw invalidValue(
            `events[${index}].trackId`,
            'this track was not served in this listening session',
          );
        }
        if (event.eventType === 'skip') {
          if (remaining <= 0) {
            throw new ServiceError(
              400,
              serviceErrorCodes.invalidValue,
              'No skips remaining in this listening session',
            );
          }
          remaining--;
        }
        stmt.insertEvent.run(
          sessionId,
          event.trackId,
          event.eventType,
          event.timestamp,
          event.durationPlayed ?? null,
          at,
        );
        if (
          (event.eventType === 'skip' || event.eventType === 'complete') &&
          current &&
          currentId !== null &&
          current.track_id === event.trackId
        ) {
          stmt.resolve.run(event.eventType, at, currentId);
          stmt.setCurrent.run(null, sessionId);
          currentId = null;
        }
      });
      return { skipsRemaining: remaining };
    })();
  }

  function deleteSession(sessionId: string, caller: RadioCaller): void {
    liveSession(sessionId, caller);
    stmt.deleteSession.run(nowMs(), sessionId);
  }

  function history(sessionId: string): RadioHistory | undefined {
    const row = stmt.session.get(sessionId);
    if (!row) return undefined;
    return {
      sessionId: row.id,
      userId: row.user_id,
      ruleset: row.ruleset,
      country: row.country,
      playlistIds: JSON.parse(row.playlist_ids) as string[],
      createdAt: new Date(row.created_at).toISOString(),
      deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at).toISOString(),
      skipsRemaining: skipsRemaining(row.id),
      tracks: stmt.history.all(sessionId).map((h) => ({
        trackId: h.track_id,
        releaseId: h.release_id,
        artistId: h.artist_id,
        isCompilation: h.is_compilation === 1,
        servedAt: new Date(h.served_at).toISOString(),
        resolution: h.resolution,
        resolvedAt: h.resolved_at === null ? null : new Date(h.resolved_at).toISOString(),
      })),
      events: stmt.events.all(sessionId).map((e) => ({
        trackId: e.track_id,
        eventType: e.event_type,
        timestamp: e.timestamp,
        durationPlayed: e.duration_played,
        receivedAt: new Date(e.received_at).toISOString(),
      })),
    };
  }

  return {
    config,
    createSession,
    nextTrack,
    postEvents,
    deleteSession,
    history,
    skipsRemaining,
    parseEvents,
  };
}

function toRuleItem(h: HistoryRow): RuleHistoryItem {
  return {
    releaseId: h.release_id,
    artistId: h.artist_id,
    isCompilation: h.is_compilation === 1,
    servedAtMs: h.served_at,
  };
}

/** The test API's view of a session (`GET /_emulator/radio/{sessionId}/history`). */
export function radioHistory(engine: RadioEngine, sessionId: string): RadioHistory | undefined {
  return engine.history(sessionId);
}
