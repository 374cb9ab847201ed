import { describe, expect, it } from "vitest";
import { foldText, foldWithOffsets } from "./fold.js";

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

describe("foldWithOffsets", () => {
  it("maps every folded character back to the character it came from", () => {
    const { folded, offsets } = foldWithOffsets("Straße Müller");
    expect(folded).toBe("strasse mueller");
    // "ss" both come from "ß" (index 4); "ue" both from "ü" (index 8).
    expect(offsets.slice(4, 6)).toEqual([4, 4]);
    expect(offsets.slice(9, 11)).toEqual([8, 8]);
    expect(offsets[folded.length]).toBe("Straße Müller".length);
  });

  it("agrees with foldText on single-spaced text", () => {
    for (const s of ["Ærø Öl", "Crème Brûlée", "Łódź", "ABC 123"]) {
      expect(foldWithOffsets(s).folded).toBe(foldText(s));
    }
  });
});
