// From a catalogue track to the audio it plays: which signal (its own, or its gapless release's
// timeline), where in it the track sits, and the track's mastering loudness. Signals are
// calibrated once per process and kept in a bounded map.
import { seededRandom } from '../../shared/random.js';
import { previewDurationSec } from './layout.js';
import { calibrateLoudness } from './loudness.js';
import { hashSeed, musicPlan, renderSignal, type SignalSpec, type StereoBuffer } from './synth.js';

export type AudioTrackInfo = {
  trackId: string;
  releaseId: string;
  title: string;
  artistName: string;
  releaseTitle: string;
  trackNumber: number;
  durationSec: number;
  /** Set when the track belongs to a gapless release: its tracks, in order. */
  gaplessRelease?: { trackId: string; durationSec: number }[];
};

/** Something that renders a fixed number of stereo samples, silence outside them. */
export type AudioSource = {
  durationSec: number;
  render(first: number, count: number, sampleRate: number): StereoBuffer;
};

export const loudnessRangeLufs = { min: -20, max: -8 } as const;

/** The track's mastering loudness (integrated, LUFS): fixed per track, or per gapless release. */
export function trackLoudnessLufs(
  track: Pick<AudioTrackInfo, 'trackId' | 'releaseId' | 'gaplessRelease'>,
): number {
  const seed = track.gaplessRelease ? `release:${track.releaseId}` : `track:${track.trackId}`;
  const random = seededRandom(hashSeed(`${seed}:loudness`));
  const { min, max } = loudnessRangeLufs;
  return Math.round((min + (max - min) * random()) * 10) / 10;
}

const signals = new Map<string, SignalSpec>();
function cachedSignal(key: string, build: () => SignalSpec): SignalSpec {
  const hit = signals.get(key);
  if (hit) {
    // Refresh its place in the map's insertion order (least recently used goes first).
    signals.delete(key);
    signals.set(key, hit);
    return hit;
  }
  const spec = build();
  signals.set(key, spec);
  if (signals.size > 2000) signals.delete(signals.keys().next().value as string);
  return spec;
}

function trackSignal(track: AudioTrackInfo): { spec: SignalSpec; offsetSec: number } {
  const release = track.gaplessRelease;
  if (!release) {
    const seed = `track:${track.trackId}`;
    const spec = cachedSignal(seed, () =>
      calibrateLoudness(
        {
          sections: [{ startSec: 0, durSec: track.durationSec, plan: musicPlan(seed), seed }],
          totalSec: track.durationSec,
          fadeInSec: 0.05,
          fadeOutSec: Math.min(2.5, track.durationSec / 4),
        },
        trackLoudnessLufs(track),
      ),
    );
    return { spec, offsetSec: 0 };
  }
  const releaseSeed = `release:${track.releaseId}`;
  const spec = cachedSignal(releaseSeed, () => {
    const shared = musicPlan(releaseSeed);
    let startSec = 0;
    const sections = release.map((t) => {
      const seed = `track:${t.trackId}`;
      const section = {
        startSec,
        durSec: t.durationSec,
        plan: musicPlan(seed, { tonic: shared.tonic, bpm: shared.bpm, scale: shared.scale }),
        seed,
      };
      startSec += t.durationSec;
      return section;
    });
    return calibrateLoudness(
      {
        sections,
        totalSec: startSec,
        fadeInSec: 0.05,
        fadeOutSec: 3,
        bed: { tonic: shared.tonic - 12, level: 0.06 },
      },
      trackLoudnessLufs(track),
    );
  });
  let offsetSec = 0;
  for (const t of release) {
    if (t.trackId === track.trackId) break;
    offsetSec += t.durationSec;
  }
  return { spec, offsetSec };
}

/** The track as streamed: its part of the signal (a gapless track's edges run on into its neighbours). */
export function trackSource(track: AudioTrackInfo): AudioSource {
  const { spec, offsetSec } = trackSignal(track);
  return {
    durationSec: track.durationSec,
    render: (first, count, sampleRate) =>
      renderSignal(spec, Math.round(offsetSec * sampleRate) + first, count, sampleRate),
  };
}

/** Where the 30-second preview clip starts: a fifth into the track. */
export function previewWindow(durationSec: number): { startSec: number; durationSec: number } {
  const length = previewDurationSec(durationSec);
  const startSec = Math.max(0, Math.min(durationSec - length, Math.round(durationSec * 0.2)));
  return { startSec, durationSec: length };
}

/** The preview clip: 30 s from a fifth into the track, faded in over 0.5 s and out over 1.5 s. */
export function previewSource(track: AudioTrackInfo): AudioSource {
  const { spec, offsetSec } = trackSignal(track);
  const window = previewWindow(track.durationSec);
  return {
    durationSec: window.durationSec,
    render(first, count, sampleRate) {
      const start = Math.round((offsetSec + window.startSec) * sampleRate);
      const out = renderSignal(spec, start + first, count, sampleRate);
      const total = Math.round(window.durationSec * sampleRate);
      const fadeIn = 0.5 * sampleRate;
      const fadeOut = Math.min(1.5 * sampleRate, total / 2);
      for (let i = 0; i < count; i++) {
        const n = first + i;
        const gain = n < 0 || n >= total ? 0 : Math.min(1, n / fadeIn, (total - n) / fadeOut);
        out.left[i] = (out.left[i] as number) * gain;
        out.right[i] = (out.right[i] as number) * gain;
      }
      return out;
    },
  };
}
