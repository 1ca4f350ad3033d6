// Cache integrity (issue 6): bits flipped in 1,000 random chunks, across several cached tracks
// (progressive and HLS), are every one rejected by the real offline cache, never yield that
// chunk's plaintext and are never played: the real media gateway answers an error for them.
// Real files, real SQLite, real HTTP; the upstream is the local media server of the gateway tests.
// Between trials the test puts the pristine file back and resets the entry's status to 'ok' in
// the index (what a re-fetch does), so every trial starts from a good cache.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/errors.js';
import { openDatabase, type SqliteDatabase } from '../db/open-database.js';
import { createMediaGateway, type StreamErrorContext } from '../media-gateway/media-gateway.js';
import { startLocalMediaServer, type LocalMediaServer } from '../media-gateway/testing/local-media-server.js';
import { createSignedUpstream } from '../media-gateway/testing/signed-upstream.js';
import { apiCallFromUpstream, type SessionInfo } from '../media-gateway/upstream.js';
import { cacheIndexMigrations, type CachePart } from './cache-index.js';
import { headerBytes, recordOverhead } from './chunked-cipher.js';
import { createOfflineCacheService, type OfflineCacheService } from './offline-cache-service.js';
import { seededRandom } from '../../../shared/random.js';

const chunkSize = 4 * 1024;
const trials = 1000;
const progressiveTracks = ['p1', 'p2', 'p3'];
const hlsTracks = ['h1', 'h2'];

type Reply = { status: number; body: Buffer; aborted: boolean };

