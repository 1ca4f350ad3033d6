// Test wiring only: a real local HTTP server speaking the media side of the API (offline device
// authorisation, HLS manifests with absolute tokenised segment/key URIs, progressive audio with
// Range, purchase downloads with Content-Disposition) for unit tests of the media services that
// need an upstream which can be told to fail. It does not verify OAuth; the emulator tests do.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LocalMediaServer = {
  url: string;
  requests: Array<{ method: string; path: string; range: string | undefined; host: string | undefined }>;
  /** Bytes of a track's audio (deterministic per id). */
  audioOf(trackId: string): Buffer;
  segmentsOf(trackId: string): Buffer[];
  keyOf(trackId: string): Buffer;
  /** Make the next `times` bodies of paths matching `pattern` stop after `afterBytes` bytes (socket destroyed). */
  dropBody(pattern: RegExp, afterBytes: number, times?: number): void;
  /** Answer paths matching `pattern` with a service error envelope. */
  failWith(pattern: RegExp, status: number, code: number, message: string, times?: number): void;
  clearFaults(): void;
  /** Send this Content-Disposition for downloads of `id`. */
  setDisposition(id: string, header: string): void;
  close(): Promise<void>;
};

export async function startLocalMediaServer(options: { audioBytes?: number; segments?: number } = {}) {
  // Long by design (over 80 lines): a stand-in server whose routes share its state; test support only.
  const audioBytes = options.audioBytes ?? 700_000;
  const segmentCount = options.segments ?? 4;
  const requests: LocalMediaServer['requests'] = [];
  let drops: Array<{ pattern: RegExp; afterBytes: number; times: number }> = [];
  const dispositions = new Map<string, string>();
  let failures: Array<{ pattern: RegExp; status: number; code: number; message: string; times: number }> = [];

  const bytesFor = (seed: string, length: number): Buffer => {
    const out = Buffer.alloc(length);
    let block = createHash('sha256').update(seed).digest();
    for (let i = 0; i < length; i += 32) {
      block.copy(out, i, 0, Math.min(32, length - i));
      block = createHash('sha256').update(block).digest();
    }
    return out;
  };
  const audioOf = (trackId: string) => bytesFor(`audio:${trackId}`, audioBytes);
  const segmentsOf = (trackId: string) =>
    Array.from({ length: segmentCount }, (_, n) => bytesFor(`seg:${trackId}:${n}`, 50_000 + n * 1_000));
  const keyOf = (trackId: string) => bytesFor(`key:${trackId}`, 16);

  function send(req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>) {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const range = req.headers.range;
    let status = 200;
    let slice = body;
    const out: Record<string, string> = { ...headers, 'Accept-Ranges': 'bytes' };
    const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
    if (m) {
      let start = m[1] === '' ? body.length - Number(m[2]) : Number(m[1]);
      let end = m[1] === '' || m[2] === '' ? body.length - 1 : Number(m[2]);
      start = Math.max(0, start);
      end = Math.min(end, body.length - 1);
      if (start > end || start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      status = 206;
      slice = body.subarray(start, end + 1);
      out['Content-Range'] = `bytes ${start}-${end}/${body.length}`;
    }
    out['Content-Length'] = String(slice.length);
    const drop = drops.find((d) => d.pattern.test(path) && d.times > 0);
    res.writeHead(status, out);
    if (drop) {
      drop.times -= 1;
      // Give the client a moment to read what was sent: fetch drops bytes still queued when the
      // connection errors, and the tests want a non-empty .part to resume from.
      res.write(slice.subarray(0, drop.afterBytes), () => setTimeout(() => res.destroy(), 150));
      return;
    }
    res.end(slice);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      range: req.headers.range,
      host: req.headers.host,
    });
    const failure = failures.find((f) => f.pattern.test(path) && f.times > 0);
    if (failure) {
      failure.times -= 1;
      res
        .writeHead(failure.status, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ status: 'error', error: { code: failure.code, message: failure.message } }));
      return;
    }
    const base = `http://${req.headers.host}`;
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = /^\/users\/([^/]+)\/unlimitedStreaming\/offline$/.exec(path))) {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw || '{}') as { deviceId?: string };
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            deviceId: body.deviceId,
            status: 'authorised',
            authorisedAt: new Date().toISOString(),
          }),
        );
      });
      return;
    }
    if ((m = /^\/streaming\/(?:[a-z]+)\/([^/]+)(?:\/offline)?\/hls$/.exec(path))) {
      const trackId = decodeURIComponent(m[1]!);
      const segs = segmentsOf(trackId);
      const lines = [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:6',
        '#EXT-X-PLAYLIST-TYPE:VOD',
        '#EXT-X-MEDIA-SEQUENCE:0',
      ];
      lines.push(
        `#EXT-X-KEY:METHOD=AES-128,URI="${base}/media/${trackId}/key?t=tok",IV=0x00000000000000000000000000000001`,
      );
      segs.forEach((_, n) =>
        lines.push(
          '#EXTINF:6.000,',
          n === 1 ? `seg/${n}.ts?t=tok` : `${base}/media/${trackId}/seg/${n}.ts?t=tok`,
        ),
      );
      lines.push('#EXT-X-ENDLIST', '');
      res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(lines.join('\n'));
      return;
    }
    // A relative segment URI (seg/1.ts) resolves against the manifest URL.
    if ((m = /^\/streaming\/(?:[a-z]+)\/([^/]+)(?:\/offline)?\/seg\/(\d+)\.ts$/.exec(path))) {
      const seg = segmentsOf(decodeURIComponent(m[1]!))[Number(m[2])];
      if (!seg) return void res.writeHead(404).end();
      return send(req, res, seg, { 'Content-Type': 'video/mp2t' });
    }
    if ((m = /^\/media\/([^/]+)\/seg\/(\d+)\.ts$/.exec(path))) {
      const seg = segmentsOf(decodeURIComponent(m[1]!))[Number(m[2])];
      if (!seg) return void res.writeHead(404).end();
      return send(req, res, seg, { 'Content-Type': 'video/mp2t' });
    }
    if ((m = /^\/media\/([^/]+)\/key$/.exec(path))) {
      return send(req, res, keyOf(decodeURIComponent(m[1]!)), { 'Content-Type': 'application/octet-stream' });
    }
    if (
      (m = /^\/streaming\/(?:[a-z]+)\/([^/]+)(?:\/offline)?\/progressive$/.exec(path)) ||
      (m = /^\/streaming\/preview\/([^/]+)$/.exec(path))
    ) {
      return send(req, res, audioOf(decodeURIComponent(m[1]!)), { 'Content-Type': 'audio/mpeg' });
    }
    if ((m = /^\/users\/[^/]+\/downloads\/(tracks|releases|purchases)\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[2]!);
      const isTrack = m[1] === 'tracks';
      const name = isTrack ? `${id}.mp3` : `${id}.zip`;
      return send(req, res, audioOf(`download:${id}`), {
        'Content-Type': isTrack ? 'audio/mpeg' : 'application/zip',
        'Content-Disposition': dispositions.get(id) ?? `attachment; filename="${name}"`,
        ETag: `"${id}-v1"`,
      });
    }
    res
      .writeHead(404, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ status: 'error', error: { code: 2001, message: 'not found' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const result: LocalMediaServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    audioOf,
    segmentsOf,
    keyOf,
    dropBody(pattern, afterBytes, times = 1) {
      drops.push({ pattern, afterBytes, times });
    },
    failWith(pattern, status, code, message, times = Infinity) {
      failures.push({ pattern, status, code, message, times });
    },
    setDisposition(id, header) {
      dispositions.set(id, header);
    },
    clearFaults() {
      drops = [];
      failures = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
  return result;
}
