// File names from Content-Disposition, made safe to create inside the folder the user chose.

/** The filename a Content-Disposition header proposes (RFC 6266; filename* wins), unsanitised. */
export function filenameFromContentDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*([\w!#$%&+^`{}~-]*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    const value = star[2]!.trim().replace(/^"|"$/g, '');
    try {
      return decodeURIComponent(value);
    } catch {
      // A malformed percent-encoding: fall back to the plain filename parameter.
    }
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:\\.|[^"\\])*)"/i.exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const token = /(?:^|;)\s*filename\s*=\s*([^;\s]+)/i.exec(header);
  return token ? token[1]! : null;
}

const reservedWindowsNames = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;
const maxNameBytes = 200;

/**
 * A name that stays inside the target folder on every desktop OS: no path separators or
 * traversal, no control or reserved characters, no leading dots, no Windows device names.
 * Returns null when nothing usable is left.
 */
export function sanitizeFileName(raw: string): string | null {
  const lastSegment = raw.split(/[/\\]/).pop() ?? '';
  let name = lastSegment
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '')
    .normalize('NFC');
  if (name === '') return null;
  if (reservedWindowsNames.test(name)) name = `_${name}`;
  if (Buffer.byteLength(name) > maxNameBytes) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    let stem = name.slice(0, name.length - ext.length);
    while (Buffer.byteLength(stem + ext) > maxNameBytes) stem = stem.slice(0, -1);
    name = stem + ext;
  }
  return name;
}

/** "name (n).ext" for the nth alternative when the name is taken. */
export function alternativeName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}
