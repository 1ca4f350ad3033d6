// `septet logs status`: the durable play-log queue of a Septet data directory, read-only.
import { join } from 'node:path';
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

Shows the play-log queue of the data directory (--data-dir / SEPTET_DATA_DIR): queue depth per
endpoint (preview, catalogue, subscriber), dead letters, delivered counts, next attempt and the
last error. Safe while the app runs (read-only; SQLite WAL).

${globalHelp}`;

export function playLogPath(dataDir: string): string {
  return join(dataDir, 'play-log.sqlite');
}

export async function runLogsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, true);
  if (values.help || positionals.length === 0) {
    io.stdout.write(`${logsHelp}\n`);
    return values.help ? exitCodes.ok : exitCodes.usage;
  }
  if (positionals[0] !== 'status' || positionals.length > 1)
    throw usageError(`Unknown logs command "${positionals.join(' ')}"`);
  const config = configFromArgs(values, io.env);
  const path = playLogPath(config.dataDir);
  const status = await Promise.resolve().then(() => readPlayLogStatus(path));
  if (values.json) {
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
