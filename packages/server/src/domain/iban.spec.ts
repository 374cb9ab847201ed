import { describe, expect, it } from "vitest";
import { checkBic, checkIban, formatIban, makeGermanIban } from "./iban.js";

describe("checkIban", () => {
  const valid: [string, string][] = [
    ["DE89370400440532013000", "DE89370400440532013000"],
    ["DE89 3704 0044 0532 0130 00", "DE89370400440532013000"],
    ["de89 3704 0044 0532 0130 00", "DE89370400440532013000"],
    ["  DE89-3704-0044-0532-0130-00 ", "DE89370400440532013000"],
    ["AT61 1904 3002 3457 3201", "AT611904300234573201"],
    ["CH93 0076 2011 6238 5295 7", "CH9300762011623852957"],
    ["NL91ABNA0417164300", "NL91ABNA0417164300"],
    ["GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819"],
  ];
  it.each(valid)("accepts %j as %j", (input, value) => {
    expect(checkIban(input)).toEqual({ ok: true, value });
  });

  const invalid: [string, string][] = [
    ["", "IBAN must not be empty"],
    ["  ", "IBAN must not be empty"],
    ["XX89370400440532013000", "IBAN must start with a known country code"],
    ["DEAB370400440532013000", "IBAN check digits (characters 3 and 4) must be digits"],
    ["DE8937040044053201300", "IBAN has the wrong length for its country"],
    ["DE89370400440532013001", "IBAN check digits do not match"],
    ["DE88370400440532013000", "IBAN check digits do not match"],
    ["NL91ABNA04171643", "IBAN has the wrong length for its country"],
  ];
  it.each(invalid)("rejects %j: %s", (input, reason) => {
    expect(checkIban(input)).toEqual({ ok: false, reason });
  });
});

describe("formatIban", () => {
  const cases: [string, string][] = [
    ["DE89370400440532013000", "DE89 3704 0044 0532 0130 00"],
    ["AT611904300234573201", "AT61 1904 3002 3457 3201"],
    ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00"],
  ];
  it.each(cases)("%s → %s", (input, expected) => {
    expect(formatIban(input)).toBe(expected);
  });
});

describe("checkBic", () => {
  const valid: [string, string][] = [
    ["DEUTDEFFXXX", "DEUTDEFFXXX"],
    ["DEUTDEFF", "DEUTDEFF"],
    ["cobadeffxxx", "COBADEFFXXX"],
    [" HELA DEF1 822 ", "HELADEF1822"],
    ["GENODEM1GLS", "GENODEM1GLS"],
  ];
  it.each(valid)("accepts %j as %j", (input, value) => {
    expect(checkBic(input)).toEqual({ ok: true, value });
  });

  const invalid: [string, string][] = [
    ["", "BIC must not be empty"],
    ["DEUT", "BIC must be 8 or 11 characters long"],
    ["DEUTDEFFXX", "BIC must be 8 or 11 characters long"],
    ["DEU1DEFF", "BIC must be 4 letters, a country code and 2 or 5 letters or digits"],
    ["DEUTDEF-", "BIC must be 4 letters, a country code and 2 or 5 letters or digits"],
    ["DEUTXXFF", "BIC contains an unknown country code"],
  ];
  it.each(invalid)("rejects %j: %s", (input, reason) => {
    expect(checkBic(input)).toEqual({ ok: false, reason });
  });
});

describe("makeGermanIban", () => {
  const cases: [string, string, string][] = [
    ["37040044", "0532013000", "DE89370400440532013000"],
    ["10070000", "0000000001", "DE24100700000000000001"],
    ["50010517", "0000000000", "DE27500105170000000000"],
  ];
  it.each(cases)("%s / %s → %s", (blz, account, expected) => {
    const iban = makeGermanIban(blz, account);
    expect(iban).toBe(expected);
    expect(checkIban(iban)).toEqual({ ok: true, value: iban });
  });

  it("rejects malformed input", () => {
    expect(() => makeGermanIban("3704004", "0532013000")).toThrow();
    expect(() => makeGermanIban("37040044", "532013000")).toThrow();
  });
});
