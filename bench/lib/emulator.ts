// Starts the real emulator on loopback (port 0, temporary data dir) for a figure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type BenchEmulator = {
  url: string;
  pid: number | undefined;
  dataDir: string;
  /** Spawn → READY line, in ms. */
  readyMs: number;
  close(): Promise<void>;
};

const childScript = fileURLToPath(new URL('./emulator-child.ts', import.meta.url));

/**
 * The emulator in a child process (its own event loop and CPU time), like the real CLI. Its
 * media cache is new and empty (inside its data dir): every track a figure plays is generated
 * on demand, as for a listener who never played it.
 */
export async function startBenchEmulator(
  options: { config?: Record<string, unknown>; log?: (line: string) => void; timeoutMs?: number } = {},
): Promise<BenchEmulator> {
  const dataDir = mkdtempSync(join(tmpdir(), 'septet-bench-emu-'));
  const args = ['--import', 'tsx', childScript, dataDir];
  if (options.config) args.push(JSON.stringify(options.config));
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SEPTET_MEDIA_CACHE: join(dataDir, 'media-cache') },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) options.log?.(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`emulator did not start within ${options.timeoutMs ?? 300_000} ms`)),
      options.timeoutMs ?? 300_000,
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      out += text;
      const match = /READY (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${String(code)} before it was ready: ${stderr}`));
    });
  });
  const readyMs = performance.now() - spawnedAt;
  let closing: Promise<void> | null = null;
  return {
    url,
    pid: child.pid,
    dataDir,
    readyMs,
    close() {
      closing ??= (async () => {
        child.stdin.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
        rmSync(dataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
