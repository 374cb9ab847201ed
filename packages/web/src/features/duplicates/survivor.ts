import { type Customer, MERGE_FIELDS } from "@kundenakte/contract";

/** How many of a customer's mergeable master-data fields hold a value. */
export function filledFields(c: Customer): number {
  return MERGE_FIELDS.filter((f) => {
    const v = c[f];
    return v !== null && v !== undefined && v !== "";
  }).length;
}

/**
 * The customer a merge keeps by default: the older one, whose number is on its invoices, in the
 * accounting and in people's address books; created in the same instant (an import), the more
 * complete one; then the lower id. Which file the dialog was opened from does not matter — a
 * freshly created near-twin must never swallow the established customer.
 */
export function recommendedSurvivor(a: Customer, b: Customer): Customer {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? a : b;
  const filled = filledFields(a) - filledFields(b);
  if (filled !== 0) return filled > 0 ? a : b;
  return a.id < b.id ? a : b;
}
