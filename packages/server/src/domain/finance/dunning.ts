/**
 * Dunning levels (Mahnstufen): which notice an overdue invoice should get in this dunning run.
 *
 * A run raises an invoice by at most one level, so a customer always receives the reminder before
 * the final demand even when an invoice was forgotten for months, and a level never goes down
 * (a partial payment does not undo a notice that was sent).
 */

import { requireInteger } from "./money.js";

export interface DunningLevel {
  level: 1 | 2 | 3;
  /** Days after the due date from which this level may be sent. */
  daysAfterDue: number;
  /** Dunning fee added with this notice. */
  feeCents: number;
}

/** Throws a RangeError unless each level occurs at most once and later levels need more days. */
export function assertDunningLevels(levels: readonly DunningLevel[]): void {
  const seen = new Set<number>();
  for (const [i, l] of levels.entries()) {
    requireInteger(l.level, `levels/${i}/level`, 1, 3);
    requireInteger(l.daysAfterDue, `levels/${i}/daysAfterDue`, 0);
    requireInteger(l.feeCents, `levels/${i}/feeCents`, 0);
    if (seen.has(l.level)) throw new RangeError(`levels/${i}/level: level ${l.level} occurs twice`);
    seen.add(l.level);
  }
  const sorted = [...levels].sort((a, b) => a.level - b.level);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.daysAfterDue <= sorted[i - 1]!.daysAfterDue) {
      throw new RangeError(
        `level ${sorted[i]!.level} must need more days after the due date than level ${sorted[i - 1]!.level}`,
      );
    }
  }
}

/**
 * The level to send now, or null when none is due: only currentLevel + 1 is considered, and only once
 * daysOverdue has reached its daysAfterDue. currentLevel is 0 for an invoice without any notice yet.
 */
export function dunningLevelFor(
  daysOverdue: number,
  levels: readonly DunningLevel[],
  currentLevel: 0 | 1 | 2 | 3,
): DunningLevel | null {
  requireInteger(daysOverdue, "daysOverdue");
  requireInteger(currentLevel, "currentLevel", 0, 3);
  assertDunningLevels(levels);
  const next = levels.find((l) => l.level === currentLevel + 1);
  if (next === undefined || daysOverdue < next.daysAfterDue) return null;
  return next;
}
