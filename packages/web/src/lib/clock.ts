/**
 * The server's business clock in the browser: "today" for the firm and "now" come from the
 * server (GET /business-time, asked with the session), not from the browser's clock, so a
 * payment dated "today", this year's revenue or "overdue" mean the same on every desk and on
 * the server. Times are still shown in the reader's own time zone.
 */
import type { BusinessTime } from "@kundenakte/contract";

let offsetMs = 0;
let timeZone = "Europe/Berlin";
let days: Intl.DateTimeFormat | null = null;

/** Takes over the server's clock: its distance from the browser's and the business time zone. */
export function setBusinessTime(t: BusinessTime): void {
  offsetMs = Date.parse(t.now) - Date.now();
  if (t.timeZone !== timeZone) days = null;
  timeZone = t.timeZone;
}

/** The server's "now" (the browser's clock corrected by the distance measured at login). */
export const serverNow = (): Date => new Date(Date.now() + offsetMs);

/** Today's calendar date for the firm (YYYY-MM-DD), in the business time zone. */
export function businessToday(): string {
  days ??= new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  return days.format(serverNow());
}
