import { describe, expect, it } from "vitest";
import { type DunningLevel, dunningLevelFor } from "./dunning.js";

// 1. Mahnung (Zahlungserinnerung) 14 Tage nach Fälligkeit, gebührenfrei;
// 2. Mahnung nach 28 Tagen, 5,00 € Mahngebühr; 3. (letzte) Mahnung nach 42 Tagen, 10,00 €.
const levels: DunningLevel[] = [
  { level: 1, daysAfterDue: 14, feeCents: 0 },
  { level: 2, daysAfterDue: 28, feeCents: 500 },
  { level: 3, daysAfterDue: 42, feeCents: 1000 },
];
const [first, second, third] = levels;

describe("dunningLevelFor", () => {
  const cases: [string, number, 0 | 1 | 2 | 3, DunningLevel | null][] = [
    ["not yet 14 days overdue", 13, 0, null],
    ["14 days overdue, no notice yet", 14, 0, first!],
    ["60 days overdue, no notice yet: the reminder first, not the final demand", 60, 0, first!],
    ["27 days overdue after the reminder", 27, 1, null],
    ["28 days overdue after the reminder", 28, 1, second!],
    ["60 days overdue after the reminder: one level up only", 60, 1, second!],
    ["42 days overdue after the second notice", 42, 2, third!],
    ["after the final demand there is nothing left", 200, 3, null],
    ["never going down when a payment reduced the overdue days", 10, 2, null],
    ["not due at all", 0, 0, null],
    ["negative days (not yet due)", -5, 0, null],
  ];
  it.each(cases)("%s", (_label, days, current, expected) => {
    expect(dunningLevelFor(days, levels, current)).toEqual(expected);
  });

  it("does not depend on the order of the level list", () => {
    expect(dunningLevelFor(30, [third!, first!, second!], 1)).toEqual(second);
  });

  it("stops at the highest level configured", () => {
    expect(dunningLevelFor(100, [first!, second!], 2)).toBeNull();
  });

  it("rejects inconsistent levels", () => {
    expect(() => dunningLevelFor(30, [first!, { ...second!, level: 1 }], 0)).toThrow(/occurs twice/);
    expect(() => dunningLevelFor(30, [first!, { ...second!, daysAfterDue: 14 }], 0)).toThrow(RangeError);
    expect(() => dunningLevelFor(30, [{ ...first!, feeCents: -1 }], 0)).toThrow(/feeCents/);
    expect(() => dunningLevelFor(30, levels, 4 as 3)).toThrow(/currentLevel/);
  });
});
