/**
 * Kölner Phonetik (Hans Joachim Postel, 1969): a phonetic code for German words, so that
 * "Meier", "Meyer" and "Maier" (67) or "Schmidt" and "Schmitt" (862) share a code.
 *
 * Works on folded text (lower case, ä → ae, ß → ss; see fold.ts): umlauts written out are
 * vowels and "ss" collapses like "ß" would, so the codes of "Müller" and "Mueller" agree.
 */
const CODE: Readonly<Record<string, string>> = {
  a: "0",
  e: "0",
  i: "0",
  j: "0",
  o: "0",
  u: "0",
  y: "0",
  b: "1",
  f: "3",
  v: "3",
  w: "3",
  g: "4",
  k: "4",
  q: "4",
  l: "5",
  m: "6",
  n: "6",
  r: "7",
  s: "8",
  z: "8",
};

function codeAt(w: string, i: number): string {
  const c = w[i]!;
  const prev = i > 0 ? w[i - 1]! : "";
  const next = i + 1 < w.length ? w[i + 1]! : "";
  switch (c) {
    case "h":
      return "";
    case "p":
      return next === "h" ? "3" : "1";
    case "d":
    case "t":
      return "csz".includes(next) && next !== "" ? "8" : "2";
    case "c":
      if (i === 0) return next !== "" && "ahkloqrux".includes(next) ? "4" : "8";
      if (prev !== "" && "sz".includes(prev)) return "8";
      return next !== "" && "ahkoqux".includes(next) ? "4" : "8";
    case "x":
      return prev !== "" && "ckq".includes(prev) ? "8" : "48";
    default:
      return CODE[c] ?? "";
  }
}

/** The Kölner Phonetik code of one folded word ("" for a word without letters). */
export function koelnerPhonetik(word: string): string {
  let raw = "";
  for (let i = 0; i < word.length; i++) raw += codeAt(word, i);
  let collapsed = "";
  for (const ch of raw) if (collapsed[collapsed.length - 1] !== ch) collapsed += ch;
  // Zeros (vowels) only count at the start.
  return collapsed.length === 0 ? "" : collapsed[0] + collapsed.slice(1).replace(/0/g, "");
}
