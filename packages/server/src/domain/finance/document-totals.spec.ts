import { describe, expect, it } from "vitest";
import { type DocumentLine, documentTotals, lineNet } from "./document-totals.js";

describe("lineNet", () => {
  const cases: [string, number, number, number, number][] = [
    // 3 × 19,99 € = 59,97 €; −5 % = 56,9715 € → 56,97 €
    ["3 × 19,99 € − 5 %", 3000, 1999, 500, 5697],
    // 2,5 kg × 3,49 € = 8,725 € → 8,73 € (half a cent rounds up)
    ["2,5 kg × 3,49 €", 2500, 349, 0, 873],
    // 0,75 kg × 12,90 € = 9,675 € → 9,68 €
    ["0,75 kg × 12,90 €", 750, 1290, 0, 968],
    // 1 × 10,00 € − 2,5 % = 9,75 €
    ["1 × 10,00 € − 2,5 %", 1000, 1000, 250, 975],
    // 0,001 × 4,99 € = 0,00499 € → 0,00 €
    ["0,001 × 4,99 €", 1, 499, 0, 0],
    // 100 % discount (free of charge)
    ["2 × 5,00 € − 100 %", 2000, 500, 10000, 0],
    // credit note: −2,5 kg × 3,49 € = −8,725 € → −8,73 € (away from zero, mirrors the invoice)
    ["−2,5 kg × 3,49 €", -2500, 349, 0, -873],
  ];
  it.each(cases)("%s = %d cents", (_label, quantityMilli, unitPriceCents, discountBp, expected) => {
    expect(lineNet({ quantityMilli, unitPriceCents, discountBp })).toBe(expected);
  });

  it("stays exact where floating point would round the wrong way", () => {
    // 236.801,5 units × 89.138,63 € − 5,09 % = 20.033.755.882,1849995 € exactly, so …218 cents;
    // Math.round(q * p * (10000 − d) / 1e7) gives …219 because the product exceeds 2^53.
    expect(lineNet({ quantityMilli: 236_801_500, unitPriceCents: 8_913_863, discountBp: 509 })).toBe(2_003_375_588_218);
  });

  it("applies the discount before rounding, rounding once", () => {
    // 1 × 0,05 € − 10 % = 0,045 € → 0,05 €; rounding 0,05 € first and then 0,005 € discount separately
    // (→ 0,01 €) would print 0,04 €.
    expect(lineNet({ quantityMilli: 1000, unitPriceCents: 5, discountBp: 1000 })).toBe(5);
  });

  it.each([
    [{ quantityMilli: 1000, unitPriceCents: 100, discountBp: 10001 }, /discountBp/],
    [{ quantityMilli: 1000, unitPriceCents: 100, discountBp: -1 }, /discountBp/],
    [{ quantityMilli: 1.5, unitPriceCents: 100, discountBp: 0 }, /quantityMilli/],
    [{ quantityMilli: 1000, unitPriceCents: 19.99, discountBp: 0 }, /unitPriceCents/],
  ])("rejects %j", (line, field) => {
    expect(() => lineNet(line)).toThrow(RangeError);
    expect(() => lineNet(line)).toThrow(field);
  });
});

// Rechnung mit gemischten Steuersätzen:
//   Pos. 1  3 Stück   × 19,99 €, 5 % Rabatt, 19 % USt  → 59,97 € − 2,9985 € = 56,9715 € → 56,97 €
//   Pos. 2  2,5 kg    ×  3,49 €,               7 % USt  →  8,725 €                   →  8,73 €
//   Pos. 3  0,75 kg   × 12,90 €,               7 % USt  →  9,675 €                   →  9,68 €
// Netto 19 %: 56,97 €; USt 19 %: 56,97 × 0,19 = 10,8243 → 10,82 €
// Netto  7 %:  8,73 + 9,68 = 18,41 €; USt 7 %: 18,41 × 0,07 = 1,2887 → 1,29 €
// Netto gesamt 75,38 €, USt gesamt 12,11 €, Brutto 87,49 €
const invoice: DocumentLine[] = [
  { quantityMilli: 3000, unitPriceCents: 1999, discountBp: 500, vatRateBp: 1900 },
  { quantityMilli: 2500, unitPriceCents: 349, discountBp: 0, vatRateBp: 700 },
  { quantityMilli: 750, unitPriceCents: 1290, discountBp: 0, vatRateBp: 700 },
];

