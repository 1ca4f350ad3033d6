// An HLS media playlist as the audio engine needs it: its segments with their sequence numbers
// and durations, its AES-128 key, and the track's length in samples. The service's streams are
// 48 kHz AAC-LC whose first frame is the encoder's priming (1024 samples of audio before the
// track): the first segment's EXTINF counts it, the last one's leaves the end padding out, so
// the EXTINF durations add up to the track's length.

export const streamSampleRate = 48_000;
export const aacFrameSamples = 1024;
/** Encoder priming at the start of every track, in AAC frames (measured on the gapless releases). */
export const primingFrames = 1;

export type PlaylistSegment = {
  url: string;
  /** Media sequence number (the AES-128 IV when the key names none). */
  sequence: number;
  durationSec: number;
  /** The segment's first AAC frame in the track (frame 0 is the priming frame). */
  firstFrame: number;
};

export type MediaPlaylist = {
  segments: PlaylistSegment[];
  key: { url: string; iv: Uint8Array | null } | null;
  /** The track's audio, priming and end padding excluded, in samples at streamSampleRate. */
  trackSamples: number;
};

/** Parses a VOD media playlist; relative URIs resolve against `baseUrl`. */
export function parseMediaPlaylist(text: string, baseUrl: string): MediaPlaylist {
  const segments: PlaylistSegment[] = [];
  let key: MediaPlaylist['key'] = null;
  let sequence = 0;
  let duration = 0;
  let totalSec = 0;
  let frame = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) sequence = Number(line.slice(22)) || 0;
    else if (line.startsWith('#EXT-X-KEY:')) key = parseKey(line, baseUrl);
    else if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice(8));
    else if (line && !line.startsWith('#')) {
      segments.push({
        url: new URL(line, baseUrl).href,
        sequence: sequence + segments.length,
        durationSec: duration,
        firstFrame: frame,
      });
      totalSec += duration;
      frame += Math.round((duration * streamSampleRate) / aacFrameSamples);
    }
  }
  if (segments.length === 0) throw new Error('The stream has no segments');
  // The EXTINFs add up to the track's length: the first counts the priming frame, the last
  // leaves out the end padding.
  return { segments, key, trackSamples: Math.round(totalSec * streamSampleRate) };
}

function parseKey(line: string, baseUrl: string): MediaPlaylist['key'] {
  if (/METHOD=NONE/.test(line)) return null;
  if (!/METHOD=AES-128/.test(line)) throw new Error(`Unsupported stream encryption: ${line.slice(11)}`);
  const uri = /URI="([^"]+)"/.exec(line)?.[1];
  if (!uri) throw new Error('The stream key has no URI');
  const ivHex = /IV=0x([0-9a-fA-F]{1,32})/.exec(line)?.[1];
  return { url: new URL(uri, baseUrl).href, iv: ivHex ? hexToIv(ivHex) : null };
}

function hexToIv(hex: string): Uint8Array {
  const padded = hex.padStart(32, '0');
  const iv = new Uint8Array(16);
  for (let i = 0; i < 16; i++) iv[i] = parseInt(padded.slice(i * 2, i * 2 + 2), 16);
  return iv;
}

/** The IV of a segment: the key's own, or its sequence number (big-endian) as HLS prescribes. */
export function segmentIv(playlist: MediaPlaylist, segment: PlaylistSegment): Uint8Array {
  if (playlist.key?.iv) return playlist.key.iv;
  const iv = new Uint8Array(16);
  new DataView(iv.buffer).setUint32(12, segment.sequence);
  return iv;
}

/** The segment holding track time `sec` (the last one past the end). */
export function segmentAt(playlist: MediaPlaylist, sec: number): number {
  const frame = Math.floor((sec * streamSampleRate) / aacFrameSamples) + primingFrames;
  const { segments } = playlist;
  for (let i = segments.length - 1; i >= 0; i--) if ((segments[i]?.firstFrame ?? 0) <= frame) return i;
  return 0;
}
