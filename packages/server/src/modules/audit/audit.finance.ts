import type { AuditChange } from "./audit.repository.js";

/**
 * The field-level finance rule applied to the change history: bank accounts, credit settings,
 * payments and dunning notices are finance data, which only users with finance permission see
 * (the rule that hides bank accounts in the file and finance key figures).
 */

/** Audit records of finance data: left out of the history (not just emptied) for other roles. */
export const FINANCE_ENTITIES = ["bank_account", "payment", "credit_settings", "dunning_notice"] as const;

/** Tables of finance data: a merge's counts of them are finance data too. */
const FINANCE_TABLES = new Set(["bank_accounts", "customer_finance", "payments", "dunning_notices"]);

/** Records moved per table, without the finance tables. */
export function withoutFinanceCounts(moved: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(moved).filter(([table]) => !FINANCE_TABLES.has(table)));
}

/** Fields of other records that hold finance data: what is still open on a document follows from its payments. */
const FINANCE_FIELDS = new Set(["openCents"]);

/**
 * A history record's changes as a reader without finance permission may see them: finance
 * fields (a document's open amount) are left out, a merge record's `moved` counts lose the
 * finance tables.
 */
export function changesWithoutFinance(changes: AuditChange[]): AuditChange[] {
  return changes
    .filter((c) => !FINANCE_FIELDS.has(c.field))
    .map((c) =>
      c.field === "moved" && c.new !== null && typeof c.new === "object"
        ? { ...c, new: withoutFinanceCounts(c.new as Record<string, number>) }
        : c,
    );
}
