/**
 * Folds text for sort keys and case-, umlaut- and accent-insensitive comparisons.
 *
 * German umlauts become their two-letter spellings (ä → ae) rather than losing their dots, because
 * that is how Germans spell them when umlauts are unavailable: "Müller" and "Mueller" must match,
 * while "Muller" is a different name.
 */

// Letters that NFD does not decompose; without this they would survive folding unchanged.
const SPECIAL: Readonly<Record<string, string>> = {
  ä: "ae",
  ö: "oe",
  ü: "ue",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
};
const SPECIAL_RE = /[äöüßæœøłđ]/g;
const COMBINING_MARKS_RE = /\p{M}+/gu;
const WHITESPACE_RE = /\s+/g;
// Most input (customer numbers, many names) is plain ASCII; skipping normalisation there keeps sorting cheap.
const ASCII_RE = /^[\x20-\x7e]*$/;

export function foldText(s: string): string {
  if (ASCII_RE.test(s)) return s.toLowerCase().replace(WHITESPACE_RE, " ").trim();
  return (
    s
      // NFC first so that a decomposed "u + ¨" is recognised as ü and becomes "ue", not "u".
      .normalize("NFC")
      // Lower-casing first also maps Ä/Ö/Ü and the capital ẞ onto the table above.
      .toLowerCase()
      .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c)
      .normalize("NFD")
      .replace(COMBINING_MARKS_RE, "")
      .replace(WHITESPACE_RE, " ")
      .trim()
  );
}

/**
 * Folds like foldText (without collapsing whitespace) and tells for every character of the
 * result which character of the input it came from, so a match found in folded text can be
 * highlighted in the text the user sees ("Müller" matched by "muel" → "Mü" highlighted).
 */
export function foldWithOffsets(s: string): { folded: string; offsets: number[] } {
  let folded = "";
  const offsets: number[] = [];
  let i = 0;
  for (const ch of s) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) offsets.push(i);
    folded += f;
    i += ch.length;
  }
  offsets.push(s.length);
  return { folded, offsets };
}

const charCache = new Map<string, string>();

function foldChar(ch: string): string {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return ch.toLowerCase();
  let f = charCache.get(ch);
  if (f === undefined) {
    const lower = ch.normalize("NFC").toLowerCase();
    f = (SPECIAL[lower] ?? lower).normalize("NFD").replace(COMBINING_MARKS_RE, "");
    if (charCache.size < 10_000) charCache.set(ch, f);
  }
  return f;
}
