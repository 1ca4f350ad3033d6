// The media cache on a real directory: units are served only once complete (a kill -9 in the
// middle of writing one leaves nothing that is served), it stays under its size limit by
// deleting what was used longest ago, and a second process sees what the first one made.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMediaCache, mediaGeneratorVersion } from './media-cache.js';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'septet-media-cache-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unit = (fill: number) => async () => Buffer.alloc(100_000, fill);

describe('media cache', () => {
  it('keeps under its limit by deleting the least recently used units', async () => {
    const cache = createMediaCache({ dir: freshDir(), maxBytes: 300_000 });
    await cache.ready();
    await cache.buffer('t/a', unit(1));
    await sleep(5);
    await cache.buffer('t/b', unit(2));
    await sleep(5);
    await cache.buffer('t/c', unit(3));
    await sleep(5);
    await cache.buffer('t/a', unit(9)); // a hit: a is now the most recently used but one
    await sleep(5);
    await cache.buffer('t/d', unit(4));
    expect(cache.usage().bytes).toBe(200_000);
    await sleep(50); // the evicted files are deleted after they are uncounted
    const left = readdirSync(join(cache.root, 't')).sort();
    expect(left).toEqual(['a', 'd']);
    // The hit was served from disk, not produced again.
    expect((await cache.buffer('t/a', unit(7)))[0]).toBe(1);
  });

  it('never serves a unit whose writer was killed (kill -9) mid-write, and sweeps its temp file later', async () => {
    const dir = freshDir();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./testing/crash-child.ts', import.meta.url)),
        dir,
        't/crashed',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('WRITING')) resolve();
      });
      child.on('exit', () => reject(new Error('the child exited before writing')));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const root = join(dir, `g${mediaGeneratorVersion}`, 't');
    const leftovers = readdirSync(root);
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/^crashed\.tmp-/);
    expect(existsSync(join(root, 'crashed'))).toBe(false);

    // The next process makes the unit whole; the recent temp file is left alone (its writer
    // might still be alive), an old one is swept at start-up.
    const cache = createMediaCache({ dir });
    await cache.ready();
    expect((await cache.buffer('t/crashed', unit(5))).length).toBe(100_000);
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(root, leftovers[0] as string), old, old);
    await createMediaCache({ dir }).ready();
    expect(readdirSync(root)).toEqual(['crashed']);
  });

  it('is shared: a second cache on the same directory serves what the first one made', async () => {
    const dir = freshDir();
    const first = createMediaCache({ dir });
    await first.buffer('t/shared', unit(6));
    const second = createMediaCache({ dir });
    await second.ready();
    expect(second.usage()).toEqual({ bytes: 100_000, files: 1 });
    let produced = false;
    const data = await second.buffer('t/shared', async () => {
      produced = true;
      return Buffer.alloc(1);
    });
    expect(produced).toBe(false);
    expect(data[0]).toBe(6);
  });

  it('refuses keys that would leave its directory', async () => {
    const cache = createMediaCache({ dir: freshDir() });
    await expect(cache.buffer('../escape', unit(1))).rejects.toThrow(/invalid media cache key/);
    await expect(cache.buffer('t/../../x', unit(1))).rejects.toThrow(/invalid media cache key/);
  });
});
