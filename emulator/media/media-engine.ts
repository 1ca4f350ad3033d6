// Every catalogue track's media, made when it is first asked for: HLS segments (AAC-LC in MPEG-TS,
// AES-128 at serve time), progressive MP3/AAC, previews, MP3 and FLAC downloads. Each unit (one
// HLS segment, one progressive chunk, one FLAC file) is rendered by the synth and encoded on its
// own in a worker thread (unit-worker.ts), with a few frames of the neighbouring audio before and
// after it, so units joined up decode like one long encode. Units live in the shared media cache
// (media-cache.ts); their positions come from the track's duration alone (layout.ts).
import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { padAdts, splitAdts, type Tags } from './codecs.js';
import { id3v2Tag } from './id3.js';
import {
  aacFrameSamples,
  aacLayout,
  hlsBitrateKbps,
  hlsSegments,
  hlsTargetDurationSec,
  mp3Layout,
  previewDurationSec,
  streamSampleRate,
  type AacBitrate,
  type HlsSegment,
  type Mp3Bitrate,
  type ProgressiveLayout,
  type UnitRange,
} from './layout.js';
import { mediaGeneratorVersion, type MediaCache } from './media-cache.js';
import { muxAdts } from './mpeg-ts.js';
import { trackLoudnessLufs, type AudioTrackInfo } from './track-audio.js';
import type { Priority, UnitWorkers } from './unit-workers.js';

export type ProgressiveFormat = 'mp3' | 'aac';
export type DownloadFormat = 'mp3' | 'flac';

/** A file whose size is known before its bytes exist; `read` yields [start, end] in order. */
export type VirtualFile = {
  size: number;
  etag: string;
  contentType: string;
  read(start: number, end: number): AsyncGenerator<Buffer>;
};

export type HlsUris = { segmentUri: (segmentName: string) => string; keyUri: string };

export type MediaEngine = {
  track(trackId: string): AudioTrackInfo | undefined;
  hlsSegments(trackId: string): HlsSegment[] | undefined;
  /** The VOD playlist with segment and key URIs written for this request. */
  renderHlsManifest(trackId: string, uris: HlsUris, encrypted: boolean): string | undefined;
  hlsKey(trackId: string): Buffer;
  /** One HLS segment as a plain MPEG-TS (the routes encrypt it). */
  hlsSegment(trackId: string, index: number, priority?: Priority): Promise<Buffer>;
  /** Starts generating segments a player will ask for next. */
  prefetchHls(trackId: string, indices: number[]): void;
  progressive(trackId: string, format: ProgressiveFormat): VirtualFile | undefined;
  preview(trackId: string, format: ProgressiveFormat): VirtualFile | undefined;
  /** A tagged MP3 at any of the service's bitrates (downloads and media transfer). */
  mp3File(trackId: string, kbps: Mp3Bitrate): VirtualFile | undefined;
  aacFile(trackId: string, kbps: AacBitrate): VirtualFile | undefined;
  /** A tagged 16-bit 44.1 kHz FLAC file, generated whole; resolves to its path. */
  flacPath(trackId: string, priority?: Priority): Promise<string | undefined>;
  loudnessLufs(trackId: string): number | undefined;
};

export type MediaEngineDeps = {
  cache: MediaCache;
  workers: UnitWorkers;
  /** The catalogue's description of a track (undefined: no such track). */
  trackInfo(trackId: string): AudioTrackInfo | undefined;
};

export const segmentName = (index: number) => `seg-${String(index).padStart(3, '0')}.ts`;
export const segmentIndex = (name: string): number | undefined => {
  const match = /^seg-(\d{3,5})\.ts$/.exec(name);
  return match ? Number(match[1]) : undefined;
};

/** Track ids become directory names: plain ones as they are, anything else hashed. */
function safeId(trackId: string): string {
  return /^[A-Za-z0-9_-]{1,64}$/.test(trackId)
    ? trackId
    : `x${createHash('sha1').update(trackId).digest('hex')}`;
}

