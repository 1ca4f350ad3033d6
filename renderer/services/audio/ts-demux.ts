// MPEG-TS → the ADTS byte stream of its audio: the payloads of the PES packets on the first
// audio stream the PMT names (ADTS AAC, stream type 0x0f). Chromium's MediaSource takes ADTS
// as 'audio/aac'; the PES timestamps are not needed (the engine places every frame itself).

const packetSize = 188;

export function demuxAdts(ts: Uint8Array): Uint8Array {
  if (ts.length % packetSize !== 0 || ts[0] !== 0x47) throw new Error('Not an MPEG-TS segment');
  let pmtPid = -1;
  let audioPid = -1;
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let at = 0; at < ts.length; at += packetSize) {
    if (ts[at] !== 0x47) throw new Error('MPEG-TS sync lost');
    const b1 = ts[at + 1] as number;
    const pid = ((b1 & 0x1f) << 8) | (ts[at + 2] as number);
    const unitStart = (b1 & 0x40) !== 0;
    const adaptation = ((ts[at + 3] as number) >> 4) & 0x3;
    let p = at + 4;
    if (adaptation === 2 || adaptation === 3) p += 1 + (ts[p] as number);
    if (adaptation === 2 || p >= at + packetSize) continue;
    if (pid === 0 && unitStart) pmtPid = readPatPmtPid(ts, p + 1 + (ts[p] as number));
    else if (pid === pmtPid && unitStart) audioPid = readPmtAudioPid(ts, p + 1 + (ts[p] as number));
    else if (pid === audioPid) {
      if (unitStart) p += 9 + (ts[p + 8] as number); // the PES header
      const payload = ts.subarray(p, at + packetSize);
      parts.push(payload);
      total += payload.length;
    }
  }
  if (audioPid < 0) throw new Error('The segment has no audio stream');
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function readPatPmtPid(ts: Uint8Array, section: number): number {
  // table id, section length (2), transport stream id (2), version, section, last section.
  return (((ts[section + 10] as number) & 0x1f) << 8) | (ts[section + 11] as number);
}

function readPmtAudioPid(ts: Uint8Array, section: number): number {
  const sectionLength = (((ts[section + 1] as number) & 0x0f) << 8) | (ts[section + 2] as number);
  const infoLength = (((ts[section + 10] as number) & 0x0f) << 8) | (ts[section + 11] as number);
  const end = section + 3 + sectionLength - 4;
  for (let p = section + 12 + infoLength; p + 5 <= end;) {
    const type = ts[p] as number;
    const pid = (((ts[p + 1] as number) & 0x1f) << 8) | (ts[p + 2] as number);
    const esInfo = (((ts[p + 3] as number) & 0x0f) << 8) | (ts[p + 4] as number);
    if (type === 0x0f) return pid;
    p += 5 + esInfo;
  }
  throw new Error('The segment carries no ADTS AAC stream');
}
