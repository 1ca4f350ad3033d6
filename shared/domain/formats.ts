// Download formats the listener can pick, and the service's formatId for each.
import { z } from 'zod';

export const DownloadFormat = z.enum(['mp3', 'flac']);
export type DownloadFormat = z.infer<typeof DownloadFormat>;

/** formatId of the locker download endpoints (MP3 320 kbps, FLAC). */
export const downloadFormatIds: Record<DownloadFormat, string> = { mp3: '17', flac: '45' };
