import { MAX_ID } from "@kundenakte/contract";
import { AppError } from "../http/errors.js";
import { isCalendarDate, isTimestamp, textFault } from "../http/input-rules.js";

/** Encodes a keyset position as an opaque, URL-safe cursor. */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/**
 * What one position of a cursor holds: a sort text, an ISO timestamp, a calendar date, a
 * record id (1…2^53−1) or a whole number (a sum, or 0 for "none").
 */
export type CursorField = "text" | "timestamp" | "date" | "id" | "integer";

const FITS: Record<CursorField, (v: unknown) => boolean> = {
  text: (v) => typeof v === "string" && v.length <= 2000 && textFault(v) === null,
  timestamp: (v) => typeof v === "string" && isTimestamp(v),
  date: (v) => typeof v === "string" && isCalendarDate(v),
  id: (v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= MAX_ID,
  integer: (v) => Number.isSafeInteger(v),
};

/**
 * Decodes a cursor made by `encodeCursor` and checks every position against `shape`: a
 * tampered or foreign cursor is a 400 `invalid_cursor`, never a value the database chokes on.
 */
export function decodeCursor<const S extends readonly CursorField[]>(cursor: string, shape: S): CursorValues<S> {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === shape.length && shape.every((f, i) => FITS[f](values[i]))) {
      return values as CursorValues<S>;
    }
  } catch {
    // fall through
  }
  throw new AppError("bad_request", "The cursor is not valid for this list; start again without it", {
    errors: [{ field: "cursor", code: "invalid_cursor", message: "not a cursor of this list" }],
  });
}

type CursorValues<S extends readonly CursorField[]> = {
  -readonly [K in keyof S]: S[K] extends "text" | "timestamp" | "date" ? string : number;
};
