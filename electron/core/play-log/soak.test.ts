// The short form of the crash soak (`npm run soak:playlog -- --cycles 20`) against the real
// emulator: no recorded play may be lost, and duplicates only from kills in the send window.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

it('survives 20 SIGKILLs without losing a play', { timeout: 600_000 }, async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'electron/core/play-log/testing/soak.ts', '--cycles', '20', '--seed', '7'],
    { cwd: repoRoot, timeout: 590_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const lines = stdout.trim().split('\n');
  const last = lines[lines.length - 1]!;
  const match = /^lost=(\d+) duplicated=(\d+) delivered=(\d+)$/.exec(last);
  expect(match, stdout).not.toBeNull();
  expect(Number(match![1])).toBe(0);
  expect(Number(match![3])).toBeGreaterThan(0);
  // execFile rejects on a non-zero exit, which the soak uses for unexplained duplicates.
});
