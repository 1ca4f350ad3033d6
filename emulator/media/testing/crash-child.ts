// Test support: a process that starts writing a unit into the media cache and never finishes,
// so a test can kill -9 it mid-generation.
import { createMediaCache } from '../media-cache.js';
import { open } from 'node:fs/promises';

const [dir = '', key = ''] = process.argv.slice(2);
const cache = createMediaCache({ dir });
await cache.file(key, async (tmpPath) => {
  const file = await open(tmpPath, 'w');
  await file.write(Buffer.alloc(64 * 1024, 1));
  await file.sync();
  process.stdout.write('WRITING\n');
  await new Promise(() => undefined); // killed here
});
