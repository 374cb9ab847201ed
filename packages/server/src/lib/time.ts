/** The current time as stored: ISO 8601 UTC with milliseconds. */
export const nowIso = (): string => new Date().toISOString();

/**
 * Today's calendar date where the business runs (German time): an invoice written at
 * 00:30 on 1 March in Berlin is dated 1 March, not 28 February (UTC).
 */
export const todayIso = (timeZone = "Europe/Berlin"): string => dayFormat(timeZone).format(new Date());

// Building an Intl.DateTimeFormat costs tens of microseconds; the customer file asks per request.
const formats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formats.set(timeZone, f);
  }
  return f;
}
