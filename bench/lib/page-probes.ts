// In-page measurement code, kept as plain JavaScript text: functions passed from tsx-compiled
// code to page.evaluate carry esbuild's __name helper, which does not exist in the page.

/**
 * Time to first audio: from the next pointerdown (its event timestamp) to the first
 * `timeupdate` with currentTime > 0 after the element started loading a new source; plus the
 * resources fetched in between (the hls.js manifest/key/fragment timings, as a cross-check).
 */
export const armTtfaProbe = `(function () {
  let t0 = NaN;
  let loaded = false;
  const events = [];
  globalThis.__septetBench = Object.assign(globalThis.__septetBench || {}, {
    ttfa: new Promise((resolve) => {
      const onDown = (e) => { if (Number.isNaN(t0)) t0 = e.timeStamp; };
      const onLoad = (e) => { if (!Number.isNaN(t0)) { loaded = true; events.push([e.type, Math.round(e.timeStamp - t0)]); } };
      const onTime = (e) => {
        const el = e.target;
        if (Number.isNaN(t0) || !loaded || !(el.currentTime > 0)) return;
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
        resolve({ ms: e.timeStamp - t0, currentTime: el.currentTime, events, resources });
      };
      // Cross-checks: when 'playing' fired, and the first animation frame that saw currentTime
      // advance (timeupdate itself is throttled by the browser to about every 250 ms).
      const onPlaying = (e) => { if (!Number.isNaN(t0)) events.push(['playing', Math.round(e.timeStamp - t0)]); };
      let advanced = false;
      const poll = (t) => {
        const el = document.querySelector('[data-testid="audio-engine"]');
        if (!Number.isNaN(t0) && loaded && el && el.currentTime > 0 && !advanced) {
          advanced = true;
          events.push(['firstFrameWithCurrentTime>0', Math.round(t - t0)]);
        }
        if (!advanced) requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
      document.addEventListener('playing', onPlaying, true);
      document.addEventListener('pointerdown', onDown, true);
      for (const type of ['loadstart', 'emptied', 'durationchange']) document.addEventListener(type, onLoad, true);
      document.addEventListener('timeupdate', onTime, true);
    }),
  });
})()`;

export const awaitProbe = (name: string, timeoutMs: number) =>
  `Promise.race([globalThis.__septetBench.${name}, new Promise((_, reject) => setTimeout(() => reject(new Error('no result within ${timeoutMs} ms')), ${timeoutMs}))])`;

export const audioSelector = '[data-testid="audio-engine"]';

export const invoke = (channel: string, arg: unknown) =>
  `window.septet.invoke(${JSON.stringify(channel)}, ${JSON.stringify(arg)})`;

/** From the next pointerdown to the frame after `selector` first matches. */
export const armAppearProbe = (name: string, selector: string) => `(function () {
  let t0 = NaN;
  globalThis.__septetBench = Object.assign(globalThis.__septetBench || {}, {
    ${name}: new Promise((resolve) => {
      const onDown = (e) => { if (Number.isNaN(t0)) t0 = e.timeStamp; check(); };
      const check = () => {
        if (Number.isNaN(t0) || !document.querySelector(${JSON.stringify(selector)})) return;
        observer.disconnect();
        document.removeEventListener('pointerdown', onDown, true);
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve({ ms: performance.now() - t0, rows: document.querySelectorAll(${JSON.stringify(selector)}).length });
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
