/** Dates, money and numbers as the user's language writes them: 26.11.2026, 1.234,56 € in German. */

const localeOf = (language: string) => (language.startsWith("en") ? "en-GB" : "de-DE");

/** Intl formatters are costly to build and tables format hundreds of cells: one per locale and options. */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(language: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const locale = localeOf(language);
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, f);
  }
  return f;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date (2026-11-26) or a timestamp as a date. A calendar date is no instant: it is
 * read and shown in UTC, so no time zone west of Greenwich turns it into the day before.
 */
export function formatDate(iso: string | null | undefined, language: string): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(localeOf(language), {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    timeZone: DATE_ONLY.test(iso) ? "UTC" : undefined,
  }).format(new Date(iso));
}

/** Integer cents as money: 123456 → "1.234,56 €". */
export function formatMoney(cents: number, currency: string, language: string): string {
  return numberFormat(language, { style: "currency", currency }).format(cents / 100);
}

/** A quantity or count, with up to three decimals: 1.234,5. */
export function formatNumber(value: number, language: string, maximumFractionDigits = 3): string {
  return numberFormat(language, { maximumFractionDigits }).format(value);
}

/** A number of days with one decimal: 12,5. */
export function formatDays(days: number, language: string): string {
  return numberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(days);
}

/** A share between 0 and 1 as percent: 0.833 → "83 %". */
export function formatPercent(share: number, language: string): string {
  return numberFormat(language, { style: "percent", maximumFractionDigits: 0 }).format(share);
}
