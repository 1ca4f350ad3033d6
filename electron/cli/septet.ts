// The partner CLI: `septet <command> …` (npm run septet -- …, or the package bin).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiHelp, runApiCommand } from './api-command.js';
import { exitCodes, globalHelp, isUsageError, printError, type CliIo } from './cli-context.js';
import { logsHelp, runLogsCommand } from './logs-command.js';
import {
  runSalesCommand,
  runSubscriptionsCommand,
  runUsersCommand,
  salesHelp,
  subscriptionsHelp,
  usersHelp,
} from './partner-commands.js';
import { runTransferCommand, transferHelp } from './transfer.js';

export const mainHelp = `Usage: septet <command> [options]

Partner tool for the MassiveMusic Streaming Platform API (the local emulator by default).

Commands:
  api <operationId> [name=value …]     call any of the 46 operations, signed, and print the response
  users create                          create a listener
  subscriptions create                  create or renew a listener's subscription
  sales credit|refund-track|refund-release   log a sale or report a refund
  transfer                              bulk media transfer with checksums, resumable
  logs status|export                    the play-log queue; every play of a period as CSV/JSON (audit)

Run septet <command> --help for a command's options.

${globalHelp}`;

const commandHelp: Record<string, string> = {
  api: apiHelp,
  users: usersHelp,
  subscriptions: subscriptionsHelp,
  sales: salesHelp,
  transfer: transferHelp,
  logs: logsHelp,
};

export async function main(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help': {
        const topic = rest[0];
        io.stdout.write(`${topic && commandHelp[topic] ? commandHelp[topic] : mainHelp}\n`);
        return command === undefined ? exitCodes.usage : exitCodes.ok;
      }
      case 'api':
        return await runApiCommand(rest, io);
      case 'users':
        return await runUsersCommand(rest, io);
      case 'subscriptions':
        return await runSubscriptionsCommand(rest, io);
      case 'sales':
        return await runSalesCommand(rest, io);
      case 'transfer':
        return await runTransferCommand(rest, io, signal);
      case 'logs':
        return await runLogsCommand(rest, io);
      default:
        io.stderr.write(`error: unknown command "${command}"\n\n${mainHelp}\n`);
        return exitCodes.usage;
    }
  } catch (error) {
    printError(io, error);
    if (isUsageError(error)) {
      io.stderr.write(`Run septet ${command} --help for usage.\n`);
      return exitCodes.usage;
    }
    if (signal.aborted) return exitCodes.interrupted;
    return exitCodes.failed;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(exitCodes.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  };
  main(process.argv.slice(2), io, controller.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      printError(io, error);
      process.exitCode = exitCodes.failed;
    },
  );
}
