// Measures how much of a track was actually heard: the sum of small forward steps of the
// playhead. Seeks (jumps) do not count, so scrubbing to the end is not a full play.
export type EndReason = 'naturalEnd' | 'userSkipped' | 'other';
export type PlayMeter = { trackId: string; listened: number; lastPosition: number | null };

/** Largest playhead step still treated as continuous listening (timeupdate fires every ~250 ms). */
export const maxContinuousStep = 1.5;
export const previewSeconds = 30;

export function startMeter(trackId: string, position = 0): PlayMeter {
  return { trackId, listened: 0, lastPosition: position };
}

export function meterTick(meter: PlayMeter, position: number): PlayMeter {
  if (meter.lastPosition === null) return { ...meter, lastPosition: position };
  const step = position - meter.lastPosition;
  const listened = step > 0 && step <= maxContinuousStep ? meter.listened + step : meter.listened;
  return { ...meter, listened, lastPosition: position };
}

/** A seek: the next tick starts a new continuous run from `position`. */
export function meterSeek(meter: PlayMeter, position: number): PlayMeter {
  return { ...meter, lastPosition: position };
}

export type PlayReport = { trackId: string; durationPlayed: number; endReason: EndReason };

/**
 * The report for a finished listen, or null when nothing worth reporting was heard
 * (under one second and not a natural end). Previews are capped at 30 s.
 */
export function computePlayReport(
  meter: PlayMeter,
  endReason: EndReason,
  options: { preview: boolean; trackDuration?: number },
): PlayReport | null {
  let seconds = meter.listened;
  if (options.preview) seconds = Math.min(seconds, previewSeconds);
  if (options.trackDuration !== undefined && options.trackDuration > 0)
    seconds = Math.min(seconds, options.trackDuration);
  const durationPlayed = Math.round(seconds);
  if (durationPlayed < 1 && endReason !== 'naturalEnd') return null;
  return { trackId: meter.trackId, durationPlayed, endReason };
}
