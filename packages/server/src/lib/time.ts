/**
 * The current time as stored for technical record keeping (created/updated/audit): ISO 8601 UTC
 * with milliseconds. Business dates and "now" compared with due times come from the business
 * clock (`lib/clock.ts`).
 */
export const nowIso = (): string => new Date().toISOString();
