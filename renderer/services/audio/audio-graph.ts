// The one WebAudio graph behind the player: every source (the engine's <audio> element, which
// plays HLS through MediaSource and progressive files directly) → per-track gain (loudness
// normalisation) → equaliser (pre-amp and 10 bands, left out when flat) → limiter → master
// volume → output. `bypass` connects the source straight to the master volume (for comparison).
import type { AudioSettings } from '../../../shared/ipc/contract.js';

export const eqFrequencies = [31, 62, 125, 250, 500, 1000, 2000, 4000, 8000, 16000] as const;

export type AudioGraph = {
  readonly context: AudioContext;
  /** The last node before the output (a tap for measuring what is heard). */
  readonly output: AudioNode;
  /** Starts the context (it may start suspended until the listener's first gesture). */
  resume(): void;
  /** The normalisation gain of what plays now, in dB; ramped so a change makes no click. */
  setTrackGain(db: number, atTime?: number): void;
  setEqualiser(eq: AudioSettings['equaliser']): void;
  setVolume(volume: number, muted: boolean): void;
  /** Everything but the master volume left out (the same playback with no processing). */
  setBypass(bypass: boolean): void;
  isEqualiserActive(): boolean;
  /** The normalisation gain being applied (dB). */
  trackGainDb(): number;
};

export function createAudioGraph(element: HTMLMediaElement): AudioGraph {
  const context = new AudioContext({ latencyHint: 'playback', sampleRate: 48_000 });
  const source = context.createMediaElementSource(element);
  const trackGain = context.createGain();
  const preamp = context.createGain();
  const bands = eqFrequencies.map((frequency, i) => {
    const filter = context.createBiquadFilter();
    filter.type = i === 0 ? 'lowshelf' : i === eqFrequencies.length - 1 ? 'highshelf' : 'peaking';
    filter.frequency.value = frequency;
    filter.Q.value = 1.1;
    return filter;
  });
  // A brick-wall-like limiter: 1 dB below full scale, fast attack, hard ratio.
  const limiter = context.createDynamicsCompressor();
  limiter.threshold.value = -1;
  limiter.knee.value = 0;
  limiter.ratio.value = 20;
  limiter.attack.value = 0.002;
  limiter.release.value = 0.1;
  const master = context.createGain();
  master.connect(context.destination);

  let eqActive = false;
  let bypass = false;
  const wire = () => {
    for (const node of [source, trackGain, preamp, ...bands, limiter]) node.disconnect();
    if (bypass) {
      source.connect(master);
      return;
    }
    source.connect(trackGain);
    let last: AudioNode = trackGain;
    if (eqActive) {
      trackGain.connect(preamp);
      last = preamp;
      for (const band of bands) {
        last.connect(band);
        last = band;
      }
    }
    last.connect(limiter);
    limiter.connect(master);
  };
  wire();

  return {
    context,
    output: master,
    resume() {
      if (context.state === 'suspended') void context.resume().catch(() => undefined);
    },
    setTrackGain(db, atTime) {
      const at = Math.max(context.currentTime, atTime ?? context.currentTime);
      trackGain.gain.cancelScheduledValues(at);
      trackGain.gain.setTargetAtTime(10 ** (db / 20), at, 0.05);
    },
    setEqualiser(eq) {
      const active = eq.enabled && (eq.preampDb !== 0 || eq.bandsDb.some((g) => g !== 0));
      preamp.gain.value = 10 ** (eq.preampDb / 20);
      bands.forEach((band, i) => {
        band.gain.value = eq.bandsDb[i] ?? 0;
      });
      if (active !== eqActive) {
        eqActive = active;
        wire();
      }
    },
    setVolume(volume, muted) {
      const target = muted ? 0 : volume;
      master.gain.setTargetAtTime(target, context.currentTime, 0.015);
    },
    setBypass(next) {
      if (next === bypass) return;
      bypass = next;
      wire();
    },
    isEqualiserActive: () => eqActive,
    trackGainDb: () => 20 * Math.log10(Math.max(trackGain.gain.value, 1e-6)),
  };
}
