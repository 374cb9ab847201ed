import { MAX_ID, TEXT_KEYWORD, type TextKind } from "@kundenakte/contract";
import type { Ajv } from "ajv";
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { FieldErrors } from "./errors.js";

/**
 * Input rules every request passes, whatever its route declares (docs/API.md, "Input rules"):
 * text without control characters or lone surrogates, numbers within the safe integer range,
 * ids and numbers in paths and queries in plain decimal, real calendar dates of years 1…9999.
 * They are applied centrally so that no route can forget them, and both engines see the same
 * well-formed values (PostgreSQL refuses NUL, int8 overflows and year 0 with an error).
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
 * Ajv plugin (run by Fastify after its formats): the `x-text` keyword and the stricter date
 * formats. The keyword's error carries the field-error code in `params.code`.
 */
export function inputRulesAjv(ajv: Ajv): Ajv {
  ajv.addKeyword({
    keyword: TEXT_KEYWORD,
    type: "string",
    schemaType: "string",
    errors: true,
    validate: function validateText(kind: TextKind, data: string) {
      const code = textFault(data, kind);
      if (!code) return true;
      const message = code === "control_character" ? "must not contain control characters" : "is not valid Unicode";
      (validateText as unknown as { errors: unknown[] }).errors = [
        { keyword: TEXT_KEYWORD, message, params: { code } },
      ];
      return false;
    },
  });
  ajv.addFormat("date", { type: "string", validate: isCalendarDate });
  ajv.addFormat("date-time", { type: "string", validate: isTimestamp });
  return ajv;
}

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

const CANONICAL: Record<string, RegExp> = {
  integer: /^-?(0|[1-9]\d*)$/,
  number: /^-?(0|[1-9]\d*)(\.\d+)?$/,
};

/** The numeric parameters of a params/querystring schema: name → integer or number. */
function numericFields(schema: unknown): Map<string, RegExp> {
  const fields = new Map<string, RegExp>();
  const props = (schema as Schema | undefined)?.properties as Record<string, Schema> | undefined;
  for (const [name, s] of Object.entries(props ?? {})) {
    const item = typesOf(s).includes("array") ? ((s.items as Schema | undefined) ?? {}) : s;
    const t = typesOf(item);
    const re = t.includes("integer") ? CANONICAL.integer : t.includes("number") ? CANONICAL.number : undefined;
    if (re) fields.set(name, re);
  }
  return fields;
}

/**
 * Ajv coerces "0x10", "3e2", "+303" and "1e999" into numbers; ids and numbers in a URL must be
 * written in plain decimal, so the raw strings are checked before Ajv sees them.
 */
function canonicalNumbersHook(parts: { part: "params" | "querystring"; fields: Map<string, RegExp> }[]) {
  // Runs before every request of such a route (the file endpoint among them): it allocates
  // nothing unless a value is wrong.
  const wrong = (v: unknown, re: RegExp) => typeof v === "string" && !re.test(v);
  return async (req: FastifyRequest) => {
    let errors: FieldErrors | undefined;
    for (const { part, fields } of parts) {
      const values = (part === "params" ? req.params : req.query) as Record<string, unknown> | undefined;
      for (const [name, re] of fields) {
        const raw = values?.[name];
        if (Array.isArray(raw) ? raw.some((v) => wrong(v, re)) : wrong(raw, re)) {
          errors ??= new FieldErrors();
          errors.add(`${part}/${name}`, "type", "must be a number in plain decimal digits");
        }
      }
    }
    errors?.throwIfAny();
  };
}

/** Applies the input rules to every route registered after this call. */
export function registerInputRules(app: FastifyInstance): void {
  app.addHook("onRoute", (route: RouteOptions) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema) return;
    for (const part of ["body", "querystring", "params"] as const) {
      if (schema[part]) schema[part] = withInputRules(schema[part]);
    }
    const parts = (["params", "querystring"] as const)
      .map((part) => ({ part, fields: numericFields(schema[part]) }))
      .filter((p) => p.fields.size > 0);
    if (parts.length === 0) return;
    const hook = canonicalNumbersHook(parts);
    const existing = route.preValidation;
    route.preValidation = existing ? [hook, ...(Array.isArray(existing) ? existing : [existing])] : [hook];
  });
}
