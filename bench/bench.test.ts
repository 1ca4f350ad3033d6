// Smoke test of the harness: `npm run bench -- --quick` produces every figure of issue 5 with
// numeric samples (UI figures may instead say why they were not measured). Timings are not
// asserted: this machine is shared and the budgets are judged by the bench itself.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { figureGroups } from './lib/figures.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'septet-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = {
  id: string;
  status: string;
  samples?: unknown[];
  reason?: string;
  ui?: boolean;
  summary?: { p50: number; p95: number };
};

describe('npm run bench -- --quick', () => {
  it('reports every figure, with numeric samples or the reason it could not be measured', async () => {
    const out = join(dir, 'results.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out],
      {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 29 * 60_000,
      },
    ).catch((error: { stdout?: string; stderr?: string; code?: number }) => {
      // Exit code 1 = some figure errored; the assertions below say which.
      if (error.code === 1 && error.stdout !== undefined) return { stdout: error.stdout };
      throw error;
    });
    const results = JSON.parse(readFileSync(out, 'utf8')) as {
      mode: string;
      machine: Record<string, unknown>;
      rows: Row[];
    };

    expect(results.mode).toBe('quick');
    for (const key of ['cpuModel', 'cores', 'memoryTotalMB', 'node', 'chromium'])
      expect(results.machine[key]).toBeDefined();

    const expected = figureGroups.flatMap((g) => g.rows.map((r) => r.id));
    expect(expected).toEqual(
      expect.arrayContaining([
        '1a',
        '1b',
        '1c',
        '2a',
        '2b',
        '3a',
        '4a',
        '4b',
        '5a',
        '5b',
        '6',
        '7a',
        '7b',
        '7c',
        '7d',
        '8',
      ]),
    );
    expect(results.rows.map((r) => r.id).sort()).toEqual([...expected].sort());
    for (const row of results.rows) {
      const where = `row ${row.id}: ${row.status} ${row.reason ?? ''}`;
      expect(row.status, where).not.toBe('error');
      if (row.status === 'not measured') {
        expect(row.ui, where).toBe(true);
        expect(row.reason, where).toMatch(/\S/);
        continue;
      }
      expect(row.samples?.length, where).toBeGreaterThan(0);
      for (const sample of row.samples ?? []) expect(Number.isFinite(sample), where).toBe(true);
      expect(stdout).toContain(`${row.id} `);
    }
  });
});
