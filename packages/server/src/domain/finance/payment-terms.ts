/**
 * Payment terms with cash discount (Zahlungsbedingungen mit Skonto): validation, the printed text,
 * the dates they imply and the discount a payment on a given day earns.
 *
 * Day counts are inclusive: with "14 Tage 2 % Skonto" on an invoice dated 2025-03-03, 2025-03-17
 * (invoice date + 14) is the last day on which the discount may be deducted, and with "30 Tage netto"
 * the invoice date + 30 is the due date. The invoice date itself is day 0.
 */

import { addDays, epochDay, type IsoDate } from "./calendar-date.js";
import { type Locale, percentText, requireInteger, roundDiv, toSafeNumber } from "./money.js";

export interface DiscountStage {
  /** Days after the invoice date; the last day on which this discount may be deducted. */
  days: number;
  /** Cash discount in basis points, 1..10000 (200 = 2 %). */
  percentBp: number;
}

export interface PaymentTerms {
  /** Days after the invoice date until the invoice is due; 0 = due immediately (sofort netto). */
  netDays: number;
  /** 0–2 discount stages, days strictly increasing and before netDays, percentages decreasing. */
  discounts: DiscountStage[];
}

export interface TermsProblem {
  /** JSON-pointer-like path without the leading slash: "netDays", "discounts/1/days". */
  field: string;
  code:
    | "not_integer"
    | "out_of_range"
    | "not_array"
    | "too_many"
    | "not_increasing"
    | "not_decreasing"
    | "not_before_net";
  message: string;
}

/** Longer terms are almost certainly a typo (300 instead of 30); a year is the generous upper bound. */
export const MAX_NET_DAYS = 365;
/** Two stages ("10 Tage 3 %, 20 Tage 2 %") is what ERP systems and printed forms accommodate. */
export const MAX_DISCOUNT_STAGES = 2;

const isInteger = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

/** All problems at once (for a form to show them next to their fields); empty when the terms are fine. */
export function checkPaymentTerms(t: PaymentTerms): TermsProblem[] {
  const problems: TermsProblem[] = [];
  const netDaysValid = isInteger(t.netDays);
  if (!netDaysValid) {
    problems.push({ field: "netDays", code: "not_integer", message: "net days must be a whole number" });
  } else if (t.netDays < 0 || t.netDays > MAX_NET_DAYS) {
    problems.push({
      field: "netDays",
      code: "out_of_range",
      message: `net days must be between 0 and ${MAX_NET_DAYS}`,
    });
  }

  if (!Array.isArray(t.discounts)) {
    problems.push({ field: "discounts", code: "not_array", message: "discounts must be a list" });
    return problems;
  }
  if (t.discounts.length > MAX_DISCOUNT_STAGES) {
    problems.push({
      field: "discounts",
      code: "too_many",
      message: `at most ${MAX_DISCOUNT_STAGES} discount stages are allowed`,
    });
  }

  for (const [i, stage] of t.discounts.entries()) {
    const previous = i > 0 ? t.discounts[i - 1] : undefined;
    const path = `discounts/${i}`;

    if (!isInteger(stage.days)) {
      problems.push({ field: `${path}/days`, code: "not_integer", message: "discount days must be a whole number" });
    } else if (stage.days < 1) {
      // Day 0 would be "pay on the invoice date", which nobody can do with a letter or bank transfer.
      problems.push({ field: `${path}/days`, code: "out_of_range", message: "discount days must be at least 1" });
    } else if (previous && isInteger(previous.days) && stage.days <= previous.days) {
      problems.push({
        field: `${path}/days`,
        code: "not_increasing",
        message: "each discount stage must end later than the one before",
      });
    } else if (netDaysValid && stage.days >= t.netDays) {
      problems.push({
        field: `${path}/days`,
        code: "not_before_net",
        message: "the discount period must end before the invoice is due",
      });
    }

    if (!isInteger(stage.percentBp)) {
      problems.push({
        field: `${path}/percentBp`,
        code: "not_integer",
        message: "discount percentage must be whole basis points",
      });
    } else if (stage.percentBp < 1 || stage.percentBp > 10_000) {
      problems.push({
        field: `${path}/percentBp`,
        code: "out_of_range",
        message: "discount percentage must be between 0.01 % and 100 %",
      });
    } else if (previous && isInteger(previous.percentBp) && stage.percentBp >= previous.percentBp) {
      // A later stage with the same or a higher rate would make the earlier stage pointless.
      problems.push({
        field: `${path}/percentBp`,
        code: "not_decreasing",
        message: "a later discount stage must give less discount than the one before",
      });
    }
  }
  return problems;
}

