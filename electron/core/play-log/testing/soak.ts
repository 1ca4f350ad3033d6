// Crash soak of the durable play log: `npm run soak:playlog -- --cycles N`.
// A child process records plays and flushes them to the emulator; the parent SIGKILLs it at
// random moments and restarts it, then drains what is left and compares what the child
// reported as recorded with what the emulator received (GET /_emulator/logs). The child
// writes a marker line when a batch enters the send window (rows durably IN_FLIGHT, request
// about to go) and when it leaves it (outcome durably recorded); a kill between the two is a
// kill "in the window", the only place a duplicate may come from.
//
// Options: --cycles N (200) --seed N --max-kill-ms N (400) --plays N (24, per cycle)
//          --target emulator|local (local = an in-process stand-in server, for debugging the soak)
//          --emulator-url URL (use a running emulator instead of starting one)
import { spawn, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { demoConsumer, demoListener } from '../../../../shared/demo.js';
import { createLocalSigner } from '../../api/oauth.js';
import { createHttpPlayLogSend } from './http-send.js';
import type { PlayLogEndpoint, StreamLogPayload } from '../play-log-schema.js';
import { createPlayLogService, type PlayLogLimitsOverride } from '../play-log-service.js';
import { createPlayLogStore, openPlayLogDatabase } from '../play-log-store.js';
import { seededRandom } from '../../../../shared/random.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const endpoints: PlayLogEndpoint[] = ['preview', 'catalogue', 'subscriber'];

// Shorter waits than production so a cycle of a few hundred ms exercises every path; the batch
// and rate limits are the real ones.
const soakLimits: PlayLogLimitsOverride = {
  preview: { minBatch: 8, maxWaitMs: 80 },
  subscriber: { maxWaitMs: 150 },
  backoff: { baseMs: 50, capMs: 2_000 },
};

const keyOf = (log: Pick<StreamLogPayload, 'userId' | 'clientId' | 'trackId' | 'timestamp'>) =>
  `${log.userId}|${log.clientId}|${log.trackId}|${log.timestamp}`;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- child

async function child(args: {
  db: string;
  url: string;
  tracks: string;
  plays: number;
  seed: number;
  drain: boolean;
}) {
  const out = (line: string) => writeSync(1, `${line}\n`);
  const random = seededRandom(args.seed);
  const tracks = args.tracks.split(',').map((t) => {
    const [trackId, releaseId, duration] = t.split(':');
    return { trackId: trackId!, releaseId: releaseId || undefined, duration: Number(duration) || 180 };
  });
  const db = openPlayLogDatabase(args.db);
  const store = createPlayLogStore(db);
  const send = createHttpPlayLogSend({
    baseUrl: args.url,
    signer: createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret }),
    timeoutMs: 10_000,
  });
  const service = createPlayLogService({
    store,
    send,
    limits: soakLimits,
    onSendWindow: (event) => {
      if (event.phase === 'enter')
        out(`E ${event.batchId} ${event.endpoint} ${event.logs.map(keyOf).join(',')}`);
      else out(`L ${event.batchId} ${event.outcome ?? ''}`);
    },
  });
  service.start();
  out('READY');
  if (args.drain) {
    for (;;) {
      await service.flush({ force: true });
      const status = service.status();
      if (status.queued === 0) break;
      const next = Math.min(
        ...endpoints.map((e) => Date.parse(status.endpoints[e].nextAttemptAt ?? '') || Date.now() + 50),
      );
      await sleep(Math.max(10, Math.min(2_000, next - Date.now())));
    }
    out(`STATUS ${JSON.stringify(service.status())}`);
    out(`DEAD ${JSON.stringify(service.deadLetters())}`);
  } else {
    for (let i = 0; i < args.plays; i++) {
      const roll = random();
      const kind: PlayLogEndpoint = roll < 0.3 ? 'preview' : roll < 0.55 ? 'catalogue' : 'subscriber';
      const track = tracks[Math.floor(random() * tracks.length)]!;
      const recorded = service.recordPlay({
        kind,
        playMode:
          kind === 'subscriber' ? (['online', 'offline', 'online-cached'] as const)[i % 3]! : 'online',
        trackId: track.trackId,
        ...(track.releaseId ? { releaseId: track.releaseId } : {}),
        userId: demoListener.userId,
        clientId: 'septet-soak',
        // The emulator rejects a duration longer than the track.
        durationPlayed: Math.floor(random() * Math.min(kind === 'preview' ? 30 : 240, track.duration)),
        country: demoListener.country,
        ...(kind === 'catalogue' ? { endReason: 'naturalEnd' as const } : {}),
      });
      out(
        `R ${keyOf({ userId: demoListener.userId, clientId: 'septet-soak', trackId: track.trackId, timestamp: recorded.timestamp })}`,
      );
      await sleep(Math.floor(random() * 15));
    }
    await service.close({ flush: true });
    out('DONE');
  }
  db.close();
}

