import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../http.js';
import { migratedDb } from '../testing/migrated-db.js';
import type { RadioEngineDeps, RadioHistoryEntry, RadioTrackMeta } from './engine.js';
import { createRadioEngine } from './engine.js';

const caller = { consumerKey: 'key', userId: null };
const HOUR = 3600_000;

type World = { tracks: Map<string, RadioTrackMeta>; playlists: Map<string, string[]> };

function makeDeps(world: World, clock: { ms: number }, db = migratedDb(), seed = 1): RadioEngineDeps {
  let s = seed;
  return {
    db,
    now: () => new Date(clock.ms),
    playlistTrackIds: (id) => world.playlists.get(id),
    trackMeta: (id) => world.tracks.get(id),
    random: () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    },
  };
}

/** An independent, naive statement of the DMCA/GVL limits (notes rule 13). */
function violations(entries: readonly RadioHistoryEntry[]): string[] {
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    const t = Date.parse(entry.servedAt);
    const window = entries.slice(0, i + 1).filter((e) => Date.parse(e.servedAt) > t - 3 * HOUR);
    const perRelease = window.filter((e) => e.releaseId === entry.releaseId).length;
    const perArtist = window.filter((e) => e.artistId === entry.artistId).length;
    if (perRelease > 3) problems.push(`#${i}: ${perRelease} tracks of release ${entry.releaseId} within 3 h`);
    if (perArtist > 4) problems.push(`#${i}: ${perArtist} tracks by artist ${entry.artistId} within 3 h`);
    let releaseRun = 0;
    for (let j = i; j >= 0 && entries[j]?.releaseId === entry.releaseId; j--) releaseRun++;
    let artistRun = 0;
    for (let j = i; j >= 0 && entries[j]?.artistId === entry.artistId; j--) artistRun++;
    if (releaseRun > 2) problems.push(`#${i}: ${releaseRun} in a row from release ${entry.releaseId}`);
    if (artistRun > 3) problems.push(`#${i}: ${artistRun} in a row by artist ${entry.artistId}`);
  });
  return problems;
}

function anyCompliant(entries: readonly RadioHistoryEntry[], pool: RadioTrackMeta[], nowMs: number): boolean {
  return pool.some((meta) => {
    const served: RadioHistoryEntry = {
      trackId: meta.trackId,
      releaseId: meta.releaseId,
      artistId: meta.artistId,
      isCompilation: meta.isCompilation,
      servedAt: new Date(nowMs).toISOString(),
      resolution: null,
      resolvedAt: null,
    };
    return violations([...entries, served]).length === 0;
  });
}

const worldArbitrary = fc
  .record({
    artists: fc.integer({ min: 1, max: 7 }),
    releases: fc.array(
      fc.record({
        artist: fc.nat(),
        compilation: fc.boolean(),
        tracks: fc.integer({ min: 1, max: 10 }),
      }),
      { minLength: 1, maxLength: 10 },
    ),
  })
  .map(({ artists, releases }): World => {
    const tracks = new Map<string, RadioTrackMeta>();
    releases.forEach((release, r) => {
      for (let n = 0; n < release.tracks; n++) {
        const artist = release.compilation ? (release.artist + n) % artists : release.artist % artists;
        const trackId = `r${r}-t${n}`;
        tracks.set(trackId, {
          trackId,
          releaseId: `r${r}`,
          artistId: `a${artist}`,
          isCompilation: release.compilation,
        });
      }
    });
    const ids = [...tracks.keys()];
    return {
      tracks,
      playlists: new Map([
        ['pl-1', ids.filter((_, i) => i % 2 === 0)],
        ['pl-2', ids.filter((_, i) => i % 2 === 1)],
      ]),
    };
  });

const action = fc.oneof(
  fc.constant({ kind: 'next' as const }),
  fc.constant({ kind: 'complete' as const }),
  fc.constant({ kind: 'skip' as const }),
  fc.constant({ kind: 'pause' as const }),
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 0, max: 45 }) }),
);

