// `septet logs status` and `septet logs export`: the durable play log of a Septet data directory,
// read-only (safe while the app runs: SQLite WAL).
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPlayLogExport, toCsv } from '../core/play-log/play-log-export.js';
import { readPlayLogStatus } from '../core/play-log/play-log-store.js';
import {
  configFromArgs,
  exitCodes,
  globalHelp,
  parseCommandArgs,
  printJson,
  usageError,
  type CliIo,
} from './cli-context.js';

export const logsHelp = `Usage: septet logs status [--json]
       septet logs export [--from WHEN] [--to WHEN] [--format csv|json] [--out FILE]

status   the play-log queue of the data directory (--data-dir / SEPTET_DATA_DIR): queue depth per
         endpoint (preview, catalogue, subscriber), dead letters, delivered counts, next attempt
         and the last error.
export   every play recorded in a period (by the time it was played: from inclusive, to
         exclusive; ISO 8601 dates or date-times, default the whole log up to now), with every
         field sent to the service, its delivery status (delivered, waiting, sending, rejected),
         attempts, and what was measured beside it (stream id, listened ms, seeks, pauses, when
         the play opened and closed). CSV (default) or JSON, to stdout or --out FILE (written
         whole, then renamed into place).

Both are read-only and safe while the app runs.

${globalHelp}`;

export function playLogPath(dataDir: string): string {
  return join(dataDir, 'play-log.sqlite');
}

export async function runLogsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      json: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    },
    true,
  );
  if (values.help || positionals.length === 0) {
    io.stdout.write(`${logsHelp}\n`);
    return values.help ? exitCodes.ok : exitCodes.usage;
  }
  if (positionals.length > 1) throw usageError(`Unknown logs command "${positionals.join(' ')}"`);
  const path = playLogPath(configFromArgs(values, io.env).dataDir);
  if (positionals[0] === 'status') return status(io, path, values.json === true);
  if (positionals[0] === 'export') return exportPlays(io, path, values);
  throw usageError(`Unknown logs command "${positionals[0]}"`);
}

async function status(io: CliIo, path: string, json: boolean): Promise<number> {
  const status = await Promise.resolve().then(() => readPlayLogStatus(path));
  if (json) {
    printJson(io, { database: path, ...status });
    return exitCodes.ok;
  }
  const lines = [`play log: ${path}`, `queued ${status.queued}, dead letters ${status.deadLetters}`];
  lines.push('endpoint     pending  in-flight  dead  delivered  next attempt              last error');
  for (const [endpoint, s] of Object.entries(status.endpoints)) {
    const lastError = s.lastError
      ? `${s.lastError.at} ${s.lastError.code ?? ''}${s.lastError.serviceCode ? `/${s.lastError.serviceCode}` : ''} ${s.lastError.message}`
      : '-';
    lines.push(
      `${endpoint.padEnd(12)} ${String(s.pending).padStart(7)}  ${String(s.inFlight).padStart(9)}  ${String(s.deadLetters).padStart(4)}  ${String(s.delivered).padStart(9)}  ${(s.nextAttemptAt ?? '-').padEnd(24)}  ${lastError}`,
    );
  }
  if (status.lastError)
    lines.push(
      `last error: [${status.lastError.endpoint}] ${status.lastError.at} ${status.lastError.message}`,
    );
  io.stdout.write(`${lines.join('\n')}\n`);
  return exitCodes.ok;
}

/** A moment given on the command line: an ISO 8601 date (midnight UTC) or date-time. */
function moment(name: string, value: string | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
  const at = new Date(/T/.test(value) || !ok ? value : `${value}T00:00:00Z`);
  if (!ok || Number.isNaN(at.getTime()))
    throw usageError(`--${name} must be an ISO 8601 date or date-time (e.g. 2026-05-01), got "${value}"`);
  return at;
}

async function exportPlays(
  io: CliIo,
  path: string,
  values: { from?: string; to?: string; format?: string; out?: string },
): Promise<number> {
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json')
    throw usageError(`--format must be csv or json, got "${format}"`);
  const from = moment('from', values.from, new Date(0));
  const to = moment('to', values.to, new Date(Date.now() + 1));
  if (from.getTime() >= to.getTime()) throw usageError('--from must be before --to');
  const plays = readPlayLogExport(path, { from, to });
  const text =
    format === 'csv'
      ? toCsv(plays)
      : `${JSON.stringify({ database: path, from: from.toISOString(), to: to.toISOString(), count: plays.length, plays }, null, 2)}\n`;
  if (!values.out) {
    io.stdout.write(text);
    return exitCodes.ok;
  }
  // Never a half-written export under its name: written whole, then renamed.
  const partial = `${values.out}.part`;
  await writeFile(partial, text);
  await rename(partial, values.out);
  io.stderr.write(`${plays.length} play${plays.length === 1 ? '' : 's'} written to ${values.out}\n`);
  return exitCodes.ok;
}
