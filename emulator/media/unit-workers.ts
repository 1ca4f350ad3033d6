// The worker threads that make media units (unit-worker.ts), one per core: at most that many
// units are made at once, and work a listener is waiting for goes before work done ahead.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { UnitJob, UnitJobMessage, UnitJobResult } from './unit-worker.js';

export type Priority = 'now' | 'ahead';

export type UnitWorkers = {
  /** Makes a unit on the next free worker; 'now' jobs start before 'ahead' ones. */
  run(priority: Priority, job: UnitJob, tag?: string): Promise<Buffer>;
  /** A queued 'ahead' job with this tag becomes a 'now' job (someone is waiting for it). */
  promote(tag: string): void;
  readonly size: number;
  /** Starts the worker threads now rather than at the first job (they take ~0.2 s to load). */
  start(): void;
  close(): Promise<void>;
};

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

type Queued = {
  job: UnitJob;
  tag: string | undefined;
  resolve: (data: Buffer) => void;
  reject: (e: Error) => void;
};
type Slot = { worker: Worker; current: (Queued & { id: number }) | null };

/** From source (tsx, vitest, Playwright) the worker loads its TypeScript through tsx; in the
 * esbuild bundle (dist/emulator/) it is the bundled unit-worker.js beside this code. */
const entry = import.meta.url.endsWith('.ts')
  ? new URL('./unit-worker-entry.mjs', import.meta.url)
  : new URL('./unit-worker.js', import.meta.url);

export function createUnitWorkers(size = defaultWorkerCount()): UnitWorkers {
  // Long by design (over 80 lines): a createX factory whose closure is the queues and the worker
  // slots; each inner function is short.
  const queues: Record<Priority, Queued[]> = { now: [], ahead: [] };
  let nextId = 1;
  let closed = false;

  const startWorker = (slot: Slot) => {
    const worker = new Worker(entry);
    worker.unref();
    worker.on('message', (result: UnitJobResult) => {
      const current = slot.current;
      if (!current || current.id !== result.id) return;
      slot.current = null;
      worker.unref();
      if (result.ok)
        current.resolve(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
      else current.reject(new Error(result.error));
      dispatch();
    });
    const fail = (error: Error) => {
      const current = slot.current;
      slot.current = null;
      current?.reject(error);
      if (!closed) {
        slot.worker = startWorker(slot);
        dispatch();
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closed && slot.worker === worker) fail(new Error(`media worker exited with code ${code}`));
    });
    return worker;
  };

  const slots: Slot[] = [];
  const start = () => {
    if (slots.length > 0 || closed) return;
    for (let i = 0; i < size; i++) {
      const slot: Slot = { worker: undefined as unknown as Worker, current: null };
      slot.worker = startWorker(slot);
      slots.push(slot);
    }
  };

  function dispatch(): void {
    start();
    for (const slot of slots) {
      if (slot.current) continue;
      const queued = queues.now.shift() ?? queues.ahead.shift();
      if (!queued) return;
      const current = { ...queued, id: nextId++ };
      slot.current = current;
      slot.worker.ref();
      const message: UnitJobMessage = { id: current.id, job: current.job };
      slot.worker.postMessage(message);
    }
  }

  return {
    size,
    start,
    run(priority, job, tag) {
      if (closed) return Promise.reject(new Error('the media workers are closed'));
      return new Promise<Buffer>((resolve, reject) => {
        queues[priority].push({ job, tag, resolve, reject });
        dispatch();
      });
    },
    promote(tag) {
      const index = queues.ahead.findIndex((q) => q.tag === tag);
      if (index >= 0) queues.now.push(...queues.ahead.splice(index, 1));
    },
    async close() {
      closed = true;
      const pending = [...queues.now.splice(0), ...queues.ahead.splice(0)];
      for (const queued of pending) queued.reject(new Error('the media workers are closed'));
      await Promise.all(
        slots.map(async (slot) => {
          slot.current?.reject(new Error('the media workers are closed'));
          slot.current = null;
          await slot.worker.terminate();
        }),
      );
    },
  };
}
