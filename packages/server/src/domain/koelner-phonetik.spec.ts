import { describe, expect, it } from "vitest";
import { foldText } from "./fold.js";
import { koelnerPhonetik } from "./koelner-phonetik.js";

const code = (s: string) =>
  foldText(s)
    .split(/[^a-z]+/)
    .filter(Boolean)
    .map(koelnerPhonetik)
    .join("");

describe("Kölner Phonetik", () => {
  it.each([
    ["Müller-Lüdenscheidt", "65752682"],
    ["Wikipedia", "3412"],
    ["Breschnew", "17863"],
    ["Meier", "67"],
    ["Meyer", "67"],
    ["Maier", "67"],
    ["Mayr", "67"],
    ["Schmidt", "862"],
    ["Schmitt", "862"],
    ["Müller", "657"],
    ["Mueller", "657"],
    ["Muller", "657"],
    ["Xaver", "4837"],
    ["Axel", "0485"],
  ])("%s → %s", (word, expected) => {
    expect(code(word)).toBe(expected);
  });

  it("keeps different names apart", () => {
    expect(code("Maurer")).not.toBe(code("Meier"));
    expect(code("Schneider")).not.toBe(code("Schmidt"));
  });

  it("gives an empty code for a word without letters it knows", () => {
    expect(koelnerPhonetik("")).toBe("");
    expect(koelnerPhonetik("h")).toBe("");
  });
});
