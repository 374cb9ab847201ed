/**
 * ISO calendar dates ("YYYY-MM-DD") for due dates, discount periods and ageing.
 *
 * All arithmetic runs on whole UTC days, so a date never shifts by one because the server runs in
 * Europe/Berlin and a period crosses the change to or from summer time.
 */

export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a valid ISO date; a RangeError naming the field for anything else. */
export function epochDay(date: IsoDate, field = "date"): number {
  const match = typeof date === "string" ? ISO_DATE_RE.exec(date) : null;
  if (match === null) throw new RangeError(`${field} must be a date "YYYY-MM-DD", got ${JSON.stringify(date)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const utc = new Date(0);
  // setUTCFullYear instead of Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
  utc.setUTCFullYear(year, month - 1, day);
  // Date.UTC-style arithmetic silently rolls 2025-02-30 over to March; a round trip catches that.
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    throw new RangeError(`${field} is not a calendar date: ${date}`);
  }
  return Math.round(utc.getTime() / MS_PER_DAY);
}

export function fromEpochDay(day: number): IsoDate {
  const utc = new Date(day * MS_PER_DAY);
  const year = String(utc.getUTCFullYear()).padStart(4, "0");
  const month = String(utc.getUTCMonth() + 1).padStart(2, "0");
  const dayOfMonth = String(utc.getUTCDate()).padStart(2, "0");
  return `${year}-${month}-${dayOfMonth}`;
}

export function addDays(date: IsoDate, days: number, field = "date"): IsoDate {
  return fromEpochDay(epochDay(date, field) + days);
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate, fromField = "from", toField = "to"): number {
  return epochDay(to, toField) - epochDay(from, fromField);
}

/**
 * Calendar months later (or earlier for negative n). A day that does not exist in the target month
 * becomes its last day, as in contracts: 2024-02-29 minus 12 months is 2023-02-28, 2025-01-31 plus one
 * month is 2025-02-28.
 */
export function addMonths(date: IsoDate, months: number, field = "date"): IsoDate {
  epochDay(date, field); // validates
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const y = String(targetYear).padStart(4, "0");
  const m = String(targetMonth).padStart(2, "0");
  const d = String(Math.min(day, daysInMonth(targetYear, targetMonth))).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** month is 1-based. */
function daysInMonth(year: number, month: number): number {
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && isLeap ? 29 : DAYS_IN_MONTH[month - 1]!;
}
