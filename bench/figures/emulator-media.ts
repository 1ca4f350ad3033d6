// Figure 9: the emulator's on-demand media.
//   9a  a track never requested before: the HLS manifest request → the last byte of its first
//       segment (key fetched alongside, as a player does), on an empty media cache. One track at a
//       time, 400 ms apart, each a different catalogue track.
//   9b  the same first segments again, now in the cache: request → last byte.
//   9c  `npm run emulator` readiness on an empty media cache: running the command → the line
//       saying it accepts requests (the emulator bundle built beforehand, as after the first run).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConsumer, demoListener } from '../../shared/demo.js';
import { createLocalSigner } from '../../electron/core/api/oauth.js';
import { getCatalogue } from '../../emulator/catalogue.js';
import type { FigureGroup } from '../lib/figure.js';
import { startBenchEmulator } from '../lib/emulator.js';
import { nowMs } from '../lib/stats.js';
import { seededRandom } from '../../shared/random.js';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const r = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end();
  });
}

/** Catalogue tracks streamable in GB, in a fixed pseudo-random order (not the demo set). */
function catalogueTracks(count: number, seed: number): string[] {
  const catalogue = getCatalogue();
  const candidates = [...catalogue.tracks.values()].filter((t) => {
    const release = catalogue.releases.get(t.releaseId);
    return release && !release.demo && !release.unavailableIn.includes('GB');
  });
  const random = seededRandom(seed);
  const picked = new Set<string>();
  while (picked.size < count) picked.add(candidates[Math.floor(random() * candidates.length)]!.id);
  return [...picked];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `npm run emulator` on an empty data dir and media cache: ms until it says it listens. */
async function timeNpmRunEmulator(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'septet-bench-9c-'));
  const started = nowMs();
  const child = spawn(
    'npm',
    ['run', '--silent', 'emulator', '--', '--port', '0', '--data-dir', join(dir, 'data')],
    {
      env: { ...process.env, SEPTET_MEDIA_CACHE: join(dir, 'media') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  try {
    return await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (text: string) => {
        out += text;
        if (/listening on http/.test(out)) resolve(nowMs() - started);
      });
      child.once('exit', (code) => reject(new Error(`npm run emulator exited with ${String(code)}: ${out}`)));
    });
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

export const emulatorMedia: FigureGroup = {
  key: '9',
  title: 'emulator media',
  rows: [
    {
      id: '9a',
      name: 'emulator: cold first segment (manifest → last byte)',
      unit: 'ms',
      checks: [{ stat: 'p95', op: '<=', limit: 150 }],
    },
    {
      id: '9b',
      name: 'emulator: warm segment (request → last byte)',
      unit: 'ms',
      checks: [{ stat: 'p95', op: '<=', limit: 5 }],
    },
    {
      id: '9c',
      name: 'emulator: ready on an empty media cache',
      unit: 'ms',
      checks: [{ stat: 'p50', op: '<=', limit: 1000 }],
    },
  ],
  async run(options, report) {
    const signer = createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret });
    if (options.selected('9a') || options.selected('9b')) {
      const emulator = await startBenchEmulator({ log: options.log });
      try {
        const n = options.quick ? 5 : Math.max(20, Math.round(60 * options.scale));
        const cold: number[] = [];
        const warm: number[] = [];
        const firstSegments: string[] = [];
        const tracks = catalogueTracks(n + 1, 9);
        for (const [i, trackId] of tracks.entries()) {
          const url = `${emulator.url}/streaming/subscription/${trackId}/hls?userId=${demoListener.userId}&clientId=bench-9`;
          const { authorization } = await signer.sign({ method: 'GET', url });
          const started = nowMs();
          const manifest = await get(url, { authorization });
          if (manifest.status !== 200) throw new Error(`manifest of ${trackId}: HTTP ${manifest.status}`);
          const text = manifest.body.toString();
          const keyUri = /URI="([^"]+)"/.exec(text)?.[1] ?? '';
          const segment = text.split('\n').find((line) => line.startsWith('http')) ?? '';
          const [key, first] = await Promise.all([get(keyUri), get(segment)]);
          const elapsed = nowMs() - started;
          if (key.status !== 200 || first.status !== 200)
            throw new Error(`first segment of ${trackId}: HTTP ${first.status} (key ${key.status})`);
          if (i > 0) cold.push(elapsed); // the first request also warms the emulator's code paths
          firstSegments.push(segment);
          await sleep(400);
        }
        for (let round = 0; round < 3; round += 1) {
          for (const segment of firstSegments) {
            const started = nowMs();
            const again = await get(segment);
            warm.push(nowMs() - started);
            if (again.status !== 200) throw new Error(`warm segment: HTTP ${again.status}`);
          }
        }
        report.measured('9a', cold, { tracks: tracks.slice(1), pauseBetweenTracksMs: 400 });
        report.measured('9b', warm, { segments: firstSegments.length, rounds: 3 });
      } finally {
        await emulator.close();
      }
    }
    if (options.selected('9c')) {
      const { buildEmulatorIfStale } = (await import('../../scripts/build.mjs' as string)) as {
        buildEmulatorIfStale(options: { log: (line: string) => void }): Promise<void>;
      };
      await buildEmulatorIfStale({ log: options.log });
      const runs = options.quick ? 2 : 7;
      const samples: number[] = [];
      for (let i = 0; i < runs; i += 1) samples.push(await timeNpmRunEmulator());
      report.measured('9c', samples, {
        how: '`npm run emulator` → "listening on", empty data dir and media cache',
      });
    }
  },
};
