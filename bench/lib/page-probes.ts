// In-page measurement code, kept as plain JavaScript text: functions passed from tsx-compiled
// code to page.evaluate carry esbuild's __name helper, which does not exist in the page.

/**
 * Time to first audio, from the next pointerdown (its event timestamp) after the element started
 * loading a new source, or moved to a new track of its gapless timeline (data-track-start, where
 * the current track starts on the element's timeline, changed):
 * - `ms`: the first animation frame that reads currentTime > 0. Chromium's currentTime while
 *   playing is the audio renderer's clock, compensated for the output delay, so this is when the
 *   first audio frame is rendered, to within one frame (16.7 ms).
 * - `timeupdateMs`: the first `timeupdate` with currentTime > 0 (the named signal).
 *   Chromium fires periodic timeupdate every 250 ms from when playback starts, so this lands
 *   about 250 ms after sound starts — see `timeupdateFloorProbe`.
 * Plus the `playing` event and the resources fetched meanwhile (manifest, key, segments) as a
 * cross-check that no frame was counted before its audio arrived.
 */
export const armTtfaProbe = `(function () {
  let t0 = NaN;
  let loaded = false;
  let trackStart = null;
  const engine = () => document.querySelector('[data-testid="audio-engine"]');
  // The position in the track the engine plays (its element plays a release on one timeline).
  const position = (el) => el.currentTime - Number(el.dataset.trackStart || 0);
  let frameMs = NaN;
  let timeupdateMs = NaN;
  let currentTime = NaN;
  const events = [];
  // The resource timing buffer holds 250 entries and then records nothing more.
  performance.clearResourceTimings();
  globalThis.__septetBench = Object.assign(globalThis.__septetBench || {}, {
    ttfa: new Promise((resolve) => {
      const onDown = (e) => { if (Number.isNaN(t0)) { t0 = e.timeStamp; trackStart = engine()?.dataset.trackStart ?? null; } };
      const onLoad = (e) => { if (!Number.isNaN(t0)) { loaded = true; events.push([e.type, Math.round(e.timeStamp - t0)]); } };
      const onPlaying = (e) => { if (!Number.isNaN(t0)) events.push(['playing', Math.round(e.timeStamp - t0)]); };
      const finish = () => {
        if (Number.isNaN(frameMs) || Number.isNaN(timeupdateMs)) return;
        document.removeEventListener('pointerdown', onDown, true);
        for (const type of ['loadstart', 'emptied', 'durationchange']) document.removeEventListener(type, onLoad, true);
        document.removeEventListener('timeupdate', onTime, true);
        document.removeEventListener('playing', onPlaying, true);
        const resources = performance.getEntriesByType('resource')
          .filter((r) => r.startTime >= t0 - 1)
          .map((r) => ({
            kind: /\\.m3u8|manifest|playlist/i.test(r.name) ? 'manifest' : /key/i.test(r.name) ? 'key' : /seg|frag|\\.ts|\\.aac|\\.m4s/i.test(r.name) ? 'segment' : /\\/api\\//.test(r.name) ? 'api' : 'other',
            path: new URL(r.name).pathname.replace(/[A-Za-z0-9_-]{24,}/g, '…').slice(0, 80),
            start: Math.round(r.startTime - t0),
            end: Math.round(r.responseEnd - t0),
          }));
        resolve({ ms: frameMs, timeupdateMs, currentTime, events, resources });
      };
      const onTime = (e) => {
        const el = e.target;
        if (!Number.isNaN(t0) && el.dataset.trackStart !== trackStart) loaded = true;
        if (Number.isNaN(t0) || !loaded || !(position(el) > 0) || !Number.isNaN(timeupdateMs)) return;
        timeupdateMs = e.timeStamp - t0;
        currentTime = position(el);
        finish();
      };
      const poll = (t) => {
        const el = engine();
        if (!Number.isNaN(t0) && el && el.dataset.trackStart !== trackStart) loaded = true;
        if (!Number.isNaN(t0) && loaded && el && position(el) > 0) {
          frameMs = t - t0;
          finish();
          return;
        }
        requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
      document.addEventListener('playing', onPlaying, true);
      document.addEventListener('pointerdown', onDown, true);
      for (const type of ['loadstart', 'emptied', 'durationchange']) document.addEventListener(type, onLoad, true);
      document.addEventListener('timeupdate', onTime, true);
    }),
  });
})()`;

/**
 * The control for `timeupdateMs`: the least any page can do in this browser. A blank page with a
 * plain <audio> holding a 3 s WAV already decoded into memory (preload, readyState 4, no
 * network, no HLS engine, no app): pointerdown on a button calls play(); the same two signals as
 * `armTtfaProbe` plus the gaps between the first periodic timeupdates.
 */
