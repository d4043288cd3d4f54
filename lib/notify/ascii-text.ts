/** Typographic punctuation people put in check names, and its plain ASCII reading. */
const punctuation: Record<string, string> = {
  '«': '"',
  '»': '"',
  '‹': "'",
  '›': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '‘': "'",
  '’': "'",
  '–': '-',
  '—': '-',
  '−': '-',
  '…': '...',
  '•': '*',
  '×': 'x',
  '→': '->',
  '←': '<-',
  '\u00a0': ' ',
};

/**
 * ASCII for places that only take ASCII (SNS subjects). Vietnamese and other Latin scripts keep
 * their letters: diacritics are stripped after NFD decomposition; đ/Đ do not decompose, so they
 * are mapped by hand. Quotes and dashes become their ASCII look-alikes, emoji are dropped (a "🔥"
 * carries no information a subject needs, and "?" looks like a bug). Anything still non-ASCII
 * becomes '?'.
 */
export function toAscii(text: string): string {
  return (
    text
      .replace(/[«»‹›“”„‘’–—−…•×→←\u00a0]/g, (c) => punctuation[c] ?? c)
      // Emoji with their skin-tone modifiers, flags, variation selectors and joiners.
      .replace(
        /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u{FE0E}|\u{FE0F}|\u{200D}|\u{20E3}/gu,
        '',
      )
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[\r\n\t]+/g, ' ')
      .replace(/[^\x20-\x7e]/g, '?')
  );
}

/** One ASCII line of at most `max` characters, cut on a word boundary with "..." when too long. */
export function asciiLine(text: string, max: number): string {
  const line = toAscii(text).replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 3);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}...`;
}

/** Cuts a UTF-8 string to at most `maxBytes` bytes without splitting a character. */
export function truncateBytes(
  text: string,
  maxBytes: number,
  marker = '\n... (truncated)',
): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(marker);
  let out = Buffer.from(text).subarray(0, Math.max(0, budget)).toString('utf8');
  // A cut inside a multi-byte character decodes to U+FFFD; drop it.
  out = out.replace(/\uFFFD+$/, '');
  return out + marker;
}