function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), aborted: false }),
      );
      // The gateway destroys the response when a chunk fails after the headers went out.
      res.on('error', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), aborted: true }),
      );
      res.on('aborted', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), aborted: true }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('offline cache integrity', () => {
  let dir: string;
  let server: LocalMediaServer;
  let db: SqliteDatabase;
  let cache: OfflineCacheService;
  let gateway: ReturnType<typeof createMediaGateway>;
  const errors: Array<{ error: AppError; context: StreamErrorContext }> = [];
  const session: SessionInfo = {
    userId: 'demo-listener',
    country: 'GB',
    clientId: 'integrity-client',
    subscriptionActive: true,
    subscriptionExpiresAt: new Date(Date.now() + 86400_000).toISOString(),
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'septet-integrity-'));
    server = await startLocalMediaServer({ audioBytes: 150_000, segments: 3 });
    db = openDatabase(join(dir, 'index.sqlite'), { migrations: cacheIndexMigrations });
    const upstream = createSignedUpstream({ baseUrl: server.url, userId: session.userId });
    const masterKey = randomBytes(32);
    cache = createOfflineCacheService({
      dir,
      database: db,
      getMasterKey: () => Promise.resolve(masterKey),
      getSession: () => session,
      upstream,
      call: apiCallFromUpstream(upstream),
      chunkSize,
      refetchCorrupted: false,
    });
    await cache.makeAvailable(progressiveTracks, { format: 'progressive' });
    await cache.makeAvailable(hlsTracks, { format: 'hls' });
    gateway = createMediaGateway({
      upstream,
      getSession: () => session,
      offlineCache: cache,
      isOnline: () => false,
      onUpstreamError: (error, context) => errors.push({ error, context }),
    });
    await gateway.start();
  });
  afterAll(async () => {
    await gateway.stop();
    await cache.close();
    db.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`rejects every one of ${trials} single-bit flips in random chunks, never yielding or playing them`, async () => {
    type Track = {
      id: string;
      format: 'hls' | 'progressive';
      file: string;
      pristine: Buffer;
      plain: Buffer;
      parts: CachePart[];
      chunks: number;
    };
    const tracks: Track[] = [];
    for (const id of [...progressiveTracks, ...hlsTracks]) {
      const row = db
        .prepare('SELECT parts, chunk_count, format FROM offline_entries WHERE track_id = ?')
        .get(id) as {
        parts: string;
        chunk_count: number;
        format: 'hls' | 'progressive';
      };
      const parts = JSON.parse(row.parts) as CachePart[];
      const file = cache.storedFileOf(id)!;
      const pristine = readFileSync(file);
      // The whole plaintext, assembled from the parts the cache serves (checked against upstream).
      const track = await cache.openTrack(id);
      const pieces: Buffer[] = [];
      for (const part of [...parts].sort((a, b) => a.offset - b.offset)) {
        if (part.name === 'audio') {
          for await (const piece of track.createReadStream()) pieces.push(piece as Buffer);
        } else if (part.name === 'manifest') pieces.push(Buffer.from((await track.manifest())!, 'utf8'));
        else pieces.push((await track.readPart(part.name)).data);
      }
      await track.close();
      const plain = Buffer.concat(pieces);
      if (row.format === 'progressive') expect(plain.equals(server.audioOf(id))).toBe(true);
      tracks.push({ id, format: row.format, file, pristine, plain, parts, chunks: row.chunk_count });
    }
    const totalChunks = tracks.reduce((n, t) => n + t.chunks, 0);
    expect(totalChunks).toBeGreaterThan(150);

    const random = seededRandom(0x5e97e7);
    const resetStatus = db.prepare("UPDATE offline_entries SET status = 'ok' WHERE track_id = ?");
    const hitChunks = new Set<string>();
    let rejected = 0;
    for (let trial = 0; trial < trials; trial++) {
      const track = tracks[Math.floor(random() * tracks.length)]!;
      const chunk = Math.floor(random() * track.chunks);
      const recordStart = headerBytes + chunk * (chunkSize + recordOverhead);
      const recordEnd = Math.min(recordStart + chunkSize + recordOverhead, track.pristine.length);
      // Anywhere in the record: nonce, ciphertext or tag.
      const at = recordStart + Math.floor(random() * (recordEnd - recordStart));
      const tampered = Buffer.from(track.pristine);
      tampered[at]! ^= 1 << Math.floor(random() * 8);
      writeFileSync(track.file, tampered);
      hitChunks.add(`${track.id}/${chunk}`);

      // The plaintext of the tampered chunk, and the part of the track it belongs to.
      const plainStart = chunk * chunkSize;
      const plainEnd = Math.min(plainStart + chunkSize, track.plain.length);
      const secretChunk = track.plain.subarray(plainStart, plainEnd);
      const part = track.parts.find((p) => p.offset < plainEnd && p.offset + p.length > plainStart)!;
      const before = errors.length;

      let reply: Reply;
      if (track.format === 'progressive') {
        // Play a random range inside the tampered chunk, as <audio> seeking there would.
        const from = plainStart + Math.floor(random() * (plainEnd - plainStart));
        const to = from + Math.floor(random() * (plainEnd - from));
        const url = gateway.urlFor({ trackId: track.id, source: 'offline', format: 'progressive' });
        reply = await get(url, { Range: `bytes=${from}-${to}` });
      } else {
        // Play the segment / key / manifest that contains the tampered chunk, as the player would.
        const manifestUrl = gateway.urlFor({ trackId: track.id, source: 'offline', format: 'hls' });
        const url = part.name === 'manifest' ? manifestUrl : manifestUrl.replace(/index\.m3u8$/, part.name);
        reply = await get(url);
      }

      const served = !reply.aborted && reply.status >= 200 && reply.status < 300;
      expect(served, `trial ${trial}: ${track.id} chunk ${chunk} byte ${at} was served`).toBe(false);
      if (!reply.aborted) {
        expect(reply.status, `trial ${trial}`).toBe(500);
        expect(JSON.parse(reply.body.toString('utf8')), `trial ${trial}`).toMatchObject({
          error: { code: 'integrity' },
        });
      }
      // No byte of the tampered chunk's plaintext reached the player.
      if (reply.aborted) expect(reply.body.length, `trial ${trial}: bytes before the abort`).toBe(0);
      expect(reply.body.includes(secretChunk.subarray(0, Math.min(64, secretChunk.length)))).toBe(false);
      // The cache reported it and took the entry out of service.
      expect(
        errors.slice(before).some((e) => e.error.code === 'integrity' && e.context.trackId === track.id),
        `trial ${trial}`,
      ).toBe(true);
      expect(cache.has(track.id), `trial ${trial}`).toBe(false);
      rejected++;

      writeFileSync(track.file, track.pristine);
      resetStatus.run(track.id);
    }
    expect(rejected).toBe(trials);
    // The trials covered most chunks of every track, not one chunk a thousand times.
    expect(hitChunks.size).toBeGreaterThan(totalChunks * 0.9);

    // The untouched cache still plays every track in full afterwards.
    for (const track of tracks.filter((t) => t.format === 'progressive')) {
      const reply = await get(
        gateway.urlFor({ trackId: track.id, source: 'offline', format: 'progressive' }),
      );
      expect(reply.status).toBe(200);
      expect(reply.body.equals(track.plain)).toBe(true);
    }
  });
});
