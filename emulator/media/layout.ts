// Where every byte of a track's media sits, worked out from its duration alone — before any
// audio exists. Streams are 48 kHz stereo: HLS and progressive AAC in units of 282 AAC frames
// (6.016 s), MP3 in units of 250 CBR frames (6 s). At 48 kHz an MP3 frame of any of the
// service's bitrates is a whole number of bytes with no padding slot, so a CBR MP3 file's size
// and the offset of every frame are known in advance; progressive AAC gets the same property by
// padding every unit to a fixed size with zero bytes inside its ADTS frames (decoders skip
// zeros after a raw data block). A Range request can therefore be answered for any part of any
// track by generating only the units it covers.

export const streamSampleRate = 48_000;
export const downloadSampleRate = 44_100;

export const aacFrameSamples = 1024;
export const aacFramesPerSegment = 282;
/** The AAC encoder's priming: the first frame decodes to the 1024 samples before the track. */
export const aacPrimingFrames = 1;

export const mp3FrameSamples = 1152;
export const mp3FramesPerChunk = 250;
/** LAME's encoder delay plus the decoder's (576 + 529 samples). */
export const mp3DelaySamples = 1105;

/** Frames encoded before and after a unit so its edges sound as in one long encode. */
export const preRollFrames = 4;
export const postRollFrames = 3;

export const hlsBitrateKbps = 128;
export const mp3BitratesKbps = [128, 192, 256, 320] as const;
export type Mp3Bitrate = (typeof mp3BitratesKbps)[number];
export const aacBitratesKbps = [128, 192, 256, 320] as const;
export type AacBitrate = (typeof aacBitratesKbps)[number];

/** The preview clip: 30 s, or the whole track when it is shorter. */
export const previewDurationSec = (trackDurationSec: number) => Math.min(30, trackDurationSec);

export const trackSamples = (durationSec: number, rate = streamSampleRate) => Math.round(durationSec * rate);

export type HlsSegment = { index: number; firstFrame: number; frameCount: number; durationSec: number };

/**
 * Unit sizes in frames: a third of a full unit first and the rest of it second, so the first
 * unit of a track nobody played before is generated in a third of the time; full units after.
 */
export function unitFrameCounts(totalFrames: number, fullUnit: number): number[] {
  const first = Math.round(fullUnit / 3);
  const counts: number[] = [];
  for (let done = 0; done < totalFrames;) {
    const size = counts.length === 0 ? first : counts.length === 1 ? fullUnit - first : fullUnit;
    counts.push(Math.min(size, totalFrames - done));
    done += size;
  }
  return counts;
}

/**
 * The HLS segments of a track: AAC frames 0 … ceil(samples / 1024) (frame 0 is the priming
 * frame). The EXTINF durations add up to the track's duration exactly.
 */
export function hlsSegments(durationSec: number): HlsSegment[] {
  const totalFrames = Math.ceil(trackSamples(durationSec) / aacFrameSamples) + aacPrimingFrames;
  const counts = unitFrameCounts(totalFrames, aacFramesPerSegment);
  let firstFrame = 0;
  let elapsed = 0;
  return counts.map((frameCount, index) => {
    const last = index === counts.length - 1;
    const segmentSec = last ? durationSec - elapsed : (frameCount * aacFrameSamples) / streamSampleRate;
    const segment = { index, firstFrame, frameCount, durationSec: segmentSec };
    firstFrame += frameCount;
    elapsed += segmentSec;
    return segment;
  });
}

export const hlsTargetDurationSec = Math.round((aacFramesPerSegment * aacFrameSamples) / streamSampleRate);

export type UnitRange = {
  index: number;
  firstFrame: number;
  frameCount: number;
  offset: number;
  size: number;
};

/** A progressive file: a prefix (an ID3 tag, or nothing), then its units back to back. */
export type ProgressiveLayout = { prefixBytes: number; units: UnitRange[]; size: number };

function progressiveLayout(counts: number[], bytesPerFrame: number, prefixBytes: number): ProgressiveLayout {
  let offset = prefixBytes;
  let firstFrame = 0;
  const units = counts.map((frameCount, index) => {
    const unit = { index, firstFrame, frameCount, offset, size: frameCount * bytesPerFrame };
    offset += unit.size;
    firstFrame += frameCount;
    return unit;
  });
  return { prefixBytes, units, size: offset };
}

export const mp3FrameBytes = (kbps: Mp3Bitrate) => (144 * kbps * 1000) / streamSampleRate;

/** CBR MP3: enough frames for every sample of the track after the codec's delay. */
export function mp3Layout(durationSec: number, kbps: Mp3Bitrate, prefixBytes = 0): ProgressiveLayout {
  const totalFrames = Math.ceil((trackSamples(durationSec) + mp3DelaySamples) / mp3FrameSamples);
  return progressiveLayout(unitFrameCounts(totalFrames, mp3FramesPerChunk), mp3FrameBytes(kbps), prefixBytes);
}

/**
 * Progressive AAC: the HLS segments' frames, each unit padded to a fixed number of bytes per
 * frame (the nominal rate plus 15 % headroom; units come out within 5 % of nominal).
 */
export function aacLayout(durationSec: number, kbps: AacBitrate): ProgressiveLayout {
  const counts = hlsSegments(durationSec).map((s) => s.frameCount);
  return progressiveLayout(counts, aacFrameBudget(kbps), 0);
}

export function aacFrameBudget(kbps: number): number {
  return Math.ceil(((kbps * 1000) / 8) * (aacFrameSamples / streamSampleRate) * 1.15);
}
