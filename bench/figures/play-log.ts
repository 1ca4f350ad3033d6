// Figure 5: the durable play log (electron/core/play-log) on real SQLite (synchronous=FULL).
//   5a  recordPlay latency — one durable commit per call, p99 ≤ 5 ms.
//   5b  drain of an offline backlog to the emulator's /logging/subscriber, as a multiple of the
//       minimum the play-log service's own batch and rate limits allow (≤ 1.2×).
import { join } from 'node:path';
import { demoConsumer, demoListener } from '../../shared/demo.js';
import { createLocalSigner } from '../../electron/core/api/oauth.js';
import { createHttpPlayLogSend } from '../../electron/core/play-log/testing/http-send.js';
import {
  createPlayLogService,
  defaultPlayLogLimits,
  type SendWindowEvent,
} from '../../electron/core/play-log/play-log-service.js';
import { createPlayLogStore, openPlayLogDatabase } from '../../electron/core/play-log/play-log-store.js';
import { getCatalogue } from '../../emulator/catalogue.js';
import { resolveConfig } from '../../emulator/config.js';
import type { FigureGroup } from '../lib/figure.js';
import { startBenchEmulator } from '../lib/emulator.js';
import { nowMs, percentile, summarize } from '../lib/stats.js';
import { benchTempDir, sleep } from '../lib/temp.js';

const endpoint = 'subscriber' as const;

function playsFrom(count: number, clientId: string, startMs: number) {
  const tracks = [...getCatalogue().tracks.values()];
  return Array.from({ length: count }, (_, i) => {
    const track = tracks[(i * 31) % tracks.length]!;
    return {
      kind: endpoint,
      playMode: 'offline' as const,
      trackId: track.id,
      userId: demoListener.userId,
      clientId,
      durationPlayed: Math.min(30, track.durationSec),
      country: demoListener.country,
      timestamp: new Date(startMs + i * 1000).toISOString(),
    };
  });
}

const quietLogger = () => {
  const counts = { warn: 0, error: 0 };
  const messages: string[] = [];
  return {
    counts,
    messages,
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => {
        counts.warn += 1;
        if (messages.length < 20) messages.push(`warn: ${message}`);
      },
      error: (message: string) => {
        counts.error += 1;
        if (messages.length < 20) messages.push(`error: ${message}`);
      },
    },
  };
};

async function recordLatency(samples: number, warmup: number) {
  const tmp = benchTempDir('playlog');
  const db = openPlayLogDatabase(join(tmp.dir, 'play-log.sqlite'));
  try {
    const service = createPlayLogService({
      store: createPlayLogStore(db),
      send: () => Promise.reject(new Error('not sending in 5a')),
    });
    const plays = playsFrom(warmup + samples, 'bench-record', Date.now() - 3_600_000).map(
      ({ timestamp: _t, ...p }) => ({ ...p, playMode: 'online' as const }),
    );
    const latencies: number[] = [];
    plays.forEach((play, i) => {
      const started = nowMs();
      service.recordPlay(play);
      const elapsed = nowMs() - started;
      if (i >= warmup) latencies.push(elapsed);
    });
    return {
      latencies,
      details: {
        journalMode: db.pragma('journal_mode', { simple: true }),
        synchronous:
          db.pragma('synchronous', { simple: true }) === 2
            ? 'FULL'
            : db.pragma('synchronous', { simple: true }),
        filesystem: tmp.filesystem,
        warmup,
      },
    };
  } finally {
    db.close();
    tmp.remove();
  }
}

type DrainResult = {
  elapsedMs: number;
  minimumMs: number;
  ratio: number;
  requests: number;
  batchMs: number[];
  retries: number;
  deadLetters: number;
  received: number;
  duplicates: number;
  warnings: string[];
};

