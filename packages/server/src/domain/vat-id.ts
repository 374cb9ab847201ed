/**
 * Format checks for EU VAT identification numbers (USt-IdNr.).
 *
 * The table is hand-written on purpose: it is small and changes rarely, and a dependency would pull in far
 * more than we need. It checks the shape only (plus the German check digit); whether a number is actually
 * assigned can only be answered by VIES.
 */

export type VatIdCheck = { ok: true; value: string } | { ok: false; reason: string };

interface VatFormat {
  /** Matches the whole normalised ID, country prefix included. */
  pattern: RegExp;
  /** Completes "<adjective> VAT IDs are …" in the error reason. */
  adjective: string;
  shape: string;
}

const FORMATS: Readonly<Record<string, VatFormat>> = {
  AT: { pattern: /^ATU\d{8}$/, adjective: "Austrian", shape: "ATU followed by 8 digits" },
  BE: { pattern: /^BE[01]\d{9}$/, adjective: "Belgian", shape: "BE followed by 10 digits starting with 0 or 1" },
  BG: { pattern: /^BG\d{9,10}$/, adjective: "Bulgarian", shape: "BG followed by 9 or 10 digits" },
  CY: { pattern: /^CY\d{8}[A-Z]$/, adjective: "Cypriot", shape: "CY followed by 8 digits and a letter" },
  CZ: { pattern: /^CZ\d{8,10}$/, adjective: "Czech", shape: "CZ followed by 8 to 10 digits" },
  DE: { pattern: /^DE\d{9}$/, adjective: "German", shape: "DE followed by 9 digits" },
  DK: { pattern: /^DK\d{8}$/, adjective: "Danish", shape: "DK followed by 8 digits" },
  EE: { pattern: /^EE\d{9}$/, adjective: "Estonian", shape: "EE followed by 9 digits" },
  EL: { pattern: /^EL\d{9}$/, adjective: "Greek", shape: "EL followed by 9 digits" },
  // NIF (8 digits + letter), CIF (letter + 7 digits + letter or digit), NIE (letter + 7 digits + letter).
  ES: {
    pattern: /^ES(?:[A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])$/,
    adjective: "Spanish",
    shape: "ES followed by 9 characters that start or end with a letter",
  },
  FI: { pattern: /^FI\d{8}$/, adjective: "Finnish", shape: "FI followed by 8 digits" },
  // The two-character key may use letters except I and O.
  FR: {
    pattern: /^FR[0-9A-HJ-NP-Z]{2}\d{9}$/,
    adjective: "French",
    shape: "FR followed by a 2-character key and 9 digits",
  },
  HR: { pattern: /^HR\d{11}$/, adjective: "Croatian", shape: "HR followed by 11 digits" },
  HU: { pattern: /^HU\d{8}$/, adjective: "Hungarian", shape: "HU followed by 8 digits" },
  // Current format: 7 digits and one or two letters; the old one has a letter or + or * in second place.
  IE: {
    pattern: /^IE(?:\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/,
    adjective: "Irish",
    shape: "IE followed by 7 digits and one or two letters",
  },
  IT: { pattern: /^IT\d{11}$/, adjective: "Italian", shape: "IT followed by 11 digits" },
  LT: { pattern: /^LT(?:\d{9}|\d{12})$/, adjective: "Lithuanian", shape: "LT followed by 9 or 12 digits" },
  LU: { pattern: /^LU\d{8}$/, adjective: "Luxembourgish", shape: "LU followed by 8 digits" },
  LV: { pattern: /^LV\d{11}$/, adjective: "Latvian", shape: "LV followed by 11 digits" },
  MT: { pattern: /^MT\d{8}$/, adjective: "Maltese", shape: "MT followed by 8 digits" },
  NL: { pattern: /^NL\d{9}B\d{2}$/, adjective: "Dutch", shape: "NL followed by 9 digits, B and 2 digits" },
  PL: { pattern: /^PL\d{10}$/, adjective: "Polish", shape: "PL followed by 10 digits" },
  PT: { pattern: /^PT\d{9}$/, adjective: "Portuguese", shape: "PT followed by 9 digits" },
  RO: { pattern: /^RO[1-9]\d{1,9}$/, adjective: "Romanian", shape: "RO followed by 2 to 10 digits" },
  SE: { pattern: /^SE\d{10}01$/, adjective: "Swedish", shape: "SE followed by 10 digits and 01" },
  SI: { pattern: /^SI[1-9]\d{7}$/, adjective: "Slovenian", shape: "SI followed by 8 digits" },
  SK: { pattern: /^SK[1-9]\d{9}$/, adjective: "Slovak", shape: "SK followed by 10 digits" },
  // Northern Ireland keeps EU VAT rules for goods; GD/HA are government departments and health authorities.
  XI: {
    pattern: /^XI(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/,
    adjective: "Northern Irish",
    shape: "XI followed by 9 or 12 digits",
  },
};

// Spaces (including no-break and thin spaces), dots and the dash family people paste from documents.
const SEPARATORS_RE = /[\s.\-\u2010-\u2015\u2212]/g;

/** Upper-cases and drops the separators people type or paste ("de 123.456.789" → "DE123456789"). */
export function normalizeVatId(input: string): string {
  return input.replace(SEPARATORS_RE, "").toUpperCase();
}

/**
 * The ninth digit of a German VAT ID: ISO 7064 MOD 11,10 over the first eight digits.
 * Throws on anything but 8 digits, because callers pass generated or pre-checked digits.
 */
export function germanVatCheckDigit(first8: string): number {
  if (!/^\d{8}$/.test(first8)) throw new Error(`germanVatCheckDigit needs 8 digits, got "${first8}"`);
  let product = 10;
  for (let i = 0; i < 8; i++) {
    let sum = (first8.charCodeAt(i) - 48 + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = 11 - product;
  return check === 10 ? 0 : check;
}

export function checkVatId(input: string): VatIdCheck {
  let value = normalizeVatId(input);
  if (value === "") return { ok: false, reason: "VAT ID must not be empty" };
  // Greece's ISO code is GR, but its VAT prefix is EL; people type either, we store the VAT prefix.
  if (value.startsWith("GR")) value = `EL${value.slice(2)}`;
  const format = FORMATS[value.slice(0, 2)];
  if (!format) return { ok: false, reason: "VAT ID must start with an EU country code" };
  if (!format.pattern.test(value)) return { ok: false, reason: `${format.adjective} VAT IDs are ${format.shape}` };
  if (value.startsWith("DE") && germanVatCheckDigit(value.slice(2, 10)) !== value.charCodeAt(10) - 48) {
    return { ok: false, reason: "check digit does not match" };
  }
  return { ok: true, value };
}
