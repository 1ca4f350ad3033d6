// The equaliser's presets: gains (dB) for the 10 bands, 31 Hz … 16 kHz, and a pre-amp that
// keeps a boost from driving the limiter. Flat leaves the equaliser out of the graph.
import type { AudioSettings, EqualiserPreset } from '../../../shared/ipc/contract.js';

type Preset = { label: string; preampDb: number; bandsDb: number[] };

export const equaliserPresets: Record<Exclude<EqualiserPreset, 'custom'>, Preset> = {
  flat: { label: 'Flat', preampDb: 0, bandsDb: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  bass: { label: 'Bass boost', preampDb: -5, bandsDb: [6, 5, 4, 2, 0, 0, 0, 0, 0, 0] },
  treble: { label: 'Treble boost', preampDb: -5, bandsDb: [0, 0, 0, 0, 0, 1, 2, 4, 5, 6] },
  vocal: { label: 'Vocal', preampDb: -3, bandsDb: [-2, -2, -1, 1, 3, 3, 2, 1, 0, -1] },
  rock: { label: 'Rock', preampDb: -4, bandsDb: [4, 3, 1, 0, -1, 0, 1, 3, 4, 4] },
  classical: { label: 'Classical', preampDb: -3, bandsDb: [3, 2, 1, 0, 0, 0, -1, 1, 2, 3] },
  electronic: { label: 'Electronic', preampDb: -4, bandsDb: [5, 4, 1, 0, -2, 1, 0, 1, 4, 5] },
};

export const bandLabels = ['31', '62', '125', '250', '500', '1k', '2k', '4k', '8k', '16k'] as const;

/** The equaliser set to a preset. */
export function withPreset(
  eq: AudioSettings['equaliser'],
  preset: EqualiserPreset,
): AudioSettings['equaliser'] {
  if (preset === 'custom') return { ...eq, preset };
  const { preampDb, bandsDb } = equaliserPresets[preset];
  return { ...eq, preset, preampDb, bandsDb: [...bandsDb] };
}

/** One band moved by the listener: the equaliser becomes custom. */
export function withBand(
  eq: AudioSettings['equaliser'],
  band: number,
  db: number,
): AudioSettings['equaliser'] {
  const bandsDb = eq.bandsDb.map((g, i) => (i === band ? db : g));
  return { ...eq, preset: 'custom', bandsDb };
}
