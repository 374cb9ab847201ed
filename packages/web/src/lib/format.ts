/** Dates and money as the user's language writes them: 26.11.2026, 1.234,56 € in German. */
export function formatDate(iso: string | null | undefined, language: string): string {
  if (!iso) return "";
  const locale = language === "en" ? "en-GB" : "de-DE";
  return new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric" }).format(new Date(iso));
}

export function formatMoney(cents: number, currency: string, language: string): string {
  const locale = language === "en" ? "en-GB" : "de-DE";
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}
