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
