/**
 * Applying an incoming payment to open invoices, with cash discount (Skonto).
 *
 * Rule for the discount: Skonto is granted only when the payment settles the whole invoice within a
 * discount period and nothing has been paid or credited on it before (open amount = gross). A partial
 * payment never earns a discount, and neither does the rest after an earlier partial payment: Skonto
 * rewards paying the whole invoice early, and the date of the earlier payment is not known here.
 *
 * The discount booked is what the customer actually deducted, at most the discount the terms allow:
 * paying gross − 2 % books the full 2 %, paying gross − 1 % within a 2 % period books 1 % and settles
 * the invoice, paying the full gross books no discount (the customer waived it). Anything beyond the
 * open amount is surplus, kept by the caller as a credit on the customer account.
 */

import { epochDay, type IsoDate } from "./calendar-date.js";
import { requireInteger, toSafeNumber } from "./money.js";
import { assertPaymentTerms, discountFor, type PaymentTerms } from "./payment-terms.js";

export interface SettlementInvoice {
  grossCents: number;
  /** What is still open; equals grossCents when nothing was paid or credited yet. */
  openCents: number;
  invoiceDate: IsoDate;
  terms: PaymentTerms;
}

export interface Payment {
  amountCents: number;
  /** Value date of the payment (Wertstellung), the date that counts for the discount period. */
  date: IsoDate;
}

export interface SettlementResult {
  /** Cash applied to the invoice. */
  appliedCents: number;
  /** Cash discount booked (reduces the receivable without cash). */
  discountCents: number;
  remainingOpenCents: number;
  /** Paid beyond what was open; the caller keeps it as a credit. */
  surplusCents: number;
}

function checkInvoice(invoice: SettlementInvoice, prefix: string): void {
  requireInteger(invoice.grossCents, `${prefix}grossCents`, 0);
  // open may exceed gross when fees were added; it can only reach 0, never below.
  requireInteger(invoice.openCents, `${prefix}openCents`, 0);
  epochDay(invoice.invoiceDate, `${prefix}invoiceDate`);
  assertPaymentTerms(invoice.terms);
}

function checkPayment(payment: Payment): void {
  requireInteger(payment.amountCents, "amountCents", 0);
  epochDay(payment.date, "date");
}

/** The discount this payment date would allow on the whole invoice, 0 when Skonto is out of the question. */
function availableDiscount(invoice: SettlementInvoice, date: IsoDate): number {
  if (invoice.openCents !== invoice.grossCents) return 0;
  return discountFor(invoice.terms, invoice.invoiceDate, invoice.grossCents, date)?.amountCents ?? 0;
}

export function settle(invoice: SettlementInvoice, payment: Payment): SettlementResult {
  checkInvoice(invoice, "");
  checkPayment(payment);
  const open = invoice.openCents;
  const amount = payment.amountCents;

  if (amount >= open) {
    return { appliedCents: open, discountCents: 0, remainingOpenCents: 0, surplusCents: amount - open };
  }
  const discount = availableDiscount(invoice, payment.date);
  if (discount > 0 && amount >= open - discount) {
    return { appliedCents: amount, discountCents: open - amount, remainingOpenCents: 0, surplusCents: 0 };
  }
  return { appliedCents: amount, discountCents: 0, remainingOpenCents: open - amount, surplusCents: 0 };
}

export interface AllocateOptions {
  /**
   * "oldest_first" (default) sorts by invoice date, keeping the given order among invoices of the same
   * date; "given" applies the payment in exactly the order passed, e.g. as the customer's remittance
   * advice lists them.
   */
  order?: "oldest_first" | "given";
}

export interface AllocationEntry<T extends SettlementInvoice> {
  /** Position of the invoice in the array passed to allocate. */
  index: number;
  invoice: T;
  appliedCents: number;
  discountCents: number;
  remainingOpenCents: number;
}

