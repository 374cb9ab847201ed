import type { KeyFigures } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { addMonths } from "../../domain/finance/calendar-date.js";
import { systemClock } from "../../lib/clock.js";
import * as repo from "./figures.repository.js";

// Apart from figures.service.ts: the customer file imports this, and must not import the
// customer service (which imports the customer file's write path).

const round1 = (n: number | null) => (n === null ? null : Math.round(Number(n) * 10) / 10);

/** The figures of a customer without any document, payment or credit setting: no query needed. */
export function emptyKeyFigures(finance: boolean): KeyFigures {
  const base: KeyFigures = {
    currency: "EUR",
    revenueThisYearCents: 0,
    revenueLastYearCents: 0,
    openQuotes: 0,
    openOrders: 0,
    openTickets: 0,
    overdueTickets: 0,
  };
  if (!finance) return base;
  return {
    ...base,
    openItemsCents: 0,
    overdueCents: 0,
    overdue: false,
    creditLimitCents: null,
    creditUsedCents: 0,
    creditExceeded: false,
    averageDaysToPay: null,
    averageDaysLate: null,
    onTimeShare: null,
  };
}

/**
 * The next follow-up and the last contact as key figures: members left out when there is none.
 * Overdue means past its due time at `now`.
 */
export function activityFigures(
  a: repo.ActivityRow,
  now: string,
): Pick<KeyFigures, "nextFollowUp" | "lastContactAt" | "lastContactKind"> {
  const out: Pick<KeyFigures, "nextFollowUp" | "lastContactAt" | "lastContactKind"> = {};
  if (a.follow_up_id !== null && a.follow_up_due_at !== null) {
    out.nextFollowUp = {
      id: Number(a.follow_up_id),
      dueAt: a.follow_up_due_at,
      subject: a.follow_up_subject ?? "",
      owner: a.follow_up_owner ?? "",
      ownerName: a.follow_up_owner_name ?? null,
      overdue: Date.parse(a.follow_up_due_at) < Date.parse(now),
    };
  }
  if (a.last_contact_at !== null && a.last_contact_kind !== null) {
    out.lastContactAt = a.last_contact_at;
    out.lastContactKind = a.last_contact_kind as NonNullable<KeyFigures["lastContactKind"]>;
  }
  return out;
}

/** Whether a customer has neither an open follow-up nor a logged contact. */
export const noActivity = (a: repo.ActivityRow) => a.follow_up_id === null && a.last_contact_at === null;

/**
 * The info panel's figures on a date. Payment data (open items, overdue, credit, payment
 * behaviour) only for users who may see finance data: absent, not zero, for the others.
 * Open and overdue tickets, the next follow-up and the last contact are shown to everyone who
 * sees the key figures. `activity` is the next follow-up and last contact when the caller has
 * read them already (the file endpoint reads them with the stored document); else they are read here.
 */
export async function keyFiguresOf(
  db: Database,
  customerId: number,
  finance: boolean,
  today = systemClock.today(),
  now = systemClock.nowIso(),
  activity?: repo.ActivityRow,
): Promise<KeyFigures> {
  const year = Number(today.slice(0, 4));
  const [r, a] = await Promise.all([
    repo.keyFigures(db, customerId, {
      today,
      yearStart: `${year}-01-01`,
      lastYearStart: `${year - 1}-01-01`,
      windowStart: addMonths(today, -12),
      now,
    }),
    activity ?? repo.activity(db, customerId),
  ]);
  const figures: KeyFigures = {
    currency: "EUR",
    revenueThisYearCents: Number(r.revenue_this_year),
    revenueLastYearCents: Number(r.revenue_last_year),
    openQuotes: Number(r.open_quotes),
    openOrders: Number(r.open_orders),
    openTickets: Number(r.open_tickets),
    overdueTickets: Number(r.overdue_tickets),
  };
  const recent = activityFigures(a, now);
  if (!finance) return { ...figures, ...recent };
  const limit = r.credit_limit_cents === null ? null : Number(r.credit_limit_cents);
  const used = Number(r.open_items_cents) + Number(r.open_orders_cents);
  const paid = Number(r.paid_invoices);
  return {
    ...figures,
    openItemsCents: Number(r.open_items_cents),
    overdueCents: Number(r.overdue_cents),
    overdue: Number(r.overdue_cents) > 0,
    creditLimitCents: limit,
    creditUsedCents: used,
    creditExceeded: limit !== null && used > limit,
    averageDaysToPay: paid ? round1(r.days_to_pay) : null,
    averageDaysLate: paid ? round1(r.days_late) : null,
    onTimeShare: paid ? Math.round((Number(r.paid_on_time) / paid) * 1000) / 1000 : null,
    ...recent,
  };
}
