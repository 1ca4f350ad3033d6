#!/usr/bin/env node
// Package bin for the partner CLI: runs electron/cli/septet.ts under tsx in a child Node
// process, forwarding arguments, stdio, signals and the exit code.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const loader = import.meta.resolve('tsx');
const cli = join(root, 'electron', 'cli', 'septet.ts');

const child = spawn(process.execPath, ['--import', loader, cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) process.exitCode = signal === 'SIGINT' ? 130 : 1;
  else process.exitCode = code ?? 1;
});
child.on('error', (error) => {
  process.stderr.write(`septet: cannot start: ${error.message}\n`);
  process.exitCode = 1;
});