export interface AllocationResult<T extends SettlementInvoice> {
  /** One entry per invoice, in the order the payment was applied; untouched invoices have 0 applied. */
  entries: AllocationEntry<T>[];
  appliedCents: number;
  discountCents: number;
  /** What is left of the payment after every invoice; the caller keeps it as a credit. */
  creditCents: number;
}

/**
 * Spreads one payment across several invoices. With a single invoice the result is exactly settle().
 *
 * Three cases, checked on the whole set so that a customer who deducted Skonto on every invoice is
 * not caught out by the order of application:
 * 1. the payment covers every open amount: all are paid in full, no discount, the rest is credit;
 * 2. it covers every open amount minus all available discounts: all invoices are settled and the
 *    shortfall (what the customer deducted) is booked as discount, filling invoices' discounts in
 *    application order, each up to what its terms allow;
 * 3. otherwise invoices are settled one by one in order (with their full discount where available),
 *    and the first one the money does not cover receives the rest as a partial payment.
 */
export function allocate<T extends SettlementInvoice>(
  payment: Payment,
  invoices: readonly T[],
  options: AllocateOptions = {},
): AllocationResult<T> {
  checkPayment(payment);
  for (const [i, invoice] of invoices.entries()) checkInvoice(invoice, `invoices/${i}/`);

  const indexed = invoices.map((invoice, index) => ({ invoice, index }));
  if ((options.order ?? "oldest_first") === "oldest_first") {
    // Array.prototype.sort is stable, so same-day invoices keep the caller's order.
    indexed.sort((a, b) => epochDay(a.invoice.invoiceDate) - epochDay(b.invoice.invoiceDate));
  }
  const discounts = indexed.map(({ invoice }) => availableDiscount(invoice, payment.date));

  // BigInt for the sums: many invoices near the safe-integer limit must not lose cents.
  const totalOpen = indexed.reduce((sum, { invoice }) => sum + BigInt(invoice.openCents), 0n);
  const totalDiscount = discounts.reduce((sum, d) => sum + BigInt(d), 0n);
  const amount = BigInt(payment.amountCents);

  const entries: AllocationEntry<T>[] = [];
  const push = (i: number, applied: bigint, discount: bigint) => {
    const { invoice, index } = indexed[i]!;
    const open = BigInt(invoice.openCents);
    entries.push({
      index,
      invoice,
      appliedCents: Number(applied),
      discountCents: Number(discount),
      remainingOpenCents: Number(open - applied - discount),
    });
  };

  let rest = amount;
  if (amount >= totalOpen) {
    indexed.forEach(({ invoice }, i) => {
      push(i, BigInt(invoice.openCents), 0n);
    });
    rest = amount - totalOpen;
  } else if (amount >= totalOpen - totalDiscount) {
    let deducted = totalOpen - amount;
    indexed.forEach(({ invoice }, i) => {
      const available = BigInt(discounts[i]!);
      const discount = deducted < available ? deducted : available;
      deducted -= discount;
      push(i, BigInt(invoice.openCents) - discount, discount);
    });
    rest = 0n;
  } else {
    indexed.forEach(({ invoice }, i) => {
      const open = BigInt(invoice.openCents);
      const discount = BigInt(discounts[i]!);
      if (rest >= open - discount) {
        // Case 3 only runs when the money is short overall, so every invoice it settles gets its full discount.
        push(i, open - discount, discount);
        rest -= open - discount;
      } else {
        push(i, rest, 0n);
        rest = 0n;
      }
    });
  }

  return {
    entries,
    appliedCents: toSafeNumber(
      entries.reduce((sum, e) => sum + BigInt(e.appliedCents), 0n),
      "appliedCents",
    ),
    discountCents: toSafeNumber(
      entries.reduce((sum, e) => sum + BigInt(e.discountCents), 0n),
      "discountCents",
    ),
    creditCents: toSafeNumber(rest, "creditCents"),
  };
}
