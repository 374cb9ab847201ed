import type { FinanceEvent, JournalEntry } from "@kundenakte/contract";

/**
 * The field-level finance rule applied to the journal: payments, dunning notices and
 * credit-limit changes carry amounts and days overdue, which only users with finance
 * permission may read (the same rule that hides bank accounts and the finance key figures).
 * Other readers see that the event happened, not its figures.
 */

/**
 * The subject of the system event a credit-limit change writes. Only modules write `system`
 * entries (people log calls, notes…), so this subject on a system entry marks that event.
 */
export const CREDIT_LIMIT_SUBJECT = "Kreditlimit geändert";

/** Journal kinds whose every entry is a finance event. */
export const FINANCE_KINDS: Record<string, FinanceEvent> = { payment: "payment", dunning: "dunning" };

/** Which finance event a stored entry is, or null for an entry without finance data. */
export function financeEventOf(row: { kind: string; subject: string | null }): FinanceEvent | null {
  if (FINANCE_KINDS[row.kind]) return FINANCE_KINDS[row.kind]!;
  return row.kind === "system" && row.subject === CREDIT_LIMIT_SUBJECT ? "credit_limit" : null;
}

/** The entry as a reader without finance permission sees it: the event, without its figures. */
export function withholdFinance(entry: JournalEntry): JournalEntry {
  const event = financeEventOf(entry);
  if (event) return { ...entry, subject: null, body: null, link: null, financeWithheld: event };
  if (entry.kind === "system" && entry.body && entry.subject?.startsWith(MERGE_SUBJECT)) {
    return { ...entry, body: mergeBodyWithoutFinanceCounts(entry.body) };
  }
  return entry;
}

const MERGE_SUBJECT = "Kunden zusammengeführt:";
const MOVED_LINE = "Übernommen: ";
const FINANCE_COUNT = /^\d+ (Bankverbindungen|Zahlungen|Mahnungen)$/;

/**
 * Merge entries written before the finance counts were left out of them name
 * "3 Bankverbindungen, 1 Zahlungen" in their "Übernommen" line: those become "Finanzdaten",
 * as newer entries have it.
 */
function mergeBodyWithoutFinanceCounts(body: string): string {
  return body
    .split("\n")
    .map((line) => {
      if (!line.startsWith(MOVED_LINE)) return line;
      const parts = line.slice(MOVED_LINE.length).split(", ");
      const kept = parts.filter((p) => !FINANCE_COUNT.test(p));
      if (kept.length === parts.length) return line;
      return MOVED_LINE + [...kept.filter((p) => p !== "Finanzdaten"), "Finanzdaten"].join(", ");
    })
    .join("\n");
}
