// The one WebAudio graph behind the player: every source (the engine's two <audio> elements,
// which play HLS through MediaSource and progressive files directly) → per-track gain (loudness
// normalisation) → crossfade gain → equaliser (pre-amp and 10 bands, left out when flat) →
// limiter → master volume → output. `bypass` sends the sources straight to the master volume.
import type { AudioSettings } from '../../../shared/ipc/contract.js';

export const eqFrequencies = [31, 62, 125, 250, 500, 1000, 2000, 4000, 8000, 16000] as const;

/** One source's way into the graph: its normalisation gain and its crossfade gain. */
export type GraphInput = {
  /** The normalisation gain of what this source plays, in dB; ramped so a change makes no click. */
  setTrackGain(db: number, atTime?: number): void;
  /** An equal-power fade of this source from its gain now to `to` (0 or 1) over `sec` seconds. */
  fade(to: 0 | 1, sec: number): void;
  /** Full level at once (no fade in progress). */
  resetFade(): void;
  trackGainDb(): number;
};

export type AudioGraph = {
  readonly context: AudioContext;
  /** The last node before the output (a tap for measuring what is heard). */
  readonly output: AudioNode;
  /** Routes a media element into the graph (once per element). */
  addSource(element: HTMLMediaElement): GraphInput;
  /** Starts the context (it may start suspended until the listener's first gesture). */
  resume(): void;
  setEqualiser(eq: AudioSettings['equaliser']): void;
  setVolume(volume: number, muted: boolean): void;
  /** Normalisation, equaliser and limiter left out: the sources straight to the master volume. */
  setBypass(bypass: boolean): void;
  isEqualiserActive(): boolean;
  /** The normalisation gain being applied to the loudest input (dB), for diagnostics. */
  trackGainDb(): number;
};

const fadeSteps = 64;
/** Equal-power fade curves: sin/cos quarter waves. */
function fadeCurve(from: number, to: number): Float32Array {
  const curve = new Float32Array(fadeSteps);
  for (let i = 0; i < fadeSteps; i++) {
    const x = i / (fadeSteps - 1);
    const f = to > from ? Math.sin((x * Math.PI) / 2) : Math.cos((x * Math.PI) / 2);
    curve[i] = Math.min(from, to) + Math.abs(to - from) * f;
  }
  return curve;
}

// One closure on purpose (over 80 lines): the nodes are one graph, rewired as a whole when the
// equaliser comes in or out or the graph is bypassed.
export function createAudioGraph(): AudioGraph {
  const context = new AudioContext({ latencyHint: 'playback', sampleRate: 48_000 });
  const inputs: { source: MediaElementAudioSourceNode; gain: GainNode; fade: GainNode }[] = [];
  const bus = context.createGain();
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
    for (const node of [bus, preamp, ...bands, limiter]) node.disconnect();
    for (const input of inputs) {
      input.source.disconnect();
      input.gain.disconnect();
      input.source.connect(bypass ? input.fade : input.gain);
      if (!bypass) input.gain.connect(input.fade);
    }
    if (bypass) {
      bus.connect(master);
      return;
    }
    let last: AudioNode = bus;
    if (eqActive) {
      bus.connect(preamp);
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
    addSource(element) {
      const input = {
        source: context.createMediaElementSource(element),
        gain: context.createGain(),
        fade: context.createGain(),
      };
      input.fade.connect(bus);
      inputs.push(input);
      wire();
      return {
        setTrackGain(db, atTime) {
          const at = Math.max(context.currentTime, atTime ?? context.currentTime);
          input.gain.gain.cancelScheduledValues(at);
          input.gain.gain.setTargetAtTime(10 ** (db / 20), at, 0.05);
        },
        fade(to, sec) {
          const now = context.currentTime;
          const from = input.fade.gain.value;
          input.fade.gain.cancelScheduledValues(now);
          input.fade.gain.setValueCurveAtTime(fadeCurve(from, to), now, Math.max(0.01, sec));
        },
        resetFade() {
          input.fade.gain.cancelScheduledValues(context.currentTime);
          input.fade.gain.value = 1;
        },
        trackGainDb: () => 20 * Math.log10(Math.max(input.gain.gain.value, 1e-6)),
      };
    },
    resume() {
      if (context.state === 'suspended') void context.resume().catch(() => undefined);
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
      master.gain.setTargetAtTime(muted ? 0 : volume, context.currentTime, 0.015);
    },
    setBypass(next) {
      if (next === bypass) return;
      bypass = next;
      wire();
    },
    isEqualiserActive: () => eqActive,
    trackGainDb: () => {
      const loudest = inputs.reduce(
        (best, i) => (i.fade.gain.value > (best?.fade.gain.value ?? -1) ? i : best),
        inputs[0],
      );
      return loudest ? 20 * Math.log10(Math.max(loudest.gain.gain.value, 1e-6)) : 0;
    },
  };
}
