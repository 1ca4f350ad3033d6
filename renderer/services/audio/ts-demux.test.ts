import { describe, expect, it } from 'vitest';
import { demuxAdts } from './ts-demux.js';

/** A 188-byte packet: header, optional adaptation stuffing to fill, payload. */
function packet(pid: number, unitStart: boolean, payload: number[]): number[] {
  const room = 184;
  const header = [0x47, (unitStart ? 0x40 : 0) | (pid >> 8), pid & 0xff];
  if (payload.length === room) return [...header, 0x10, ...payload];
  const stuffing = room - payload.length - 1;
  const adaptation = stuffing > 0 ? [stuffing, 0x00, ...new Array<number>(stuffing - 1).fill(0xff)] : [0];
  return [...header, 0x30, ...adaptation, ...payload];
}
const pat = [0, 0x00, 0xb0, 13, 0, 1, 0xc1, 0, 0, 0, 1, 0xf0, 0x00, 0, 0, 0, 0];
const pmt = [
  0, 0x02, 0xb0, 18, 0, 1, 0xc1, 0, 0, 0xe1, 0x00, 0xf0, 0x00, 0x0f, 0xe1, 0x00, 0xf0, 0x00, 0, 0, 0, 0,
];
const pesHeader = [0, 0, 1, 0xc0, 0, 0, 0x80, 0x80, 5, 0x21, 0, 1, 0, 1];

describe('demuxAdts', () => {
  it('returns the audio PES payloads in order, without the PES header, PSI or stuffing', () => {
    const first = Array.from({ length: 100 }, (_, i) => i);
    const second = Array.from({ length: 184 }, (_, i) => (i * 7) & 0xff);
    const ts = Uint8Array.from([
      ...packet(0, true, pat),
      ...packet(0x1000, true, pmt),
      ...packet(0x100, true, [...pesHeader, ...first]),
      ...packet(0x100, false, second),
    ]);
    expect([...demuxAdts(ts)]).toEqual([...first, ...second]);
  });

  it('refuses a cut-short segment and one without an audio stream', () => {
    const ts = Uint8Array.from([...packet(0, true, pat), ...packet(0x1000, true, pmt)]);
    expect(() => demuxAdts(ts.subarray(0, 300))).toThrow(/Not an MPEG-TS segment/);
    expect(() => demuxAdts(Uint8Array.from(packet(0, true, pat)))).toThrow(/no audio stream/);
  });
});
