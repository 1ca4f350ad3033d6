// How a track is streamed: the two delivery formats, the listener's quality choice and the
// service's format ids for them, and what a preview is.
import { z } from 'zod';

/** HLS (segments, optionally AES-128) or one progressive file with Range support. */
export const streamFormats = ['hls', 'progressive'] as const;
export const StreamFormat = z.enum(streamFormats);
export type StreamFormat = z.infer<typeof StreamFormat>;

export const StreamQuality = z.enum(['standard', 'high']);
export type StreamQuality = z.infer<typeof StreamQuality>;

/** The service's formatId for each stream quality (reported with subscriber plays). */
export const streamFormatIds: Record<StreamQuality, number> = { high: 56, standard: 55 };

/** Where the gateway fetches a stream from: an API stream endpoint or the offline cache. */
export type StreamSource = 'subscription' | 'preview' | 'catalogue' | 'locker' | 'offline';

/** A preview clip is this long. */
export const previewSeconds = 30;
