import { describe, expect, it } from "vitest";
import {
  checkPaymentTerms,
  discountAmount,
  discountFor,
  type PaymentTerms,
  paymentTermsText,
  termDates,
} from "./payment-terms.js";

const net30: PaymentTerms = { netDays: 30, discounts: [] };
const immediately: PaymentTerms = { netDays: 0, discounts: [] };
const skonto14: PaymentTerms = { netDays: 30, discounts: [{ days: 14, percentBp: 200 }] };
const twoStage: PaymentTerms = {
  netDays: 30,
  discounts: [
    { days: 10, percentBp: 300 },
    { days: 20, percentBp: 200 },
  ],
};

describe("checkPaymentTerms", () => {
  it.each([net30, immediately, skonto14, twoStage, { netDays: 60, discounts: [{ days: 8, percentBp: 250 }] }])(
    "accepts %j",
    (terms) => {
      expect(checkPaymentTerms(terms)).toEqual([]);
    },
  );

  const problems: [string, PaymentTerms, { field: string; code: string }[]][] = [
    ["negative net days", { netDays: -1, discounts: [] }, [{ field: "netDays", code: "out_of_range" }]],
    ["net days beyond a year", { netDays: 366, discounts: [] }, [{ field: "netDays", code: "out_of_range" }]],
    ["fractional net days", { netDays: 14.5, discounts: [] }, [{ field: "netDays", code: "not_integer" }]],
    [
      "three stages",
      {
        netDays: 30,
        discounts: [
          { days: 7, percentBp: 400 },
          { days: 14, percentBp: 300 },
          { days: 21, percentBp: 200 },
        ],
      },
      [{ field: "discounts", code: "too_many" }],
    ],
    [
      "second stage not later",
      {
        netDays: 30,
        discounts: [
          { days: 14, percentBp: 300 },
          { days: 14, percentBp: 200 },
        ],
      },
      [{ field: "discounts/1/days", code: "not_increasing" }],
    ],
    [
      "second stage with more discount",
      {
        netDays: 30,
        discounts: [
          { days: 10, percentBp: 200 },
          { days: 20, percentBp: 300 },
        ],
      },
      [{ field: "discounts/1/percentBp", code: "not_decreasing" }],
    ],
    [
      "discount period reaching the due date",
      { netDays: 14, discounts: [{ days: 14, percentBp: 200 }] },
      [{ field: "discounts/0/days", code: "not_before_net" }],
    ],
    [
      "discount with sofort netto",
      { netDays: 0, discounts: [{ days: 7, percentBp: 200 }] },
      [{ field: "discounts/0/days", code: "not_before_net" }],
    ],
    [
      "zero discount days",
      { netDays: 30, discounts: [{ days: 0, percentBp: 200 }] },
      [{ field: "discounts/0/days", code: "out_of_range" }],
    ],
    [
      "zero and too large percentages",
      {
        netDays: 30,
        discounts: [
          { days: 10, percentBp: 0 },
          { days: 20, percentBp: 10001 },
        ],
      },
      [
        { field: "discounts/0/percentBp", code: "out_of_range" },
        { field: "discounts/1/percentBp", code: "out_of_range" },
      ],
    ],
    [
      "fractional basis points",
      { netDays: 30, discounts: [{ days: 10, percentBp: 2.5 }] },
      [{ field: "discounts/0/percentBp", code: "not_integer" }],
    ],
  ];
  it.each(problems)("reports %s", (_label, terms, expected) => {
    const found = checkPaymentTerms(terms);
    expect(found.map(({ field, code }) => ({ field, code }))).toEqual(expected);
    for (const p of found) expect(p.message).not.toBe("");
  });

  it("reports a missing discount list instead of crashing", () => {
    const terms = { netDays: 30, discounts: null } as unknown as PaymentTerms;
    expect(checkPaymentTerms(terms)).toMatchObject([{ field: "discounts", code: "not_array" }]);
  });
});

