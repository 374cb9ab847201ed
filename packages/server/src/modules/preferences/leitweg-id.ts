/**
 * The Leitweg-ID: the buyer reference German public authorities require on an XRechnung
 * (KoSIT format specification). Built as `Grobadressierung-Feinadressierung-Prüfziffer`:
 *
 * - Grobadressierung: 2 to 12 digits, starting with the state (01–16) or 99 for the Federation;
 * - Feinadressierung: optional, up to 30 letters and digits;
 * - Prüfziffer: two digits by ISO/IEC 7064 MOD 97-10 over the first two parts without the
 *   hyphens, letters counted as A = 10 … Z = 35 (as in an IBAN): the whole number mod 97 is 1.
 */
const FORMAT = /^([0-9]{2,12})(?:-([A-Z0-9]{1,30}))?-([0-9]{2})$/;

export type LeitwegProblem = "format" | "state" | "check_digits";

/** The ID as it is written: upper case, surrounding blanks removed. */
export const normalizeLeitwegId = (id: string) => id.trim().toUpperCase();

/** Two check digits for the given coarse and fine address (98 − the number × 100 mod 97). */
export function leitwegCheckDigits(coarse: string, fine = ""): string {
  return String(98 - mod97(`${coarse}${fine}00`)).padStart(2, "0");
}

/** Null when valid, otherwise what is wrong with it. */
export function checkLeitwegId(raw: string): LeitwegProblem | null {
  const m = FORMAT.exec(normalizeLeitwegId(raw));
  if (!m) return "format";
  const [, coarse, fine = "", digits] = m;
  const state = Number(coarse!.slice(0, 2));
  if (!((state >= 1 && state <= 16) || state === 99)) return "state";
  return mod97(`${coarse}${fine}${digits}`) === 1 ? null : "check_digits";
}

/** The remainder mod 97 of the number the characters stand for, digit by digit (no big integers). */
function mod97(chars: string): number {
  let rest = 0;
  for (const ch of chars) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    rest = (rest * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return rest;
}
