// Figure 6: reading a cached track (decrypting, through the offline cache's own read path) vs
// reading the same plaintext bytes from an ordinary file on the same disk, side by side.
// The track is cached for real: the offline-cache service fetches it from the emulator's
// offline streaming endpoint and stores it encrypted. Each sample reads both sides K times,
// alternating which goes first, and reports decrypt MB/s ÷ plain MB/s.
import { randomBytes } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoListener } from '../../shared/demo.js';
import { createSignedUpstream } from '../../electron/core/media-gateway/testing/signed-upstream.js';
import { apiCallFromUpstream, type SessionInfo } from '../../electron/core/media-gateway/upstream.js';
import { defaultChunkSize } from '../../electron/core/offline-cache/chunked-cipher.js';
import { createOfflineCacheService } from '../../electron/core/offline-cache/offline-cache-service.js';
import type { FigureGroup } from '../lib/figure.js';
import { startBenchEmulator } from '../lib/emulator.js';
import { nowMs } from '../lib/stats.js';
import { benchTempDir } from '../lib/temp.js';

async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let n = 0;
  for await (const piece of stream) n += (piece as Buffer).length;
  return n;
}

export const offlineCache: FigureGroup = {
  key: '6',
  title: 'offline cache read',
  rows: [
    {
      id: '6',
      name: 'offline cache: decrypting read / plain read',
      unit: '×',
      checks: [{ stat: 'p50', op: '>=', limit: 0.5 }],
    },
  ],
  async run(options, report) {
    const samples = options.quick ? 3 : Math.max(5, Math.round(10 * options.scale));
    const bytesPerSide = options.quick ? 4 * 2 ** 20 : 64 * 2 ** 20;
    const tmp = benchTempDir('offline');
    const emulator = await startBenchEmulator({ log: options.log });
    const session: SessionInfo = {
      userId: demoListener.userId,
      country: demoListener.country,
      clientId: `septet-bench-${randomBytes(4).toString('hex')}`,
      subscriptionActive: true,
    };
    const masterKey = randomBytes(32);
    const upstream = createSignedUpstream({ baseUrl: emulator.url, userId: session.userId });
    const cache = createOfflineCacheService({
      dir: join(tmp.dir, 'offline'),
      getMasterKey: () => Promise.resolve(masterKey),
      getSession: () => session,
      call: apiCallFromUpstream(upstream),
      upstream,
    });
    try {
      const audioSet = (await (await fetch(`${emulator.url}/_emulator/demo-set`)).json()) as {
        tracks: Array<{ trackId: string; durationSec: number }>;
      };
      const track = [...audioSet.tracks].sort((a, b) => b.durationSec - a.durationSec)[0];
      if (!track) throw new Error('the emulator has no tracks with audio');
      const [result] = await cache.makeAvailable([track.trackId], { format: 'progressive' });
      if (!result?.ok)
        throw new Error(
          `could not cache ${track.trackId}: ${result && !result.ok ? result.error.message : 'no result'}`,
        );

      const opened = await cache.openTrack(track.trackId);
      const pieces: Buffer[] = [];
      for await (const piece of opened.createReadStream()) pieces.push(piece as Buffer);
      const plain = Buffer.concat(pieces);
      await opened.close();
      if (plain.length !== opened.plainBytes) throw new Error('decrypted length differs from the index');
      const plainPath = join(tmp.dir, 'plain.audio');
      writeFileSync(plainPath, plain);
      // The plain side reads in the cache's chunk size: the strictest fair baseline (same
      // number of reads; Node's default 64 KiB would make the plain side slower).
      // (The service here, like app-core, uses the format's default chunk size.)
      const highWaterMark = defaultChunkSize;
      const entry = cache.list().find((e) => e.trackId === track.trackId);
      const repeats = Math.max(1, Math.ceil(bytesPerSide / plain.length));

      const readPlain = async () => {
        const t = nowMs();
        for (let i = 0; i < repeats; i += 1)
          if ((await drain(createReadStream(plainPath, { highWaterMark }))) !== plain.length)
            throw new Error('short plain read');
        return nowMs() - t;
      };
      const readDecrypting = async () => {
        const t = nowMs();
        for (let i = 0; i < repeats; i += 1) {
          const reader = await cache.openTrack(track.trackId);
          try {
            if ((await drain(reader.createReadStream())) !== plain.length)
              throw new Error('short decrypting read');
          } finally {
            await reader.close();
          }
        }
        return nowMs() - t;
      };
      await readPlain();
      await readDecrypting();

      const ratios: number[] = [];
      const plainMBps: number[] = [];
      const decryptMBps: number[] = [];
      const mb = (plain.length * repeats) / 2 ** 20;
      for (let s = 0; s < samples; s += 1) {
        let plainMs: number;
        let decryptMs: number;
        if (s % 2 === 0) {
          plainMs = await readPlain();
          decryptMs = await readDecrypting();
        } else {
          decryptMs = await readDecrypting();
          plainMs = await readPlain();
        }
        plainMBps.push(mb / (plainMs / 1000));
        decryptMBps.push(mb / (decryptMs / 1000));
        ratios.push(plainMs / decryptMs);
      }
      options.log(
        `6: ${track.trackId} ${(plain.length / 2 ** 20).toFixed(2)} MB × ${repeats}: ratio p50 ${ratios.sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!.toFixed(2)}`,
      );
      report.measured('6', ratios, {
        trackId: track.trackId,
        trackBytes: plain.length,
        storedBytes: entry?.storedBytes,
        chunkCount: entry?.chunkCount,
        contentType: opened.contentType,
        readsPerSidePerSample: repeats,
        plainReadHighWaterMark: highWaterMark,
        plainMBps,
        decryptMBps,
        filesystem: tmp.filesystem,
        note: 'both sides read files just written, so both are served from the page cache: the ratio isolates decryption and framing',
      });
    } finally {
      await cache.close();
      await emulator.close();
      tmp.remove();
    }
  },
};
