import { describe, expect, it } from 'vitest';
import { parseMediaPlaylist, segmentAt, segmentIv } from './media-playlist.js';

// The emulator's shape: a 2 s and a 4 s segment first (the first counting the priming frame),
// then 6.016 s ones; the EXTINFs add up to the track's length (here 20 s).
const playlist = [
  '#EXTM3U',
  '#EXT-X-VERSION:3',
  '#EXT-X-TARGETDURATION:6',
  '#EXT-X-MEDIA-SEQUENCE:0',
  '#EXT-X-PLAYLIST-TYPE:VOD',
  '#EXT-X-KEY:METHOD=AES-128,URI="key/0"',
  '#EXTINF:2.005333,',
  'seg/0',
  '#EXTINF:4.010667,',
  'seg/1',
  '#EXTINF:6.016000,',
  'seg/2',
  '#EXTINF:7.968000,',
  'seg/3',
  '#EXT-X-ENDLIST',
].join('\n');

describe('parseMediaPlaylist', () => {
  const parsed = parseMediaPlaylist(playlist, 'http://127.0.0.1:1/t/s/index.m3u8');

  it('resolves segment and key URIs and numbers the segments from the media sequence', () => {
    expect(parsed.segments.map((s) => s.url)).toEqual([
      'http://127.0.0.1:1/t/s/seg/0',
      'http://127.0.0.1:1/t/s/seg/1',
      'http://127.0.0.1:1/t/s/seg/2',
      'http://127.0.0.1:1/t/s/seg/3',
    ]);
    expect(parsed.segments.map((s) => s.sequence)).toEqual([0, 1, 2, 3]);
    expect(parsed.key).toEqual({ url: 'http://127.0.0.1:1/t/s/key/0', iv: null });
  });

  it('places each segment on the AAC frame grid and knows the track length in samples', () => {
    expect(parsed.segments.map((s) => s.firstFrame)).toEqual([0, 94, 282, 564]);
    expect(parsed.trackSamples).toBe(20 * 48_000);
  });

  it('finds the segment holding a track time (frame 0 is the priming frame)', () => {
    expect(segmentAt(parsed, 0)).toBe(0);
    expect(segmentAt(parsed, 1.98)).toBe(0);
    expect(segmentAt(parsed, 1.99)).toBe(1);
    expect(segmentAt(parsed, 12.1)).toBe(3);
    expect(segmentAt(parsed, 99)).toBe(3);
  });

  it('uses the media sequence number as the IV when the key has none, and the key IV otherwise', () => {
    const iv = segmentIv(parsed, parsed.segments[3]!);
    expect([...iv.slice(0, 12)].every((b) => b === 0)).toBe(true);
    expect(iv[15]).toBe(3);
    const withIv = parseMediaPlaylist(playlist.replace('URI="key/0"', 'URI="key/0",IV=0x0102'), 'http://h/');
    expect([...segmentIv(withIv, withIv.segments[0]!)].slice(14)).toEqual([1, 2]);
  });

  it('refuses what it cannot play', () => {
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXT-X-ENDLIST', 'http://h/')).toThrow(/no segments/);
    expect(() =>
      parseMediaPlaylist(playlist.replace('METHOD=AES-128', 'METHOD=SAMPLE-AES'), 'http://h/'),
    ).toThrow(/Unsupported stream encryption/);
  });
});
