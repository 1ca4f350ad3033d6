// The built renderer's files, found for a request path the same way in both hosts (the
// septet://app protocol of main.ts and the browser host): %-decoded safely (a malformed escape is
// a 400, never a throw), kept inside the renderer folder, client-side routes answered with the
// app shell.
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const rendererContentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export type RendererFile = {
  path: string;
  size: number;
  contentType: string;
  /** The app shell (index.html): the browser host puts its token in it. */
  shell: boolean;
};

export type RendererFileLookup =
  { ok: true; file: RendererFile } | { ok: false; status: 400 | 404; message: string };

/** decodeURIComponent that answers null for a malformed %-escape instead of throwing. */
export function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export async function findRendererFile(rendererDir: string, pathname: string): Promise<RendererFileLookup> {
  const root = resolve(rendererDir);
  const decoded = safeDecode(pathname);
  if (decoded === null) return { ok: false, status: 400, message: 'Bad request: malformed path' };
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  let path = join(root, relative);
  if (path !== root && !path.startsWith(root + sep)) return notFound;
  let info = await stat(path).catch(() => null);
  // Client-side routes fall back to the app shell.
  if (!info?.isFile() && extname(relative) === '') {
    path = join(root, 'index.html');
    info = await stat(path).catch(() => null);
  }
  if (!info?.isFile()) return notFound;
  return {
    ok: true,
    file: {
      path,
      size: info.size,
      contentType: rendererContentTypes[extname(path)] ?? 'application/octet-stream',
      shell: path.endsWith('index.html'),
    },
  };
}

const notFound: RendererFileLookup = { ok: false, status: 404, message: 'Not found' };