// ---------------------------------------------------------------- parent

type Target = { url: string; close(): Promise<void> };

async function startEmulatorChild(dataDir: string): Promise<Target> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'emulator/cli.ts'), '--port', '0', '--data-dir', dataDir],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolveUrl(match[1]!);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    proc.once('exit', (code) =>
      reject(new Error(`emulator exited (${code}) before listening:\n${output.slice(-2000)}`)),
    );
    setTimeout(
      () => reject(new Error(`emulator not listening after 10 min:\n${output.slice(-2000)}`)),
      600_000,
    ).unref();
  });
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill('SIGTERM');
      }),
  };
}

async function startLocalTarget(): Promise<Target> {
  const { startLoggingServer } = await import('./play-log-test-support.js');
  const server = await startLoggingServer(() => Date.now());
  return { url: server.url, close: () => server.close() };
}

async function trackIds(url: string): Promise<string[]> {
  const signer = createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret });
  const found = new Map<string, string>();
  for (const q of ['love', 'night', 'the', 'a', 'e']) {
    const request = new URL('tracks/search', `${url}/`);
    request.searchParams.set('q', q);
    request.searchParams.set('pageSize', '50');
    const { authorization } = await signer.sign({ method: 'GET', url: request.toString() });
    const response = await fetch(request, { headers: { authorization, accept: 'application/json' } });
    if (!response.ok) continue;
    const body = (await response.json()) as {
      tracks?: Array<{ id?: unknown; duration?: unknown; release?: { id?: unknown } }>;
    };
    for (const t of body.tracks ?? []) {
      if (typeof t.id === 'string' || typeof t.id === 'number') {
        const release = t.release?.id === undefined ? '' : String(t.release.id);
        const duration = typeof t.duration === 'number' ? t.duration : '';
        found.set(String(t.id), `${String(t.id)}:${release}:${duration}`);
      }
    }
    if (found.size >= 30) break;
  }
  if (found.size === 0) throw new Error(`no tracks found by searching ${url}`);
  return [...found.values()];
}

type CycleResult = {
  killed: boolean;
  inWindow: boolean;
  /** Rows of the batches that were inside the send window when the child was killed. */
  rowsAtRisk: string[];
  recorded: string[];
  exitCode: number | null;
};

