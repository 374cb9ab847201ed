/** Dates of follow-ups in the user's time zone (counted from the server's "now"): due today, overdue, quick choices. */
import { serverNow } from "../../lib/clock";

const localeOf = (language: string) => (language.startsWith("en") ? "en-GB" : "de-DE");

/** "27.11.2026, 14:30" (German) or "27/11/2026, 14:30" (English). */
export function formatDateTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

/** "14:30". */
export function formatTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(localeOf(language), { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A local calendar date as YYYY-MM-DD (the value of an `<input type="date">`). */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today plus some days or months, as YYYY-MM-DD. */
export function daysFromToday(days: number, months = 0, now = serverNow()): string {
  const d = new Date(now.getFullYear(), now.getMonth() + months, now.getDate() + days);
  return localDate(d);
}

/** Date and time of the form (local) as an ISO instant; null when the date is missing or invalid. */
export function toInstant(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const d = new Date(`${date}T${/^\d{2}:\d{2}$/.test(time) ? time : "09:00"}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export type DueGroup = "overdue" | "today" | "later";

/** Where a due time falls for the day list: past it, later today, or another day. */
export function dueGroup(iso: string, now = serverNow()): DueGroup {
  const due = new Date(iso);
  if (due.getTime() < now.getTime()) return "overdue";
  return localDate(due) === localDate(now) ? "today" : "later";
}
