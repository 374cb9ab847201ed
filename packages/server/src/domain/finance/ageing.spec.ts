import { describe, expect, it } from "vitest";
import { type AgeingBucket, ageingBucket, ageingTotals, daysOverdue } from "./ageing.js";

// Stichtag 30.06.2025.
const onDate = "2025-06-30";

describe("ageingBucket and daysOverdue", () => {
  const cases: [string, number, AgeingBucket][] = [
    ["2025-07-15", 0, "not_due"],
    ["2025-06-30", 0, "not_due"], // due today: still on time
    ["2025-06-29", 1, "1_30"],
    ["2025-05-31", 30, "1_30"],
    ["2025-05-30", 31, "31_60"],
    ["2025-05-01", 60, "31_60"],
    ["2025-04-30", 61, "61_90"],
    ["2025-04-01", 90, "61_90"],
    ["2025-03-31", 91, "over_90"],
    ["2024-06-30", 365, "over_90"],
  ];
  it.each(cases)("due %s: %d days overdue, bucket %s", (dueDate, days, bucket) => {
    expect(daysOverdue(dueDate, onDate)).toBe(days);
    expect(ageingBucket(dueDate, onDate)).toBe(bucket);
  });

  it("names an invalid date", () => {
    expect(() => daysOverdue("2025-06-31", onDate)).toThrow(/dueDate/);
    expect(() => ageingBucket("2025-06-01", "30.06.2025")).toThrow(/onDate/);
  });
});

describe("ageingTotals", () => {
  it("sums open items per bucket on 30.06.2025", () => {
    const items = [
      { dueDate: "2025-07-15", openCents: 10000 }, // not due, 100,00 €
      { dueDate: "2025-06-30", openCents: 2000 }, // due today, 20,00 €
      { dueDate: "2025-06-29", openCents: 3000 }, // 1 day, 30,00 €
      { dueDate: "2025-05-31", openCents: 4000 }, // 30 days, 40,00 €
      { dueDate: "2025-06-10", openCents: -1500 }, // unapplied credit note, 20 days: −15,00 €
      { dueDate: "2025-05-30", openCents: 5000 }, // 31 days, 50,00 €
      { dueDate: "2025-05-01", openCents: 6000 }, // 60 days, 60,00 €
      { dueDate: "2025-04-30", openCents: 7000 }, // 61 days, 70,00 €
      { dueDate: "2025-04-01", openCents: 8000 }, // 90 days, 80,00 €
      { dueDate: "2025-03-31", openCents: 9000 }, // 91 days, 90,00 €
    ];
    // not due 120,00 €; 1–30: 30 + 40 − 15 = 55,00 €; 31–60: 110,00 €; 61–90: 150,00 €; > 90: 90,00 €
    // total 525,00 €, overdue 405,00 €
    expect(ageingTotals(items, onDate)).toEqual({
      buckets: { not_due: 12000, "1_30": 5500, "31_60": 11000, "61_90": 15000, over_90: 9000 },
      totalCents: 52500,
      overdueCents: 40500,
    });
  });

  it("returns zeros without items", () => {
    expect(ageingTotals([], onDate)).toEqual({
      buckets: { not_due: 0, "1_30": 0, "31_60": 0, "61_90": 0, over_90: 0 },
      totalCents: 0,
      overdueCents: 0,
    });
  });

  it("names an item with a fractional amount", () => {
    expect(() => ageingTotals([{ dueDate: "2025-06-01", openCents: 10.5 }], onDate)).toThrow(/items\/0\/openCents/);
  });
});
