// The Interactive Radio rules (notes §3, rules 12–16): rulesets, the DMCA/GVL limits over the
// rolling 3-hour window and on runs in a row, and the events a session may receive.
import { defaultConfig, type EmulatorConfig } from '../config.js';
import { invalidValue, missingParameter } from '../http.js';

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
  candidate: Omit<RuleHistoryItem, 'servedAtMs'>,
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

export type RadioEventInput = {
  trackId: string;
  eventType: RadioEventType;
  timestamp: string;
  durationPlayed?: number;
};

/** Validates a batch (throws the envelope error) without touching state. */
export function parseRadioEvents(body: unknown): RadioEventInput[] {
  if (typeof body !== 'object' || body === null || !('events' in body)) throw missingParameter('events');
  const events = (body as { events: unknown }).events;
  if (!Array.isArray(events)) throw invalidValue('events', 'must be an array');
  return events.map((raw: unknown, index): RadioEventInput => {
    if (typeof raw !== 'object' || raw === null) throw invalidValue(`events[${index}]`, 'must be an object');
    const e = raw as Record<string, unknown>;
    if (typeof e.trackId !== 'string' || e.trackId === '') throw missingParameter(`events[${index}].trackId`);
    if (typeof e.eventType !== 'string' || e.eventType === '')
      throw missingParameter(`events[${index}].eventType`);
    if (!eventTypes.includes(e.eventType as RadioEventType))
      throw invalidValue(`events[${index}].eventType`, e.eventType);
    if (typeof e.timestamp !== 'string' || e.timestamp === '')
      throw missingParameter(`events[${index}].timestamp`);
    if (Number.isNaN(Date.parse(e.timestamp))) throw invalidValue(`events[${index}].timestamp`, e.timestamp);
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
