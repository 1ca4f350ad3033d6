// The partner CLI, spawned as a real process against the real emulator.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConsumer, demoListener } from '../../shared/demo.js';
import { createLocalSigner } from '../core/api/oauth.js';
import { createOpenPlays } from '../core/play-log/open-plays.js';
import { createHttpPlayLogSend } from '../core/play-log/testing/http-send.js';
import { createPlayLogService } from '../core/play-log/play-log-service.js';
import { createPlayLogStore, openPlayLogDatabase } from '../core/play-log/play-log-store.js';
import { createPlayAccounting } from '../core/playback/play-accounting.js';
import { createRateLimiter, journalName, parseTrackList } from './transfer.js';

const root = join(import.meta.dirname, '..', '..');
const cliPath = join(root, 'electron', 'cli', 'septet.ts');
const tsxLoader = import.meta.resolve('tsx');

let baseUrl = '';
let close: () => Promise<void> = async () => undefined;
let work = '';
let audioTrackIds: string[] = [];

type Run = { code: number | null; stdout: string; stderr: string };

function septet(
  args: string[],
  options: {
    env?: Record<string, string>;
    stdin?: string;
    /** Called once the process runs, with a function that sends it SIGINT; returns a cleanup. */
    whileRunning?: (interrupt: () => void) => () => void;
    bin?: boolean;
  } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const argv = options.bin
      ? [join(root, 'bin', 'septet.js'), ...args]
      : ['--import', tsxLoader, cliPath, ...args];
    const child = spawn(process.execPath, argv, {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        SEPTET_API_BASE_URL: baseUrl,
        SEPTET_LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const cleanup = options.whileRunning?.(() => child.kill('SIGINT'));
    child.on('error', reject);
    child.on('close', (code) => {
      cleanup?.();
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** Runs `emulator/cli.ts --port 0` as its own process (the CLI is tested as a partner uses it). */
function spawnEmulator(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        tsxLoader,
        join(root, 'emulator', 'cli.ts'),
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--quiet',
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1] as string, child });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'septet-cli-'));
  const emulator = await spawnEmulator(join(work, 'emulator'));
  baseUrl = emulator.url;
  close = () =>
    new Promise<void>((resolve) => {
      emulator.child.once('exit', () => resolve());
      emulator.child.kill('SIGTERM');
    });
  const audio = (await (await fetch(`${baseUrl}/_emulator/demo-set`)).json()) as unknown;
  const list = Array.isArray(audio) ? audio : ((audio as { tracks?: unknown[] }).tracks ?? []);
  audioTrackIds = list.map((t) =>
    typeof t === 'string'
      ? t
      : String((t as { trackId?: string; id?: string }).trackId ?? (t as { id?: string }).id),
  );
  expect(audioTrackIds.length).toBeGreaterThan(5);
});

afterAll(async () => {
  await close();
  rmSync(work, { recursive: true, force: true });
});

