// Runs the real emulator (startEmulator from emulator/server.ts) in its own process so that a
// load generator in the bench process does not share its event loop. Prints `READY <url>` once
// it accepts requests; exits (closing the emulator) when stdin closes or on SIGTERM.
import { startEmulator } from '../../emulator/server.js';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: emulator-child.ts <data-dir> [config-json]');
  process.exit(2);
}
const config = process.argv[3] ? (JSON.parse(process.argv[3]) as Record<string, unknown>) : {};

const emulator = await startEmulator({
  port: 0,
  dataDir,
  config,
  log: (line) => console.error(`[emulator] ${line}`),
});
process.stdout.write(`READY ${emulator.url}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  emulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
