/**
 * The business clock: what time and, above all, what day it is for the firm. "Today" is the
 * calendar date in the firm's time zone (an invoice written at 00:30 on 1 March in Berlin is
 * dated 1 March, not 28 February as UTC would have it), so every module that needs a date —
 * days overdue, ageing, due dates, SLAs, consents, price validity — asks this one object.
 * The app gets one (`buildApp({ clock })`, from `BUSINESS_TIME_ZONE` in production) and hands it
 * to the request context; tests pass a clock set to a fixed instant instead of the machine's.
 * Technical timers (session expiry, lockouts, cache lifetimes) measure elapsed real time and
 * do not use it.
 */
export interface BusinessClock {
  /** The IANA time zone the firm's calendar days are counted in. */
  readonly timeZone: string;
  now(): Date;
  /** `now()` as stored: ISO 8601 UTC with milliseconds. */
  nowIso(): string;
  /** Today's calendar date in the business time zone (YYYY-MM-DD). */
  today(): string;
  /** The calendar date (YYYY-MM-DD) of an instant in the business time zone. */
  dayOf(at: Date | string): string;
}

export const DEFAULT_BUSINESS_TIME_ZONE = "Europe/Berlin";

/** Whether the runtime knows `zone` as an IANA time zone (e.g. "Europe/Berlin"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-CA", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A business clock in `timeZone` reading the time from `now` (the system clock by default).
 * Tests pass a function returning a fixed or test-controlled instant.
 */
export function businessClock(
  timeZone: string = DEFAULT_BUSINESS_TIME_ZONE,
  now: () => Date = () => new Date(),
): BusinessClock {
  // Building an Intl.DateTimeFormat costs tens of microseconds; the customer file asks per request.
  const days = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  return {
    timeZone,
    now,
    nowIso: () => now().toISOString(),
    today: () => days.format(now()),
    dayOf: (at) => days.format(typeof at === "string" ? new Date(at) : at),
  };
}

/** The system clock in the default business time zone: for code run without an app (CLI jobs, demo data). */
export const systemClock: BusinessClock = businessClock();

/** The clock of a request context, the system clock when the caller brought none (the server's own jobs). */
export const clockOf = (ctx: { clock?: BusinessClock }): BusinessClock => ctx.clock ?? systemClock;
