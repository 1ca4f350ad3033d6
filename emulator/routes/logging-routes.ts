// Play logging (notes §4, rules 17–21): each log validated, batches atomic (1008 with
// per-item errors), size and rate limits, accepted logs recorded exactly as received.
import type { ServerResponse } from 'node:http';
import type { EmulatorRequest, Router } from '../http.js';
import { ServiceError, invalidValue, missingParameter, readJsonBody, sendJson } from '../http.js';
import type { LogEndpoint, ReceivedLog } from '../state/play-logs.js';
import type { RouteContext } from './context.js';

const dateTimeRe = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const enums: Record<string, readonly string[]> = {
  playMode: ['online', 'offline', 'online-cached'],
  endReason: ['naturalEnd', 'userSkipped', 'other'],
  playType: ['view', 'creation'],
};
type ItemError = { code: number; message: string; index: number };

export function registerLoggingRoutes(router: Router, ctx: RouteContext): void {
  // Long by design (over 80 lines): a table of routes, one short entry per route.
  const { state, config, catalogue } = ctx;

  const limits: Record<LogEndpoint, { max: number; perSec: number }> = {
    preview: { max: config.previewLogMaxPerRequest, perSec: config.previewLogRequestsPerSec },
    subscriber: { max: config.subscriberLogMaxPerRequest, perSec: config.subscriberLogRequestsPerSec },
    catalogue: { max: config.catalogueLogMaxPerRequest, perSec: config.catalogueLogRequestsPerSec },
  };

  const validateItem = (
    endpoint: LogEndpoint,
    item: unknown,
    index: number,
    authUserId: string | null,
    now: number,
  ): ItemError | ReceivedLog => {
    const fail = (code: number, message: string): ItemError => ({ code, message, index });
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return fail(1002, 'A log must be an object');
    const log = item as Record<string, unknown>;
    const trackId = log.trackId;
    if (trackId === undefined) return fail(1001, 'Missing "trackId"');
    if (typeof trackId !== 'string' && typeof trackId !== 'number')
      return fail(1002, 'trackId must be a string');
    const track = catalogue.tracks.get(String(trackId));
    if (!track) return fail(2001, `Track not found: ${String(trackId).slice(0, 64)}`);
    const timestamp = log.timestamp ?? log.dateTimePlayed;
    if (timestamp === undefined) return fail(1001, 'Missing "timestamp"');
    if (typeof timestamp !== 'string' || !dateTimeRe.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
      return fail(1002, "'Date Time Played' is not a valid ISO 8601 date-time.");
    }
    const at = Date.parse(timestamp);
    if (at > now + config.logFutureToleranceSec * 1000)
      return fail(1002, "'Date Time Played' cannot be in the future.");
    if (at < now - config.logMaxAgeDays * 86_400_000)
      return fail(1002, "'Date Time Played' cannot be too much in the past.");
    for (const name of ['durationPlayed', 'totalTimePlayed']) {
      const value = log[name];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        return fail(1002, `${name} must be a non-negative integer`);
      if (value > track.durationSec) return fail(1002, `${name} is longer than the track`);
    }
    for (const [name, allowed] of Object.entries(enums)) {
      const value = log[name];
      if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
        return fail(1002, `${name} must be one of ${allowed.join(', ')}`);
      }
    }
    for (const name of ['userId', 'clientId', 'country', 'userAgent', 'releaseId']) {
      const value = log[name];
      if (value !== undefined && typeof value !== 'string') return fail(1002, `${name} must be a string`);
    }
    if (typeof log.country === 'string' && !/^[A-Z]{2}$/.test(log.country))
      return fail(1002, 'country must be an ISO 3166-1 alpha-2 code');
    const userId = typeof log.userId === 'string' ? log.userId : authUserId;
    if (endpoint === 'subscriber') {
      if (userId === null) return fail(1001, 'Missing "userId"');
      if (!state.hasEverHadSubscription(userId)) return fail(1003, 'User has never had a subscription');
    }
    return {
      endpoint,
      consumerKey: '',
      userId,
      clientId: typeof log.clientId === 'string' ? log.clientId : null,
      trackId: String(trackId),
      timestamp,
      body: item,
    };
  };

  const handle = (endpoint: LogEndpoint) => (req: EmulatorRequest, res: ServerResponse) => {
    const limit = limits[endpoint];
    ctx.rate.perSecond(`log:${endpoint}`, req.auth.consumerKey, limit.perSec);
    const body = readJsonBody(req);
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw invalidValue('body', 'expected an object with "logs"');
    const record = body as Record<string, unknown>;
    const items = record.logs ?? record.playLogItem;
    if (items === undefined) throw missingParameter('logs');
    if (!Array.isArray(items)) throw invalidValue('logs', 'expected an array');
    if (items.length > limit.max) {
      throw new ServiceError(
        config.logBatchOverLimitStatus,
        1003,
        `Too many logs in one request: at most ${limit.max}`,
      );
    }
    const now = state.now();
    const accepted: ReceivedLog[] = [];
    const errors: ItemError[] = [];
    items.forEach((item: unknown, index) => {
      const result = validateItem(endpoint, item, index, req.auth.userId, now);
      if ('index' in result) errors.push(result);
      else accepted.push({ ...result, consumerKey: req.auth.consumerKey });
    });
    if (errors.length > 0) throw new ServiceError(400, 1008, 'One or more logs contain an error', errors);
    state.recordLogs(accepted);
    sendJson(res, 202, { status: 'ok', playLogs: { count: accepted.length } });
  };

  router.add('POST', '/logging/preview', handle('preview'));
  router.add('POST', '/logging/subscriber', handle('subscriber'));
  router.add('POST', '/logging/catalogue', handle('catalogue'));
}
