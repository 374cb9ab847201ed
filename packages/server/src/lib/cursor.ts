import { AppError } from "../http/errors.js";

/** Encodes a keyset position as an opaque, URL-safe cursor. */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/** Decodes a cursor made by `encodeCursor`; a tampered or foreign cursor is a 400. */
export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through
  }
  throw new AppError("bad_request", "The cursor is not valid for this list; start again without it", {
    errors: [{ field: "cursor", code: "invalid_cursor", message: "not a cursor of this list" }],
  });
}
