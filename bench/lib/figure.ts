// What a benchmark figure is, what it reports, and how a budget is judged.
import type { Summary } from './stats.js';
import { summarize } from './stats.js';

export type Stat = 'p50' | 'p95' | 'p99' | 'max' | 'min';

/** One budget line, e.g. p95 ≤ 150 ms. */
export type Check = { stat: Stat; op: '<=' | '>='; limit: number };

export type BenchOptions = {
  quick: boolean;
  /** Radio soak length for figure 7. */
  soakMinutes: number;
  /** Multiplies the default sample counts (e.g. 0.5 on a busy machine). */
  scale: number;
  log: (line: string) => void;
  /** Whether a row of the running figure was asked for (--only). */
  selected: (rowId: string) => boolean;
};

export type RowSpec = {
  id: string;
  name: string;
  unit: string;
  checks: Check[];
  /** Needs the renderer in Chromium (allowed to be "not measured" while the UI cannot run). */
  ui?: boolean;
  /** Informational rows have no budget. */
  info?: boolean;
};

export type MeasuredRow = RowSpec & {
  status: 'pass' | 'fail' | 'info';
  samples: number[];
  summary: Summary;
  checkResults: Array<Check & { value: number; ok: boolean }>;
  /** Anything else worth keeping (both sides of a ratio, per-request latencies, parameters). */
  details: Record<string, unknown>;
};

export type UnmeasuredRow = RowSpec & { status: 'not measured' | 'error'; reason: string };

export type Row = MeasuredRow | UnmeasuredRow;

export function isMeasured(row: Row): row is MeasuredRow {
  return row.status === 'pass' || row.status === 'fail' || row.status === 'info';
}

export type FigureGroup = {
  /** Issue 5's number for the figure ("8", "5", "2b" …). */
  key: string;
  title: string;
  rows: RowSpec[];
  run(options: BenchOptions, report: Reporter): Promise<void>;
};

/** Figures report rows as they get them; rows never reported end up as errors. */
export type Reporter = {
  measured(id: string, samples: number[], details?: Record<string, unknown>): void;
  notMeasured(id: string, reason: string): void;
};

export function judge(spec: RowSpec, samples: number[], details: Record<string, unknown>): MeasuredRow {
  const summary = summarize(samples);
  const checkResults = spec.checks.map((check) => {
    const value = summary[check.stat];
    const ok = Number.isFinite(value) && (check.op === '<=' ? value <= check.limit : value >= check.limit);
    return { ...check, value, ok };
  });
  const status =
    spec.info || spec.checks.length === 0 ? 'info' : checkResults.every((c) => c.ok) ? 'pass' : 'fail';
  return { ...spec, status, samples, summary, checkResults, details };
}

export function describeBudget(spec: RowSpec): string {
  if (spec.info || spec.checks.length === 0) return '(info)';
  return spec.checks
    .map((c) => `${c.stat} ${c.op === '<=' ? '≤' : '≥'} ${formatValue(c.limit, spec.unit)}`)
    .join(', ');
}

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toFixed(digits);
  if (unit === '×' || unit === 'ratio') return `${text}×`;
  if (unit === '%') return `${text} %`;
  return `${text} ${unit}`;
}