describe("paymentTermsText", () => {
  const cases: [PaymentTerms, string, string][] = [
    [skonto14, "14 Tage 2 % Skonto, 30 Tage netto", "2% discount within 14 days, net 30 days"],
    [net30, "30 Tage netto", "net 30 days"],
    [immediately, "sofort netto", "due immediately"],
    [
      twoStage,
      "10 Tage 3 % Skonto, 20 Tage 2 % Skonto, 30 Tage netto",
      "3% discount within 10 days, 2% discount within 20 days, net 30 days",
    ],
    [
      { netDays: 60, discounts: [{ days: 8, percentBp: 250 }] },
      "8 Tage 2,5 % Skonto, 60 Tage netto",
      "2.5% discount within 8 days, net 60 days",
    ],
    [{ netDays: 1, discounts: [] }, "1 Tag netto", "net 1 day"],
    [
      { netDays: 2, discounts: [{ days: 1, percentBp: 100 }] },
      "1 Tag 1 % Skonto, 2 Tage netto",
      "1% discount within 1 day, net 2 days",
    ],
  ];
  it.each(cases)("%j → %j / %j", (terms, de, en) => {
    expect(paymentTermsText(terms, "de")).toBe(de);
    expect(paymentTermsText(terms, "en")).toBe(en);
  });

  it("defaults to German and refuses invalid terms", () => {
    expect(paymentTermsText(skonto14)).toBe("14 Tage 2 % Skonto, 30 Tage netto");
    expect(() => paymentTermsText({ netDays: 10, discounts: [{ days: 14, percentBp: 200 }] })).toThrow(
      /discounts\/0\/days/,
    );
  });
});

describe("termDates", () => {
  it("counts the days from the invoice date, the last day included", () => {
    // Rechnung vom 03.03.2025, 14 Tage 2 % Skonto, 30 Tage netto:
    // Skonto bis 17.03.2025 (3 + 14), fällig am 02.04.2025 (31 − 3 = 28 Tage im März, + 2 im April).
    expect(termDates("2025-03-03", skonto14)).toEqual({
      dueDate: "2025-04-02",
      discounts: [{ until: "2025-03-17", percentBp: 200 }],
    });
  });

  it("adds the discount amounts when the gross amount is given", () => {
    // Brutto 1.190,00 €: 3 % = 35,70 € bis 13.03., 2 % = 23,80 € bis 23.03.
    expect(termDates("2025-03-03", twoStage, 119000)).toEqual({
      dueDate: "2025-04-02",
      discounts: [
        { until: "2025-03-13", percentBp: 300, amountCents: 3570 },
        { until: "2025-03-23", percentBp: 200, amountCents: 2380 },
      ],
    });
  });

  it("makes sofort netto due on the invoice date", () => {
    expect(termDates("2024-12-31", immediately)).toEqual({ dueDate: "2024-12-31", discounts: [] });
  });

  it("rejects an invalid invoice date", () => {
    expect(() => termDates("2025-02-29", net30)).toThrow(/invoiceDate/);
  });
});

describe("discountAmount", () => {
  it("rounds half away from zero", () => {
    // 2 % of 87,49 € = 1,7498 € → 1,75 €; 3 % = 2,6247 € → 2,62 €; 2 % of 0,25 € = 0,005 € → 0,01 €
    expect(discountAmount(8749, 200)).toBe(175);
    expect(discountAmount(8749, 300)).toBe(262);
    expect(discountAmount(25, 200)).toBe(1);
  });
});

describe("discountFor with 10 Tage 3 %, 20 Tage 2 %, 30 Tage netto", () => {
  // Rechnung vom 03.03.2025 über 1.190,00 € brutto.
  const invoiceDate = "2025-03-03";
  const gross = 119000;

  it("gives 3 % = 35,70 € on day 10 (13.03.)", () => {
    expect(discountFor(twoStage, invoiceDate, gross, "2025-03-13")).toEqual({
      percentBp: 300,
      amountCents: 3570,
      until: "2025-03-13",
    });
  });

  it("gives 2 % = 23,80 € on day 11 (14.03.)", () => {
    expect(discountFor(twoStage, invoiceDate, gross, "2025-03-14")).toEqual({
      percentBp: 200,
      amountCents: 2380,
      until: "2025-03-23",
    });
  });

  it("gives 2 % = 23,80 € on day 20 (23.03.)", () => {
    expect(discountFor(twoStage, invoiceDate, gross, "2025-03-23")).toEqual({
      percentBp: 200,
      amountCents: 2380,
      until: "2025-03-23",
    });
  });

  it("gives nothing on day 21 (24.03.)", () => {
    expect(discountFor(twoStage, invoiceDate, gross, "2025-03-24")).toBeNull();
  });

  it("gives 3 % on the invoice date and for a payment dated before it", () => {
    expect(discountFor(twoStage, invoiceDate, gross, "2025-03-03")?.percentBp).toBe(300);
    expect(discountFor(twoStage, invoiceDate, gross, "2025-02-28")?.percentBp).toBe(300);
  });

  it("gives nothing without discount stages", () => {
    expect(discountFor(net30, invoiceDate, gross, "2025-03-04")).toBeNull();
  });

  it("refuses invalid terms", () => {
    const bad: PaymentTerms = { netDays: 30, discounts: [{ days: 10, percentBp: 0 }] };
    expect(() => discountFor(bad, invoiceDate, gross, "2025-03-04")).toThrow(RangeError);
  });
});
