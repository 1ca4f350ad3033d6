// Artwork: a small deterministic SVG per release or artist.

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );

/** A small deterministic SVG cover for a release (or an artist portrait placeholder). */
export function artworkSvg(id: string, title: string, subtitle: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = h % 360;
  const hue2 = (hue + 40 + (h % 90)) % 360;
  const shapes = Array.from({ length: 5 }, (_x, i) => {
    const v = (h >>> (i * 5)) & 31;
    return `<circle cx="${40 + v * 9}" cy="${60 + ((v * 7 + i * 53) % 240)}" r="${20 + ((v * 3) % 60)}" fill="hsl(${(hue + i * 25) % 360},70%,60%)" fill-opacity="0.35"/>`;
  }).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="350" height="350" viewBox="0 0 350 350">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,35%)"/>` +
    `<stop offset="1" stop-color="hsl(${hue2},60%,18%)"/></linearGradient></defs>` +
    `<rect width="350" height="350" fill="url(#g)"/>${shapes}` +
    `<text x="20" y="300" font-family="sans-serif" font-size="24" fill="#fff">${escapeXml(title.slice(0, 24))}</text>` +
    `<text x="20" y="328" font-family="sans-serif" font-size="16" fill="#ddd">${escapeXml(subtitle.slice(0, 32))}</text></svg>`
  );
}
