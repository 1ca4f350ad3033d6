// ID3v2.4 tags for MP3 downloads: title, artist, album and track number as UTF-8 text frames.
// The tag's size is known before any audio exists, so the MP3 after it keeps known offsets.
import type { Tags } from './codecs.js';

function syncsafe(value: number): Buffer {
  const out = Buffer.alloc(4);
  out[0] = (value >> 21) & 0x7f;
  out[1] = (value >> 14) & 0x7f;
  out[2] = (value >> 7) & 0x7f;
  out[3] = value & 0x7f;
  return out;
}

function textFrame(id: string, text: string): Buffer {
  const body = Buffer.concat([Buffer.from([0x03]), Buffer.from(text, 'utf8')]);
  return Buffer.concat([Buffer.from(id, 'latin1'), syncsafe(body.length), Buffer.from([0, 0]), body]);
}

export function id3v2Tag(tags: Tags): Buffer {
  const frames = Buffer.concat([
    textFrame('TIT2', tags.title),
    textFrame('TPE1', tags.artist),
    textFrame('TALB', tags.album),
    textFrame('TRCK', String(tags.trackNumber)),
  ]);
  return Buffer.concat([
    Buffer.from('ID3', 'latin1'),
    Buffer.from([4, 0, 0]),
    syncsafe(frames.length),
    frames,
  ]);
}
