import { describe, expect, it } from "vitest";
import type { PaymentTerms } from "./payment-terms.js";
import { allocate, type SettlementInvoice, settle } from "./settlement.js";

const skonto14: PaymentTerms = { netDays: 30, discounts: [{ days: 14, percentBp: 200 }] };
const twoStage: PaymentTerms = {
  netDays: 30,
  discounts: [
    { days: 10, percentBp: 300 },
    { days: 20, percentBp: 200 },
  ],
};

// Rechnung vom 03.03.2025 über 1.190,00 € brutto (1.000,00 € netto + 190,00 € USt),
// 14 Tage 2 % Skonto, 30 Tage netto: Skonto 23,80 € bis 17.03.2025, fällig 02.04.2025.
const invoice: SettlementInvoice = {
  grossCents: 119000,
  openCents: 119000,
  invoiceDate: "2025-03-03",
  terms: skonto14,
};

describe("settle", () => {
  it("settles the invoice when the customer deducts 2 % Skonto on the last day", () => {
    // 1.190,00 € − 23,80 € = 1.166,20 € am 17.03.
    expect(settle(invoice, { amountCents: 116620, date: "2025-03-17" })).toEqual({
      appliedCents: 116620,
      discountCents: 2380,
      remainingOpenCents: 0,
      surplusCents: 0,
    });
  });

  it("leaves the deducted 23,80 € open when the payment comes a day late", () => {
    expect(settle(invoice, { amountCents: 116620, date: "2025-03-18" })).toEqual({
      appliedCents: 116620,
      discountCents: 0,
      remainingOpenCents: 2380,
      surplusCents: 0,
    });
  });

  it("books only the discount actually deducted when it is less than allowed", () => {
    // The customer deducts 1 % (11,90 €) instead of 2 %: settled, 11,90 € discount.
    expect(settle(invoice, { amountCents: 117810, date: "2025-03-10" })).toEqual({
      appliedCents: 117810,
      discountCents: 1190,
      remainingOpenCents: 0,
      surplusCents: 0,
    });
  });

  it("books no discount when the full gross is paid within the period", () => {
    expect(settle(invoice, { amountCents: 119000, date: "2025-03-10" })).toEqual({
      appliedCents: 119000,
      discountCents: 0,
      remainingOpenCents: 0,
      surplusCents: 0,
    });
  });

  it("treats a payment that deducts more than the Skonto as a partial payment", () => {
    // 3 % deducted (1.154,30 €) where only 2 % is allowed: 35,70 € stay open, no discount.
    expect(settle(invoice, { amountCents: 115430, date: "2025-03-10" })).toEqual({
      appliedCents: 115430,
      discountCents: 0,
      remainingOpenCents: 3570,
      surplusCents: 0,
    });
  });

  it("handles a partial payment and then the rest, without Skonto on the rest", () => {
    // 10.03.: 500,00 € Teilzahlung → 690,00 € offen.
    const first = settle(invoice, { amountCents: 50000, date: "2025-03-10" });
    expect(first).toEqual({ appliedCents: 50000, discountCents: 0, remainingOpenCents: 69000, surplusCents: 0 });

    const afterFirst = { ...invoice, openCents: first.remainingOpenCents };
    // 15.03., still inside the period: the rest minus 2 % (690,00 − 13,80 = 676,20 €) does not settle it.
    expect(settle(afterFirst, { amountCents: 67620, date: "2025-03-15" })).toEqual({
      appliedCents: 67620,
      discountCents: 0,
      remainingOpenCents: 1380,
      surplusCents: 0,
    });
    // Paying the full 690,00 € settles it.
    expect(settle(afterFirst, { amountCents: 69000, date: "2025-03-15" })).toEqual({
      appliedCents: 69000,
      discountCents: 0,
      remainingOpenCents: 0,
      surplusCents: 0,
    });
  });

  it("keeps an overpayment as surplus", () => {
    // 1.200,00 € paid on 20.04. for 1.190,00 € open: 10,00 € credit for the customer.
    expect(settle(invoice, { amountCents: 120000, date: "2025-04-20" })).toEqual({
      appliedCents: 119000,
      discountCents: 0,
      remainingOpenCents: 0,
      surplusCents: 1000,
    });
  });

  it("turns a payment on an already paid invoice entirely into surplus", () => {
    expect(settle({ ...invoice, openCents: 0 }, { amountCents: 5000, date: "2025-03-10" })).toEqual({
      appliedCents: 0,
      discountCents: 0,
      remainingOpenCents: 0,
      surplusCents: 5000,
    });
  });

  describe("two-stage Skonto, 10 Tage 3 %, 20 Tage 2 %, 30 Tage netto", () => {
    // 3 % of 1.190,00 € = 35,70 € → pay 1.154,30 €; 2 % = 23,80 € → pay 1.166,20 €.
    const twoStageInvoice = { ...invoice, terms: twoStage };

    it("day 10 (13.03.): 1.154,30 € settles with 35,70 € Skonto", () => {
      expect(settle(twoStageInvoice, { amountCents: 115430, date: "2025-03-13" })).toEqual({
        appliedCents: 115430,
        discountCents: 3570,
        remainingOpenCents: 0,
        surplusCents: 0,
      });
    });

    it("day 20 (23.03.): 1.154,30 € is short by 35,70 €, 1.166,20 € settles with 23,80 € Skonto", () => {
      expect(settle(twoStageInvoice, { amountCents: 115430, date: "2025-03-23" })).toEqual({
        appliedCents: 115430,
        discountCents: 0,
        remainingOpenCents: 3570,
        surplusCents: 0,
      });
      expect(settle(twoStageInvoice, { amountCents: 116620, date: "2025-03-23" })).toEqual({
        appliedCents: 116620,
        discountCents: 2380,
        remainingOpenCents: 0,
        surplusCents: 0,
      });
    });

    it("day 21 (24.03.): no Skonto, 23,80 € stay open", () => {
      expect(settle(twoStageInvoice, { amountCents: 116620, date: "2025-03-24" })).toEqual({
        appliedCents: 116620,
        discountCents: 0,
        remainingOpenCents: 2380,
        surplusCents: 0,
      });
    });
  });

  it.each([
    [{ ...invoice }, { amountCents: -100, date: "2025-03-10" }, /amountCents/],
    [{ ...invoice }, { amountCents: 100.5, date: "2025-03-10" }, /amountCents/],
    [{ ...invoice }, { amountCents: 100, date: "2025-03-32" }, /date/],
    [{ ...invoice, openCents: -1 }, { amountCents: 100, date: "2025-03-10" }, /openCents/],
    [{ ...invoice, grossCents: -119000 }, { amountCents: 100, date: "2025-03-10" }, /grossCents/],
  ])("rejects invalid input (%#)", (inv, payment, field) => {
    expect(() => settle(inv, payment)).toThrow(RangeError);
    expect(() => settle(inv, payment)).toThrow(field);
  });
});

