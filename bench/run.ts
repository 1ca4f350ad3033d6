// `npm run bench` — issue 5's figures against the real emulator on loopback (and, for the UI
// figures, the browser host in headless Chromium). Prints a table and writes the raw samples
// plus the machine's description to bench/results.json.
//
//   npm run bench                         every figure, default sample counts
//   npm run bench -- --quick              smoke mode: few samples, small sizes (node_modules/.cache/septet-bench/results.quick.json)
//   npm run bench -- --only 5             one figure (group "5" or a row such as "5b"); repeatable or comma-separated
//   npm run bench -- --soak-minutes 30    radio soak length for figure 7 (default 30; quick: 0.5)
//   npm run bench -- --scale 0.5          fewer samples on a busy machine
//   npm run bench -- --out FILE           where to write the results (merged with the rows already there)
//   npm run bench -- --show               print the table of the results file without measuring
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './lib/machine.js';
import {
  describeBudget,
  formatValue,
  isMeasured,
  judge,
  type BenchOptions,
  type Row,
  type RowSpec,
} from './lib/figure.js';
import { figureGroups } from './lib/figures.js';

type Args = {
  show: boolean;
  quick: boolean;
  only: string[];
  soakMinutes: number | null;
  scale: number;
  out: string | null;
  verbose: boolean;
};

function parseArgs(argv: string[]): Args {
  const args: Args = {
    show: false,
    quick: false,
    only: [],
    soakMinutes: null,
    scale: 1,
    out: null,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') args.quick = true;
    else if (arg === '--show') args.show = true;
    else if (arg === '--only')
      args.only.push(
        ...value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    else if (arg === '--soak-minutes') args.soakMinutes = Number(value());
    else if (arg === '--scale') args.scale = Number(value());
    else if (arg === '--out') args.out = value();
    else if (arg === '--verbose' || arg === '-v') args.verbose = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!(args.scale > 0)) throw new Error('--scale must be > 0');
  if (args.soakMinutes !== null && !(args.soakMinutes >= 0)) throw new Error('--soak-minutes must be ≥ 0');
  return args;
}

function selected(only: string[], groupKey: string, row: RowSpec): boolean {
  if (only.length === 0) return true;
  // "1" selects 1a, 1b.t… but not 10a: a prefix must not be followed by another digit.
  const rowOf = (o: string) => row.id.startsWith(o) && !/^\d/.test(row.id.slice(o.length));
  return only.some((o) => o === groupKey || o === 'all' || rowOf(o));
}

type ResultsFile = {
  generatedAt: string;
  mode: 'full' | 'quick';
  machine: unknown;
  options: unknown;
  rows: Array<Row & { measuredAt: string; machineLoad?: number[] }>;
};

function printTable(rows: Row[]): void {
  const header = ['figure', 'n', 'p50', 'p95', 'budget', 'measured', 'result'];
  const lines = rows.map((row) => {
    const name = `${row.id} ${row.name}`;
    if (!isMeasured(row)) {
      return [name, '', '', '', describeBudget(row), '', `${row.status}: ${row.reason}`];
    }
    const measured = row.checkResults.map((c) => `${c.stat} ${formatValue(c.value, row.unit)}`).join(', ');
    return [
      name,
      String(row.summary.n),
      formatValue(row.summary.p50, row.unit),
      formatValue(row.summary.p95, row.unit),
      describeBudget(row),
      measured,
      row.status,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(fmt(line));
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  // Quick results are throw-away: kept out of the work tree (bench/results.json is git-ignored).
  const defaultOut = fileURLToPath(
    new URL(
      args.quick ? '../node_modules/.cache/septet-bench/results.quick.json' : './results.json',
      import.meta.url,
    ),
  );
  mkdirSync(dirname(defaultOut), { recursive: true });
  const out = args.out ?? defaultOut;
  if (args.show) {
    const file = JSON.parse(readFileSync(out, 'utf8')) as ResultsFile;
    console.log(`${out} (${file.mode}; ${JSON.stringify(file.machine)})`);
    printTable(file.rows);
    return 0;
  }
  const options: BenchOptions = {
    quick: args.quick,
    soakMinutes: args.soakMinutes ?? (args.quick ? 0.5 : 30),
    scale: args.scale,
    log: (line) => {
      if (args.verbose || !line.startsWith('[')) console.error(line);
    },
    selected: () => true,
  };
  const machine = await describeMachine();
  console.error(
    `septet bench (${args.quick ? 'quick' : 'full'}) on ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverage.join(' ')}`,
  );

  const rows: Row[] = [];
  for (const group of figureGroups) {
    const wanted = group.rows.filter((row) => selected(args.only, group.key, row));
    if (wanted.length === 0) continue;
    const started = Date.now();
    console.error(`── figure ${group.key}: ${group.title}`);
    const got = new Map<string, Row>();
    const specOf = (id: string) => {
      const spec = group.rows.find((r) => r.id === id);
      if (!spec) throw new Error(`figure ${group.key} reported an unknown row ${id}`);
      return spec;
    };
    try {
      const groupOptions: BenchOptions = {
        ...options,
        selected: (id) => wanted.some((row) => row.id === id),
      };
      await group.run(groupOptions, {
        measured(id, samples, details = {}) {
          const spec = specOf(id);
          if (samples.length === 0 || samples.some((s) => !Number.isFinite(s))) {
            throw new Error(
              `row ${id}: samples must be finite numbers (got ${JSON.stringify(samples.slice(0, 5))})`,
            );
          }
          got.set(id, judge(spec, samples, details));
        },
        notMeasured(id, reason) {
          got.set(id, { ...specOf(id), status: 'not measured', reason });
        },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(
        `figure ${group.key} failed: ${error instanceof Error ? (error.stack ?? message) : message}`,
      );
      for (const row of wanted)
        if (!got.has(row.id))
          got.set(row.id, { ...row, status: 'error', reason: message.split('\n')[0]!.slice(0, 200) });
    }
    for (const row of wanted)
      rows.push(got.get(row.id) ?? { ...row, status: 'error', reason: 'the figure did not report this row' });
    console.error(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }

  console.log('');
  printTable(rows);

  const measuredAt = new Date().toISOString();
  const order = figureGroups.flatMap((g) => g.rows.map((r) => r.id));
  let previous: ResultsFile['rows'] = [];
  if (args.only.length > 0 && existsSync(out)) {
    try {
      const old = JSON.parse(readFileSync(out, 'utf8')) as ResultsFile;
      // Rows no figure defines any more (renamed or removed) are dropped, not carried along.
      previous = old.rows.filter((r) => order.includes(r.id) && !rows.some((n) => n.id === r.id));
    } catch {
      previous = [];
    }
  }
  const file: ResultsFile = {
    generatedAt: measuredAt,
    mode: args.quick ? 'quick' : 'full',
    machine,
    options: { quick: args.quick, only: args.only, soakMinutes: options.soakMinutes, scale: args.scale },
    rows: [...previous, ...rows.map((r) => ({ ...r, measuredAt, machineLoad: machine.loadAverage }))].sort(
      (a, b) => order.indexOf(a.id) - order.indexOf(b.id),
    ),
  };
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  console.error(`\nwrote ${out}`);
  return rows.some((r) => r.status === 'error') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
