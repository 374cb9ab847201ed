/**
 * Exact money arithmetic and display for the finance modules.
 *
 * Amounts are integer minor units (cents for EUR) everywhere; a currency code travels alongside but is
 * never converted. Products such as quantity × price × discount can leave the safe integer range of a
 * JavaScript number, so intermediate steps run on BigInt and only the rounded result comes back as a number.
 */

export type Locale = "de" | "en";

/**
 * numerator / denominator rounded half away from zero (kaufmännisch runden): 2.5 → 3, −2.5 → −3.
 * Banker's rounding (half to even) would be wrong here: German invoices and tax returns round 0.5 up.
 */
export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("roundDiv: denominator must not be 0");
  // Normalising the sign first lets the half test below work on magnitudes only.
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d; // BigInt division truncates toward zero
  const remainder = n % d; // has the sign of n
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  if (twiceRemainder < d) return quotient;
  return n < 0n ? quotient - 1n : quotient + 1n;
}

/** Throws a RangeError naming the field unless value is a safe integer within [min, max]. */
export function requireInteger(value: number, field: string, min?: number, max?: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new RangeError(`${field} must be an integer, got ${String(value)}`);
  }
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = `${min ?? "-∞"}..${max ?? "∞"}`;
    throw new RangeError(`${field} must be within ${range}, got ${value}`);
  }
  return value;
}

/** Back from BigInt to number; refuses instead of silently losing cents beyond 2^53. */
export function toSafeNumber(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${field} is too large to be represented exactly: ${value}`);
  }
  return Number(value);
}

/** Exact sum of integer amounts; each addend is checked, the sum is computed on BigInt. */
export function sumCents(values: readonly number[], field: string): number {
  let sum = 0n;
  for (const [i, value] of values.entries()) sum += BigInt(requireInteger(value, `${field}/${i}`));
  return toSafeNumber(sum, field);
}

const INTL_LOCALE: Readonly<Record<Locale, string>> = { de: "de-DE", en: "en-GB" };
const formatters = new Map<string, Intl.NumberFormat>();

function moneyFormatter(currency: string, locale: Locale): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    // Intl throws a RangeError for a malformed currency code, which is what we want.
    formatter = new Intl.NumberFormat(INTL_LOCALE[locale], { style: "currency", currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Decimal string of minor units shifted by `digits` places: (−123456, 2) → "-1234.56". */
function minorUnitsToDecimal(minor: number, digits: number): string {
  const negative = minor < 0;
  const abs = (negative ? -BigInt(minor) : BigInt(minor)).toString().padStart(digits + 1, "0");
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${negative ? "-" : ""}${whole}${digits > 0 ? `.${fraction}` : ""}`;
}

/**
 * 123456 → "1.234,56 €" (de) or "€1,234.56" (en). Intl puts a no-break space between amount and symbol
 * in German so the symbol never wraps onto its own line.
 *
 * `minor` is in the currency's minor units as ISO 4217 defines them (2 digits for EUR, 0 for JPY,
 * 3 for KWD); Intl knows those digits. The amount is handed to Intl as a decimal string, so even
 * amounts above 2^53 / 100 euros format without a floating-point detour.
 */
export function formatMoney(minor: number, currency = "EUR", locale: Locale = "de"): string {
  requireInteger(minor, "cents");
  const formatter = moneyFormatter(currency, locale);
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(minorUnitsToDecimal(minor, digits) as Intl.StringNumericLiteral);
}

/**
 * Basis points as a percentage the way each language prints it: 250 → "2,5 %" (de, with a space per
 * DIN 5008) or "2.5%" (en); 200 → "2 %". Trailing zeros are dropped, at most two decimals exist.
 * A plain space is used (not a no-break space) so the text matches what users type and search for.
 */
export function percentText(bp: number, locale: Locale = "de"): string {
  requireInteger(bp, "bp");
  const abs = Math.abs(bp);
  const whole = Math.trunc(abs / 100);
  const fraction = String(abs % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  const separator = locale === "de" ? "," : ".";
  const number = `${bp < 0 ? "-" : ""}${whole}${fraction ? separator + fraction : ""}`;
  return locale === "de" ? `${number} %` : `${number}%`;
}
