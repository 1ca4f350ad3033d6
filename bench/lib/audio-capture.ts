// Captures what the player's WebAudio graph outputs, in the page: an AudioWorklet on the graph's
// last node (window.septetAudioGraph.output) posts every rendered frame (both channels) with its
// frame number on the context's clock. The bench reads windows of it back by frame range, and
// pairs of (context time, media element time) so a place on the element's timeline can be found
// in the capture. The page's context must allow a blob: worklet module (bypassCSP).
import type { Page } from 'playwright-core';

export const startCapture = `(async () => {
  const graph = window.septetAudioGraph;
  if (!graph) throw new Error('the app exposes no audio graph');
  const ctx = graph.context;
  const code = "class SeptetTap extends AudioWorkletProcessor { process(inputs) { const i = inputs[0]; if (i && i.length) this.port.postMessage([currentFrame, i[0].slice(), (i[1] || i[0]).slice()]); return true; } } registerProcessor('septet-tap', SeptetTap);";
  await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([code], { type: 'application/javascript' })));
  const node = new AudioWorkletNode(ctx, 'septet-tap', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 2, channelCountMode: 'explicit' });
  const sink = ctx.createGain();
  sink.gain.value = 0;
  node.connect(sink).connect(ctx.destination);
  graph.output.connect(node);
  const cap = { chunks: [], times: [], node };
  const el = document.querySelector('[data-testid="audio-engine"]');
  let last = -Infinity;
  node.port.onmessage = (e) => {
    cap.chunks.push(e.data);
    // Every ~10 ms of output: which element time it was (a message trails its frame by a few ms).
    if (e.data[0] - last >= 480) {
      last = e.data[0];
      cap.times.push([e.data[0], el.currentTime, el.paused]);
    }
  };
  window.__septetCapture = cap;
  return ctx.sampleRate;
})()`;

export type CaptureWindow = { first: number; left: Float32Array; right: Float32Array };

/** Frames [first, first + count) of the capture (zeros where nothing was captured). */
export async function readCapture(page: Page, first: number, count: number): Promise<CaptureWindow> {
  const b64 = await page.evaluate(
    ([from, n]) => {
      const cap = (
        window as unknown as { __septetCapture: { chunks: [number, Float32Array, Float32Array][] } }
      ).__septetCapture;
      const out = new Float32Array(2 * n);
      for (const [frame, l, r] of cap.chunks) {
        if (frame + l.length <= from || frame >= from + n) continue;
        for (let i = 0; i < l.length; i++) {
          const at = frame + i - from;
          if (at < 0 || at >= n) continue;
          out[at] = l[i] as number;
          out[n + at] = r[i] as number;
        }
      }
      const bytes = new Uint8Array(out.buffer);
      let s = '';
      for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
      return btoa(s);
    },
    [first, count] as const,
  );
  const all = new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
  return { first, left: all.slice(0, count), right: all.slice(count) };
}

/** Drops captured frames before `frame` (keeps the page's memory small). */
export async function trimCapture(page: Page, frame: number): Promise<void> {
  await page.evaluate((before) => {
    const cap = (window as unknown as { __septetCapture: { chunks: [number][]; times: [number][] } })
      .__septetCapture;
    cap.chunks = cap.chunks.filter((c) => c[0] + 128 > before);
    cap.times = cap.times.filter((t) => t[0] > before - 48_000);
  }, frame);
}

/** The capture frame at which the element's clock passed `mediaSec` (interpolated), or null. */
export async function frameAtMediaTime(page: Page, mediaSec: number): Promise<number | null> {
  const times = await page.evaluate(
    () =>
      (window as unknown as { __septetCapture: { times: [number, number, boolean][] } }).__septetCapture
        .times,
  );
  for (let i = 1; i < times.length; i++) {
    const [f0, t0] = times[i - 1]!;
    const [f1, t1, paused] = times[i]!;
    if (!paused && t0 <= mediaSec && t1 >= mediaSec && t1 > t0)
      return f0 + ((mediaSec - t0) / (t1 - t0)) * (f1 - f0);
  }
  return null;
}

/** The latest capture frame. */
export async function captureNow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const cap = (window as unknown as { __septetCapture: { chunks: [number, Float32Array][] } })
      .__septetCapture;
    const last = cap.chunks[cap.chunks.length - 1];
    return last ? last[0] + last[1].length : 0;
  });
}
