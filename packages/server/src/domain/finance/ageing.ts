/**
 * Ageing of open items (Altersstruktur der offenen Posten): how long past their due date they are.
 *
 * The due date itself is the last day to pay on time, so an item becomes 1 day overdue the day after;
 * "1_30" therefore starts at 1, and everything up to and including the due date is "not_due".
 */

import { daysBetween, type IsoDate } from "./calendar-date.js";
import { requireInteger, toSafeNumber } from "./money.js";

export type AgeingBucket = "not_due" | "1_30" | "31_60" | "61_90" | "over_90";

export const AGEING_BUCKETS: readonly AgeingBucket[] = ["not_due", "1_30", "31_60", "61_90", "over_90"];

export function daysOverdue(dueDate: IsoDate, onDate: IsoDate): number {
  return Math.max(0, daysBetween(dueDate, onDate, "dueDate", "onDate"));
}

export function ageingBucket(dueDate: IsoDate, onDate: IsoDate): AgeingBucket {
  const days = daysOverdue(dueDate, onDate);
  if (days === 0) return "not_due";
  if (days <= 30) return "1_30";
  if (days <= 60) return "31_60";
  if (days <= 90) return "61_90";
  return "over_90";
}

export interface AgeingItem {
  dueDate: IsoDate;
  /** Open amount; negative for an unapplied credit note, which then reduces its bucket. */
  openCents: number;
}

export interface AgeingTotals {
  buckets: Record<AgeingBucket, number>;
  totalCents: number;
  /** Everything outside "not_due". */
  overdueCents: number;
}

export function ageingTotals(items: readonly AgeingItem[], onDate: IsoDate): AgeingTotals {
  const sums: Record<AgeingBucket, bigint> = { not_due: 0n, "1_30": 0n, "31_60": 0n, "61_90": 0n, over_90: 0n };
  for (const [i, item] of items.entries()) {
    const open = requireInteger(item.openCents, `items/${i}/openCents`);
    sums[ageingBucket(item.dueDate, onDate)] += BigInt(open);
  }
  const total = AGEING_BUCKETS.reduce((sum, bucket) => sum + sums[bucket], 0n);
  const buckets = Object.fromEntries(
    AGEING_BUCKETS.map((bucket) => [bucket, toSafeNumber(sums[bucket], bucket)]),
  ) as Record<AgeingBucket, number>;
  return {
    buckets,
    totalCents: toSafeNumber(total, "totalCents"),
    overdueCents: toSafeNumber(total - sums.not_due, "overdueCents"),
  };
}
