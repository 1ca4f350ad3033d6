// Figure 8: signed track-detail requests per second the emulator serves on loopback.
// Load generator: keep-alive sockets, N concurrent workers, every request pre-signed (real
// signer, distinct nonces) before the clock starts, so signing costs nothing inside the run.
import { Agent, request } from 'node:http';
import { demoConsumer } from '../../shared/demo.js';
import { createLocalSigner } from '../../electron/core/api/oauth.js';
import { getCatalogue } from '../../emulator/catalogue.js';
import type { FigureGroup } from '../lib/figure.js';
import { startBenchEmulator } from '../lib/emulator.js';
import { nowMs, summarize } from '../lib/stats.js';

type Presigned = { path: string; authorization: string };

async function presign(
  baseUrl: string,
  trackIds: readonly string[],
  count: number,
  offset: number,
): Promise<Presigned[]> {
  const signer = createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret });
  const out: Presigned[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = trackIds[(offset + i * 7919) % trackIds.length]!;
    const path = `/tracks/${encodeURIComponent(id)}/details`;
    const { authorization } = await signer.sign({ method: 'GET', url: `${baseUrl}${path}` });
    out.push({ path, authorization });
  }
  return out;
}

type RunResult = {
  perSecond: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  latencies: number[];
  elapsedMs: number;
};

async function load(baseUrl: string, requests: Presigned[], concurrency: number): Promise<RunResult> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let ok = 0;
  let failed = 0;
  const one = (req: Presigned) =>
    new Promise<number>((resolve, reject) => {
      const r = request(
        {
          host: url.hostname,
          port: url.port,
          path: req.path,
          method: 'GET',
          agent,
          headers: { authorization: req.authorization, accept: 'application/json' },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      r.end();
    });
  const worker = async () => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= requests.length) return;
      const started = nowMs();
      const status = await one(requests[index]!).catch(() => 0);
      latencies.push(nowMs() - started);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) ok += 1;
      else failed += 1;
    }
  };
  const started = nowMs();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = nowMs() - started;
  agent.destroy();
  return { perSecond: (ok / elapsedMs) * 1000, ok, failed, statuses, latencies, elapsedMs };
}

export const emulatorThroughput: FigureGroup = {
  key: '8',
  title: 'emulator throughput',
  rows: [
    {
      id: '8',
      name: 'emulator: signed track-detail requests/s',
      unit: 'req/s',
      checks: [{ stat: 'p50', op: '>=', limit: 2000 }],
    },
  ],
  async run(options, report) {
    const requestsPerRun = options.quick ? 300 : Math.round(6000 * options.scale);
    const runs = options.quick ? 2 : Math.max(3, Math.round(5 * options.scale));
    const concurrency = 16;
    const trackIds = [...getCatalogue().tracks.keys()];
    const emulator = await startBenchEmulator({ log: options.log });
    try {
      const warm = await load(
        emulator.url,
        await presign(emulator.url, trackIds, Math.min(requestsPerRun, 1000), 1),
        concurrency,
      );
      options.log(`8: warm-up ${warm.perSecond.toFixed(0)} req/s (${warm.failed} failed)`);
      const samples: number[] = [];
      const latencies: number[] = [];
      const perRun: Array<Omit<RunResult, 'latencies'>> = [];
      for (let run = 0; run < runs; run += 1) {
        const requests = await presign(emulator.url, trackIds, requestsPerRun, 1000 + run * requestsPerRun);
        const result = await load(emulator.url, requests, concurrency);
        if (result.failed > 0)
          throw new Error(
            `8: ${result.failed} of ${requests.length} requests failed: ${JSON.stringify(result.statuses)}`,
          );
        samples.push(result.perSecond);
        latencies.push(...result.latencies);
        const { latencies: _l, ...rest } = result;
        perRun.push(rest);
        options.log(`8: run ${run + 1}/${runs}: ${result.perSecond.toFixed(0)} req/s`);
      }
      report.measured('8', samples, {
        concurrency,
        requestsPerRun,
        keepAlive: true,
        emulatorProcess: 'separate child process',
        requestLatencyMs: summarize(latencies),
        runs: perRun,
      });
    } finally {
      await emulator.close();
    }
  },
};
