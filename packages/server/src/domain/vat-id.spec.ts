import { describe, expect, it } from "vitest";
import { checkVatId, germanVatCheckDigit, normalizeVatId } from "./vat-id.js";

describe("normalizeVatId", () => {
  const cases: [string, string][] = [
    ["de 143 454 214", "DE143454214"],
    ["DE-143.454.214", "DE143454214"],
    ["  atu12345678 ", "ATU12345678"],
    ["nl 123456789 b01", "NL123456789B01"],
    ["DE\u00a0143\u2013454\u2013214", "DE143454214"],
    ["", ""],
  ];
  it.each(cases)("%j → %j", (input, expected) => {
    expect(normalizeVatId(input)).toBe(expected);
  });
});

describe("germanVatCheckDigit", () => {
  // Published VAT IDs of large German companies (SAP SE, BMW AG, …); their ninth digit is the check digit.
  const cases: [string, number][] = [
    ["14345421", 4],
    ["12927339", 8],
    ["81190798", 0],
    ["13669597", 6],
    ["12211903", 5],
    ["81111536", 8],
  ];
  it.each(cases)("%s → %i", (first8, expected) => {
    expect(germanVatCheckDigit(first8)).toBe(expected);
  });

  it("rejects anything but 8 digits", () => {
    expect(() => germanVatCheckDigit("1234567")).toThrow();
    expect(() => germanVatCheckDigit("1234567a")).toThrow();
  });
});

describe("checkVatId", () => {
  const valid: [string, string][] = [
    ["DE143454214", "DE143454214"],
    ["de 129 273 398", "DE129273398"],
    ["DE 811.907.980", "DE811907980"],
    ["ATU12345678", "ATU12345678"],
    ["BE0123456789", "BE0123456789"],
    ["BE1123456789", "BE1123456789"],
    ["BG123456789", "BG123456789"],
    ["BG1234567890", "BG1234567890"],
    ["CY12345678X", "CY12345678X"],
    ["CZ12345678", "CZ12345678"],
    ["CZ1234567890", "CZ1234567890"],
    ["DK12345678", "DK12345678"],
    ["EE123456789", "EE123456789"],
    ["EL123456789", "EL123456789"],
    ["GR123456789", "EL123456789"],
    ["gr 123 456 789", "EL123456789"],
    ["ESX1234567X", "ESX1234567X"],
    ["ESA12345678", "ESA12345678"],
    ["ES12345678Z", "ES12345678Z"],
    ["FI12345678", "FI12345678"],
    ["FR12345678901", "FR12345678901"],
    ["FRAB123456789", "FRAB123456789"],
    ["HR12345678901", "HR12345678901"],
    ["HU12345678", "HU12345678"],
    ["IE1234567T", "IE1234567T"],
    ["IE1234567FA", "IE1234567FA"],
    ["IE1A23456T", "IE1A23456T"],
    ["IT12345678901", "IT12345678901"],
    ["LT123456789", "LT123456789"],
    ["LT123456789012", "LT123456789012"],
    ["LU12345678", "LU12345678"],
    ["LV12345678901", "LV12345678901"],
    ["MT12345678", "MT12345678"],
    ["NL123456789B01", "NL123456789B01"],
    ["PL1234567890", "PL1234567890"],
    ["PT123456789", "PT123456789"],
    ["RO12", "RO12"],
    ["RO1234567890", "RO1234567890"],
    ["SE123456789001", "SE123456789001"],
    ["SI12345678", "SI12345678"],
    ["SK1234567890", "SK1234567890"],
    ["XI123456789", "XI123456789"],
    ["XI123456789012", "XI123456789012"],
    ["XIGD123", "XIGD123"],
    ["XIHA567", "XIHA567"],
  ];
  it.each(valid)("accepts %j as %j", (input, value) => {
    expect(checkVatId(input)).toEqual({ ok: true, value });
  });

  const invalid: [string, string][] = [
    ["", "VAT ID must not be empty"],
    [" . - ", "VAT ID must not be empty"],
    ["123456789", "VAT ID must start with an EU country code"],
    ["GB123456789", "VAT ID must start with an EU country code"],
    ["CHE123456789", "VAT ID must start with an EU country code"],
    ["US123456789", "VAT ID must start with an EU country code"],
    ["DE12345678", "German VAT IDs are DE followed by 9 digits"],
    ["DE1434542140", "German VAT IDs are DE followed by 9 digits"],
    ["DE14345421X", "German VAT IDs are DE followed by 9 digits"],
    ["DE143454215", "check digit does not match"],
    ["DE129273399", "check digit does not match"],
    ["AT12345678", "Austrian VAT IDs are ATU followed by 8 digits"],
    ["ATU1234567", "Austrian VAT IDs are ATU followed by 8 digits"],
    ["BE2123456789", "Belgian VAT IDs are BE followed by 10 digits starting with 0 or 1"],
    ["GR12345678", "Greek VAT IDs are EL followed by 9 digits"],
    ["ES123456789", "Spanish VAT IDs are ES followed by 9 characters that start or end with a letter"],
    ["FRIO123456789", "French VAT IDs are FR followed by a 2-character key and 9 digits"],
    ["NL123456789", "Dutch VAT IDs are NL followed by 9 digits, B and 2 digits"],
    ["RO0123", "Romanian VAT IDs are RO followed by 2 to 10 digits"],
    ["SE123456789002", "Swedish VAT IDs are SE followed by 10 digits and 01"],
    ["XIGD567", "Northern Irish VAT IDs are XI followed by 9 or 12 digits"],
  ];
  it.each(invalid)("rejects %j: %s", (input, reason) => {
    expect(checkVatId(input)).toEqual({ ok: false, reason });
  });

  it("accepts every German number whose ninth digit is computed by germanVatCheckDigit", () => {
    for (const first8 of ["00000000", "99999999", "12345678", "81234567"]) {
      expect(checkVatId(`DE${first8}${germanVatCheckDigit(first8)}`).ok).toBe(true);
    }
  });
});
