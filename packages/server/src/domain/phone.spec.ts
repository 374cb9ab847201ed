import { describe, expect, it } from "vitest";
import { formatNational, toE164 } from "./phone.js";

describe("toE164", () => {
  const valid: [string, string][] = [
    ["+49 30 1234567", "+49301234567"],
    ["030/1234567", "+49301234567"],
    ["0301234567", "+49301234567"],
    ["(030) 123 45 67", "+49301234567"],
    ["0049 30 1234567", "+49301234567"],
    ["+49 (0)30 1234567", "+49301234567"],
    ["+49-30-1234567", "+49301234567"],
    ["030.1234567", "+49301234567"],
    [" 030 1234567 ", "+49301234567"],
    ["0221 9876543", "+492219876543"],
    ["02161 12345", "+49216112345"],
    ["089 12345-0", "+4989123450"],
    ["0151 12345678", "+4915112345678"],
    ["0170 1234567", "+491701234567"],
    ["0176 12345678", "+4917612345678"],
    ["+43 1 5321234", "+4315321234"],
    ["+41 44 668 18 00", "+41446681800"],
    ["+44 20 7946 0958", "+442079460958"],
    ["+1 212 555 0123", "+12125550123"],
  ];
  it.each(valid)("accepts %j as %s", (input, value) => {
    expect(toE164(input)).toEqual({ ok: true, value });
  });

  it("reads numbers without a prefix as numbers of the given country", () => {
    expect(toE164("01 5321234", "AT")).toEqual({ ok: true, value: "+4315321234" });
    expect(toE164("044 668 18 00", "CH")).toEqual({ ok: true, value: "+41446681800" });
  });

  const invalid: [string, string][] = [
    ["", "phone number must not be empty"],
    ["   ", "phone number must not be empty"],
    ["abc", "phone number may only contain digits, spaces and + ( ) / - ."],
    ["030 1234567 abc", "phone number may only contain digits, spaces and + ( ) / - ."],
    ["call 030 1234567", "phone number may only contain digits, spaces and + ( ) / - ."],
    ["030 1234567 ext. 12", "phone number may only contain digits, spaces and + ( ) / - ."],
    ["---", "not a phone number"],
    ["12", "not a valid phone number"],
    ["0151 1234567", "not a valid phone number"],
    ["+49 0000000", "not a valid phone number"],
    ["+999 1234567", "not a phone number"],
  ];
  it.each(invalid)("rejects %j: %s", (input, reason) => {
    expect(toE164(input)).toEqual({ ok: false, reason });
  });
});

describe("formatNational", () => {
  const cases: [string, string][] = [
    ["+49301234567", "030 1234567"],
    ["+492219876543", "0221 9876543"],
    ["+4917612345678", "0176 12345678"],
    ["+4315321234", "+43 1 5321234"],
    ["+41446681800", "+41 44 668 18 00"],
    ["+12125550123", "+1 212 555 0123"],
    ["not a number", "not a number"],
  ];
  it.each(cases)("%s → %s", (input, expected) => {
    expect(formatNational(input)).toBe(expected);
  });

  it("returns the same answer from its cache, also after more than 10,000 distinct numbers", () => {
    expect(formatNational("+49301234567")).toBe("030 1234567");
    for (let i = 0; i < 10_500; i++) formatNational(`+4930${2_000_000 + i}`);
    expect(formatNational("+49301234567")).toBe("030 1234567");
    expect(formatNational("+49302000001")).toBe("030 2000001");
  });
});