const etagOf = (descriptor: string) =>
  `"g${mediaGeneratorVersion}-${createHash('sha1').update(descriptor).digest('hex').slice(0, 20)}"`;

/** A progressive file over a layout: prefix bytes, then units produced as they are read. */
function progressiveFile(
  layout: ProgressiveLayout,
  prefix: Buffer,
  contentType: string,
  descriptor: string,
  unitBytes: (unit: UnitRange, priority: Priority) => Promise<Buffer>,
): VirtualFile {
  return {
    size: layout.size,
    etag: etagOf(descriptor),
    contentType,
    async *read(start, end) {
      if (start < prefix.length) yield prefix.subarray(start, Math.min(prefix.length, end + 1));
      const units = layout.units.filter((u) => u.offset + u.size > start && u.offset <= end);
      for (const [i, unit] of units.entries()) {
        const upcoming = units[i + 1];
        // Generate the next unit while this one is sent.
        if (upcoming) unitBytes(upcoming, 'ahead').catch(() => undefined);
        const bytes = await unitBytes(unit, 'now');
        if (bytes.length !== unit.size)
          throw new Error(`${descriptor}: unit ${unit.index} has ${bytes.length} bytes, not ${unit.size}`);
        const from = Math.max(0, start - unit.offset);
        const to = Math.min(unit.size, end + 1 - unit.offset);
        yield bytes.subarray(from, to);
      }
    },
  };
}

function tagsOf(track: AudioTrackInfo): Tags {
  return {
    title: track.title,
    artist: track.artistName,
    album: track.releaseTitle,
    trackNumber: track.trackNumber,
  };
}

type SourceKind = 'track' | 'preview';

