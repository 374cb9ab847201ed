/**
 * Postal code checks. Only the countries most of our customers live in get a strict format; elsewhere the
 * formats are too varied to be worth a table, so we only keep out characters no postal code uses.
 */

export type PostalCodeCheck = { ok: true; value: string } | { ok: false; reason: string };

const STRICT: Readonly<Record<string, { pattern: RegExp; reason: string }>> = {
  DE: { pattern: /^\d{5}$/, reason: "German postal codes are 5 digits" },
  AT: { pattern: /^[1-9]\d{3}$/, reason: "Austrian postal codes are 4 digits (1000–9999)" },
  CH: { pattern: /^[1-9]\d{3}$/, reason: "Swiss postal codes are 4 digits (1000–9999)" },
};

const GENERIC_RE = /^[\p{L}\p{N} -]+$/u;
const MAX_LENGTH = 20;

export function checkPostalCode(country: string, code: string): PostalCodeCheck {
  const value = code.trim();
  if (value === "") return { ok: false, reason: "postal code must not be empty" };
  const strict = STRICT[country.trim().toUpperCase()];
  if (strict) return strict.pattern.test(value) ? { ok: true, value } : { ok: false, reason: strict.reason };
  if (value.length > MAX_LENGTH) return { ok: false, reason: `postal code must be at most ${MAX_LENGTH} characters` };
  if (!GENERIC_RE.test(value)) {
    return { ok: false, reason: "postal code may only contain letters, digits, spaces and dashes" };
  }
  return { ok: true, value };
}
