/**
 * Browser-side validation with the same schemas and the same validator as the server (the
 * contract's JSON Schemas, checked with Ajv and its formats, as Fastify does): a form shows what
 * is wrong before it sends anything, and what the server refuses anyway appears on the same fields.
 */
import type { TSchema } from "@sinclair/typebox";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { TFunction } from "i18next";

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
addFormats(ajv);
const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorOf(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** Field → message for every field the schema refuses ("name1", "addresses/0/city"). */
export function validate(schema: TSchema, value: unknown, t: TFunction): Record<string, string> {
  const check = validatorOf(schema);
  if (check(value)) return {};
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
