import { describe, expect, it } from "vitest";
import { companySalutation, letterSalutation, type SalutationInput } from "./salutation.js";

type Row = [Partial<SalutationInput>, string];

const person = (p: Partial<SalutationInput>): SalutationInput => ({
  salutation: null,
  title: null,
  firstName: null,
  lastName: null,
  formal: true,
  language: "de",
  ...p,
});

describe("letterSalutation in German", () => {
  const cases: Row[] = [
    [{ salutation: "ms", title: "Dr.", firstName: "Anna", lastName: "Müller" }, "Sehr geehrte Frau Dr. Müller,"],
    [{ salutation: "ms", firstName: "Anna", lastName: "Müller" }, "Sehr geehrte Frau Müller,"],
    [{ salutation: "ms", title: "Prof. Dr.", lastName: "Schäfer" }, "Sehr geehrte Frau Prof. Dr. Schäfer,"],
    [{ salutation: "mr", firstName: "Jan", lastName: "Weber" }, "Sehr geehrter Herr Weber,"],
    [{ salutation: "mr", title: "Dr.", lastName: "Weber" }, "Sehr geehrter Herr Dr. Weber,"],
    [{ salutation: "diverse", firstName: "Anna", lastName: "Müller" }, "Guten Tag Anna Müller,"],
    [{ salutation: null, firstName: "Anna", lastName: "Müller" }, "Guten Tag Anna Müller,"],
    [{ salutation: null, title: "Dr.", firstName: "Anna", lastName: "Müller" }, "Guten Tag Dr. Anna Müller,"],
    [{ salutation: "diverse", lastName: "Müller" }, "Guten Tag Müller,"],
    [{ salutation: "diverse", title: "Dr.", lastName: "Müller" }, "Guten Tag Dr. Müller,"],
    [{ salutation: null }, "Sehr geehrte Damen und Herren,"],
    [{ salutation: "ms", firstName: "Anna" }, "Sehr geehrte Damen und Herren,"],
    [{ salutation: "mr", lastName: "   " }, "Sehr geehrte Damen und Herren,"],
    [{ salutation: "ms", firstName: "Anna", lastName: "Müller", formal: false }, "Hallo Anna,"],
    [{ salutation: "mr", title: "Dr.", firstName: "Jan", lastName: "Weber", formal: false }, "Hallo Jan,"],
    [{ salutation: null, firstName: "Anna", formal: false }, "Hallo Anna,"],
    [{ salutation: "mr", lastName: "Weber", formal: false }, "Sehr geehrter Herr Weber,"],
    [{ salutation: "mr", firstName: " ", lastName: "Weber", formal: false }, "Sehr geehrter Herr Weber,"],
    [{ salutation: null, formal: false }, "Sehr geehrte Damen und Herren,"],
    [{ salutation: "ms", title: " ", lastName: " Müller " }, "Sehr geehrte Frau Müller,"],
    [{ salutation: "ms", lastName: "Müller", language: "fr" }, "Sehr geehrte Frau Müller,"],
  ];
  it.each(cases)("%j → %s", (input, expected) => {
    expect(letterSalutation(person(input))).toBe(expected);
  });
});

describe("letterSalutation in English", () => {
  const en = (p: Partial<SalutationInput>): Partial<SalutationInput> => ({ ...p, language: "en" });
  const cases: Row[] = [
    [en({ salutation: "ms", firstName: "Anna", lastName: "Müller" }), "Dear Ms Müller,"],
    [en({ salutation: "mr", firstName: "Jan", lastName: "Weber" }), "Dear Mr Weber,"],
    [en({ salutation: "ms", title: "Dr.", lastName: "Müller" }), "Dear Dr. Müller,"],
    [en({ salutation: "mr", title: "Prof.", lastName: "Weber" }), "Dear Prof. Weber,"],
    [en({ salutation: "diverse", firstName: "Anna", lastName: "Müller" }), "Dear Anna Müller,"],
    [en({ salutation: null, firstName: "Anna", lastName: "Müller" }), "Dear Anna Müller,"],
    [en({ salutation: null, lastName: "Müller" }), "Dear Müller,"],
    [en({ salutation: "diverse", title: "Dr.", firstName: "Anna", lastName: "Müller" }), "Dear Dr. Müller,"],
    [en({ salutation: null }), "Dear Sir or Madam,"],
    [en({ salutation: "mr", firstName: "Jan" }), "Dear Sir or Madam,"],
    [en({ salutation: "ms", firstName: "Anna", lastName: "Müller", formal: false }), "Dear Anna,"],
    [en({ salutation: "ms", lastName: "Müller", formal: false }), "Dear Ms Müller,"],
    [en({ salutation: null, formal: false }), "Dear Sir or Madam,"],
    [{ salutation: "mr", lastName: "Weber", language: "EN" }, "Dear Mr Weber,"],
  ];
  it.each(cases)("%j → %s", (input, expected) => {
    expect(letterSalutation(person(input))).toBe(expected);
  });
});

describe("companySalutation", () => {
  const cases: [string, string][] = [
    ["de", "Sehr geehrte Damen und Herren,"],
    ["fr", "Sehr geehrte Damen und Herren,"],
    ["en", "Dear Sir or Madam,"],
  ];
  it.each(cases)("%s → %s", (language, expected) => {
    expect(companySalutation(language)).toBe(expected);
  });
});
