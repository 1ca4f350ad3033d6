// Media generation for the emulator: for each track descriptor, synthesise audio and let ffmpeg
// produce HLS (AAC-LC, ~6 s AES-128 segments), MP3/AAC progressive files, 30 s previews and
// FLAC/MP3-320 downloads. The result lives in a content-addressed cache directory shared by
// every emulator data dir; it is built in a temp dir under a lock file and renamed into place,
// so concurrent starts never see a half-written library.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { synthesizeTrack } from './synth.js';

export type TrackDescriptor = {
  trackId: string;
  releaseId: string;
  title: string;
  trackNumber: number;
  durationSec: number;
  artistName: string;
  releaseTitle: string;
};

export type ProgressiveFormat = 'mp3' | 'aac';
export type DownloadFormat = 'mp3' | 'flac';

export type HlsSegment = { name: string; durationSec: number; path: string };

export type MediaTrack = TrackDescriptor & {
  dir: string;
  progressive: Record<ProgressiveFormat, string>;
  preview: Record<ProgressiveFormat, string>;
  download: Record<DownloadFormat, string>;
  hls: { targetDurationSec: number; segments: HlsSegment[]; key: Buffer; manifestTemplate: string };
};

export type HlsUris = { segmentUri: (segmentName: string) => string; keyUri: string };

export type MediaLibrary = {
  /** Absolute path of this library's cache directory. */
  dir: string;
  /** The content hash naming the directory. */
  cacheKey: string;
  hasAudio(trackId: string): boolean;
  track(trackId: string): MediaTrack | undefined;
  trackIds(): string[];
  durationSec(trackId: string): number | undefined;
  progressivePath(trackId: string, format: ProgressiveFormat): string | undefined;
  previewPath(trackId: string, format: ProgressiveFormat): string | undefined;
  downloadPath(trackId: string, format: DownloadFormat): string | undefined;
  hlsKey(trackId: string): Buffer | undefined;
  hlsSegmentPath(trackId: string, segmentName: string): string | undefined;
  /** The VOD playlist with segment and key URIs written for this request. */
  renderHlsManifest(trackId: string, uris: HlsUris): string | undefined;
};

/** Bump when the output changes in a way old caches must not be reused for. */
export const mediaGeneratorVersion = 1;

export const mediaGenerationParams = {
  sampleRate: 44100,
  channels: 2,
  hlsSegmentSec: 6,
  aacKbps: 128,
  progressiveMp3Kbps: 128,
  downloadMp3Kbps: 320,
  previewSec: 30,
} as const;

export const keyUriPlaceholder = '{{KEY_URI}}';

export function defaultMediaCacheDir(): string {
  return process.env.SEPTET_MEDIA_CACHE || join(homedir(), '.cache', 'septet', 'emulator-media');
}

export async function ffmpegPath(): Promise<string> {
  const mod = (await import('@ffmpeg-installer/ffmpeg')) as { default: { path: string } };
  return mod.default.path;
}

export function mediaCacheKey(tracks: readonly TrackDescriptor[]): string {
  const sorted = [...tracks]
    .sort((a, b) => (a.trackId < b.trackId ? -1 : a.trackId > b.trackId ? 1 : 0))
    .map((t) => [
      t.trackId,
      t.releaseId,
      t.title,
      t.trackNumber,
      t.durationSec,
      t.artistName,
      t.releaseTitle,
    ]);
  return createHash('sha256')
    .update(JSON.stringify({ v: mediaGeneratorVersion, p: mediaGenerationParams, t: sorted }))
    .digest('hex')
    .slice(0, 24);
}

type StoredTrack = TrackDescriptor & {
  dir: string;
  hls: { targetDurationSec: number; segments: { name: string; durationSec: number }[] };
};
type StoredLibrary = { generatorVersion: number; cacheKey: string; createdAt: string; tracks: StoredTrack[] };

const indexFile = 'library.json';

export type EnsureMediaOptions = {
  tracks: readonly TrackDescriptor[];
  cacheDir?: string;
  log?: (line: string) => void;
  /** Tracks generated at once (default 2: the target machine has 2 cores). */
  parallelism?: number;
};

