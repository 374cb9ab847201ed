import { type Static, type TSchema, type TUnsafe, Type } from "@sinclair/typebox";

/**
 * A nullable value: the field is always present in responses, `null` when empty.
 * Primitive schemas become `type: [t, "null"]` (JSON Schema 2020-12 / OpenAPI 3.1), which
 * validates and serialises much faster than an `anyOf`.
 */
export const Nullable = <T extends TSchema>(schema: T): TUnsafe<Static<T> | null> => {
  const s = schema as Record<string, unknown>;
  if (typeof s.type === "string" && s.type !== "object" && s.type !== "array") {
    const out: Record<string, unknown> = { ...s, type: [s.type, "null"] };
    if (Array.isArray(s.enum)) out.enum = [...s.enum, null];
    return Type.Unsafe<Static<T> | null>(out);
  }
  return Type.Unsafe<Static<T> | null>(Type.Union([schema, Type.Null()]));
};

/** A string enum as a plain JSON Schema `enum` (not an `anyOf` of constants). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });

/** The largest id (and number) the API takes: 2^53 − 1, exact in JSON and in both databases. */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** Database ids are positive integers up to 2^53 − 1. */
export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID, description: "Record id" });

/**
 * The schema keyword that tells the server's validator which characters a text may hold:
 * `line` (the default for every string in a request: no control characters) or `multiline`
 * (also tab, line feed, carriage return). Lone surrogates are refused in both.
 */
export const TEXT_KEYWORD = "x-text";
export type TextKind = "line" | "multiline";

/** A text that may span several lines (notes, descriptions, journal bodies). */
export const MultilineText = (options: Record<string, unknown> = {}) =>
  Type.String({ ...options, [TEXT_KEYWORD]: "multiline" });

/** Every record carries a version; it is also the ETag of its representation. */
export const Version = Type.Integer({ minimum: 1, description: "Optimistic-locking version; also sent as ETag" });

/** UTC timestamp, ISO 8601. */
export const Timestamp = Type.String({ format: "date-time", description: "UTC, ISO 8601" });

/** Calendar date, YYYY-MM-DD. */
export const DateOnly = Type.String({ format: "date", description: "Calendar date, YYYY-MM-DD" });

/** ISO 3166-1 alpha-2 country code. */
export const CountryCode = Type.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2", examples: ["DE"] });

/** ISO 639-1 language code. */
export const LanguageCode = Type.String({ pattern: "^[a-z]{2}$", description: "ISO 639-1", examples: ["de"] });

/** A trimmed, non-empty single line of text. */
export const Line = (maxLength = 200, extra: Record<string, unknown> = {}) =>
  Type.String({ minLength: 1, maxLength, ...extra });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const ChildParams = Type.Object({ id: Id, childId: Id }, { additionalProperties: false });

/** A page of a cursor-paginated list. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: "Pass as `cursor` to get the next page; null on the last page" })),
  });

export const ItemList = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

/**
 * The server's business clock: the web UI counts "today", days overdue and due dates from it,
 * not from the browser's clock or time zone.
 */
export const BusinessTime = Type.Object({
  now: Timestamp,
  today: Type.String({ format: "date", description: "Today's calendar date in the business time zone" }),
  timeZone: Type.String({ description: "The firm's IANA time zone (BUSINESS_TIME_ZONE), e.g. Europe/Berlin" }),
});
export type BusinessTime = Static<typeof BusinessTime>;