export const armTimeupdateFloorProbe = `(function () {
  const rate = 44100, seconds = 3, samples = rate * seconds;
  const bytes = new DataView(new ArrayBuffer(44 + samples * 2));
  const text = (at, s) => { for (let i = 0; i < s.length; i += 1) bytes.setUint8(at + i, s.charCodeAt(i)); };
  text(0, 'RIFF'); bytes.setUint32(4, 36 + samples * 2, true); text(8, 'WAVE'); text(12, 'fmt ');
  bytes.setUint32(16, 16, true); bytes.setUint16(20, 1, true); bytes.setUint16(22, 1, true);
  bytes.setUint32(24, rate, true); bytes.setUint32(28, rate * 2, true); bytes.setUint16(32, 2, true);
  bytes.setUint16(34, 16, true); text(36, 'data'); bytes.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i += 1) bytes.setInt16(44 + i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), true);
  const audio = document.createElement('audio');
  audio.preload = 'auto';
  audio.src = URL.createObjectURL(new Blob([bytes.buffer], { type: 'audio/wav' }));
  const button = document.createElement('button');
  button.textContent = 'Play';
  button.id = 'floor-play';
  document.body.replaceChildren(button, audio);
  let t0 = NaN, frameMs = NaN, timeupdateMs = NaN;
  const updates = [];
  const ready = new Promise((resolve, reject) => {
    if (audio.readyState >= 4) resolve(true);
    audio.addEventListener('canplaythrough', () => resolve(true), { once: true });
    audio.addEventListener('error', () => reject(new Error('the control WAV did not load')));
  });
  const floor = new Promise((resolve, reject) => {
    audio.addEventListener('timeupdate', (e) => {
      if (Number.isNaN(t0) || !(audio.currentTime > 0)) return;
      updates.push(e.timeStamp - t0);
      if (Number.isNaN(timeupdateMs)) timeupdateMs = e.timeStamp - t0;
      if (updates.length === 4) {
        audio.pause();
        const gaps = updates.slice(1).map((u, i) => Math.round(u - updates[i]));
        resolve({ ms: frameMs, timeupdateMs, gaps });
      }
    });
    button.addEventListener('pointerdown', (e) => {
      t0 = e.timeStamp;
      audio.play().catch(reject);
      const poll = (t) => {
        if (audio.currentTime > 0) { frameMs = t - t0; return; }
        requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
  });
  globalThis.__septetBench = Object.assign(globalThis.__septetBench || {}, { floorReady: ready, floor });
})()`;

export const awaitProbe = (name: string, timeoutMs: number) =>
  `Promise.race([globalThis.__septetBench.${name}, new Promise((_, reject) => setTimeout(() => reject(new Error('no result within ${timeoutMs} ms')), ${timeoutMs}))])`;

export const audioSelector = '[data-testid="audio-engine"]';

export const invoke = (channel: string, arg: unknown) =>
  `window.septet.invoke(${JSON.stringify(channel)}, ${JSON.stringify(arg)})`;

/**
 * From the next pointerdown to the first frame that shows `selector`.
 * When the matching elements entered the DOM inside an input event's handlers (a click that
 * renders from data already in memory), the frame is the one the Event Timing API reports for
 * that event: its presentation time (startTime + duration, 8 ms granularity), which is what INP
 * measures. Otherwise (the elements came later, e.g. after a fetch) it is the task after the next
 * animation frame. Why not always the latter: under the emulator's SVG artwork, whose decoding
 * runs on the main thread (a JPEG decodes off it), that task can wait 50–100 ms behind image
 * tasks after the frame has already been drawn.
 */
export const armAppearProbe = (name: string, selector: string) => `(function () {
  let t0 = NaN;
  const inputEvents = [];
  let eventObserver = null;
  try {
    eventObserver = new PerformanceObserver((list) => { for (const e of list.getEntries()) inputEvents.push(e); });
    eventObserver.observe({ type: 'event', durationThreshold: 16, buffered: false });
  } catch (e) { /* no Event Timing API: the animation-frame path only */ }
  globalThis.__septetBench = Object.assign(globalThis.__septetBench || {}, {
    ${name}: new Promise((resolve) => {
      const onDown = (e) => { if (Number.isNaN(t0)) t0 = e.timeStamp; check(); };
      const check = () => {
        if (Number.isNaN(t0) || !document.querySelector(${JSON.stringify(selector)})) return;
        const inDom = performance.now();
        observer.disconnect();
        document.removeEventListener('pointerdown', onDown, true);
        const rows = document.querySelectorAll(${JSON.stringify(selector)}).length;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            const afterFrame = performance.now();
            // Event Timing entries arrive after their frame is presented: give them a moment.
            setTimeout(() => {
              if (eventObserver) {
                for (const e of eventObserver.takeRecords()) inputEvents.push(e);
                eventObserver.disconnect();
              }
              const handled = inputEvents.find((e) => e.startTime >= t0 - 1 && e.processingStart <= inDom && inDom <= e.processingEnd + 1);
              const result = handled
                ? { ms: handled.startTime + handled.duration - t0, method: 'event timing (' + handled.name + ')' }
                : { ms: afterFrame - t0, method: 'task after the next animation frame' };
              resolve({ ...result, inDomMs: inDom - t0, afterFrameMs: afterFrame - t0, rows });
            }, 100);
          };
          channel.port2.postMessage(null);
        });
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true });
      document.addEventListener('pointerdown', onDown, true);
    }),
  });
})()`;

/**
 * Scrolls the virtual list holding `selector` by `px` per animation frame for `ms`, recording
 * every frame-to-frame delta and every long task (> 50 ms) seen meanwhile.
 */
export const scrollProbe = (selector: string, px: number, ms: number) => `new Promise((resolve, reject) => {
  const list = document.querySelector(${JSON.stringify(selector)});
  const scroller = list && list.closest('.vlist');
  if (!scroller) { reject(new Error('no scrollable list')); return; }
  const longTasks = [];
  let observer = null;
  try {
    observer = new PerformanceObserver((entries) => { for (const e of entries.getEntries()) longTasks.push(Math.round(e.duration)); });
    observer.observe({ type: 'longtask', buffered: false });
  } catch (e) { /* no long task API */ }
  const deltas = [];
  let last = NaN;
  const start = performance.now();
  const frame = (t) => {
    if (!Number.isNaN(last)) deltas.push(t - last);
    last = t;
    if (t - start >= ${ms}) {
      if (observer) observer.disconnect();
      resolve({ deltas, longTasks, scrollTop: scroller.scrollTop, scrollHeight: scroller.scrollHeight, rows: document.querySelectorAll(${JSON.stringify(selector)} + ' [role="listitem"]').length });
      return;
    }
    scroller.scrollTop += ${px};
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;
