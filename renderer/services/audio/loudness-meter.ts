// Integrated loudness (ITU-R BS.1770-4 / EBU R128) of what a track plays, measured from its
// decoded audio: K-weighting, 400 ms blocks every 100 ms, the absolute gate at −70 LUFS and
// the relative gate 10 LU below. A track's meter is fed segment by segment, so its loudness is
// known from the first segments and refined as the track plays.

/** The K-weighting filters at 48 kHz (BS.1770-4, table 1 and 2). */
const shelf = {
  b: [1.53512485958697, -2.69169618940638, 1.19839281085285],
  a: [-1.69065929318241, 0.73248077421585],
};
const highPass = { b: [1, -2, 1], a: [-1.99004745483398, 0.99007225036621] };
const subBlockSec = 0.1;
const absoluteGateLufs = -70;

export type LoudnessMeter = {
  /** Adds decoded audio (one array per channel) at 48 kHz. */
  add(channels: Float32Array[], sampleRate: number): void;
  /** Integrated loudness so far (LUFS), null until 400 ms above the absolute gate were heard. */
  integrated(): number | null;
  /** Seconds of audio measured. */
  measuredSec(): number;
};

export function createLoudnessMeter(): LoudnessMeter {
  // Mean square (channels summed) of every 100 ms sub-block; four make a 400 ms block.
  const subBlocks: number[] = [];
  let partial = 0;
  let partialCount = 0;
  let samples = 0;
  return {
    add(channels, sampleRate) {
      const size = Math.round(subBlockSec * sampleRate);
      const weighted = channels.map((c) => kWeight(c));
      const length = weighted[0]?.length ?? 0;
      for (let i = 0; i < length; i++) {
        let energy = 0;
        for (const w of weighted) energy += (w[i] as number) * (w[i] as number);
        partial += energy;
        partialCount += 1;
        if (partialCount === size) {
          subBlocks.push(partial / size);
          partial = 0;
          partialCount = 0;
        }
      }
      samples += length;
    },
    integrated: () => integratedLoudness(subBlocks),
    measuredSec: () => samples / 48_000,
  };
}

/** BS.1770 gating over 100 ms sub-block energies. */
export function integratedLoudness(subBlocks: readonly number[]): number | null {
  const blocks: number[] = [];
  for (let i = 0; i + 4 <= subBlocks.length; i++) {
    const energy =
      ((subBlocks[i] as number) +
        (subBlocks[i + 1] as number) +
        (subBlocks[i + 2] as number) +
        (subBlocks[i + 3] as number)) /
      4;
    if (toLufs(energy) > absoluteGateLufs) blocks.push(energy);
  }
  if (blocks.length === 0) return null;
  const relativeGate = toLufs(mean(blocks)) - 10;
  const gated = blocks.filter((e) => toLufs(e) > relativeGate);
  return toLufs(mean(gated));
}

const toLufs = (energy: number) => -0.691 + 10 * Math.log10(Math.max(energy, 1e-12));
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

function kWeight(input: Float32Array): Float32Array {
  return biquad(biquad(input, shelf), highPass);
}

function biquad(input: Float32Array, f: { b: number[]; a: number[] }): Float32Array {
  const [b0, b1, b2] = f.b as [number, number, number];
  const [a1, a2] = f.a as [number, number];
  const out = new Float32Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i] as number;
    const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    out[i] = y;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
  }
  return out;
}
