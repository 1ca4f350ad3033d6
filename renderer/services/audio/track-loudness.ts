// Loudness normalisation: each track's integrated loudness, measured from the segments it
// plays (decoded once more, off the output path), and the gain that brings it to the target.
// A release played straight through is measured as one (album gain): its tracks keep one gain,
// so a gapless album has no step at its boundaries. Measurements are kept for the session.
import type { AudioSettings } from '../../../shared/ipc/contract.js';
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

export type TrackLoudness = {
  /** Decodes a segment's ADTS and adds it to the meter of `key` (a track, or a release played through). */
  measure(key: string, adts: Uint8Array): Promise<void>;
  /** The gain (dB) for `key` under the setting; null until something of it was measured. */
  gainDb(key: string, normalisation: AudioSettings['normalisation']): number | null;
  loudness(key: string): number | null;
};

export function createTrackLoudness(context: BaseAudioContext): TrackLoudness {
  const meters = new Map<string, LoudnessMeter>();
  const meterFor = (key: string) => {
    let meter = meters.get(key);
    if (!meter) {
      meter = createLoudnessMeter();
      meters.set(key, meter);
    }
    return meter;
  };
  return {
    async measure(key, adts) {
      const decoded = await context.decodeAudioData(adts.slice().buffer);
      // The first frame of an independently decoded segment has no predecessor (or is the
      // priming frame): left out.
      const channels = Array.from({ length: decoded.numberOfChannels }, (_, c) =>
        decoded.getChannelData(c).subarray(aacFrameSamples),
      );
      meterFor(key).add(channels, decoded.sampleRate);
    },
    gainDb(key, normalisation) {
      if (normalisation === 'off') return 0;
      const lufs = meters.get(key)?.integrated() ?? null;
      if (lufs === null) return null;
      return Math.max(maxCutDb, Math.min(maxBoostDb, normalisationTargets[normalisation] - lufs));
    },
    loudness: (key) => meters.get(key)?.integrated() ?? null,
  };
}
