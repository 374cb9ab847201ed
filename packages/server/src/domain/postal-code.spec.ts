import { describe, expect, it } from "vitest";
import { checkPostalCode } from "./postal-code.js";

describe("checkPostalCode", () => {
  const valid: [string, string, string][] = [
    ["DE", "10115", "10115"],
    ["DE", " 01067 ", "01067"],
    ["de", "80331", "80331"],
    ["AT", "1010", "1010"],
    ["AT", "9999", "9999"],
    ["CH", "8001", "8001"],
    ["CH", "1000", "1000"],
    ["NL", "1012 AB", "1012 AB"],
    ["GB", "SW1A 1AA", "SW1A 1AA"],
    ["PL", "00-950", "00-950"],
    ["FR", "75008", "75008"],
    ["US", "10001-1234", "10001-1234"],
    ["XX", "12345678901234567890", "12345678901234567890"],
  ];
  it.each(valid)("accepts %s %j as %j", (country, code, value) => {
    expect(checkPostalCode(country, code)).toEqual({ ok: true, value });
  });

  const invalid: [string, string, string][] = [
    ["DE", "", "postal code must not be empty"],
    ["DE", "   ", "postal code must not be empty"],
    ["NL", "", "postal code must not be empty"],
    ["DE", "1011", "German postal codes are 5 digits"],
    ["DE", "101150", "German postal codes are 5 digits"],
    ["DE", "1O115", "German postal codes are 5 digits"],
    ["DE", "D-10115", "German postal codes are 5 digits"],
    ["AT", "0999", "Austrian postal codes are 4 digits (1000–9999)"],
    ["AT", "10100", "Austrian postal codes are 4 digits (1000–9999)"],
    ["CH", "800", "Swiss postal codes are 4 digits (1000–9999)"],
    ["CH", "CH-8001", "Swiss postal codes are 4 digits (1000–9999)"],
    ["XX", "123456789012345678901", "postal code must be at most 20 characters"],
    ["GB", "SW1A/1AA", "postal code may only contain letters, digits, spaces and dashes"],
    ["FR", "75008;", "postal code may only contain letters, digits, spaces and dashes"],
  ];
  it.each(invalid)("rejects %s %j: %s", (country, code, reason) => {
    expect(checkPostalCode(country, code)).toEqual({ ok: false, reason });
  });
});
