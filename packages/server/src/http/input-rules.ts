import { INPUT_FORMATS, TEXT_KEYWORD, type TextKind, textFault, withInputRules } from "@kundenakte/contract";
import type { Ajv } from "ajv";
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { FieldErrors } from "./errors.js";

/**
 * Input rules every request passes, whatever its route declares (docs/API.md, "Input rules"):
 * text without control characters or lone surrogates, numbers within the safe integer range,
 * ids and numbers in paths and queries in plain decimal, real calendar dates of years 1…9999.
 * They are applied centrally so that no route can forget them, and both engines see the same
 * well-formed values (PostgreSQL refuses NUL, int8 overflows and year 0 with an error).
 * The rules themselves are in the contract (the web UI checks forms with them too).
 */

export { isCalendarDate, isTimestamp, textFault, withInputRules } from "@kundenakte/contract";

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
  for (const [name, format] of Object.entries(INPUT_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

type Schema = Record<string, unknown>;

const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : typeof s.type === "string" ? [s.type] : []);

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