describe('septet api', () => {
  it('searchTracks prints tracks as JSON (demo key, no secret configured)', async () => {
    const details = await septet(['api', 'getTrackDetails', `trackId=${audioTrackIds[0]}`]);
    expect(details.code).toBe(0);
    const word = (JSON.parse(details.stdout) as { title: string }).title.split(/\s+/)[0] as string;
    const run = await septet(['api', 'searchTracks', `q=${word}`, 'pageSize=5']);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as { tracks: Array<{ id: string; title: string }> };
    expect(body.tracks.length).toBeGreaterThan(0);
    expect(body.tracks[0]?.title).toBeTruthy();
  });

  it('a service error exits 1 and prints the service code', async () => {
    const run = await septet(['api', 'getTrackDetails', 'trackId=999999999999']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: not_found, service code 2001, HTTP 404/);
  });

  it.each([
    [['api', 'searchTracks'], /missing required parameter "q"/],
    [['api', 'searchTrack', 'q=x'], /Unknown operation "searchTrack".*searchTracks/],
    [['api', 'searchTracks', 'q'], /Expected name=value/],
    [['api', 'searchTracks', 'q=x', '--bogus'], /Unknown option '--bogus'/],
    [['api', 'createPlaylist', 'userId=u', 'tracks:=[oops'], /valid JSON/],
    [['transfer', '--tracks', 'x.txt', '--format', 'ogg', '--out', 'o'], /--format must be mp3, flac or aac/],
    [
      ['transfer', '--tracks', 'x.txt', '--format', 'mp3', '--out', 'o', '--rate', '80'],
      /--rate must be an integer from 1 to 50/,
    ],
    [
      ['sales', 'credit', '--user', 'u', '--release', '1', '--currency', 'usd', '--price', '1'],
      /--currency must be an ISO 4217/,
    ],
    [['users', 'create', '--email', 'nope', '--password', 'x', '--country', 'GB'], /not an email/],
    [['api', 'searchTracks', 'q=x', '--timeout', 'soon'], /--timeout must be a positive number/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('invalid arguments %j → exit 2 with a clear error', async (args, message) => {
    const run = await septet(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('a non-demo key without a secret is a clear usage error', async () => {
    const run = await septet(['api', 'searchTracks', 'q=x'], { env: { SEPTET_CONSUMER_KEY: 'partner-key' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/SEPTET_CONSUMER_SECRET/);
  });

  it('--body - reads a JSON body from stdin; name:=json sets typed fields', async () => {
    const run = await septet(['api', 'getTracksBatchDetails', '--body', '-', 'showErrors:=true'], {
      stdin: JSON.stringify({ trackIds: [audioTrackIds[0], 'nope-1'] }),
    });
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as { tracks: unknown[]; errors: Array<{ index: number }> };
    expect(body.tracks).toHaveLength(1);
    expect(body.errors[0]?.index).toBe(1);
  });

  it('--out writes media; --list lists the operations', async () => {
    const out = join(work, 'preview.mp3');
    const run = await septet([
      'api',
      'streamPreviewClip',
      `trackId=${audioTrackIds[0]}`,
      'format=mp3',
      `userId=${demoListener.userId}`,
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(readFileSync(out).length).toBeGreaterThan(1000);
    const list = await septet(['api', '--list']);
    expect(list.stdout.trim().split('\n').length).toBe(50);
  });

  it('--help works on every command, through the package bin too', async () => {
    for (const args of [
      ['--help'],
      ['api', '--help'],
      ['users', '--help'],
      ['subscriptions', '--help'],
      ['sales', '--help'],
      ['transfer', '--help'],
      ['logs', '--help'],
    ]) {
      const run = await septet(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/^Usage: septet/);
    }
    const viaBin = await septet(['api', '--help'], { bin: true });
    expect(viaBin.code).toBe(0);
    expect(viaBin.stdout).toMatch(/^Usage: septet api/);
  });
});

describe('partner commands', () => {
  it('users create → subscriptions create → sales credit → sales refund-track', async () => {
    const email = `cli-${Date.now()}@septet.test`;
    const user = await septet(['users', 'create', '--email', email, '--country', 'GB'], {
      env: { SEPTET_USER_PASSWORD: 'pw-123' },
    });
    expect(user.code, user.stderr).toBe(0);
    const userId = (JSON.parse(user.stdout) as { id: string }).id;
    const again = await septet(['users', 'create', '--email', email, '--password', 'x', '--country', 'GB']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already_exists, service code 2003/);

    const subscription = await septet(['subscriptions', 'create', '--user', userId]);
    expect(subscription.code, subscription.stderr).toBe(0);
    expect(JSON.parse(subscription.stdout)).toMatchObject({ userId, status: 'active' });

    const track = JSON.parse(
      (await septet(['api', 'getTrackDetails', `trackId=${audioTrackIds[0]}`])).stdout,
    ) as { release: { id: string } };
    const credit = await septet([
      'sales',
      'credit',
      '--user',
      userId,
      '--release',
      track.release.id,
      '--track',
      audioTrackIds[0] as string,
      '--currency',
      'USD',
      '--price',
      '0.99',
    ]);
    expect(credit.code, credit.stderr).toBe(0);
    expect(credit.stdout).toMatch(/^<\?xml/);
    const purchaseId = /<purchase id="([^"]+)"/.exec(credit.stdout)?.[1] as string;
    expect(purchaseId).toBeTruthy();

    const refund = await septet(['sales', 'refund-track', '--user', userId, '--purchase', purchaseId]);
    expect(refund.code, refund.stderr).toBe(0);
    expect(JSON.parse(refund.stdout)).toMatchObject({ purchaseId });
    const twice = await septet(['sales', 'refund-track', '--user', userId, '--purchase', purchaseId]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/service code 2001/);
    const releaseRefund = await septet([
      'sales',
      'refund-release',
      '--user',
      userId,
      '--purchase',
      'no-such',
    ]);
    expect(releaseRefund.code).toBe(1);
  });

  it('logs status reads the play-log queue of a data dir', async () => {
    const run = await septet(['logs', 'status', '--data-dir', join(work, 'app-data')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/queued 0, dead letters 0/);
    expect(run.stdout).toMatch(/subscriber/);
    const json = await septet(['logs', 'status', '--json', '--data-dir', join(work, 'app-data')]);
    expect(JSON.parse(json.stdout)).toMatchObject({ queued: 0, deadLetters: 0 });
  });
});

describe('septet logs export', () => {
  /** CSV as rows of cells (RFC 4180 quoting). */
  const parseCsv = (text: string): string[][] =>
    text
      .trimEnd()
      .split('\r\n')
      .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!));

  it('writes every play of a period with every field sent, its delivery status and attempts (CSV and JSON)', async () => {
    // A data dir whose play log holds two plays the emulator accepted and one it rejected (an
    // unknown track), recorded as the app records them: opened at resolve, closed from a report.
    const dataDir = join(work, 'export-data');
    mkdirSync(dataDir, { recursive: true });
    const log = openPlayLogDatabase(join(dataDir, 'play-log.sqlite'));
    let clock = Date.now() - 3_600_000;
    const service = createPlayLogService({
      store: createPlayLogStore(log),
      send: createHttpPlayLogSend({
        baseUrl,
        signer: createLocalSigner({ consumerKey: demoConsumer.key, consumerSecret: demoConsumer.secret }),
      }),
      limits: { subscriber: { minBatch: 1, maxWaitMs: 0 } },
    });
    const accounting = createPlayAccounting({
      openPlays: createOpenPlays(log),
      playLog: service,
      now: () => clock,
    });
    const play = (trackId: string, seconds: number) => {
      const streamId = accounting.open(demoListener.userId, 'subscriber', {
        trackId,
        playMode: 'online',
        country: 'GB',
        clientId: 'septet-cli-test',
        context: 'subscription',
        source: 'subscription',
        format: 'hls',
        formatId: 56,
      });
      accounting.served(demoListener.userId, { trackId, source: 'subscription', format: 'hls' });
      accounting.event(demoListener.userId, { streamId, event: 'started', listened: 0 });
      clock += seconds * 1000 + 500;
      accounting.report(demoListener.userId, { streamId, listened: seconds, endReason: 'userSkipped' });
      return streamId;
    };
    const streamIds = [play(audioTrackIds[0]!, 21), play(audioTrackIds[1]!, 9), play('999999999', 5)];
    await service.flush();
    await service.flush();
    await service.close({ flush: false });
    log.close();

    const from = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const csv = await septet([
      'logs',
      'export',
      '--data-dir',
      dataDir,
      '--from',
      from,
      '--to',
      new Date().toISOString(),
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...rows] = parseCsv(csv.stdout);
    const col = (row: string[], name: string) => row[header!.indexOf(name)];
    expect(header).toEqual(
      expect.arrayContaining(['status', 'attempts', 'trackId', 'durationPlayed', 'audit.streamId']),
    );
    expect(
      rows.map((r) => [
        col(r, 'trackId'),
        col(r, 'status'),
        col(r, 'durationPlayed'),
        col(r, 'audit.streamId'),
      ]),
    ).toEqual([
      [audioTrackIds[0], 'delivered', '21', streamIds[0]],
      [audioTrackIds[1], 'delivered', '9', streamIds[1]],
      ['999999999', 'rejected', '5', streamIds[2]],
    ]);
    for (const row of rows) {
      expect(Number(col(row, 'attempts'))).toBeGreaterThanOrEqual(1);
      expect(col(row, 'userId')).toBe(demoListener.userId);
      expect(col(row, 'clientId')).toBe('septet-cli-test');
      expect(col(row, 'formatId')).toBe('56');
    }
    expect(col(rows[2]!, 'rejectedReason')).toMatch(/not found/i);

    // JSON carries the payload exactly as sent; the emulator received the same fields.
    const out = join(work, 'plays.json');
    const json = await septet([
      'logs',
      'export',
      '--data-dir',
      dataDir,
      '--format',
      'json',
      '--out',
      out,
      '--from',
      from,
    ]);
    expect(json.code, json.stderr).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as {
      count: number;
      plays: { status: string; sent: Record<string, unknown> }[];
    };
    expect(exported.count).toBe(3);
    const received = (await (await fetch(`${baseUrl}/_emulator/logs?endpoint=subscriber`)).json()) as {
      logs: Record<string, unknown>[];
    };
    for (const p of exported.plays.filter((x) => x.status === 'delivered')) {
      const { receivedAt: _at, ...asReceived } = received.logs.find(
        (l) => l.timestamp === p.sent.timestamp && l.trackId === p.sent.trackId,
      )!;
      expect(asReceived).toEqual(p.sent);
    }

    // A period with nothing in it, and bad input.
    const empty = await septet(['logs', 'export', '--data-dir', dataDir, '--to', from]);
    expect(parseCsv(empty.stdout)).toHaveLength(1);
    const bad = await septet(['logs', 'export', '--data-dir', dataDir, '--from', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from must be an ISO 8601 date/);
  });
});

describe('septet transfer', () => {
  const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

  it('the rate limiter never books more than 50 starts in any 1 s window', () => {
    let clock = 1_000_000;
    const limiter = createRateLimiter(50, () => clock);
    const starts: number[] = [];
    for (let i = 0; i < 400; i++) {
      starts.push(clock + limiter.reserve());
      if (i % 7 === 0) clock += 13; // callers arrive unevenly; some wait, some are late
    }
    for (let i = 0; i + 50 < starts.length; i++)
      expect((starts[i + 50] as number) - (starts[i] as number)).toBeGreaterThanOrEqual(1000);
  });

  it('parses track lists with comments, commas and duplicates', () => {
    expect(parseTrackList('# header\n1, 2\n\n3 # note\n2\n')).toEqual(['1', '2', '3']);
    expect(() => parseTrackList('1\n../etc\n')).toThrow(/line 2/);
  });

  it('transfers with checksums, reports failures, and resumes after an interruption', async () => {
    const ids = audioTrackIds.slice(0, 6);
    const list = join(work, 'tracks.txt');
    writeFileSync(list, `# transfer test\n${ids.join('\n')}\n999999999999\n`);
    const out = join(work, 'out');

    // First run, interrupted (SIGINT) once the first file is complete; 2 requests/s keeps it slow.
    const first = await septet(
      [
        'transfer',
        '--tracks',
        list,
        '--format',
        'mp3',
        '--bitrate',
        '320',
        '--out',
        out,
        '--rate',
        '2',
        '--concurrency',
        '1',
      ],
      {
        whileRunning: (interrupt) => {
          const timer = setInterval(() => {
            const journal = join(out, journalName);
            if (existsSync(journal) && readFileSync(journal, 'utf8').trim()) {
              clearInterval(timer);
              interrupt();
            }
          }, 20);
          return () => clearInterval(timer);
        },
      },
    );
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/interrupted: run the same command again to resume/);
    const doneFirst = readFileSync(join(out, journalName), 'utf8').trim().split('\n').length;
    expect(doneFirst).toBeGreaterThan(0);
    expect(doneFirst).toBeLessThan(ids.length);

    // Second run resumes: skips what is complete, fetches the rest, reports the bad id, exit 1.
    const second = await septet([
      'transfer',
      '--tracks',
      list,
      '--format',
      'mp3',
      '--bitrate',
      '320',
      '--out',
      out,
      '--concurrency',
      '3',
    ]);
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `transferred ${ids.length - doneFirst}, skipped ${doneFirst} \\(already complete\\), failed 1`,
      ),
    );
    expect(second.stderr).toMatch(/999999999999: not_found \(2001\)/);
    expect(second.stderr).toMatch(/\[#+-*\] \d+\/7/);

    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums).toHaveLength(ids.length);
    for (const line of sums) {
      const [hash, file] = line.split('  ') as [string, string];
      expect(sha256(join(out, file))).toBe(hash);
    }
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      files: unknown[];
      failed: Array<{ trackId: string }>;
    };
    expect(manifest.files).toHaveLength(ids.length);
    expect(manifest.failed.map((f) => f.trackId)).toEqual(['999999999999']);
    expect(
      readFileSync(join(out, `${ids[0]}.mp3`))
        .subarray(0, 3)
        .toString('latin1'),
    ).toMatch(/^(ID3|\xff)/);

    // A damaged file is detected by its checksum and fetched again; the others are skipped.
    writeFileSync(join(out, `${ids[1]}.mp3`), 'damaged');
    writeFileSync(list, ids.join('\n'));
    const third = await septet([
      'transfer',
      '--tracks',
      list,
      '--format',
      'mp3',
      '--bitrate',
      '320',
      '--out',
      out,
      '--no-progress',
    ]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(new RegExp(`transferred 1, skipped ${ids.length - 1}`));
    const hash = readFileSync(join(out, 'SHA256SUMS'), 'utf8')
      .split('\n')
      .find((l) => l.endsWith(`${ids[1]}.mp3`))
      ?.split('  ')[0];
    expect(sha256(join(out, `${ids[1]}.mp3`))).toBe(hash);
  });

  it('rides out 503s and a truncated body (retried through the rate limiter), never keeping a bad file', async () => {
    const fault = (body: Record<string, unknown>) =>
      fetch(`${baseUrl}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await fault({ pathPattern: '/content-delivery/media-transfer', kind: 'status', status: 503, times: 2 });
    await fault({ pathPattern: '/content-delivery/media-transfer', kind: 'truncate', times: 1 });
    const list = join(work, 'faulty.txt');
    writeFileSync(list, audioTrackIds.slice(6, 8).join('\n'));
    const out = join(work, 'faulty-out');
    try {
      const run = await septet([
        'transfer',
        '--tracks',
        list,
        '--format',
        'flac',
        '--out',
        out,
        '--no-progress',
        '--concurrency',
        '1',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/transferred 2, skipped 0 \(already complete\), failed 0/);
      // every injected fault was hit (spent faults are removed)
      expect(
        ((await (await fetch(`${baseUrl}/_emulator/faults`)).json()) as { faults: unknown[] }).faults,
      ).toEqual([]);
      for (const line of readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n')) {
        const [hash, file] = line.split('  ') as [string, string];
        expect(sha256(join(out, file))).toBe(hash);
        expect(readFileSync(join(out, file)).subarray(0, 4).toString('latin1')).toBe('fLaC');
      }
    } finally {
      await fetch(`${baseUrl}/_emulator/faults`, { method: 'DELETE' });
    }
  });
});