describe('radio engine (property-based)', () => {
  it('never breaks the 3-hour limits, keeps the skip budget exact and next-track idempotent', () => {
    fc.assert(
      fc.property(
        worldArbitrary,
        fc.array(action, { minLength: 20, maxLength: 250 }),
        fc.constantFrom('dmca', 'gvl'),
        fc.nat(),
        (world, actions, ruleset, seed) => {
          const clock = { ms: Date.parse('2026-06-01T00:00:00Z') };
          const engine = createRadioEngine(makeDeps(world, clock, migratedDb(), seed + 1));
          const session = engine.createSession(caller, {
            userId: 'u',
            playlistIds: ['pl-1', 'pl-2'],
            ruleset,
          });
          expect(session.skipsRemaining).toBe(6);
          const pool = [
            ...new Set([...(world.playlists.get('pl-1') ?? []), ...(world.playlists.get('pl-2') ?? [])]),
          ].map((id) => world.tracks.get(id) as RadioTrackMeta);
          const skipTimes: number[] = [];
          const modelRemaining = () => 6 - skipTimes.filter((t) => t > clock.ms - HOUR).length;
          let current: string | null = null;
          const event = (trackId: string, eventType: string) => ({
            events: [{ trackId, eventType, timestamp: new Date(clock.ms).toISOString() }],
          });

          for (const step of actions) {
            if (step.kind === 'wait') {
              clock.ms += step.minutes * 60_000;
            } else if (step.kind === 'next') {
              try {
                const served = engine.nextTrack(session.sessionId, caller);
                if (current !== null) expect(served.trackId).toBe(current); // idempotent until resolved
                current = served.trackId;
                expect(served.skipAllowed).toBe(modelRemaining() > 0);
                expect(served.skipsRemaining).toBe(modelRemaining());
                // Idempotent: asking again gives the same track.
                expect(engine.nextTrack(session.sessionId, caller).trackId).toBe(served.trackId);
              } catch (error) {
                expect(error).toBeInstanceOf(ServiceError);
                expect((error as ServiceError).code).toBe(2001);
                expect(current).toBeNull();
                // Only when really nothing in the pool could be played now.
                expect(anyCompliant(engine.history(session.sessionId)?.tracks ?? [], pool, clock.ms)).toBe(
                  false,
                );
              }
            } else if (current !== null) {
              const before = engine.history(session.sessionId)?.events.length ?? 0;
              if (step.kind === 'skip' && modelRemaining() === 0) {
                expect(() =>
                  engine.postEvents(session.sessionId, caller, event(current as string, 'skip')),
                ).toThrow(expect.objectContaining({ status: 400, code: 1002 }));
                expect(engine.history(session.sessionId)?.events.length).toBe(before); // not recorded
              } else {
                const result = engine.postEvents(session.sessionId, caller, event(current, step.kind));
                if (step.kind === 'skip') skipTimes.push(clock.ms);
                expect(result.skipsRemaining).toBe(modelRemaining());
                if (step.kind !== 'pause') current = null;
              }
            }
            expect(engine.skipsRemaining(session.sessionId)).toBe(modelRemaining());
          }
          const history = engine.history(session.sessionId);
          expect(violations(history?.tracks ?? [])).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps the limits over a long (12 h) station with plenty of music', () => {
    const tracks = new Map<string, RadioTrackMeta>();
    // A 4-minute track every 4 minutes is 45 plays per 3 h: that needs ≥ 15 releases (3 each)
    // and ≥ 12 artists (4 each) — stations need that much variety to stay compliant.
    for (let r = 0; r < 24; r++) {
      for (let n = 0; n < 6; n++) {
        const id = `r${r}-${n}`;
        tracks.set(id, {
          trackId: id,
          releaseId: `r${r}`,
          artistId: `a${r % 20}`,
          isCompilation: r === 23,
        });
      }
    }
    const world: World = { tracks, playlists: new Map([['all', [...tracks.keys()]]]) };
    const clock = { ms: Date.parse('2026-06-01T00:00:00Z') };
    const engine = createRadioEngine(makeDeps(world, clock));
    const { sessionId } = engine.createSession(caller, { userId: 'u', playlistIds: ['all'] });
    for (let i = 0; i < 200; i++) {
      const served = engine.nextTrack(sessionId, caller);
      engine.postEvents(sessionId, caller, {
        events: [
          { trackId: served.trackId, eventType: 'complete', timestamp: new Date(clock.ms).toISOString() },
        ],
      });
      clock.ms += 4 * 60_000;
    }
    const history = engine.history(sessionId)?.tracks ?? [];
    expect(history.length).toBe(200);
    expect(violations(history)).toEqual([]);
  });
});

describe('radio engine sessions', () => {
  const world: World = {
    tracks: new Map(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id, i) => [
        id,
        {
          trackId: id,
          releaseId: `rel-${i % 4}`,
          artistId: `art-${i % 4}`,
          isCompilation: false,
        },
      ]),
    ),
    playlists: new Map([['pl', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']]]),
  };

  it('rejects unknown playlists (2001) and scopes sessions to their consumer key', () => {
    const engine = createRadioEngine(makeDeps(world, { ms: 0 }));
    expect(() => engine.createSession(caller, { userId: 'u', playlistIds: ['nope'] })).toThrow(
      expect.objectContaining({ code: 2001, status: 404 }),
    );
    const { sessionId } = engine.createSession(caller, { userId: 'u', playlistIds: ['pl'] });
    expect(() => engine.nextTrack(sessionId, { consumerKey: 'other', userId: null })).toThrow(
      expect.objectContaining({ code: 2001 }),
    );
    expect(() => engine.nextTrack(sessionId, { consumerKey: 'key', userId: 'someone-else' })).toThrow(
      expect.objectContaining({ code: 2001 }),
    );
  });

  it('uses exactly the rolling-hour skip budget: 6, then rejects, then recovers an hour later', () => {
    const clock = { ms: Date.parse('2026-06-01T00:00:00Z') };
    const engine = createRadioEngine(makeDeps(world, clock));
    const { sessionId } = engine.createSession(caller, { userId: 'u', playlistIds: ['pl'] });
    const skip = (trackId: string) => ({
      events: [{ trackId, eventType: 'skip', timestamp: new Date(clock.ms).toISOString() }],
    });
    for (let i = 0; i < 6; i++) {
      const served = engine.nextTrack(sessionId, caller);
      expect(served.skipAllowed).toBe(true);
      expect(engine.postEvents(sessionId, caller, skip(served.trackId)).skipsRemaining).toBe(5 - i);
      clock.ms += 60_000;
    }
    const served = engine.nextTrack(sessionId, caller);
    expect(served.skipAllowed).toBe(false);
    expect(() => engine.postEvents(sessionId, caller, skip(served.trackId))).toThrow(
      expect.objectContaining({ status: 400, code: 1002 }),
    );
    expect(engine.history(sessionId)?.events.filter((e) => e.eventType === 'skip').length).toBe(6);
    // The rejected skip did not resolve the track.
    expect(engine.nextTrack(sessionId, caller).trackId).toBe(served.trackId);
    // A batch with a valid complete and an over-budget skip records nothing.
    expect(() =>
      engine.postEvents(sessionId, caller, {
        events: [
          { trackId: served.trackId, eventType: 'complete', timestamp: new Date(clock.ms).toISOString() },
          { trackId: served.trackId, eventType: 'skip', timestamp: new Date(clock.ms).toISOString() },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: 1002 }));
    expect(engine.nextTrack(sessionId, caller).trackId).toBe(served.trackId);
    // One hour after the first skip, one skip is back.
    clock.ms = Date.parse('2026-06-01T01:00:00.001Z');
    expect(engine.skipsRemaining(sessionId)).toBe(1);
    expect(engine.nextTrack(sessionId, caller).skipAllowed).toBe(true);
    expect(engine.postEvents(sessionId, caller, skip(served.trackId)).skipsRemaining).toBe(0);
  });

  it('validates events (1001/1002) and only accepts tracks served in the session', () => {
    const engine = createRadioEngine(makeDeps(world, { ms: 0 }));
    const { sessionId } = engine.createSession(caller, { userId: 'u', playlistIds: ['pl'] });
    const { trackId } = engine.nextTrack(sessionId, caller);
    const at = new Date(0).toISOString();
    expect(() => engine.postEvents(sessionId, caller, {})).toThrow(expect.objectContaining({ code: 1001 }));
    expect(() =>
      engine.postEvents(sessionId, caller, { events: [{ trackId, eventType: 'rewind', timestamp: at }] }),
    ).toThrow(expect.objectContaining({ code: 1002 }));
    expect(() => engine.postEvents(sessionId, caller, { events: [{ trackId, eventType: 'start' }] })).toThrow(
      expect.objectContaining({ code: 1001 }),
    );
    expect(() =>
      engine.postEvents(sessionId, caller, {
        events: [{ trackId: 'zzz', eventType: 'start', timestamp: at }],
      }),
    ).toThrow(expect.objectContaining({ code: 1002 }));
    // start/pause/resume don't resolve the track; complete does.
    engine.postEvents(sessionId, caller, {
      events: ['start', 'pause', 'resume'].map((eventType) => ({
        trackId,
        eventType,
        timestamp: at,
        durationPlayed: 3,
      })),
    });
    expect(engine.nextTrack(sessionId, caller).trackId).toBe(trackId);
    engine.postEvents(sessionId, caller, {
      events: [{ trackId, eventType: 'complete', timestamp: at, durationPlayed: 40 }],
    });
    expect(engine.history(sessionId)?.tracks[0]?.resolution).toBe('complete');
    expect(engine.nextTrack(sessionId, caller).trackId).not.toBe(trackId);
  });

  it('answers 404/2001 for everything once a session is deleted, keeping its history', () => {
    const engine = createRadioEngine(makeDeps(world, { ms: 0 }));
    const { sessionId } = engine.createSession(caller, { userId: 'u', playlistIds: ['pl'] });
    const { trackId } = engine.nextTrack(sessionId, caller);
    engine.deleteSession(sessionId, caller);
    const gone = expect.objectContaining({ status: 404, code: 2001 });
    expect(() => engine.nextTrack(sessionId, caller)).toThrow(gone);
    expect(() =>
      engine.postEvents(sessionId, caller, {
        events: [{ trackId, eventType: 'complete', timestamp: new Date(0).toISOString() }],
      }),
    ).toThrow(gone);
    expect(() => engine.deleteSession(sessionId, caller)).toThrow(gone);
    expect(() => engine.nextTrack('00000000-0000-0000-0000-000000000000', caller)).toThrow(gone);
    expect(engine.history(sessionId)?.deletedAt).not.toBeNull();
    expect(engine.history(sessionId)?.tracks.map((t) => t.trackId)).toEqual([trackId]);
  });

  const dir = mkdtempSync(join(tmpdir(), 'septet-radio-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps sessions across restarts (SQLite file)', () => {
    const file = join(dir, 'state.db');
    const clock = { ms: 0 };
    const db1 = migratedDb(file);
    const engine1 = createRadioEngine(makeDeps(world, clock, db1));
    const { sessionId } = engine1.createSession(caller, { userId: 'u', playlistIds: ['pl'] });
    const first = engine1.nextTrack(sessionId, caller);
    engine1.postEvents(sessionId, caller, {
      events: [{ trackId: first.trackId, eventType: 'skip', timestamp: new Date(0).toISOString() }],
    });
    const second = engine1.nextTrack(sessionId, caller);
    db1.close();

    const db2 = migratedDb(file);
    const engine2 = createRadioEngine(makeDeps(world, clock, db2));
    expect(engine2.nextTrack(sessionId, caller).trackId).toBe(second.trackId);
    expect(engine2.skipsRemaining(sessionId)).toBe(5);
    expect(engine2.history(sessionId)?.tracks.length).toBe(2);
    db2.close();
  });
});
