/**
 * Browser-side validation with the same schemas and the same verdicts as the server (the
 * contract's JSON Schemas with the input rules, checked by Ajv with its formats, as Fastify does):
 * a form shows what is wrong before it sends anything, and what the server refuses anyway appears
 * on the same fields. The validators are Ajv standalone code generated at build time
 * (packages/web/build/validators.ts): compiling them here would need eval, which the
 * Content-Security-Policy does not allow.
 */

import { type Validator, validators } from "virtual:kundenakte/validators";
import type { TSchema } from "@sinclair/typebox";
import type { TFunction } from "i18next";

function validatorOf(schema: TSchema): Validator {
  const v = validators.get(schema);
  // A programming error, not a user's: the schema is missing from validated-schemas.ts.
  if (!v) throw new Error("No form validator for this schema: add it to packages/web/src/lib/validated-schemas.ts");
  return v;
}

/** Field → message for every field the schema refuses ("name1", "addresses/0/city"). */
export function validate(schema: TSchema, value: unknown, t: TFunction): Record<string, string> {
  const check = validatorOf(schema);
  // What the server will see: the JSON the form sends (undefined fields gone), and a copy, since
  // the server's options coerce types and fill in defaults in place.
  if (check(value === undefined ? value : JSON.parse(JSON.stringify(value)))) return {};
  const out: Record<string, string> = {};
  for (const e of check.errors ?? []) {
    let field = e.instancePath.replace(/^\//, "");
    if (e.keyword === "required")
      field = [field, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join("/");
    if (out[field]) continue;
    const p = e.params as { limit?: number; format?: string };
    switch (e.keyword) {
      case "required":
        out[field] = t("form.required");
        break;
      case "minLength":
        out[field] = p.limit === 1 ? t("form.required") : t("form.minLength", { count: p.limit });
        break;
      case "maxLength":
        out[field] = t("form.maxLength", { count: p.limit });
        break;
      case "format":
        out[field] = t(`form.format.${p.format}`, { defaultValue: t("form.invalid") });
        break;
      default:
        out[field] = t("form.invalid");
    }
  }
  return out;
}

/** The server's field errors (problem document `errors`) as field → message. */
export function serverFieldErrors(errors: { field: string; message: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) out[e.field.replace(/^body\//, "")] ??= e.message;
  return out;
}