export function createMediaEngine(deps: MediaEngineDeps): MediaEngine {
  // Long by design (over 80 lines): a createX factory whose closure (the cache and the workers) every
  // inner function shares; each is short.
  const { cache, workers } = deps;

  /** A unit of encoded frames (AAC or MP3), made by a worker when it is not in the cache. */
  const encodedUnit = (
    key: string,
    type: 'aac' | 'mp3',
    track: AudioTrackInfo,
    source: SourceKind,
    kbps: number,
    unit: { firstFrame: number; frameCount: number },
    priority: Priority,
  ): Promise<Buffer> => {
    if (priority === 'now') workers.promote(key);
    return cache.buffer(key, () =>
      workers.run(
        priority,
        { type, track, source, kbps, firstFrame: unit.firstFrame, frameCount: unit.frameCount },
        key,
      ),
    );
  };

  const unitKey = (track: AudioTrackInfo, name: string) => `tracks/${safeId(track.trackId)}/${name}`;
  const sourceSec = (track: AudioTrackInfo, source: SourceKind) =>
    source === 'track' ? track.durationSec : previewDurationSec(track.durationSec);

  const mp3Of = (
    track: AudioTrackInfo,
    source: SourceKind,
    kbps: Mp3Bitrate,
    tagged: boolean,
  ): VirtualFile => {
    const prefix = tagged ? id3v2Tag(tagsOf(track)) : Buffer.alloc(0);
    const layout = mp3Layout(sourceSec(track, source), kbps, prefix.length);
    const base = unitKey(track, `${source}-mp3-${kbps}`);
    return progressiveFile(
      layout,
      prefix,
      'audio/mpeg',
      `${base}:${prefix.toString('hex')}`,
      (unit, priority) => encodedUnit(`${base}-${unit.index}`, 'mp3', track, source, kbps, unit, priority),
    );
  };

  const aacOf = (track: AudioTrackInfo, source: SourceKind, kbps: AacBitrate): VirtualFile => {
    const layout = aacLayout(sourceSec(track, source), kbps);
    const base = unitKey(track, `${source}-aac-${kbps}`);
    return progressiveFile(layout, Buffer.alloc(0), 'audio/aac', `${base}:padded`, async (unit, priority) =>
      padAdts(
        splitAdts(await encodedUnit(`${base}-${unit.index}`, 'aac', track, source, kbps, unit, priority)),
        unit.size,
      ),
    );
  };

  const hlsSegment = async (trackId: string, index: number, priority: Priority = 'now'): Promise<Buffer> => {
    const track = deps.trackInfo(trackId);
    const segment = track ? hlsSegments(track.durationSec)[index] : undefined;
    if (!track || !segment) throw new Error(`no HLS segment ${index} for track ${trackId}`);
    const key = unitKey(track, `track-aac-${hlsBitrateKbps}-${index}`);
    const frames = await encodedUnit(key, 'aac', track, 'track', hlsBitrateKbps, segment, priority);
    return muxAdts(splitAdts(frames), segment.firstFrame, {
      samplesPerFrame: aacFrameSamples,
      sampleRate: streamSampleRate,
    });
  };

  /** A whole FLAC file: a worker renders and encodes it straight into the cache's temp file. */
  const flacPath = async (trackId: string, priority: Priority = 'now'): Promise<string | undefined> => {
    const track = deps.trackInfo(trackId);
    if (!track) return undefined;
    const key = unitKey(track, 'download.flac');
    if (priority === 'now') workers.promote(key);
    return cache.file(key, async (outPath) => {
      await workers.run(priority, { type: 'flac', track, outPath }, key);
    });
  };

  return {
    track: (trackId) => deps.trackInfo(trackId),
    hlsSegments(trackId) {
      const track = deps.trackInfo(trackId);
      return track ? hlsSegments(track.durationSec) : undefined;
    },
    renderHlsManifest(trackId, uris, encrypted) {
      const track = deps.trackInfo(trackId);
      if (!track) return undefined;
      const lines = [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        `#EXT-X-TARGETDURATION:${hlsTargetDurationSec}`,
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-PLAYLIST-TYPE:VOD',
      ];
      // No IV attribute: each segment is encrypted with its media sequence number as IV, as
      // RFC 8216 §5.2 prescribes when the attribute is absent.
      if (encrypted) lines.push(`#EXT-X-KEY:METHOD=AES-128,URI="${uris.keyUri}"`);
      for (const segment of hlsSegments(track.durationSec)) {
        lines.push(`#EXTINF:${segment.durationSec.toFixed(6)},`, uris.segmentUri(segmentName(segment.index)));
      }
      lines.push('#EXT-X-ENDLIST', '');
      return lines.join('\n');
    },
    hlsKey: (trackId) =>
      createHmac('sha256', `septet-emulator-hls-key-g${mediaGeneratorVersion}`)
        .update(trackId)
        .digest()
        .subarray(0, 16),
    hlsSegment,
    prefetchHls(trackId, indices) {
      for (const index of indices) hlsSegment(trackId, index, 'ahead').catch(() => undefined);
    },
    progressive(trackId, format) {
      const track = deps.trackInfo(trackId);
      if (!track) return undefined;
      return format === 'mp3' ? mp3Of(track, 'track', 128, false) : aacOf(track, 'track', 128);
    },
    preview(trackId, format) {
      const track = deps.trackInfo(trackId);
      if (!track) return undefined;
      return format === 'mp3' ? mp3Of(track, 'preview', 128, false) : aacOf(track, 'preview', 128);
    },
    mp3File(trackId, kbps) {
      const track = deps.trackInfo(trackId);
      return track ? mp3Of(track, 'track', kbps, true) : undefined;
    },
    aacFile(trackId, kbps) {
      const track = deps.trackInfo(trackId);
      return track ? aacOf(track, 'track', kbps) : undefined;
    },
    flacPath,
    loudnessLufs(trackId) {
      const track = deps.trackInfo(trackId);
      return track ? trackLoudnessLufs(track) : undefined;
    },
  };
}

/** A Node stream of a virtual file's bytes (for ZIP entries). */
export function virtualFileStream(file: VirtualFile): Readable {
  return Readable.from(file.read(0, file.size - 1));
}
