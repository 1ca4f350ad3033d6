// The folding that browse and search compare names with.

/** Lower case, accents and punctuation removed: "Café Ümlaut!" → "cafe umlaut". */
export function normalise(text: string): string {
  // Most names are plain ASCII: skip the Unicode decomposition (half the catalogue's start-up).
  const folded = /[^\x20-\x7e]/.test(text) ? foldAccents(text) : text;
  return folded
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Whether a name files under "#" in an A–Z index: its first character is not a letter. */
export function startsWithDigitOrSymbol(name: string): boolean {
  const first = name.trim().charAt(0);
  return first !== '' && !/\p{L}/u.test(first);
}

function foldAccents(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, 'o')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[đĐ]/g, 'd')
    .replace(/[łŁ]/g, 'l');
}
