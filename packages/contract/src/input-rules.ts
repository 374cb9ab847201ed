import { MAX_ID, TEXT_KEYWORD, type TextKind } from "./common.js";

/**
 * The input rules every request passes, whatever its route declares (docs/API.md, "Input rules"):
 * text without control characters or lone surrogates, numbers within the safe integer range,
 * real calendar dates of years 1…9999. They live in the contract because two validators apply
 * them: the server's (Ajv in Fastify, packages/server/src/http/input-rules.ts) and the web UI's
 * (Ajv standalone code generated at build time, packages/web/build/validators.ts). One set of
 * functions, so both give the same verdict.
 */

/** Control characters (C0, DEL, C1); tab, line feed and carriage return are allowed in multi-line text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const LINE_FAULT = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const MULTILINE_FAULT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Why a text is refused, as the stable field-error code; null when it is fine. */
export function textFault(value: string, kind: TextKind = "line"): "control_character" | "lone_surrogate" | null {
  if ((kind === "multiline" ? MULTILINE_FAULT : LINE_FAULT).test(value)) return "control_character";
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) return "lone_surrogate";
  return null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** A real calendar date (leap years included) of the years 0001…9999. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(2000, mo, 0)).getUTCDate(); // 2000 is a leap year: Feb has 29
  if (mo === 2 && d === 29) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= days;
}

/** An RFC 3339 timestamp with a time zone, of a real date in 0001…9999 (no leap seconds). */
export function isTimestamp(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m || !isCalendarDate(m[1]!)) return false;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return false;
  // Groups 7 and 8: the hours and minutes of a numeric offset (absent for Z).
  return m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
}

/**
 * The date formats of the input rules, as Ajv format definitions: stricter than ajv-formats'
 * (which takes year 0000, PostgreSQL does not). Registered after ajv-formats, replacing its own.
 */
export const INPUT_FORMATS = {
  date: { type: "string", validate: isCalendarDate },
  "date-time": { type: "string", validate: isTimestamp },
} as const;

/**
 * The Ajv options of request validation, on top of Fastify's defaults (@fastify/ajv-compiler:
 * coerceTypes "array", useDefaults, addUsedSchema false). The server passes them to Fastify;
 * the web UI's validators are generated with the same.
 */
export const REQUEST_AJV_OPTIONS = {
  // Unknown fields are an error, not silently dropped: a typo must not lose data.
  removeAdditional: false,
  allErrors: true,
  allowUnionTypes: true,
  coerceTypes: "array",
  // With strictNumbers, a coerced "1e999" becomes Infinity and skips every number keyword;
  // without it, the bounds the input rules give every number refuse it.
  strictNumbers: false,
} as const;

type Schema = Record<string, unknown>;

const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : typeof s.type === "string" ? [s.type] : []);

/**
 * A copy of a request schema with the rules made explicit: every free string gets `x-text`
 * (single line unless the contract says multi-line), every number a finite, safe range.
 * A copy, because contract schemas are shared with responses and other routes.
 */
export function withInputRules(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withInputRules);
  if (!schema || typeof schema !== "object") return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) {
    out[k] = k === "enum" || k === "const" || k === "default" || k === "examples" ? v : withInputRules(v);
  }
  const types = typesOf(out);
  if (types.includes("string") && out.enum === undefined && out.const === undefined) {
    out[TEXT_KEYWORD] ??= "line";
  }
  if (types.includes("integer") || types.includes("number")) {
    out.maximum ??= MAX_ID;
    out.minimum ??= -MAX_ID;
  }
  return out;
}
