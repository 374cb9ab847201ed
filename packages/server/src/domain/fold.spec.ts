import { describe, expect, it } from "vitest";
import { foldText } from "./fold.js";

describe("foldText", () => {
  const cases: [string, string][] = [
    ["Müller", "mueller"],
    ["MÜLLER", "mueller"],
    ["Mueller", "mueller"],
    ["Köln", "koeln"],
    ["KÖLN", "koeln"],
    ["Äpfel", "aepfel"],
    ["Straße", "strasse"],
    ["STRAẞE", "strasse"],
    ["Weiß", "weiss"],
    ["Groß", "gross"],
    ["Café", "cafe"],
    ["Crème Brûlée", "creme brulee"],
    ["Ångström", "angstroem"],
    ["Dvořák", "dvorak"],
    ["Łódź", "lodz"],
    ["Søren", "soren"],
    ["  Frankfurt   am\tMain \n", "frankfurt am main"],
    ["Halle\u00a0(Saale)", "halle (saale)"],
    ["Mu\u0308ller", "mueller"],
    ["ABC-123", "abc-123"],
    ["", ""],
    ["   ", ""],
  ];
  it.each(cases)("%j → %j", (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it("makes umlaut spellings collide and keeps Muller apart", () => {
    expect(foldText("Müller")).toBe(foldText("Mueller"));
    expect(foldText("Müller")).not.toBe(foldText("Muller"));
  });
});