describe("documentTotals", () => {
  it("computes a mixed 19 % / 7 % invoice as the bookkeeper does by hand", () => {
    expect(documentTotals(invoice)).toEqual({
      net: 7538,
      vat: 1211,
      gross: 8749,
      perRate: [
        { vatRateBp: 1900, net: 5697, vat: 1082 },
        { vatRateBp: 700, net: 1841, vat: 129 },
      ],
      lines: [5697, 873, 968],
    });
  });

  it("rounds each line, so the net is not the rounded sum of the unrounded lines", () => {
    // Unrounded: 56,9715 + 8,725 + 9,675 = 75,3715 € → 75,37 €; per line it is 75,38 €.
    expect(documentTotals(invoice).net).toBe(7538);
  });

  it("computes VAT on each rate's sum, not per line", () => {
    // 2 × 7,50 € at 7 %: per line 0,525 → 0,53 € twice = 1,06 €; on the sum 15,00 × 0,07 = 1,05 €.
    const lines: DocumentLine[] = [
      { quantityMilli: 1000, unitPriceCents: 750, discountBp: 0, vatRateBp: 700 },
      { quantityMilli: 1000, unitPriceCents: 750, discountBp: 0, vatRateBp: 700 },
    ];
    const totals = documentTotals(lines);
    expect(totals.perRate).toEqual([{ vatRateBp: 700, net: 1500, vat: 105 }]);
    expect(totals.gross).toBe(1605);
  });

  it("gives a credit note with negative quantities the exact negative totals", () => {
    // Gutschrift über dieselben Positionen: −56,97 €, −8,73 € (−8,725 rounds away from zero), −9,68 €;
    // USt 19 %: −10,82 €, USt 7 %: −1,29 €; Brutto −87,49 €.
    const creditNote = invoice.map((line) => ({ ...line, quantityMilli: -line.quantityMilli }));
    expect(documentTotals(creditNote)).toEqual({
      net: -7538,
      vat: -1211,
      gross: -8749,
      perRate: [
        { vatRateBp: 1900, net: -5697, vat: -1082 },
        { vatRateBp: 700, net: -1841, vat: -129 },
      ],
      lines: [-5697, -873, -968],
    });
  });

  it("lists every rate highest first, including 0 % and rates whose lines cancel out", () => {
    const lines: DocumentLine[] = [
      { quantityMilli: 1000, unitPriceCents: 1000, discountBp: 0, vatRateBp: 0 },
      { quantityMilli: 1000, unitPriceCents: 1000, discountBp: 0, vatRateBp: 700 },
      { quantityMilli: 1000, unitPriceCents: 2000, discountBp: 0, vatRateBp: 1900 },
      { quantityMilli: -1000, unitPriceCents: 1000, discountBp: 0, vatRateBp: 700 },
    ];
    expect(documentTotals(lines).perRate).toEqual([
      { vatRateBp: 1900, net: 2000, vat: 380 },
      { vatRateBp: 700, net: 0, vat: 0 },
      { vatRateBp: 0, net: 1000, vat: 0 },
    ]);
    expect(documentTotals(lines).gross).toBe(3380);
  });

  it("returns zeros for a document without lines", () => {
    expect(documentTotals([])).toEqual({ net: 0, vat: 0, gross: 0, perRate: [], lines: [] });
  });

  it("names the offending line and field", () => {
    const badRate = [invoice[0]!, { ...invoice[1]!, vatRateBp: 10001 }];
    expect(() => documentTotals(badRate)).toThrow(RangeError);
    expect(() => documentTotals(badRate)).toThrow(/lines\/1\/vatRateBp/);
    const badDiscount = [{ ...invoice[0]!, discountBp: -5 }];
    expect(() => documentTotals(badDiscount)).toThrow(/lines\/0\/discountBp/);
  });
});
