import { describe, expect, it } from "vitest";
import { formatMoney, percentText, requireInteger, roundDiv, sumCents, toSafeNumber } from "./money.js";

// Intl separates amount and currency symbol with a no-break space in German.
const NBSP = "\u00a0";

describe("roundDiv", () => {
  const cases: [bigint, bigint, bigint][] = [
    [5n, 2n, 3n], // 2.5 → 3
    [-5n, 2n, -3n], // −2.5 → −3, away from zero, not toward +∞
    [5n, -2n, -3n],
    [-5n, -2n, 3n],
    [7n, 2n, 4n], // 3.5 → 4 (half to even would give 4 too, 2.5 shows the difference)
    [7n, 3n, 2n], // 2.33 → 2
    [8n, 3n, 3n], // 2.67 → 3
    [-7n, 3n, -2n],
    [-8n, 3n, -3n],
    [1n, 3n, 0n],
    [0n, 5n, 0n],
    [14999n, 10000n, 1n], // 1.4999 → 1
    [15000n, 10000n, 2n],
    // Beyond 2^53: 90071992547409925 / 10 = 9007199254740992.5 → …993
    [90071992547409925n, 10n, 9007199254740993n],
  ];
  it.each(cases)("%s / %s → %s", (n, d, expected) => {
    expect(roundDiv(n, d)).toBe(expected);
  });

  it("refuses a zero denominator", () => {
    expect(() => roundDiv(1n, 0n)).toThrow(RangeError);
  });
});

describe("formatMoney", () => {
  const cases: [number, string, "de" | "en", string][] = [
    [123456, "EUR", "de", `1.234,56${NBSP}€`],
    [-123456, "EUR", "de", `-1.234,56${NBSP}€`],
    [5, "EUR", "de", `0,05${NBSP}€`],
    [0, "EUR", "de", `0,00${NBSP}€`],
    [100000000, "EUR", "de", `1.000.000,00${NBSP}€`],
    [123456, "EUR", "en", "€1,234.56"],
    [-5, "EUR", "en", "-€0.05"],
    // JPY has no minor unit: 1234 minor units are 1.234 yen, not 12,34.
    [1234, "JPY", "de", `1.234${NBSP}¥`],
    // The largest safe amount formats without a floating-point detour.
    [Number.MAX_SAFE_INTEGER, "EUR", "de", `90.071.992.547.409,91${NBSP}€`],
  ];
  it.each(cases)("%d %s (%s) → %j", (cents, currency, locale, expected) => {
    expect(formatMoney(cents, currency, locale)).toBe(expected);
  });

  it("defaults to EUR in German", () => {
    expect(formatMoney(199)).toBe(`1,99${NBSP}€`);
  });

  it("refuses fractions of a cent and unknown currency codes", () => {
    expect(() => formatMoney(1.5)).toThrow(RangeError);
    expect(() => formatMoney(100, "EURO")).toThrow(RangeError);
  });
});

describe("percentText", () => {
  const cases: [number, "de" | "en", string][] = [
    [200, "de", "2 %"],
    [250, "de", "2,5 %"],
    [205, "de", "2,05 %"],
    [1900, "de", "19 %"],
    [1, "de", "0,01 %"],
    [0, "de", "0 %"],
    [10000, "de", "100 %"],
    [-250, "de", "-2,5 %"],
    [200, "en", "2%"],
    [250, "en", "2.5%"],
    [1, "en", "0.01%"],
  ];
  it.each(cases)("%d bp (%s) → %j", (bp, locale, expected) => {
    expect(percentText(bp, locale)).toBe(expected);
  });

  it("defaults to German", () => {
    expect(percentText(700)).toBe("7 %");
  });
});

describe("helpers", () => {
  it("requireInteger names the field and the range", () => {
    expect(requireInteger(5, "x", 0, 10)).toBe(5);
    expect(() => requireInteger(11, "discountBp", 0, 10)).toThrow(/discountBp must be within 0\.\.10/);
    expect(() => requireInteger(0.5, "quantityMilli")).toThrow(/quantityMilli must be an integer/);
    expect(() => requireInteger(Number.NaN, "x")).toThrow(RangeError);
  });

  it("toSafeNumber refuses values that a number cannot hold exactly", () => {
    expect(toSafeNumber(9007199254740991n, "x")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toSafeNumber(9007199254740992n, "gross")).toThrow(/gross/);
    expect(() => toSafeNumber(-9007199254740992n, "gross")).toThrow(RangeError);
  });

  it("sumCents adds exactly and refuses a sum beyond 2^53", () => {
    expect(sumCents([1999, -500, 1], "x")).toBe(1500);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1], "total")).toThrow(/total/);
  });
});
