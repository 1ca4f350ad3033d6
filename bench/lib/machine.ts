// The machine's description stored with every result file.
import { execFile } from 'node:child_process';
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { chromiumPath } from '../../e2e/chromium.js';

export type Machine = {
  cpuModel: string;
  cores: number;
  memoryTotalMB: number;
  memoryFreeMB: number;
  loadAverage: number[];
  os: string;
  node: string;
  chromium: string;
};

async function chromiumVersion(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(chromiumPath, ['--version'], { timeout: 15_000 });
    return stdout.trim();
  } catch (error) {
    return `unavailable (${(error as Error).message.split('\n')[0]})`;
  }
}

export async function describeMachine(): Promise<Machine> {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryTotalMB: Math.round(totalmem() / 2 ** 20),
    memoryFreeMB: Math.round(freemem() / 2 ** 20),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: await chromiumVersion(),
  };
}
