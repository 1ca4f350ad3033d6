// Figure 2b: main-side module loading — the time a fresh Node process takes to import the app
// core's module graph (electron/core/app-core.ts and everything it pulls in, native modules
// included), bundled the way scripts/build.mjs bundles the main process (esbuild, ESM, node20,
// the same externals), since that is what ships.
import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { FigureGroup } from '../lib/figure.js';
import { nowMs } from '../lib/stats.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Mirrors scripts/build.mjs (its options are not exported).
const external = ['electron', 'better-sqlite3', 'keytar', '@ffmpeg-installer/ffmpeg', 'fsevents'];
const esmBanner =
  "import { createRequire as __septetCreateRequire } from 'node:module'; const require = __septetCreateRequire(import.meta.url);";

const probe = `
const t0 = performance.now();
const mod = await import(process.argv[1]);
const t1 = performance.now();
if (typeof mod.createAppCore !== 'function') throw new Error('createAppCore is not exported');
process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceProcessStartMs: t1, rssMB: process.memoryUsage().rss / 2 ** 20 }));
`;

export const moduleLoad: FigureGroup = {
  key: '2b',
  title: 'main-side module loading',
  rows: [
    {
      id: '2b',
      name: 'cold start: import app core (fresh Node)',
      unit: 'ms',
      checks: [{ stat: 'p50', op: '<=', limit: 150 }],
    },
  ],
  async run(options, report) {
    const outdir = join(root, 'node_modules/.cache/septet-bench');
    mkdirSync(outdir, { recursive: true });
    const outfile = join(outdir, 'app-core.bundle.js');
    await build({
      entryPoints: [join(root, 'electron/core/app-core.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      external,
      banner: { js: esmBanner },
      logLevel: 'warning',
    });
    const runs = options.quick ? 3 : Math.max(5, Math.round(15 * options.scale));
    const run = async () => {
      const started = nowMs();
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', probe, outfile],
        { cwd: root, timeout: 60_000 },
      );
      return {
        ...(JSON.parse(stdout) as { importMs: number; sinceProcessStartMs: number; rssMB: number }),
        wallMs: nowMs() - started,
      };
    };
    await run(); // warm-up: the OS file cache
    const results = [];
    for (let i = 0; i < runs; i += 1) results.push(await run());
    report.measured(
      '2b',
      results.map((r) => r.importMs),
      {
        bundle: 'node_modules/.cache/septet-bench/app-core.bundle.js',
        bundleBytes: statSync(outfile).size,
        sinceProcessStartMs: results.map((r) => r.sinceProcessStartMs),
        processWallMs: results.map((r) => r.wallMs),
        rssAfterImportMB: results.map((r) => Math.round(r.rssMB)),
      },
    );
  },
};