function runChild(
  bundle: string,
  childArgs: string[],
  killAfterMs: number | null,
): Promise<CycleResult & { stdout: string }> {
  return new Promise((resolveRun, reject) => {
    const proc: ChildProcess = spawn(process.execPath, [bundle, '--child', ...childArgs], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SEPTET_LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    proc.stdout!.on('data', (chunk: Buffer) => {
      const before = stdout;
      stdout += chunk.toString();
      if (killAfterMs !== null && !before.includes('READY') && stdout.includes('READY')) {
        timer = setTimeout(() => {
          if (proc.exitCode === null && proc.signalCode === null) {
            killed = true;
            proc.kill('SIGKILL');
          }
        }, killAfterMs);
      }
    });
    proc.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.once('error', reject);
    proc.once('close', (code) => {
      clearTimeout(timer);
      if (!killed && code !== 0) {
        reject(new Error(`soak child failed (exit ${code}):\n${stderr.slice(-3000)}`));
        return;
      }
      // Everything the child wrote before it died is in the pipe, so the last markers tell
      // exactly which batches were inside the send window at the moment of the kill.
      const open = new Map<string, string[]>();
      const recorded: string[] = [];
      for (const line of stdout.split('\n')) {
        if (line.startsWith('R ')) recorded.push(line.slice(2));
        else if (line.startsWith('E ')) {
          const [, batchId, , keys] = line.split(' ');
          open.set(batchId!, keys ? keys.split(',') : []);
        } else if (line.startsWith('L ')) open.delete(line.split(' ')[1]!);
      }
      const rowsAtRisk: string[] = [];
      if (killed) for (const keys of open.values()) rowsAtRisk.push(...keys);
      resolveRun({ killed, inWindow: killed && open.size > 0, rowsAtRisk, recorded, exitCode: code, stdout });
    });
  });
}

async function bundleChild(): Promise<string> {
  const { build } = await import('esbuild');
  const outDir = join(repoRoot, 'node_modules', '.cache', 'septet-soak');
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, `soak-child-${process.pid}.mjs`);
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

async function parent(options: {
  cycles: number;
  seed: number;
  maxKillMs: number;
  plays: number;
  target: 'emulator' | 'local';
  emulatorUrl?: string;
}) {
  // Long by design (over 80 lines): the soak's kill/restart loop and its final comparison read best in one place.
  const started = Date.now();
  const work = await mkdtemp(join(tmpdir(), 'septet-soak-'));
  const dbPath = join(work, 'play-log.db');
  const random = seededRandom(options.seed);
  let target: Target | undefined;
  let bundle: string | undefined;
  try {
    target = options.emulatorUrl
      ? { url: options.emulatorUrl, close: async () => undefined }
      : options.target === 'local'
        ? await startLocalTarget()
        : await startEmulatorChild(join(work, 'emulator'));
    const tracks =
      options.target === 'local' && !options.emulatorUrl
        ? ['1001:501:200', '1002:501:180', '1003:502:20']
        : await trackIds(target.url);
    bundle = await bundleChild();
    console.log(
      `soak: ${options.cycles} cycles against ${target.url} (${tracks.length} tracks), seed ${options.seed}`,
    );

    const recorded = new Set<string>();
    const atRisk = new Set<string>();
    let rowsInWindowAtKills = 0;
    const riskPerKill: string[][] = [];
    let kills = 0;
    let killsInWindow = 0;
    const common = [
      '--db',
      dbPath,
      '--url',
      target.url,
      '--tracks',
      tracks.join(','),
      '--plays',
      String(options.plays),
    ];
    for (let cycle = 0; cycle < options.cycles; cycle++) {
      const killAfter = Math.floor(random() * options.maxKillMs);
      const result = await runChild(
        bundle,
        [...common, '--seed', String(options.seed * 1000 + cycle)],
        killAfter,
      );
      for (const key of result.recorded) recorded.add(key);
      for (const key of result.rowsAtRisk) atRisk.add(key);
      rowsInWindowAtKills += result.rowsAtRisk.length;
      if (result.inWindow) riskPerKill.push(result.rowsAtRisk);
      if (result.killed) kills++;
      if (result.inWindow) killsInWindow++;
      if ((cycle + 1) % 20 === 0 || cycle + 1 === options.cycles) {
        console.log(
          `cycle ${cycle + 1}/${options.cycles}: kills=${kills} inWindow=${killsInWindow} recorded=${recorded.size}`,
        );
      }
    }

    const drain = await runChild(bundle, [...common, '--seed', '0', '--drain'], null);
    const statusLine = drain.stdout.split('\n').find((l) => l.startsWith('STATUS '));
    const deadLine = drain.stdout.split('\n').find((l) => l.startsWith('DEAD '));
    const dead = deadLine
      ? (JSON.parse(deadLine.slice(5)) as Array<{ reason: string; payload: StreamLogPayload }>)
      : [];

    const counts = new Map<string, number>();
    let emulatorDuplicates = 0;
    for (const endpoint of endpoints) {
      const response = await fetch(`${target.url}/_emulator/logs?endpoint=${endpoint}`);
      if (!response.ok) throw new Error(`GET /_emulator/logs?endpoint=${endpoint} → HTTP ${response.status}`);
      const body = (await response.json()) as { logs: StreamLogPayload[]; duplicates: number };
      emulatorDuplicates += body.duplicates;
      for (const log of body.logs) counts.set(keyOf(log), (counts.get(keyOf(log)) ?? 0) + 1);
    }
    const lost = [...recorded].filter((k) => !counts.has(k));
    let duplicated = 0;
    const unexplained: string[] = [];
    for (const [key, n] of counts) {
      if (n > 1) {
        duplicated += n - 1;
        if (!atRisk.has(key)) unexplained.push(key);
      }
    }
    const killsThatDuplicated = riskPerKill.filter((keys) =>
      keys.some((k) => (counts.get(k) ?? 0) > 1),
    ).length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `recorded=${recorded.size} (reported by the child before it died) received=${[...counts.values()].reduce((a, b) => a + b, 0)}`,
    );
    console.log(
      `kills=${kills} killsInSendWindow=${killsInWindow} rowsInSendWindowAtKills=${rowsInWindowAtKills} (one kill can duplicate its whole in-flight batch)`,
    );
    console.log(
      `emulator duplicates (by userId, clientId, trackId, timestamp)=${emulatorDuplicates}; ` +
        `kills in the window whose batch reached the service before the ack was recorded=${killsThatDuplicated}`,
    );
    if (dead.length > 0) console.log(`dead letters: ${dead.length}; first: ${dead[0]!.reason}`);
    if (lost.length > 0) console.log(`lost keys (first 5): ${lost.slice(0, 5).join(' ')}`);
    if (unexplained.length > 0)
      console.log(`duplicates from outside the send window (first 5): ${unexplained.slice(0, 5).join(' ')}`);
    if (statusLine) console.log(`queue after drain: ${statusLine.slice(7)}`);
    console.log(`wall time ${seconds}s`);
    console.log(`lost=${lost.length} duplicated=${duplicated} delivered=${counts.size}`);
    // A duplicate must be a row that was inside the send window at a kill, and there can be no
    // more duplicate copies than rows caught in the window by kills.
    const failed = lost.length > 0 || unexplained.length > 0 || duplicated > rowsInWindowAtKills;
    process.exitCode = failed ? 1 : 0;
  } finally {
    if (bundle) await rm(bundle, { force: true });
    await target?.close();
    await rm(work, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    drain: { type: 'boolean', default: false },
    db: { type: 'string' },
    url: { type: 'string' },
    tracks: { type: 'string' },
    plays: { type: 'string', default: '24' },
    seed: { type: 'string' },
    cycles: { type: 'string', default: '200' },
    'max-kill-ms': { type: 'string', default: '400' },
    target: { type: 'string', default: 'emulator' },
    'emulator-url': { type: 'string' },
  },
  strict: true,
});

const int = (value: string | undefined, name: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer`);
    process.exit(2);
  }
  return n;
};

if (values.child) {
  await child({
    db: values.db!,
    url: values.url!,
    tracks: values.tracks!,
    plays: int(values.plays, 'plays'),
    seed: int(values.seed ?? '1', 'seed'),
    drain: values.drain,
  });
} else {
  if (values.target !== 'emulator' && values.target !== 'local') {
    console.error('--target must be emulator or local');
    process.exit(2);
  }
  await parent({
    cycles: int(values.cycles, 'cycles'),
    seed: values.seed === undefined ? Math.floor(Math.random() * 1e6) : int(values.seed, 'seed'),
    maxKillMs: int(values['max-kill-ms'], 'max-kill-ms'),
    plays: int(values.plays, 'plays'),
    target: values.target,
    ...(values['emulator-url'] ? { emulatorUrl: values['emulator-url'] } : {}),
  });
}
