import { describe, expect, it } from "vitest";
import { isCalendarDate, isTimestamp, textFault, withInputRules } from "./input-rules.js";

describe("input rules", () => {
  it("text: control characters and lone surrogates are faults; tab and line breaks only in multi-line text", () => {
    expect(textFault("Müller & Söhne 😀")).toBeNull();
    expect(textFault("a\u0000b")).toBe("control_character");
    expect(textFault("c1\u0085")).toBe("control_character");
    expect(textFault("del\u007f")).toBe("control_character");
    expect(textFault("two\nlines")).toBe("control_character");
    expect(textFault("two\r\nlines\tand a tab", "multiline")).toBeNull();
    expect(textFault("nul\u0000", "multiline")).toBe("control_character");
    expect(textFault("\ud800")).toBe("lone_surrogate");
    expect(textFault("x\udfffy", "multiline")).toBe("lone_surrogate");
  });

  it("dates: real calendar days of the years 0001 to 9999", () => {
    for (const d of ["2026-06-15", "2028-02-29", "2000-02-29", "0001-01-01", "9999-12-31"]) {
      expect(isCalendarDate(d), d).toBe(true);
    }
    for (const d of ["0000-01-01", "1900-02-29", "2026-02-29", "2026-04-31", "2026-13-01", "10000-01-01", "2026-6-1"]) {
      expect(isCalendarDate(d), d).toBe(false);
    }
  });

  it("timestamps: RFC 3339 with a zone, hours 00 to 23", () => {
    for (const t of ["2026-06-15T10:00:00Z", "2026-06-15T10:00:00.123+02:00", "2026-06-15 23:59:59z"]) {
      expect(isTimestamp(t), t).toBe(true);
    }
    for (const t of [
      "0000-01-01T00:00:00Z",
      "2026-06-15T24:00:00Z",
      "2026-06-15T10:00:60Z",
      "2026-06-15T10:00:00",
      "2026-06-15T10:00:00+24:00",
    ]) {
      expect(isTimestamp(t), t).toBe(false);
    }
  });

  it("request schemas: every free string gets a text rule, every number safe bounds; enums and given bounds stay", () => {
    const out = withInputRules({
      type: "object",
      properties: {
        name: { type: "string" },
        notes: { type: ["string", "null"], "x-text": "multiline" },
        kind: { type: "string", enum: ["a", "b"] },
        id: { type: "integer", minimum: 1 },
        share: { type: "number", minimum: 0, maximum: 100 },
      },
    }) as { properties: Record<string, Record<string, unknown>> };
    expect(out.properties.name).toMatchObject({ "x-text": "line" });
    expect(out.properties.notes).toMatchObject({ "x-text": "multiline" });
    expect(out.properties.kind).not.toHaveProperty("x-text");
    expect(out.properties.id).toMatchObject({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    expect(out.properties.share).toMatchObject({ minimum: 0, maximum: 100 });
  });
});
