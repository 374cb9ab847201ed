import { type Customer, type DuplicateCandidate, MERGE_FIELDS, type MergeResult } from "@kundenakte/contract";
import type { TFunction } from "i18next";

/** A customer's mergeable master data as people read it (enums in words, empty as ""). */
export function customerValues(t: TFunction, c: Customer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of MERGE_FIELDS) {
    const v = c[f];
    if (v === null || v === undefined || v === "") out[f] = "";
    else if (f === "status") out[f] = t(`status.${v}`, { defaultValue: String(v) });
    else if (f === "salutation") out[f] = t(`contacts.salutations.${v}`, { defaultValue: String(v) });
    else out[f] = String(v);
  }
  return out;
}

/** Labels of the merge fields: the change history's field names, which cover customers and contacts. */
export const fieldLabel = (t: TFunction, field: string) => t(`changes.fields.${field}`, { defaultValue: field });

/** Why a candidate was proposed, in words; a shared value (VAT ID, e-mail, phone) is named. */
export function reasonText(t: TFunction, reason: DuplicateCandidate["reasons"][number]): string {
  const text = t(`newCustomer.reason.${reason.code}`, { defaultValue: reason.code });
  return reason.code.startsWith("same_") && reason.value ? `${text} (${reason.value})` : text;
}

/** Kinds in the order people care about; kinds not named here are summed up as "other entries". */
const KINDS = [
  "contacts",
  "addresses",
  "channels",
  "bank_accounts",
  "journal_entries",
  "follow_ups",
  "sales_documents",
  "payments",
  "dunning_notices",
  "tickets",
  "opportunities",
  "consents",
  "advertising_objections",
  "campaign_members",
  "price_agreements",
  "customer_tags",
  "customer_revenue",
  "customer_product_history",
  "audit_log",
];
/** Bookkeeping of the server (counters kept beside the journal), nothing a user has entered. */
const INTERNAL = new Set(["journal_counts"]);

/** What the merge moved, per kind in words ("Ansprechpartner: 2, Journaleinträge: 5"). */
export function movedText(t: TFunction, moved: Record<string, number>): string {
  const parts = KINDS.filter((k) => moved[k]).map((k) => `${t(`merge.kinds.${k}`)}: ${moved[k]}`);
  const other = Object.entries(moved)
    .filter(([k]) => !KINDS.includes(k) && !INTERNAL.has(k))
    .reduce((sum, [, n]) => sum + n, 0);
  if (other > 0) parts.push(`${t("merge.kinds.other")}: ${other}`);
  return parts.length > 0 ? t("merge.moved", { list: parts.join(", ") }) : t("merge.movedNothing");
}

/** The notice after a customer merge: who was taken over, and what moved. */
export function mergedNotice(t: TFunction, result: MergeResult): string {
  const names = result.merged.map((m) => `${m.name} (${m.number})`).join(", ");
  return `${t("merge.done", { names })} ${movedText(t, result.moved)}`;
}
