// `npm run emulator -- [options]`: builds the emulator bundle when a source changed, then runs it
// in this process (see emulator/cli.ts for the options).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildEmulatorIfStale } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await buildEmulatorIfStale({ log: (line) => console.error(line) });
await import(pathToFileURL(join(root, 'dist/emulator/cli.js')).href);
