/**
 * Payment behaviour (Zahlungsverhalten) of a customer over the last twelve months: how long invoices
 * take to be paid and how late they are, as shown in the customer file's key figures.
 */

import { addMonths, epochDay, type IsoDate } from "./calendar-date.js";
import { roundDiv } from "./money.js";

export interface PaidInvoice {
  invoiceDate: IsoDate;
  dueDate: IsoDate;
  /** Date of the payment that settled the invoice. */
  paidDate: IsoDate;
}

export interface PaymentBehaviour {
  /** Invoices paid within the window. */
  invoices: number;
  /** Days from invoice date to payment, mean, one decimal; null without invoices. */
  averageDaysToPay: number | null;
  /** Days after the due date, 0 for payments in time, mean, one decimal; null without invoices. */
  averageDaysLate: number | null;
  /** Share paid on or before the due date, 0..1 with three decimals; null without invoices. */
  onTimeShare: number | null;
}

/**
 * Over invoices paid in the twelve calendar months before onDate: paidDate > onDate − 12 months and
 * paidDate ≤ onDate, so 2025-06-30 covers 2024-07-01..2025-06-30. The window goes by payment date
 * because the figure describes how the customer pays now, whenever the invoice was written.
 */
export function paymentBehaviour(paid: readonly PaidInvoice[], onDate: IsoDate): PaymentBehaviour {
  const end = epochDay(onDate, "onDate");
  const start = epochDay(addMonths(onDate, -12));
  let invoices = 0n;
  let daysToPay = 0n;
  let daysLate = 0n;
  let onTime = 0n;
  for (const [i, p] of paid.entries()) {
    const paidDay = epochDay(p.paidDate, `paid/${i}/paidDate`);
    const invoiceDay = epochDay(p.invoiceDate, `paid/${i}/invoiceDate`);
    const dueDay = epochDay(p.dueDate, `paid/${i}/dueDate`);
    if (paidDay <= start || paidDay > end) continue;
    invoices += 1n;
    // A prepayment (paid before the invoice was written) counts as 0 days, not as negative days
    // that would make a slow payer's average look better.
    daysToPay += BigInt(Math.max(0, paidDay - invoiceDay));
    daysLate += BigInt(Math.max(0, paidDay - dueDay));
    if (paidDay <= dueDay) onTime += 1n;
  }
  if (invoices === 0n) return { invoices: 0, averageDaysToPay: null, averageDaysLate: null, onTimeShare: null };
  // Rounded exactly (half away from zero) in tenths and thousandths, then scaled, so 12.25 → 12.3.
  return {
    invoices: Number(invoices),
    averageDaysToPay: Number(roundDiv(daysToPay * 10n, invoices)) / 10,
    averageDaysLate: Number(roundDiv(daysLate * 10n, invoices)) / 10,
    onTimeShare: Number(roundDiv(onTime * 1000n, invoices)) / 1000,
  };
}
