// Temporary directories on the real disk (fsync timings on tmpfs would mean nothing).
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tmpfsMagic = 0x01021994;

export function benchTempDir(prefix: string): { dir: string; filesystem: string; remove(): void } {
  const base = process.env.SEPTET_BENCH_TMP ?? tmpdir();
  const dir = mkdtempSync(join(base, `septet-bench-${prefix}-`));
  const type = statfsSync(dir).type;
  const filesystem =
    type === tmpfsMagic
      ? 'tmpfs (in memory: fsync is free, durable timings are optimistic)'
      : `0x${type.toString(16)}`;
  return { dir, filesystem, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