describe("allocate", () => {
  // Drei offene Rechnungen eines Kunden, absichtlich nicht nach Datum übergeben:
  //   RE-1003 vom 10.03.2025:   238,00 €, 14 Tage 2 % (Skonto 4,76 € bis 24.03.)
  //   RE-1001 vom 01.02.2025:   500,00 €, 30 Tage netto (kein Skonto)
  //   RE-1002 vom 01.03.2025: 1.190,00 €, 14 Tage 2 % (Skonto 23,80 € bis 15.03.)
  const invoices = [
    { id: "RE-1003", grossCents: 23800, openCents: 23800, invoiceDate: "2025-03-10", terms: skonto14 },
    {
      id: "RE-1001",
      grossCents: 50000,
      openCents: 50000,
      invoiceDate: "2025-02-01",
      terms: { netDays: 30, discounts: [] },
    },
    { id: "RE-1002", grossCents: 119000, openCents: 119000, invoiceDate: "2025-03-01", terms: skonto14 },
  ];
  const summary = (r: ReturnType<typeof allocate<(typeof invoices)[number]>>) =>
    r.entries.map((e) => [e.invoice.id, e.index, e.appliedCents, e.discountCents, e.remainingOpenCents]);

  it("settles all three when the customer deducted Skonto where allowed", () => {
    // 500,00 + (1.190,00 − 23,80) + (238,00 − 4,76) = 1.899,44 € on 12.03.
    const result = allocate({ amountCents: 189944, date: "2025-03-12" }, invoices);
    expect(summary(result)).toEqual([
      ["RE-1001", 1, 50000, 0, 0],
      ["RE-1002", 2, 116620, 2380, 0],
      ["RE-1003", 0, 23324, 476, 0],
    ]);
    expect(result).toMatchObject({ appliedCents: 189944, discountCents: 2856, creditCents: 0 });
  });

  it("applies a short payment oldest first, the rest as a partial payment", () => {
    // 1.000,00 €: RE-1001 500,00 € paid; RE-1002 gets 500,00 €, 690,00 € stay open; RE-1003 untouched.
    const result = allocate({ amountCents: 100000, date: "2025-03-12" }, invoices);
    expect(summary(result)).toEqual([
      ["RE-1001", 1, 50000, 0, 0],
      ["RE-1002", 2, 50000, 0, 69000],
      ["RE-1003", 0, 0, 0, 23800],
    ]);
    expect(result.creditCents).toBe(0);
  });

  it("keeps what exceeds all open items as credit", () => {
    // 2.000,00 € for 1.928,00 € open: all paid in full, 72,00 € credit.
    const result = allocate({ amountCents: 200000, date: "2025-03-12" }, invoices);
    expect(summary(result)).toEqual([
      ["RE-1001", 1, 50000, 0, 0],
      ["RE-1002", 2, 119000, 0, 0],
      ["RE-1003", 0, 23800, 0, 0],
    ]);
    expect(result).toMatchObject({ appliedCents: 192800, discountCents: 0, creditCents: 7200 });
  });

  it("follows the given order when asked to", () => {
    // 300,00 € in the order of the remittance advice: RE-1003 with Skonto (233,24 €), 66,76 € on RE-1001.
    const result = allocate({ amountCents: 30000, date: "2025-03-12" }, invoices, { order: "given" });
    expect(summary(result)).toEqual([
      ["RE-1003", 0, 23324, 476, 0],
      ["RE-1001", 1, 6676, 0, 43324],
      ["RE-1002", 2, 0, 0, 119000],
    ]);
  });

  it("books a smaller total deduction on the first invoices that allow Skonto", () => {
    // 1.918,00 € = 1.928,00 € − 10,00 €: all settled, the 10,00 € deducted count as Skonto on RE-1002.
    const result = allocate({ amountCents: 191800, date: "2025-03-12" }, invoices);
    expect(summary(result)).toEqual([
      ["RE-1001", 1, 50000, 0, 0],
      ["RE-1002", 2, 118000, 1000, 0],
      ["RE-1003", 0, 23800, 0, 0],
    ]);
  });

  it("grants no Skonto after the period, and oldest first moves the shortfall to the newest invoice", () => {
    // On 20.03. RE-1002's period (until 15.03.) is over, so the 1.899,44 € pay it in full; RE-1003 gets the
    // remaining 209,44 €, which no longer covers 233,24 €, so it loses its Skonto too: 28,56 € stay open.
    // A remittance advice with order "given" is how a caller avoids this.
    const result = allocate({ amountCents: 189944, date: "2025-03-20" }, invoices);
    expect(summary(result)).toEqual([
      ["RE-1001", 1, 50000, 0, 0],
      ["RE-1002", 2, 119000, 0, 0],
      ["RE-1003", 0, 20944, 0, 2856],
    ]);
    const given = allocate({ amountCents: 189944, date: "2025-03-20" }, invoices, { order: "given" });
    expect(summary(given)).toEqual([
      ["RE-1003", 0, 23324, 476, 0],
      ["RE-1001", 1, 50000, 0, 0],
      ["RE-1002", 2, 116620, 0, 2380],
    ]);
  });

  it("keeps the caller's order for invoices of the same date", () => {
    const sameDay = [
      { id: "B", grossCents: 1000, openCents: 1000, invoiceDate: "2025-03-01", terms: skonto14 },
      { id: "A", grossCents: 1000, openCents: 1000, invoiceDate: "2025-03-01", terms: skonto14 },
    ];
    const result = allocate({ amountCents: 500, date: "2025-04-30" }, sameDay);
    expect(result.entries.map((e) => [e.invoice.id, e.appliedCents])).toEqual([
      ["B", 500],
      ["A", 0],
    ]);
  });

  it("turns a payment without invoices into credit", () => {
    expect(allocate({ amountCents: 4200, date: "2025-03-12" }, [])).toEqual({
      entries: [],
      appliedCents: 0,
      discountCents: 0,
      creditCents: 4200,
    });
  });

  it("gives the same result as settle for a single invoice", () => {
    const single = { ...invoice, terms: twoStage };
    const dates = ["2025-03-13", "2025-03-23", "2025-03-24"];
    const amounts = [0, 50000, 115429, 115430, 116000, 116620, 118999, 119000, 125000];
    for (const date of dates) {
      for (const amountCents of amounts) {
        const s = settle(single, { amountCents, date });
        const a = allocate({ amountCents, date }, [single]);
        expect([a.entries[0]!.appliedCents, a.entries[0]!.discountCents, a.entries[0]!.remainingOpenCents]).toEqual([
          s.appliedCents,
          s.discountCents,
          s.remainingOpenCents,
        ]);
        expect(a.creditCents).toBe(s.surplusCents);
      }
    }
  });

  it("names the invalid invoice", () => {
    const bad = [invoices[0]!, { ...invoices[1]!, openCents: 1.5 }];
    expect(() => allocate({ amountCents: 100, date: "2025-03-12" }, bad)).toThrow(/invoices\/1\/openCents/);
  });
});