async function drain(baseUrl: string, logs: number, clientId: string): Promise<DrainResult> {
  const tmp = benchTempDir('drain');
  const db = openPlayLogDatabase(join(tmp.dir, 'play-log.sqlite'));
  const log = quietLogger();
  const windows = new Map<string, number>();
  const batchMs: number[] = [];
  let retries = 0;
  try {
    const store = createPlayLogStore(db);
    const service = createPlayLogService({
      store,
      send: createHttpPlayLogSend({
        baseUrl,
        signer: createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret }),
      }),
      logger: log.logger,
      onSendWindow: (event: SendWindowEvent) => {
        if (event.phase === 'enter') windows.set(event.batchId, nowMs());
        else {
          batchMs.push(nowMs() - (windows.get(event.batchId) ?? nowMs()));
          if (event.outcome === 'retry') retries += 1;
        }
      },
    });
    // The backlog: plays recorded while offline over the last days (one transaction to build it fast).
    const plays = playsFrom(logs, clientId, Date.now() - 3 * 86_400_000);
    db.transaction(() => {
      for (const play of plays) service.recordPlay(play);
    })();
    if (service.status().queued !== logs)
      throw new Error(`backlog has ${service.status().queued} rows, expected ${logs}`);

    const started = nowMs();
    service.start();
    const deadline = Date.now() + Math.max(120_000, logs * 50);
    while (service.status().queued > 0) {
      if (Date.now() > deadline)
        throw new Error(`drain did not finish: ${JSON.stringify(service.status().endpoints[endpoint])}`);
      await sleep(5);
    }
    const elapsedMs = nowMs() - started;
    await service.close({ flush: false });
    const status = service.status();

    const limits = defaultPlayLogLimits[endpoint];
    const requests = Math.ceil(logs / limits.maxBatch);
    const rate = limits.maxRequestsPerSecond ?? Number.POSITIVE_INFINITY;
    // Request k may start at floor(k / rate) s at the earliest ("≤ rate requests in any
    // rolling second"); the drain ends when the last one is answered.
    const minimumMs = Math.floor((requests - 1) / rate) * 1000 + percentile(batchMs, 50);

    const received = (await (await fetch(`${baseUrl}/_emulator/logs?endpoint=${endpoint}`)).json()) as {
      logs: Array<{ clientId?: string | null }>;
      duplicates: number;
    };
    return {
      elapsedMs,
      minimumMs,
      ratio: elapsedMs / minimumMs,
      requests: status.endpoints[endpoint].delivered === logs ? requests : Number.NaN,
      batchMs,
      retries,
      deadLetters: status.deadLetters,
      received: received.logs.filter((l) => l.clientId === clientId).length,
      duplicates: received.duplicates,
      warnings: log.messages,
    };
  } finally {
    db.close();
    tmp.remove();
  }
}

export const playLog: FigureGroup = {
  key: '5',
  title: 'play log',
  rows: [
    {
      id: '5a',
      name: 'play log: recordPlay durable latency',
      unit: 'ms',
      checks: [{ stat: 'p99', op: '<=', limit: 5 }],
    },
    {
      id: '5b',
      name: 'play log: backlog drain / minimum',
      unit: '×',
      checks: [{ stat: 'p50', op: '<=', limit: 1.2 }],
    },
  ],
  async run(options, report) {
    const wantA = options.selected('5a');
    const wantB = options.selected('5b');
    if (wantA) {
      const n = options.quick ? 50 : Math.round(1000 * options.scale);
      const { latencies, details } = await recordLatency(n, options.quick ? 5 : 50);
      options.log(
        `5a: recordPlay p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
      );
      report.measured('5a', latencies, details);
    }
    if (!wantB) return;
    const logs = options.quick ? 200 : 10_000;
    const runs = options.quick ? 2 : Math.max(1, Math.round(2 * options.scale));
    const emulator = await startBenchEmulator({ log: options.log });
    try {
      const warm = await drain(emulator.url, options.quick ? 40 : 200, 'bench-drain-warmup');
      options.log(`5b: warm-up drained ${warm.received} logs in ${warm.elapsedMs.toFixed(0)} ms`);
      const ratios: number[] = [];
      const perRun: Array<Omit<DrainResult, 'batchMs'> & { batchMs: ReturnType<typeof summarize> }> = [];
      for (let run = 0; run < runs; run += 1) {
        await sleep(1_100); // a clean rate window on the emulator
        const result = await drain(emulator.url, logs, `bench-drain-${run}`);
        if (result.received !== logs)
          throw new Error(`5b: the emulator received ${result.received} of ${logs} logs`);
        ratios.push(result.ratio);
        perRun.push({ ...result, batchMs: summarize(result.batchMs) });
        options.log(
          `5b: run ${run + 1}/${runs}: ${logs} logs in ${(result.elapsedMs / 1000).toFixed(2)} s, minimum ${(result.minimumMs / 1000).toFixed(2)} s → ${result.ratio.toFixed(3)}× (${result.retries} retries)`,
        );
      }
      const emu = resolveConfig();
      report.measured('5b', ratios, {
        logs,
        endpoint,
        serviceLimits: defaultPlayLogLimits[endpoint],
        emulatorLimits: {
          maxPerRequest: emu.subscriberLogMaxPerRequest,
          requestsPerSec: emu.subscriberLogRequestsPerSec,
        },
        minimum: 'floor((requests − 1) / requestsPerSecond) s + median batch round trip',
        runs: perRun,
      });
    } finally {
      await emulator.close();
    }
  },
};
