// A minimal MPEG-2 transport stream muxer for one ADTS audio stream (ISO/IEC 13818-1): PAT and
// PMT at the start of every segment, then PES packets of up to 16 AAC frames with their PTS.
// Timestamps come from the frame's index in the track, so segments muxed one at a time line up
// exactly as if the track had been muxed in one go.

const packetSize = 188;
const pmtPid = 0x1000;
const audioPid = 0x100;
const framesPerPes = 16;
/** The PTS of frame 0: ffmpeg's customary 1.4 s start offset, in 90 kHz ticks. */
const ptsBase = 126_000;

export type TsOptions = { samplesPerFrame: number; sampleRate: number };

/** Muxes ADTS frames whose first one is frame `firstFrame` of the track. */
export function muxAdts(frames: readonly Buffer[], firstFrame: number, options: TsOptions): Buffer {
  const packets: Buffer[] = [psiPacket(0, patSection()), psiPacket(pmtPid, pmtSection())];
  let continuity = 0;
  const ticksPerFrame = (options.samplesPerFrame * 90_000) / options.sampleRate;
  for (let i = 0; i < frames.length; i += framesPerPes) {
    const group = frames.slice(i, i + framesPerPes);
    const pts = Math.round(ptsBase + (firstFrame + i) * ticksPerFrame);
    const pes = pesPacket(Buffer.concat(group), pts);
    const isFirst = i === 0;
    for (let offset = 0; offset < pes.length;) {
      const start = offset === 0;
      // The first packet of the segment carries the PCR (in the adaptation field).
      const pcr = start && isFirst ? pts - 9000 : null;
      const headerRoom = 4 + (pcr !== null ? 8 : 0);
      const take = Math.min(packetSize - headerRoom, pes.length - offset);
      packets.push(tsPacket(audioPid, start, continuity, pes.subarray(offset, offset + take), pcr));
      continuity = (continuity + 1) & 0x0f;
      offset += take;
    }
  }
  return Buffer.concat(packets);
}

function pesPacket(payload: Buffer, pts: number): Buffer {
  const header = Buffer.alloc(14);
  header.writeUIntBE(0x000001, 0, 3);
  header[3] = 0xc0; // audio stream 0
  const length = payload.length + 8;
  header.writeUInt16BE(length > 0xffff ? 0 : length, 4);
  header[6] = 0x80; // '10', not scrambled
  header[7] = 0x80; // PTS only
  header[8] = 5;
  writeTimestamp(header, 9, 0x2, pts);
  return Buffer.concat([header, payload]);
}

function writeTimestamp(buffer: Buffer, offset: number, prefix: number, ts: number): void {
  const high = Math.floor(ts / 2 ** 30) & 0x07;
  const mid = Math.floor(ts / 2 ** 15) & 0x7fff;
  const low = ts & 0x7fff;
  buffer[offset] = (prefix << 4) | (high << 1) | 1;
  buffer.writeUInt16BE((mid << 1) | 1, offset + 1);
  buffer.writeUInt16BE((low << 1) | 1, offset + 3);
}

/** One 188-byte packet; a payload shorter than the room left is padded by adaptation stuffing. */
function tsPacket(
  pid: number,
  unitStart: boolean,
  continuity: number,
  payload: Buffer,
  pcr: number | null,
): Buffer {
  const packet = Buffer.alloc(packetSize, 0xff);
  packet[0] = 0x47;
  packet[1] = (unitStart ? 0x40 : 0) | ((pid >> 8) & 0x1f);
  packet[2] = pid & 0xff;
  const room = packetSize - 4;
  const adaptationNeeded = pcr !== null || payload.length < room;
  if (!adaptationNeeded) {
    packet[3] = 0x10 | continuity;
    payload.copy(packet, 4);
    return packet;
  }
  packet[3] = 0x30 | continuity;
  const adaptationLength = room - payload.length - 1; // bytes after the length byte itself
  packet[4] = adaptationLength;
  if (adaptationLength > 0) {
    packet[5] = pcr !== null ? 0x50 : 0x00; // random access + PCR flag
    if (pcr !== null) writePcr(packet, 6, pcr);
  }
  payload.copy(packet, 5 + adaptationLength);
  return packet;
}

function writePcr(buffer: Buffer, offset: number, base: number): void {
  // 33-bit base, 6 reserved bits, 9-bit extension (0).
  buffer.writeUInt32BE(Math.floor(base / 2) >>> 0, offset);
  buffer[offset + 4] = ((base & 1) << 7) | 0x7e;
  buffer[offset + 5] = 0;
}

function psiPacket(pid: number, section: Buffer): Buffer {
  const payload = Buffer.concat([Buffer.from([0]), section]); // pointer_field
  const packet = Buffer.alloc(packetSize, 0xff);
  packet[0] = 0x47;
  packet[1] = 0x40 | ((pid >> 8) & 0x1f);
  packet[2] = pid & 0xff;
  packet[3] = 0x10;
  payload.copy(packet, 4);
  return packet;
}

function withCrc(body: number[]): Buffer {
  const section = Buffer.from(body);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32Mpeg(section));
  return Buffer.concat([section, crc]);
}

function patSection(): Buffer {
  // table 0, section_length 13, ts id 1, version 0 current, program 1 → PMT PID.
  return withCrc([
    0x00,
    0xb0,
    13,
    0x00,
    0x01,
    0xc1,
    0x00,
    0x00,
    0x00,
    0x01,
    0xe0 | (pmtPid >> 8),
    pmtPid & 0xff,
  ]);
}

function pmtSection(): Buffer {
  // table 2, program 1, PCR on the audio PID, one ADTS AAC stream (type 0x0f).
  return withCrc([
    0x02,
    0xb0,
    18,
    0x00,
    0x01,
    0xc1,
    0x00,
    0x00,
    0xe0 | (audioPid >> 8),
    audioPid & 0xff,
    0xf0,
    0x00,
    0x0f,
    0xe0 | (audioPid >> 8),
    audioPid & 0xff,
    0xf0,
    0x00,
  ]);
}

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32/MPEG-2: polynomial 0x04C11DB7, initial value all ones, not reflected. */
export function crc32Mpeg(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = ((crc << 8) ^ (crcTable[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  return crc >>> 0;
}