/** Generates the library once (or waits for another process doing so) and loads it. */
export async function ensureMediaLibrary(options: EnsureMediaOptions): Promise<MediaLibrary> {
  const cacheDir = options.cacheDir ?? defaultMediaCacheDir();
  const log = options.log ?? (() => undefined);
  const key = mediaCacheKey(options.tracks);
  const finalDir = join(cacheDir, key);
  await mkdir(cacheDir, { recursive: true });
  const lockPath = join(cacheDir, `${key}.lock`);
  let announcedWait = false;
  for (;;) {
    if (existsSync(join(finalDir, indexFile))) return loadLibrary(finalDir);
    if (await tryLock(lockPath)) {
      try {
        // Another process may have finished between our check and taking the lock.
        if (existsSync(join(finalDir, indexFile))) return await loadLibrary(finalDir);
        await removeAbandonedTempDirs(cacheDir, key);
        await generateLibrary(options.tracks, cacheDir, key, log, options.parallelism ?? 2);
        return await loadLibrary(finalDir);
      } finally {
        await unlink(lockPath).catch(() => undefined);
      }
    }
    if (!announcedWait) {
      log('media generation already running in another process; waiting for it');
      announcedWait = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Temp dirs of this key left by holders that died mid-generation (we hold the lock now). */
async function removeAbandonedTempDirs(cacheDir: string, key: string): Promise<void> {
  const prefix = `.tmp-${key}-`;
  for (const name of await readdir(cacheDir)) {
    if (name.startsWith(prefix)) await rm(join(cacheDir, name), { recursive: true, force: true });
  }
}

async function tryLock(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Break the lock of a holder that died (same machine: the pid tells).
  try {
    const [content, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    const pid = Number(content);
    const stale = pid > 0 ? !processAlive(pid) : Date.now() - info.mtimeMs > 30_000;
    if (stale) await unlink(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return false;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function generateLibrary(
  tracks: readonly TrackDescriptor[],
  cacheDir: string,
  key: string,
  log: (line: string) => void,
  parallelism: number,
): Promise<void> {
  const ffmpeg = await ffmpegPath();
  const tmpDir = join(cacheDir, `.tmp-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmpDir, { recursive: true });
  const started = Date.now();
  log(`generating media for ${tracks.length} tracks into ${join(cacheDir, key)}`);
  try {
    const stored: StoredTrack[] = new Array<StoredTrack>(tracks.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
      for (;;) {
        const index = next++;
        const track = tracks[index];
        if (!track) return;
        const dirName = `t${String(index).padStart(4, '0')}`;
        stored[index] = await generateTrack(ffmpeg, track, tmpDir, dirName);
        done++;
        log(`generating media ${done}/${tracks.length}`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, parallelism) }, worker));
    const library: StoredLibrary = {
      generatorVersion: mediaGeneratorVersion,
      cacheKey: key,
      createdAt: new Date().toISOString(),
      tracks: stored,
    };
    await writeFile(join(tmpDir, indexFile), JSON.stringify(library));
    try {
      await rename(tmpDir, join(cacheDir, key));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      await rm(tmpDir, { recursive: true, force: true });
    }
    log(`media generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
}

function runFfmpeg(ffmpeg: string, args: string[], stdin?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
      stdio: [stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with ${code}: ${stderr.slice(-2000)}`));
    });
    if (stdin && child.stdin) {
      child.stdin.on('error', reject);
      child.stdin.end(stdin);
    }
  });
}

function previewWindow(durationSec: number): { start: number; length: number } {
  const length = Math.min(mediaGenerationParams.previewSec, durationSec);
  const start = Math.max(0, Math.min(durationSec - length, Math.round(durationSec * 0.2)));
  return { start, length };
}

async function generateTrack(
  ffmpeg: string,
  track: TrackDescriptor,
  root: string,
  dirName: string,
): Promise<StoredTrack> {
  const dir = join(root, dirName);
  await mkdir(dir, { recursive: true });
  const p = mediaGenerationParams;
  const pcm = synthesizeTrack({
    seed: track.trackId,
    durationSec: track.durationSec,
    sampleRate: p.sampleRate,
  });
  const tags = [
    ['title', track.title],
    ['artist', track.artistName],
    ['album', track.releaseTitle],
    ['track', String(track.trackNumber)],
  ].flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  // LAME's algorithm quality 7 halves encode time; the audio is synthetic, nobody will notice.
  const lameFast = ['-compression_level', '7'];
  const { start, length } = previewWindow(track.durationSec);
  const fadeOutStart = Math.max(0, length - 1.5);
  const previewFilter = `atrim=start=${start}:duration=${length},asetpts=PTS-STARTPTS,afade=t=in:d=0.5,afade=t=out:st=${fadeOutStart}:d=1.5`;
  await runFfmpeg(
    ffmpeg,
    [
      ...['-f', 's16le', '-ar', String(p.sampleRate), '-ac', String(p.channels), '-i', 'pipe:0'],
      ...['-map', '0:a', '-c:a', 'aac', '-b:a', `${p.aacKbps}k`, '-f', 'adts', join(dir, 'progressive.aac')],
      ...[
        '-map',
        '0:a',
        '-c:a',
        'libmp3lame',
        ...lameFast,
        '-b:a',
        `${p.progressiveMp3Kbps}k`,
        ...tags,
        join(dir, 'progressive.mp3'),
      ],
      ...[
        '-map',
        '0:a',
        '-c:a',
        'libmp3lame',
        ...lameFast,
        '-b:a',
        `${p.downloadMp3Kbps}k`,
        ...tags,
        join(dir, 'download.mp3'),
      ],
      ...['-map', '0:a', '-c:a', 'flac', '-compression_level', '2', ...tags, join(dir, 'download.flac')],
      ...[
        '-map',
        '0:a',
        '-af',
        previewFilter,
        '-c:a',
        'libmp3lame',
        ...lameFast,
        '-b:a',
        `${p.progressiveMp3Kbps}k`,
        join(dir, 'preview.mp3'),
      ],
      ...[
        '-map',
        '0:a',
        '-af',
        previewFilter,
        '-c:a',
        'aac',
        '-b:a',
        `${p.aacKbps}k`,
        '-f',
        'adts',
        join(dir, 'preview.aac'),
      ],
    ],
    pcm,
  );

  // HLS from the already-encoded AAC: no second encode, just segmenting and AES-128.
  const hlsDir = join(dir, 'hls');
  await mkdir(hlsDir);
  await writeFile(join(dir, 'hls.key'), randomBytes(16));
  await writeFile(join(dir, 'keyinfo.txt'), `${keyUriPlaceholder}\n${join(dir, 'hls.key')}\n`);
  await runFfmpeg(ffmpeg, [
    ...['-i', join(dir, 'progressive.aac'), '-map', '0:a', '-c', 'copy'],
    ...[
      '-f',
      'hls',
      '-hls_time',
      String(p.hlsSegmentSec),
      '-hls_playlist_type',
      'vod',
      '-hls_list_size',
      '0',
    ],
    ...['-hls_key_info_file', join(dir, 'keyinfo.txt'), '-hls_segment_filename', join(hlsDir, 'seg-%03d.ts')],
    join(dir, 'index.m3u8'),
  ]);
  const manifest = await readFile(join(dir, 'index.m3u8'), 'utf8');
  const hls = parseManifest(manifest);
  const files = new Set(await readdir(hlsDir));
  for (const segment of hls.segments) {
    if (!files.has(segment.name)) throw new Error(`ffmpeg did not write HLS segment ${segment.name}`);
  }
  return { ...track, dir: dirName, hls };
}

/** Reads segment names/durations from an ffmpeg VOD playlist. */
export function parseManifest(text: string): StoredTrack['hls'] {
  const segments: { name: string; durationSec: number }[] = [];
  let pending: number | null = null;
  let targetDurationSec: number = mediaGenerationParams.hlsSegmentSec;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDurationSec = Number(line.slice(22));
    else if (line.startsWith('#EXTINF:')) pending = Number.parseFloat(line.slice(8));
    else if (line && !line.startsWith('#') && pending !== null) {
      segments.push({ name: line.split('/').pop() ?? line, durationSec: pending });
      pending = null;
    }
  }
  if (segments.length === 0) throw new Error('HLS playlist has no segments');
  return { targetDurationSec, segments };
}

function buildManifestTemplate(hls: StoredTrack['hls']): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${hls.targetDurationSec}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
  ];
  hls.segments.forEach((segment, index) => {
    // No IV attribute: ffmpeg encrypted each segment with its media sequence number as IV,
    // which is what RFC 8216 §5.2 prescribes when the attribute is absent.
    if (index === 0) lines.push(`#EXT-X-KEY:METHOD=AES-128,URI="${keyUriPlaceholder}"`);
    lines.push(`#EXTINF:${segment.durationSec.toFixed(6)},`, `{{SEGMENT:${segment.name}}}`);
  });
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

async function loadLibrary(dir: string): Promise<MediaLibrary> {
  const stored = JSON.parse(await readFile(join(dir, indexFile), 'utf8')) as StoredLibrary;
  const tracks = new Map<string, MediaTrack>();
  for (const t of stored.tracks) {
    const trackDir = join(dir, t.dir);
    tracks.set(t.trackId, {
      ...t,
      dir: trackDir,
      progressive: { mp3: join(trackDir, 'progressive.mp3'), aac: join(trackDir, 'progressive.aac') },
      preview: { mp3: join(trackDir, 'preview.mp3'), aac: join(trackDir, 'preview.aac') },
      download: { mp3: join(trackDir, 'download.mp3'), flac: join(trackDir, 'download.flac') },
      hls: {
        targetDurationSec: t.hls.targetDurationSec,
        segments: t.hls.segments.map((s) => ({ ...s, path: join(trackDir, 'hls', s.name) })),
        key: readFileSync(join(trackDir, 'hls.key')),
        manifestTemplate: buildManifestTemplate(t.hls),
      },
    });
  }
  const get = (id: string) => tracks.get(id);
  return {
    dir,
    cacheKey: stored.cacheKey,
    hasAudio: (id) => tracks.has(id),
    track: get,
    trackIds: () => [...tracks.keys()],
    durationSec: (id) => get(id)?.durationSec,
    progressivePath: (id, format) => get(id)?.progressive[format],
    previewPath: (id, format) => get(id)?.preview[format],
    downloadPath: (id, format) => get(id)?.download[format],
    hlsKey: (id) => get(id)?.hls.key,
    hlsSegmentPath: (id, name) => get(id)?.hls.segments.find((s) => s.name === name)?.path,
    renderHlsManifest(id, uris) {
      const track = get(id);
      if (!track) return undefined;
      return track.hls.manifestTemplate
        .replace(keyUriPlaceholder, uris.keyUri)
        .replace(/\{\{SEGMENT:([^}]+)\}\}/g, (_m, name: string) => uris.segmentUri(name));
    },
  };
}