/** The computing functions refuse invalid terms: a wrong due date is worse than an error. */
export function assertPaymentTerms(t: PaymentTerms): void {
  const [first] = checkPaymentTerms(t);
  if (first) throw new RangeError(`payment terms: ${first.field}: ${first.message} (${first.code})`);
}

const dayWordDe = (n: number): string => (n === 1 ? "1 Tag" : `${n} Tage`);
const dayWordEn = (n: number): string => (n === 1 ? "1 day" : `${n} days`);

/**
 * The line printed on invoices and shown in the customer file:
 * de "10 Tage 3 % Skonto, 20 Tage 2 % Skonto, 30 Tage netto" / "sofort netto",
 * en "3% discount within 10 days, 2% discount within 20 days, net 30 days" / "due immediately".
 */
export function paymentTermsText(t: PaymentTerms, locale: Locale = "de"): string {
  assertPaymentTerms(t);
  if (locale === "en") {
    const stages = t.discounts.map((s) => `${percentText(s.percentBp, "en")} discount within ${dayWordEn(s.days)}`);
    return [...stages, t.netDays === 0 ? "due immediately" : `net ${dayWordEn(t.netDays)}`].join(", ");
  }
  const stages = t.discounts.map((s) => `${dayWordDe(s.days)} ${percentText(s.percentBp, "de")} Skonto`);
  return [...stages, t.netDays === 0 ? "sofort netto" : `${dayWordDe(t.netDays)} netto`].join(", ");
}

export interface TermDiscountDate {
  /** Last day on which this discount may be deducted (inclusive). */
  until: IsoDate;
  percentBp: number;
  /** Only when a gross amount was given: the discount in cents on that gross. */
  amountCents?: number;
}

export interface TermDates {
  dueDate: IsoDate;
  discounts: TermDiscountDate[];
}

/** Cash discount on a gross amount, rounded half away from zero to the cent. */
export function discountAmount(grossCents: number, percentBp: number): number {
  const gross = BigInt(requireInteger(grossCents, "grossCents"));
  const percent = BigInt(requireInteger(percentBp, "percentBp", 0, 10_000));
  return toSafeNumber(roundDiv(gross * percent, 10_000n), "discount");
}

/** Due date and discount deadlines of an invoice; with grossCents also each stage's discount amount. */
export function termDates(invoiceDate: IsoDate, t: PaymentTerms, grossCents?: number): TermDates {
  assertPaymentTerms(t);
  epochDay(invoiceDate, "invoiceDate");
  return {
    dueDate: addDays(invoiceDate, t.netDays),
    discounts: t.discounts.map((s) => ({
      until: addDays(invoiceDate, s.days),
      percentBp: s.percentBp,
      ...(grossCents === undefined ? {} : { amountCents: discountAmount(grossCents, s.percentBp) }),
    })),
  };
}

export interface EarnedDiscount {
  percentBp: number;
  amountCents: number;
  /** Last day of the stage that applies. */
  until: IsoDate;
}

/**
 * The best discount still open on the payment date, or null when every period has passed.
 * A payment dated before the invoice (prepayment) lies within every period and earns the first stage.
 */
export function discountFor(
  terms: PaymentTerms,
  invoiceDate: IsoDate,
  grossCents: number,
  paymentDate: IsoDate,
): EarnedDiscount | null {
  assertPaymentTerms(terms);
  const day = epochDay(paymentDate, "paymentDate") - epochDay(invoiceDate, "invoiceDate");
  // Stages are validated to run with increasing days and decreasing rates, so the first open one is the best.
  const stage = terms.discounts.find((s) => day <= s.days);
  if (stage === undefined) return null;
  return {
    percentBp: stage.percentBp,
    amountCents: discountAmount(grossCents, stage.percentBp),
    until: addDays(invoiceDate, stage.days),
  };
}
