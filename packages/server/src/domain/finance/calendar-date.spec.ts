import { describe, expect, it } from "vitest";
import { addDays, addMonths, daysBetween, epochDay, fromEpochDay } from "./calendar-date.js";

describe("epochDay / fromEpochDay", () => {
  const cases: [string, number][] = [
    ["1970-01-01", 0],
    ["1970-01-02", 1],
    ["1969-12-31", -1],
    ["2000-03-01", 11017],
    ["2025-03-03", 20150],
  ];
  it.each(cases)("%s ↔ %d", (date, day) => {
    expect(epochDay(date)).toBe(day);
    expect(fromEpochDay(day)).toBe(date);
  });

  it("accepts 29 February only in leap years", () => {
    expect(epochDay("2024-02-29")).toBe(epochDay("2024-02-28") + 1);
    expect(() => epochDay("2025-02-29")).toThrow(RangeError);
    expect(() => epochDay("1900-02-29")).toThrow(RangeError);
    expect(epochDay("2000-02-29")).toBe(epochDay("2000-03-01") - 1);
  });

  it.each(["2025-02-30", "2025-13-01", "2025-00-10", "2025-3-3", "03.03.2025", "2025-03-03T00:00:00Z", ""])(
    "rejects %j and names the field",
    (input) => {
      expect(() => epochDay(input, "invoiceDate")).toThrow(/invoiceDate/);
    },
  );
});

describe("addDays / daysBetween", () => {
  it("counts whole days across the change to and from summer time", () => {
    // Germany switched to summer time on 2025-03-30 and back on 2025-10-26; UTC days do not notice.
    expect(addDays("2025-03-29", 2)).toBe("2025-03-31");
    expect(addDays("2025-10-25", 2)).toBe("2025-10-27");
    expect(daysBetween("2025-03-01", "2025-04-01")).toBe(31);
  });

  it("crosses month and year ends", () => {
    expect(addDays("2024-12-17", 14)).toBe("2024-12-31");
    expect(addDays("2024-12-18", 14)).toBe("2025-01-01");
    expect(addDays("2024-02-15", 14)).toBe("2024-02-29");
    expect(addDays("2025-03-03", -3)).toBe("2025-02-28");
    expect(daysBetween("2025-06-30", "2025-03-31")).toBe(-91);
  });
});

describe("addMonths", () => {
  const cases: [string, number, string][] = [
    ["2025-06-30", -12, "2024-06-30"],
    ["2024-02-29", -12, "2023-02-28"],
    ["2024-02-29", 12, "2025-02-28"],
    ["2025-01-31", 1, "2025-02-28"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2025-03-31", -1, "2025-02-28"],
    ["2025-01-15", -1, "2024-12-15"],
    ["2025-12-15", 1, "2026-01-15"],
    ["2025-05-31", 0, "2025-05-31"],
  ];
  it.each(cases)("%s %+d months → %s", (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it("rejects an invalid date", () => {
    expect(() => addMonths("2025-02-30", 1, "onDate")).toThrow(/onDate/);
  });
});
