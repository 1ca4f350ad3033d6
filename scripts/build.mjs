// Builds Septet: the renderer (Vite → dist/renderer), the main-process bundles (esbuild →
// dist/electron: main.js for Electron, preload.cjs, and browser-main.js for the browser host) and
// the emulator's (dist/emulator: cli.js and its media worker, so `npm run emulator` starts
// without compiling TypeScript). Native modules (better-sqlite3, keytar) stay external: they
// load from node_modules.
//   node scripts/build.mjs [--renderer] [--electron] [--emulator]   (no flag: all)
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const all = !args.has('--renderer') && !args.has('--electron') && !args.has('--emulator');

const external = ['electron', 'better-sqlite3', 'keytar', '@ffmpeg-installer/ffmpeg', 'fsevents'];
// Bundled CommonJS dependencies (ws, yazl…) call require(); give the ESM bundle one.
const esmBanner =
  "import { createRequire as __septetCreateRequire } from 'node:module'; const require = __septetCreateRequire(import.meta.url);";

export async function buildRenderer() {
  const { build } = await import('vite');
  await build({
    root: join(root, 'renderer'),
    configFile: join(root, 'renderer/vite.config.ts'),
    logLevel: 'warn',
  });
}

/** esbuild, loaded only when something is built (a stale check must stay cheap). */
async function esbuild(options) {
  const { build } = await import('esbuild');
  return build(options);
}

export async function buildElectron() {
  const outdir = join(root, 'dist/electron');
  await mkdir(outdir, { recursive: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    external,
  };
  await Promise.all([
    esbuild({
      ...common,
      entryPoints: {
        main: join(root, 'electron/main.ts'),
        'browser-main': join(root, 'electron/host/browser-main.ts'),
      },
      outdir,
      format: 'esm',
      outExtension: { '.js': '.js' },
      banner: { js: esmBanner },
    }),
    // Sandboxed preloads must be CommonJS and may require only 'electron'.
    esbuild({
      ...common,
      entryPoints: { preload: join(root, 'electron/preload.ts') },
      outdir,
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
    }),
  ]);
  await writeFile(join(outdir, 'package.json'), JSON.stringify({ type: 'module' }, null, 2));
}

export async function buildEmulator() {
  const outdir = join(root, 'dist/emulator');
  await mkdir(outdir, { recursive: true });
  await esbuild({
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    external,
    entryPoints: {
      cli: join(root, 'emulator/cli.ts'),
      'unit-worker': join(root, 'emulator/media/unit-worker.ts'),
    },
    outdir,
    format: 'esm',
    banner: { js: esmBanner },
  });
  await writeFile(join(outdir, 'package.json'), JSON.stringify({ type: 'module' }, null, 2));
}

const emulatorOutputs = ['dist/emulator/cli.js', 'dist/emulator/unit-worker.js'];

/** Rebuilds the emulator bundle when a source is newer than it. */
export async function buildEmulatorIfStale({ log = () => undefined } = {}) {
  const sources = Math.max(newest(join(root, 'shared')), newest(join(root, 'emulator')));
  if (Math.min(...emulatorOutputs.map((o) => mtime(join(root, o)))) < sources) {
    log('Building the emulator…');
    await buildEmulator();
  }
}

/** Newest modification time of the source files under a folder (tests excluded). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (!entry.name.includes('.test.')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/** Rebuilds the renderer and/or the main-process bundles when a source is newer than the output. */
export async function buildIfStale({ renderer = true, electron = true, log = () => undefined } = {}) {
  const shared = newest(join(root, 'shared'));
  if (
    renderer &&
    mtime(join(root, 'dist/renderer/index.html')) < Math.max(shared, newest(join(root, 'renderer')))
  ) {
    log('Building the renderer…');
    await buildRenderer();
  }
  const outputs = ['dist/electron/main.js', 'dist/electron/browser-main.js', 'dist/electron/preload.cjs'];
  if (
    electron &&
    Math.min(...outputs.map((o) => mtime(join(root, o)))) < Math.max(shared, newest(join(root, 'electron')))
  ) {
    log('Building the main process…');
    await buildElectron();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  if (all || args.has('--renderer')) await buildRenderer();
  if (all || args.has('--electron')) await buildElectron();
  if (all || args.has('--emulator')) await buildEmulator();
  console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
