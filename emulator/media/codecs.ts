// The encoders: ffmpeg (the static binary shipped in @ffmpeg-installer/ffmpeg) run once per
// unit, reading 16-bit PCM on stdin and writing ADTS, MP3 frames or FLAC on stdout.
import { spawn } from 'node:child_process';

let ffmpegBinary: string | undefined;
export async function ffmpegPath(): Promise<string> {
  if (!ffmpegBinary) {
    const mod = (await import('@ffmpeg-installer/ffmpeg')) as { default: { path: string } };
    ffmpegBinary = mod.default.path;
  }
  return ffmpegBinary;
}

/** Runs ffmpeg with `input` on stdin and returns its stdout. */
export async function runFfmpeg(args: string[], input: Buffer | AsyncIterable<Buffer>): Promise<Buffer> {
  const ffmpeg = await ffmpegPath();
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`ffmpeg exited with ${code}: ${stderr.slice(-2000)}`));
    });
    child.stdin.on('error', reject);
    if (Buffer.isBuffer(input)) {
      child.stdin.end(input);
      return;
    }
    (async () => {
      for await (const chunk of input) {
        if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
      }
      child.stdin.end();
    })().catch((error: unknown) => {
      child.kill('SIGKILL');
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

const pcmInput = (sampleRate: number) => [
  '-f',
  's16le',
  '-ar',
  String(sampleRate),
  '-ac',
  '2',
  '-i',
  'pipe:0',
];

/** AAC-LC in ADTS frames. */
export async function encodeAac(pcm: Buffer, sampleRate: number, kbps: number): Promise<Buffer[]> {
  const adts = await runFfmpeg(
    [...pcmInput(sampleRate), '-c:a', 'aac', '-b:a', `${kbps}k`, '-f', 'adts', 'pipe:1'],
    pcm,
  );
  return splitAdts(adts);
}

/** CBR MP3 frames without the bit reservoir, so every frame decodes on its own bytes. */
export async function encodeMp3(pcm: Buffer, sampleRate: number, kbps: number): Promise<Buffer[]> {
  const frameBytes = (144 * kbps * 1000) / sampleRate;
  const mp3 = await runFfmpeg(
    [
      ...pcmInput(sampleRate),
      ...['-c:a', 'libmp3lame', '-b:a', `${kbps}k`, '-reservoir', '0'],
      // LAME's algorithm quality 7 halves the encode time; synthetic music loses nothing audible.
      ...['-compression_level', '7', '-write_xing', '0', '-id3v2_version', '0', '-f', 'mp3', 'pipe:1'],
    ],
    pcm,
  );
  if (!Number.isInteger(frameBytes) || mp3.length % frameBytes !== 0) {
    throw new Error(`MP3 output of ${mp3.length} bytes is not whole ${frameBytes}-byte frames`);
  }
  const frames: Buffer[] = [];
  for (let offset = 0; offset < mp3.length; offset += frameBytes) {
    if (mp3[offset] !== 0xff) throw new Error(`MP3 frame without a sync word at ${offset}`);
    frames.push(mp3.subarray(offset, offset + frameBytes));
  }
  return frames;
}

export type Tags = { title: string; artist: string; album: string; trackNumber: number };

/** A whole FLAC file (16-bit) from streamed PCM. */
export function encodeFlac(pcm: AsyncIterable<Buffer>, sampleRate: number, tags: Tags): Promise<Buffer> {
  const metadata = [
    ['title', tags.title],
    ['artist', tags.artist],
    ['album', tags.album],
    ['track', String(tags.trackNumber)],
  ].flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  return runFfmpeg(
    [...pcmInput(sampleRate), '-c:a', 'flac', '-compression_level', '5', ...metadata, '-f', 'flac', 'pipe:1'],
    pcm,
  );
}

/** Splits an ADTS stream into its frames (each with its 7-byte header). */
export function splitAdts(data: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + 7 > data.length || data[offset] !== 0xff || ((data[offset + 1] as number) & 0xf6) !== 0xf0) {
      throw new Error(`ADTS frame without a sync word at ${offset}`);
    }
    const length = adtsFrameLength(data, offset);
    if (length < 7 || offset + length > data.length) throw new Error(`truncated ADTS frame at ${offset}`);
    frames.push(data.subarray(offset, offset + length));
    offset += length;
  }
  return frames;
}

function adtsFrameLength(data: Buffer, offset: number): number {
  return (
    (((data[offset + 3] as number) & 0x03) << 11) |
    ((data[offset + 4] as number) << 3) |
    ((data[offset + 5] as number) >> 5)
  );
}

/**
 * Pads ADTS frames with zero bytes (inside each frame: its length field grows) so that they
 * total exactly `size` bytes. Throws when they are already larger.
 */
export function padAdts(frames: readonly Buffer[], size: number): Buffer {
  const natural = frames.reduce((sum, f) => sum + f.length, 0);
  const extra = size - natural;
  if (extra < 0) throw new Error(`ADTS frames of ${natural} bytes do not fit in ${size}`);
  const out = Buffer.alloc(size);
  let offset = 0;
  frames.forEach((frame, i) => {
    const pad = Math.floor(extra / frames.length) + (i < extra % frames.length ? 1 : 0);
    const length = frame.length + pad;
    if (length > 0x1fff) throw new Error('ADTS frame too long to pad');
    frame.copy(out, offset);
    out[offset + 3] = ((out[offset + 3] as number) & 0xfc) | (length >> 11);
    out[offset + 4] = (length >> 3) & 0xff;
    out[offset + 5] = ((out[offset + 5] as number) & 0x1f) | ((length & 0x07) << 5);
    offset += length;
  });
  return out;
}
