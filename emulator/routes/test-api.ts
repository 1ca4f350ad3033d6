// The test-only API under /_emulator/ (unsigned, loopback only): received logs, radio
// history, clock offset, fault injection, subscription expiry.
import { z } from 'zod';
import type { Catalogue } from '../catalogue.js';
import type { Faults } from '../faults.js';
import { FaultInput } from '../faults.js';
import type { Router } from '../http.js';
import { invalidValue, notFound, parseBody, readJsonBody, sendJson } from '../http.js';
import type { EmulatorState, LogEndpoint } from '../state.js';

/** What the radio module exposes for inspection (its session history). */
export type RadioInspector = { history(sessionId: string): unknown };

const ClockRequest = z.object({
  offsetMs: z
    .number()
    .int()
    .min(-10 * 365 * 86_400_000)
    .max(10 * 365 * 86_400_000),
});
const logEndpoints: readonly LogEndpoint[] = ['subscriber', 'catalogue', 'preview'];

export function registerTestApi(
  router: Router,
  deps: { state: EmulatorState; faults: Faults; radio: () => RadioInspector | null; catalogue: Catalogue },
): void {
  const { state, faults } = deps;
  router.add('GET', '/_emulator/logs', (req, res) => {
    const endpoint = req.query.get('endpoint');
    if (!logEndpoints.includes(endpoint as LogEndpoint))
      throw invalidValue('endpoint', `expected one of ${logEndpoints.join(', ')}`);
    sendJson(res, 200, state.receivedLogs(endpoint as LogEndpoint));
  });
  router.add('GET', '/_emulator/radio/{sessionId}/history', (req, res) => {
    const history = deps.radio()?.history(req.params.sessionId ?? '');
    if (history === undefined || history === null) throw notFound('Radio session');
    sendJson(res, 200, history);
  });
  router.add('GET', '/_emulator/clock', (_req, res) => {
    sendJson(res, 200, { offsetMs: state.getClockOffset(), now: new Date(state.now()).toISOString() });
  });
  router.add('POST', '/_emulator/clock', (req, res) => {
    const body = parseBody(ClockRequest, readJsonBody(req));
    state.setClockOffset(body.offsetMs);
    sendJson(res, 200, { offsetMs: body.offsetMs, now: new Date(state.now()).toISOString() });
  });
  router.add('GET', '/_emulator/faults', (_req, res) => {
    sendJson(res, 200, { faults: faults.list() });
  });
  router.add('POST', '/_emulator/faults', (req, res) => {
    const body = parseBody(FaultInput, readJsonBody(req));
    sendJson(res, 201, { id: faults.add(body) });
  });
  router.add('DELETE', '/_emulator/faults', (_req, res) => {
    sendJson(res, 200, { removed: faults.clear() });
  });
  router.add('DELETE', '/_emulator/faults/{id}', (req, res) => {
    if (!faults.remove(req.params.id ?? '')) throw notFound('Fault');
    sendJson(res, 200, { removed: 1 });
  });
  router.add('POST', '/_emulator/subscriptions/{userId}/expire', (req, res) => {
    const userId = req.params.userId ?? '';
    if (!state.getUser(userId)) throw notFound('User');
    sendJson(res, 200, { userId, expired: state.expireSubscriptions(userId) });
  });
  router.add('GET', '/_emulator/audio-set', (_req, res) => {
    sendJson(res, 200, { tracks: deps.catalogue.audioSetTracks() });
  });
}
