// Interactive Radio (notes §3, rules 12–16): listening sessions over a snapshot of playlist
// tracks, a next-track picker that never breaks the DMCA/GVL 3-hour limits, and a rolling skip
// budget. State lives in SQLite (radio_* tables, radio-store.ts) so sessions survive restarts;
// the rules themselves are in radio-rules.ts.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { serviceErrorCodes } from '../../shared/service-errors.js';
import { invalidValue, notFound, ServiceError } from '../http.js';
import {
  defaultRadioConfig,
  keepsRadioRules,
  parseRadioEvents,
  type RadioConfig,
  type RadioEventType,
  type RadioRuleset,
  type RuleHistoryItem,
} from './radio-rules.js';
import { prepareRadioStatements, type HistoryRow, type EventRow, type SessionRow } from './radio-store.js';

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

export type RadioEngine = ReturnType<typeof createRadioEngine>;

export function createRadioEngine(deps: RadioEngineDeps) {
  // Long by design (over 80 lines): a createX factory whose closure is the engine's state (db, statements, clock); each inner function is short.
  const config: RadioConfig = { ...defaultRadioConfig, ...deps.config };
  const random = deps.random ?? Math.random;
  const db = deps.db;

  const stmt = prepareRadioStatements(db);

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
    const trackIds = stationPool(deps, input.playlistIds, input.userId);
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
      const pool = stmt.pool.all(sessionId).map((p) => p.track_id);
      const meta = pickTrack(deps, config, random, {
        country: session.country,
        history: stmt.history.all(sessionId),
        pool,
        at,
      });
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

  /**
   * Records a batch atomically: a skip beyond the budget (or an event for a track this session
   * never served) rejects the whole batch with 400/1002 and records nothing.
   */
  function postEvents(sessionId: string, caller: RadioCaller, body: unknown): { skipsRemaining: number } {
    const events = parseRadioEvents(body);
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
    return historyOf(row, stmt.history.all(sessionId), stmt.events.all(sessionId), skipsRemaining(row.id));
  }

  return {
    config,
    createSession,
    nextTrack,
    postEvents,
    deleteSession,
    history,
    skipsRemaining,
    parseEvents: parseRadioEvents,
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

/** The station's tracks: every playlist's, first occurrence only, known tracks only. */
function stationPool(deps: RadioEngineDeps, playlistIds: readonly string[], userId: string): string[] {
  const trackIds: string[] = [];
  const seen = new Set<string>();
  for (const playlistId of playlistIds) {
    const ids = deps.playlistTrackIds(playlistId, userId);
    if (!ids) throw notFound(`Playlist ${playlistId}`);
    for (const id of ids) {
      if (seen.has(id) || !deps.trackMeta(id)) continue;
      seen.add(id);
      trackIds.push(id);
    }
  }
  return trackIds;
}

/**
 * The next track: at random among the pool's tracks that are available in the session's country
 * and keep the rules, preferring those not heard within the rule window (404 when none is left).
 */
function pickTrack(
  deps: RadioEngineDeps,
  config: RadioConfig,
  random: () => number,
  session: { country: string; history: readonly HistoryRow[]; pool: readonly string[]; at: number },
): RadioTrackMeta {
  const { at } = session;
  const history = session.history.map(toRuleItem);
  const windowStart = at - config.radioRuleWindowSec * 1000;
  const recentlyPlayed = new Set(
    session.history.filter((h) => h.served_at > windowStart).map((h) => h.track_id),
  );
  let best: { meta: RadioTrackMeta; tier: number }[] = [];
  let bestTier = Number.POSITIVE_INFINITY;
  for (const trackId of session.pool) {
    const meta = deps.trackMeta(trackId);
    if (!meta) continue;
    if (deps.isTrackAvailableInCountry && !deps.isTrackAvailableInCountry(trackId, session.country)) continue;
    if (!keepsRadioRules(history, meta, at, config)) continue;
    // Prefer tracks not heard within the rule window.
    const tier = recentlyPlayed.has(trackId) ? 1 : 0;
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
  return choice.meta;
}

function historyOf(
  row: SessionRow,
  tracks: readonly HistoryRow[],
  events: readonly EventRow[],
  skipsRemaining: number,
): RadioHistory {
  return {
    sessionId: row.id,
    userId: row.user_id,
    ruleset: row.ruleset,
    country: row.country,
    playlistIds: JSON.parse(row.playlist_ids) as string[],
    createdAt: new Date(row.created_at).toISOString(),
    deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at).toISOString(),
    skipsRemaining,
    tracks: tracks.map((h) => ({
      trackId: h.track_id,
      releaseId: h.release_id,
      artistId: h.artist_id,
      isCompilation: h.is_compilation === 1,
      servedAt: new Date(h.served_at).toISOString(),
      resolution: h.resolution,
      resolvedAt: h.resolved_at === null ? null : new Date(h.resolved_at).toISOString(),
    })),
    events: events.map((e) => ({
      trackId: e.track_id,
      eventType: e.event_type,
      timestamp: e.timestamp,
      durationPlayed: e.duration_played,
      receivedAt: new Date(e.received_at).toISOString(),
    })),
  };
}
