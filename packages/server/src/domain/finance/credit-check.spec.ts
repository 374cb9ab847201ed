import { describe, expect, it } from "vitest";
import { type CreditCheckInput, creditCheck } from "./credit-check.js";

// Kreditlimit 50.000,00 €, offene Posten 30.000,00 €, offene Aufträge 12.000,00 €.
const base: CreditCheckInput = {
  limitCents: 5_000_000,
  openItemsCents: 3_000_000,
  openOrdersCents: 1_200_000,
  amountCents: 0,
  block: "none",
};

describe("creditCheck", () => {
  it("accepts an order of 2.500,00 €: 44.500,00 € is 89 % of the limit", () => {
    expect(creditCheck({ ...base, amountCents: 250_000 })).toEqual({
      result: "ok",
      exposureCents: 4_450_000,
      limitCents: 5_000_000,
      availableCents: 550_000,
      usedShare: 0.89,
      reasons: [],
    });
  });

  it("warns for an order of 3.000,00 €: 45.000,00 € is exactly 90 % of the limit", () => {
    expect(creditCheck({ ...base, amountCents: 300_000 })).toEqual({
      result: "warning",
      exposureCents: 4_500_000,
      limitCents: 5_000_000,
      availableCents: 500_000,
      usedShare: 0.9,
      reasons: ["near_limit"],
    });
  });

  it("warns, but does not block, when the order reaches the limit exactly", () => {
    // 30.000 + 12.000 + 8.000 = 50.000,00 €
    expect(creditCheck({ ...base, amountCents: 800_000 })).toMatchObject({
      result: "warning",
      availableCents: 0,
      usedShare: 1,
      reasons: ["near_limit"],
    });
  });

  it("blocks an order of 8.000,01 €: one cent over the limit", () => {
    expect(creditCheck({ ...base, amountCents: 800_001 })).toEqual({
      result: "blocked",
      exposureCents: 5_000_001,
      limitCents: 5_000_000,
      availableCents: -1,
      usedShare: 1,
      reasons: ["limit_exceeded"],
    });
  });

  it("blocks a customer with a delivery block even far below the limit", () => {
    expect(creditCheck({ ...base, amountCents: 10_000, block: "delivery" })).toMatchObject({
      result: "blocked",
      exposureCents: 4_210_000,
      reasons: ["delivery_block"],
    });
  });

  it("lists every reason, the blocking ones first", () => {
    expect(creditCheck({ ...base, amountCents: 1_000_000, block: "all" }).reasons).toEqual([
      "delivery_block",
      "limit_exceeded",
      "invoice_block",
    ]);
  });

  it("warns about an invoice block, which does not stop a delivery", () => {
    expect(creditCheck({ ...base, amountCents: 10_000, block: "invoice" })).toMatchObject({
      result: "warning",
      reasons: ["invoice_block"],
    });
  });

  it("does not check a customer without a limit, but still honours the block", () => {
    const noLimit = { ...base, limitCents: null, amountCents: 99_000_000 };
    expect(creditCheck(noLimit)).toEqual({
      result: "ok",
      exposureCents: 103_200_000,
      limitCents: null,
      availableCents: null,
      usedShare: null,
      reasons: [],
    });
    expect(creditCheck({ ...noLimit, block: "all" })).toMatchObject({
      result: "blocked",
      reasons: ["delivery_block", "invoice_block"],
    });
  });

  it("treats a limit of 0 as prepayment only", () => {
    const zero = { limitCents: 0, openItemsCents: 0, openOrdersCents: 0, block: "none" as const };
    expect(creditCheck({ ...zero, amountCents: 0 })).toMatchObject({ result: "ok", usedShare: null, reasons: [] });
    expect(creditCheck({ ...zero, amountCents: 1 })).toMatchObject({
      result: "blocked",
      availableCents: -1,
      reasons: ["limit_exceeded"],
    });
  });

  it("lets a credit balance reduce the exposure", () => {
    // −5.000,00 € credit balance + 0 orders + 49.000,00 € order = 44.000,00 € = 88 %
    const result = creditCheck({ ...base, openItemsCents: -500_000, openOrdersCents: 0, amountCents: 4_900_000 });
    expect(result).toMatchObject({ result: "ok", exposureCents: 4_400_000, usedShare: 0.88 });
  });

  it("rounds the used share to three decimals", () => {
    // 1,00 € of 3,00 € = 0,333…
    const result = creditCheck({
      limitCents: 300,
      openItemsCents: 0,
      openOrdersCents: 0,
      amountCents: 100,
      block: "none",
    });
    expect(result.usedShare).toBe(0.333);
  });

  it("rejects invalid input", () => {
    expect(() => creditCheck({ ...base, limitCents: -1 })).toThrow(/limitCents/);
    expect(() => creditCheck({ ...base, amountCents: 0.5 })).toThrow(/amountCents/);
    expect(() => creditCheck({ ...base, block: "partial" as "none" })).toThrow(/block/);
  });
});
