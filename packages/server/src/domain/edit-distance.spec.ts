import damerauLevenshtein from "damerau-levenshtein";
import { describe, expect, it } from "vitest";
import { boundedEditDistance } from "./edit-distance.js";

describe("boundedEditDistance", () => {
  it.each([
    ["meier", "meier", 0],
    ["meier", "meyer", 1],
    ["meier", "meeir", 1],
    ["mueller", "muller", 1],
    ["schmidt", "schmitt", 1],
    ["fahrzeugteile", "fahrzeugtiele", 1],
    ["baeckerei", "backerie", 2],
    ["abc", "", 3],
  ])("%s ↔ %s = %i", (a, b, d) => {
    expect(boundedEditDistance(a, b, 3)).toBe(d);
    expect(boundedEditDistance(b, a, 3)).toBe(d);
  });

  it("reports anything beyond the bound as bound + 1", () => {
    expect(boundedEditDistance("meier", "schulz", 2)).toBe(3);
    expect(boundedEditDistance("ab", "abcdef", 2)).toBe(3);
  });

  it("agrees with the damerau-levenshtein package (optimal string alignment) on random words", () => {
    // Deterministic pseudo-random pairs over a small alphabet, so that near words are common.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const word = () => Array.from({ length: 2 + (next() % 9) }, () => "aeilnrst"[next() % 8]).join("");
    for (let k = 0; k < 5000; k++) {
      const a = word();
      const b = next() % 2 ? word() : a.slice(0, next() % (a.length + 1)) + word().slice(0, 2) + a.slice(3);
      const max = 1 + (next() % 2);
      const exact = damerauLevenshtein(a, b).steps;
      expect(boundedEditDistance(a, b, max), `${a} ↔ ${b}`).toBe(Math.min(exact, max + 1));
    }
  });
});
