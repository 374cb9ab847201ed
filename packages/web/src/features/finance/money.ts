/**
 * Amounts as people type them, into integer cents: "1.234,56", "1234,5", "119" or "119 €" in
 * German; "1,234.56" or "1234.56" in English. Money never passes through a float with more than
 * two decimals: the digits are read as text.
 */

const en = (language: string) => language.startsWith("en");

/** Cents from a typed amount; null when empty; "invalid" when it is no amount with at most two decimals. */
export function parseMoney(text: string, language: string): number | null | "invalid" {
  let s = text.replace(/[\s\u00a0€]/g, "").replace(/EUR$/i, "");
  if (s === "") return null;
  const negative = s.startsWith("-");
  if (negative) s = s.slice(1);
  const decimal = en(language) ? "." : ",";
  const group = en(language) ? "," : ".";
  // Group separators only between groups of three digits ("1.234.567,89").
  const grouped = new RegExp(`^\\d{1,3}(\\${group}\\d{3})+(\\${decimal}\\d{0,2})?$`);
  if (grouped.test(s)) s = s.split(group).join("");
  // The other separator is taken as the decimal point too: "119.50" typed in the German UI means 119,50.
  const m = /^(\d+)(?:[.,](\d{0,2}))?$/.exec(s);
  if (!m) return "invalid";
  const whole = m[1] ?? "0";
  const cents = Number(whole) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  if (!Number.isSafeInteger(cents)) return "invalid";
  return negative ? -cents : cents;
}

/** Cents as an editable amount without currency sign: 11900 → "119,00" (German) or "119.00". */
export function centsToInput(cents: number, language: string): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, "0");
  return `${sign}${whole}${en(language) ? "." : ","}${rest}`;
}

/** Today for the firm (YYYY-MM-DD, the server's business date), for date inputs. */
export { businessToday as todayIso } from "../../lib/clock";
