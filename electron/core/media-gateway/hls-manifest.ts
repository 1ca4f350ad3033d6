// RFC 8216 media-playlist rewriting: every URI (segments, EXT-X-KEY, EXT-X-MAP) is resolved
// against the manifest URL and replaced by whatever the caller maps it to.
import { AppError } from '../../../shared/errors.js';

export type HlsResourceKind = 'seg' | 'key' | 'map';

export type HlsResource = { kind: HlsResourceKind; index: number; uri: string };

export type RewrittenManifest = { text: string; resources: HlsResource[] };

const uriAttribute = /URI="([^"]*)"/;

function resolve(uri: string, baseUrl: string | undefined): string {
  try {
    return baseUrl ? new URL(uri, baseUrl).toString() : new URL(uri).toString();
  } catch (cause) {
    throw new AppError(
      { code: 'malformed_response', message: `HLS manifest has an unusable URI: ${uri}` },
      { cause },
    );
  }
}

export function rewriteManifest(
  text: string,
  baseUrl: string | undefined,
  mapUri: (resource: HlsResource) => string,
): RewrittenManifest {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '#EXTM3U') {
    throw new AppError({ code: 'malformed_response', message: 'HLS manifest does not start with #EXTM3U' });
  }
  if (lines.some((line) => line.startsWith('#EXT-X-STREAM-INF'))) {
    throw new AppError({
      code: 'malformed_response',
      message: 'HLS master playlists are not supported here',
    });
  }
  const counters: Record<HlsResourceKind, number> = { seg: 0, key: 0, map: 0 };
  const resources: HlsResource[] = [];
  const take = (kind: HlsResourceKind, raw: string): string => {
    const resource = { kind, index: counters[kind]++, uri: resolve(raw, baseUrl) };
    resources.push(resource);
    return mapUri(resource);
  };
  const out = lines.map((line) => {
    const trimmed = line.trim();
    if (trimmed === '') return line;
    if (trimmed.startsWith('#')) {
      const kind: HlsResourceKind | undefined = trimmed.startsWith('#EXT-X-KEY:')
        ? 'key'
        : trimmed.startsWith('#EXT-X-MAP:')
          ? 'map'
          : undefined;
      if (!kind) return line;
      const match = uriAttribute.exec(trimmed);
      if (!match) return line; // METHOD=NONE
      return trimmed.replace(uriAttribute, `URI="${take(kind, match[1]!)}"`);
    }
    return take('seg', trimmed);
  });
  return { text: out.join('\n'), resources };
}
