// The four Interactive Radio operations over the radio engine (notes §3.3, rules 12–16).
import type { components } from '../../shared/api/types.gen.js';
import type { EmulatorRequest, Router } from '../http.js';
import { invalidValue, missingParameter, readJsonBody, sendJson, sendNoContent } from '../http.js';
import { isTrackAvailableInCountry, type RouteContext } from '../routes/context.js';
import type { RadioEngine, RadioEngineDeps } from './engine.js';
import { createRadioEngine } from './engine.js';
import { radioRulesets, type RadioRuleset } from './radio-rules.js';

type Track = components['schemas']['Track'];
type RadioTrack = components['schemas']['RadioTrack'];
type RadioSession = components['schemas']['RadioSession'];

export type RadioRouteDeps = RadioEngineDeps & {
  /** The spec's Track object for a track id (the catalogue's rendering). */
  trackJson(trackId: string): Track | undefined;
  /** Where the client streams a radio track (e.g. `${baseUrl}/streaming/catalogue/{id}/hls`). */
  streamUrl(trackId: string): string;
};

const caller = (req: EmulatorRequest) => ({ consumerKey: req.auth.consumerKey, userId: req.auth.userId });

/**
 * Registers the radio operations over the emulator's state and catalogue (the route context);
 * returns the engine (its `history()` backs the test API).
 */
export function registerRadioRoutes(router: Router, ctx: RouteContext): RadioEngine {
  return registerRadioRoutesWithDeps(router, radioRouteDeps(ctx));
}

/** What the radio engine and routes read of the emulator's state, catalogue and settings. */
export function radioRouteDeps(ctx: RouteContext): RadioRouteDeps {
  const { state, catalogue } = ctx;
  return {
    db: state.db,
    now: () => new Date(state.now()),
    config: ctx.config,
    playlistTrackIds(playlistId, userId) {
      const playlist = state.getPlaylist(playlistId);
      if (!playlist || (playlist.userId !== null && playlist.userId !== userId)) return undefined;
      return state.playlistTracks(playlistId).map((t) => t.trackId);
    },
    trackMeta(trackId) {
      const t = catalogue.tracks.get(trackId);
      const release = t ? catalogue.releases.get(t.releaseId) : undefined;
      if (!t || !release) return undefined;
      return {
        trackId: t.id,
        releaseId: t.releaseId,
        artistId: t.artistId,
        isCompilation: release.type === 'compilation',
      };
    },
    isTrackAvailableInCountry: (trackId, country) => isTrackAvailableInCountry(catalogue, trackId, country),
    userCountry: (userId) => state.getUserCountry(userId) ?? undefined,
    userExists: (userId) => state.getUser(userId) !== null,
    trackJson: (trackId) => ctx.views.trackById(trackId) ?? undefined,
    streamUrl: (trackId) => `${ctx.baseUrl()}/streaming/catalogue/${trackId}/hls`,
  };
}

/** The radio operations over a small deps object (the route tests give them fakes). */
export function registerRadioRoutesWithDeps(router: Router, deps: RadioRouteDeps): RadioEngine {
  const engine = createRadioEngine(deps);

  router.add('POST', '/interactive-radio/sessions', (req, res) => {
    const body = readJsonBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalidValue('body', 'must be a JSON object');
    const { userId, playlistIds, ruleset, country } = body as Record<string, unknown>;
    if (userId === undefined || userId === null || userId === '') throw missingParameter('userId');
    if (typeof userId !== 'string') throw invalidValue('userId', 'must be a string');
    if (playlistIds === undefined) throw missingParameter('playlistIds');
    if (!Array.isArray(playlistIds) || playlistIds.some((id) => typeof id !== 'string' || id === '')) {
      throw invalidValue('playlistIds', 'must be an array of playlist ids');
    }
    if (playlistIds.length === 0) throw missingParameter('playlistIds');
    if (ruleset !== undefined && !radioRulesets.includes(ruleset as RadioRuleset)) invalidRuleset(ruleset);
    if (country !== undefined && (typeof country !== 'string' || !/^[A-Za-z]{2}$/.test(country))) {
      throw invalidValue('country', String(country));
    }
    const session: RadioSession = engine.createSession(caller(req), {
      userId,
      playlistIds: playlistIds as string[],
      ...(ruleset !== undefined ? { ruleset: ruleset as RadioRuleset } : {}),
      ...(country !== undefined ? { country: country as string } : {}),
    });
    sendJson(res, 201, session);
  });

  router.add('GET', '/interactive-radio/sessions/{sessionId}/next-track', (req, res) => {
    const served = engine.nextTrack(req.params.sessionId ?? '', caller(req));
    const track = deps.trackJson(served.trackId);
    if (!track) throw invalidValue('trackId', 'the served track left the catalogue');
    const body: RadioTrack = {
      track,
      streamUrl: deps.streamUrl(served.trackId),
      skipAllowed: served.skipAllowed,
    };
    sendJson(res, 200, body);
  });

  router.add('POST', '/interactive-radio/sessions/{sessionId}/events', (req, res) => {
    engine.postEvents(req.params.sessionId ?? '', caller(req), readJsonBody(req));
    sendNoContent(res, 202);
  });

  router.add('DELETE', '/interactive-radio/sessions/{sessionId}', (req, res) => {
    engine.deleteSession(req.params.sessionId ?? '', caller(req));
    sendNoContent(res, 204);
  });

  return engine;
}

function invalidRuleset(value: unknown): never {
  throw invalidValue('ruleset', `${String(value)} (expected one of ${radioRulesets.join(', ')})`);
}
