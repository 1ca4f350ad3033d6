// The unit workers: real worker threads running the synth and ffmpeg. Work a listener waits
// for ('now') goes before work done ahead, and no more than `size` units are made at once.
import { afterEach, describe, expect, it } from 'vitest';
import { testTracks } from './testing/test-media.js';
import type { UnitJob } from './unit-worker.js';
import { createUnitWorkers, type UnitWorkers } from './unit-workers.js';

let workers: UnitWorkers | undefined;
afterEach(async () => {
  await workers?.close();
});

const job = (firstFrame: number): Extract<UnitJob, { type: 'aac' | 'mp3' }> => ({
  type: 'mp3',
  track: testTracks[0] as UnitJob['track'],
  source: 'track',
  kbps: 128,
  firstFrame,
  frameCount: 40,
});

describe('unit workers', () => {
  it('start waiting work before work done ahead, one unit at a time on one worker', async () => {
    workers = createUnitWorkers(1);
    const finished: string[] = [];
    const track = (name: string, promise: Promise<Buffer>) =>
      promise.then((data) => {
        finished.push(name);
        expect(data.length).toBe(40 * 384);
      });
    const all = [
      track('ahead-1', workers.run('ahead', job(0))),
      track('ahead-2', workers.run('ahead', job(40))),
      track('ahead-3', workers.run('ahead', job(80), 'third')),
      track('now', workers.run('now', job(120))),
    ];
    workers.promote('third');
    await Promise.all(all);
    // ahead-1 had already started; then the waiting listener, then the promoted job.
    expect(finished).toEqual(['ahead-1', 'now', 'ahead-3', 'ahead-2']);
  });

  it('reports a failing job as an error and keeps working', async () => {
    workers = createUnitWorkers(1);
    await expect(workers.run('now', { ...job(0), kbps: 100 })).rejects.toThrow();
    expect((await workers.run('now', job(0))).length).toBe(40 * 384);
  });
});
