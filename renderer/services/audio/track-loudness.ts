// Loudness normalisation: each track's integrated loudness, measured from the segments it
// plays (decoded once more, off the output path), and the gain that brings it to the target.
// What was measured is remembered per track by the core (playback:saveLoudness), so a track
// heard before starts at its gain; a longer measurement replaces a shorter one. A release played
// straight through is measured as one (album gain): its tracks keep one gain, so a gapless
// album has no step at its boundaries (such a meter is not remembered as any one track's).
import type { AudioSettings, TrackLoudness as Remembered } from '../../../shared/ipc/contract.js';
import { createLoudnessMeter, type LoudnessMeter } from './loudness-meter.js';
import { aacFrameSamples } from './media-playlist.js';

export const normalisationTargets: Record<Exclude<AudioSettings['normalisation'], 'off'>, number> = {
  quiet: -23,
  normal: -14,
  loud: -11,
};
/** The gain never goes beyond these (the limiter catches the peaks of a boosted quiet track). */
const maxBoostDb = 12;
const maxCutDb = -18;
/** A measurement is saved again once this many more seconds were measured. */
const saveEverySec = 30;

/** Where measurements are kept between runs (the core). */
export type LoudnessStore = {
  get(trackId: string): Promise<Remembered | null>;
  save(trackId: string, loudness: Remembered): void;
};

export type TrackLoudness = {
  /** Looks up what was measured of `trackId` before; `then` runs once it is known. */
  recall(trackId: string, then: () => void): void;
  /**
   * Decodes a segment's ADTS and adds it to the meter of `key` (a track, or a release played
   * through); `ownTrack`: the segment is the key's own track (so the meter may be remembered).
   */
  measure(key: string, adts: Uint8Array, ownTrack: boolean): Promise<void>;
  /** The gain (dB) for `key` under the setting; null until something of it is known. */
  gainDb(key: string, normalisation: AudioSettings['normalisation']): number | null;
};

type Entry = { meter: LoudnessMeter; mixed: boolean; savedSec: number };

// One closure on purpose: the meters, what was recalled and the store are one piece of state.
export function createTrackLoudness(context: BaseAudioContext, store?: LoudnessStore): TrackLoudness {
  const entries = new Map<string, Entry>();
  const remembered = new Map<string, Remembered>();
  const entryFor = (key: string) => {
    let entry = entries.get(key);
    if (!entry) {
      entry = { meter: createLoudnessMeter(), mixed: false, savedSec: 0 };
      entries.set(key, entry);
    }
    return entry;
  };
  /** The longer of this run's measurement and the remembered one. */
  const best = (key: string): number | null => {
    const entry = entries.get(key);
    const own = entry?.meter.integrated() ?? null;
    const old = remembered.get(key);
    if (own !== null && (!old || (entry?.meter.measuredSec() ?? 0) >= old.measuredSec)) return own;
    return old?.lufs ?? own;
  };
  return {
    recall(trackId, then) {
      if (!store || remembered.has(trackId)) return;
      store
        .get(trackId)
        .then((found) => {
          if (!found) return;
          remembered.set(trackId, found);
          then();
        })
        .catch(() => undefined);
    },
    async measure(key, adts, ownTrack) {
      const decoded = await context.decodeAudioData(adts.slice().buffer);
      // The first frame of an independently decoded segment has no predecessor (or is the
      // priming frame): left out.
      const channels = Array.from({ length: decoded.numberOfChannels }, (_, c) =>
        decoded.getChannelData(c).subarray(aacFrameSamples),
      );
      const entry = entryFor(key);
      entry.meter.add(channels, decoded.sampleRate);
      if (!ownTrack) entry.mixed = true;
      const sec = entry.meter.measuredSec();
      const lufs = entry.meter.integrated();
      const old = remembered.get(key);
      if (!store || entry.mixed || lufs === null || sec - entry.savedSec < saveEverySec) return;
      if (old && old.measuredSec >= sec) return;
      entry.savedSec = sec;
      store.save(key, { lufs, measuredSec: sec });
    },
    gainDb(key, normalisation) {
      if (normalisation === 'off') return 0;
      const lufs = best(key);
      if (lufs === null) return null;
      return Math.max(maxCutDb, Math.min(maxBoostDb, normalisationTargets[normalisation] - lufs));
    },
  };
}
