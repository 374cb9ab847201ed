import { describe, expect, it } from "vitest";
import { centsToInput, parseMoney } from "./money";

describe("amounts as typed", () => {
  it.each([
    ["119", 11900],
    ["119,5", 11950],
    ["119,50 €", 11950],
    ["1.234,56", 123456],
    ["1.234.567", 123456700],
    ["119.50", 11950],
    ["0,01", 1],
    ["-5,00", -500],
  ])("German: %s → %i cents", (text, cents) => {
    expect(parseMoney(text, "de")).toBe(cents);
  });

  it.each([
    ["1,234.56", 123456],
    ["12.5", 1250],
    ["1,234", 123400],
  ])("English: %s → %i cents", (text, cents) => {
    expect(parseMoney(text, "en")).toBe(cents);
  });

  it("empty is null; more than two decimals or letters are invalid", () => {
    expect(parseMoney("  ", "de")).toBeNull();
    expect(parseMoney("1,234", "de")).toBe("invalid");
    expect(parseMoney("12a", "de")).toBe("invalid");
    expect(parseMoney("1.23.4", "de")).toBe("invalid");
  });

  it("cents back into an editable amount", () => {
    expect(centsToInput(123456, "de")).toBe("1234,56");
    expect(centsToInput(5, "en")).toBe("0.05");
    expect(centsToInput(-1000, "de")).toBe("-10,00");
    expect(parseMoney(centsToInput(987654, "de"), "de")).toBe(987654);
  });
});
