// Real files and real HTTP: the upstream is a local media server started by the test
// (media-gateway/testing/local-media-server.ts) that can drop a connection mid-body, standing in
// for the emulator's download routes while they are built.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  linkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import { startLocalMediaServer, type LocalMediaServer } from '../media-gateway/testing/local-media-server.js';
import { createSignedUpstream } from '../media-gateway/testing/signed-upstream.js';
import { createDownloadService, type DownloadEvent, type DownloadServiceDeps } from './download-service.js';
import { filenameFromContentDisposition, sanitizeFileName } from './file-names.js';

let root: string;
let folder: string;
let server: LocalMediaServer;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'septet-dl-'));
  folder = join(root, 'Music');
  server = await startLocalMediaServer({ audioBytes: 500_000 });
});
afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function makeService(extra: Partial<DownloadServiceDeps> = {}) {
  const events: DownloadEvent[] = [];
  const service = createDownloadService({
    upstream: createSignedUpstream({ baseUrl: server.url, userId: 'demo-listener' }),
    getSession: () => ({ userId: 'demo-listener', country: 'GB', clientId: 'c', subscriptionActive: true }),
    stateDir: join(root, 'state'),
    retryDelayMs: 1,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { service, events };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('download service', () => {
  it('downloads a purchased track with progress, size check and checksum', async () => {
    const { service } = makeService();
    const progress: Array<{ bytes: number; total: number | null }> = [];
    const result = await service.downloadPurchasedTrack({
      trackId: 'd1',
      folder,
      formatId: '17',
      onProgress: (p) => progress.push(p),
    });
    const expected = server.audioOf('download:d1');
    expect(result).toMatchObject({
      fileName: 'd1.mp3',
      bytes: expected.length,
      sha256: sha(expected),
      resumed: false,
    });
    expect(readFileSync(join(folder, 'd1.mp3')).equals(expected)).toBe(true);
    expect(readdirSync(folder)).toEqual(['d1.mp3']);
    expect(progress.at(-1)).toEqual({
      kind: 'track',
      id: 'd1',
      bytes: expected.length,
      total: expected.length,
    });
    expect(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1]!.bytes)).toBe(true);
    expect(server.requests.at(-1)?.path).toMatch(
      /^\/users\/demo-listener\/downloads\/tracks\/d1\?.*formatId=17/,
    );
    const log = readFileSync(join(root, 'state', 'downloads', 'completed.jsonl'), 'utf8');
    expect(log).toContain(sha(expected));
  });

  it('resumes with Range after the connection drops, never showing a partial final file', async () => {
    server.dropBody(/\/downloads\/releases\/r1$/, 123_456);
    const first = makeService({ maxAttempts: 1 });
    const error = await first.service
      .downloadPurchasedReleaseZip({ releaseId: 'r1', folder })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('network');
    expect(existsSync(join(folder, 'r1.zip'))).toBe(false);
    // What arrived before the drop is kept (fetch may discard its last buffered piece).
    const kept = statSync(join(folder, 'r1.zip.part')).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(123_456);
    expect(first.events.at(-1)).toMatchObject({ type: 'failed', partialBytes: kept });

    // A new service (as after an app restart) picks up the .part and asks only for the rest.
    const second = makeService();
    const result = await second.service.downloadPurchasedReleaseZip({ releaseId: 'r1', folder });
    const expected = server.audioOf('download:r1');
    expect(result).toMatchObject({
      fileName: 'r1.zip',
      bytes: expected.length,
      resumed: true,
      sha256: sha(expected),
    });
    expect(readFileSync(join(folder, 'r1.zip')).equals(expected)).toBe(true);
    expect(readdirSync(folder)).toEqual(['r1.zip']);
    const last = server.requests.at(-1)!;
    expect(last.range).toBe(`bytes=${kept}-`);
  });

  it('retries within one call, resuming each time', async () => {
    server.dropBody(/\/downloads\/purchases\/p1$/, 100_000, 2);
    const { service } = makeService({ maxAttempts: 4 });
    const result = await service.downloadPurchaseZip({ purchaseId: 'p1', folder });
    expect(result.resumed).toBe(true);
    expect(readFileSync(result.path).equals(server.audioOf('download:p1'))).toBe(true);
    const ranges = server.requests.filter((r) => r.path.includes('/purchases/p1')).map((r) => r.range);
    expect(ranges).toHaveLength(3);
    expect(ranges[0]).toBeUndefined();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(ranges[2]).toMatch(/^bytes=\d+-$/);
  });

  it('sanitises Content-Disposition names (no path traversal) and never overwrites a file', async () => {
    server.setDisposition('evil', 'attachment; filename="../../etc/passwd"');
    server.setDisposition('evil2', "attachment; filename*=UTF-8''..%2F..%2Fx%C3%A9.mp3");
    const { service } = makeService();
    const a = await service.downloadPurchasedTrack({ trackId: 'evil', folder });
    expect(a.path).toBe(join(folder, 'passwd'));
    const b = await service.downloadPurchasedTrack({ trackId: 'evil2', folder });
    expect(b.path).toBe(join(folder, 'xé.mp3'));
    server.setDisposition('evil3', 'attachment; filename="passwd"');
    const c = await service.downloadPurchasedTrack({ trackId: 'evil3', folder });
    expect(c.path).toBe(join(folder, 'passwd (1)'));
    expect(readdirSync(root).sort()).toEqual(['Music', 'state']);
  });

  it('reports a full disk as disk_full and keeps the .part for resume', async () => {
    const { service } = makeService();
    // /dev/full fails every write with ENOSPC: a real full disk, for the .part only.
    mkdirSync(folder, { recursive: true });
    symlinkSync('/dev/full', join(folder, 'd9.mp3.part'));
    const error = await service.downloadPurchasedTrack({ trackId: 'd9', folder }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('disk_full');
    expect(existsSync(join(folder, 'd9.mp3'))).toBe(false);
    expect(existsSync(join(folder, 'd9.mp3.part'))).toBe(true);
    expect(readdirSync(join(root, 'state', 'downloads')).some((n) => n.endsWith('.json'))).toBe(true);

    // Space freed (the .part is an ordinary file again): the download completes.
    rmSync(join(folder, 'd9.mp3.part'));
    const result = await service.downloadPurchasedTrack({ trackId: 'd9', folder });
    expect(readFileSync(result.path).equals(server.audioOf('download:d9'))).toBe(true);
  });

  it('can be cancelled while waiting to resume; the .part stays for later', async () => {
    server.dropBody(/\/downloads\/tracks\/slow$/, 300_000);
    const controller = new AbortController();
    const { service } = makeService({
      retryDelayMs: 60_000,
      // The service logs the interruption just before it waits to resume: cancel then.
      log: { info: () => controller.abort(), warn: () => undefined, error: () => undefined },
    });
    const error = await service
      .downloadPurchasedTrack({ trackId: 'slow', folder, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('cancelled');
    expect(existsSync(join(folder, 'slow.mp3'))).toBe(false);
    // What arrived before the drop (fetch may discard its last buffered piece) is kept.
    const kept = statSync(join(folder, 'slow.mp3.part')).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(300_000);
    const result = await makeService().service.downloadPurchasedTrack({ trackId: 'slow', folder });
    expect(result.resumed).toBe(true);
    expect(readFileSync(result.path).equals(server.audioOf('download:slow'))).toBe(true);
  });

  it('finishes a move interrupted between link and unlink without a duplicate', async () => {
    server.dropBody(/\/downloads\/tracks\/mv$/, 200_000);
    const first = makeService({ maxAttempts: 1 });
    await first.service.downloadPurchasedTrack({ trackId: 'mv', folder }).catch(() => undefined);
    // Complete the .part by hand, then hard-link it as a crash after link() would leave it.
    const part = join(folder, 'mv.mp3.part');
    writeFileSync(part, server.audioOf('download:mv'));
    linkSync(part, join(folder, 'mv.mp3'));
    const result = await makeService().service.downloadPurchasedTrack({ trackId: 'mv', folder });
    expect(result.path).toBe(join(folder, 'mv.mp3'));
    expect(readdirSync(folder)).toEqual(['mv.mp3']);
    expect(readFileSync(result.path).equals(server.audioOf('download:mv'))).toBe(true);
  });

  it('fails clearly on a service error without leaving files', async () => {
    server.failWith(/\/downloads\/tracks\/gone$/, 404, 2001, 'Track not in locker');
    const { service } = makeService();
    const error = await service.downloadPurchasedTrack({ trackId: 'gone', folder }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('not_found');
    expect(isAppError(error) && error.serviceCode).toBe(2001);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('file names', () => {
  it('parses Content-Disposition forms', () => {
    expect(filenameFromContentDisposition('attachment; filename="a b.mp3"')).toBe('a b.mp3');
    expect(filenameFromContentDisposition('attachment; filename=plain.zip')).toBe('plain.zip');
    expect(
      filenameFromContentDisposition(`attachment; filename="x.mp3"; filename*=UTF-8''%E2%82%AC.mp3`),
    ).toBe('€.mp3');
    expect(filenameFromContentDisposition('attachment')).toBeNull();
  });

  it('sanitises', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('..\\..\\boot.ini')).toBe('boot.ini');
    expect(sanitizeFileName('..')).toBeNull();
    expect(sanitizeFileName('.hidden')).toBe('hidden');
    expect(sanitizeFileName('a<b>c:d|e?f*g"\u0001.mp3')).toBe('a_b_c_d_e_f_g__.mp3');
    expect(sanitizeFileName('CON.mp3')).toBe('_CON.mp3');
    const long = sanitizeFileName(`${'x'.repeat(400)}.flac`)!;
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.endsWith('.flac')).toBe(true);
  });
});
