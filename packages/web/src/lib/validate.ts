/**
 * Browser-side validation with the same schemas the server validates with (the contract's
 * TypeBox schemas): a form shows what is wrong before it sends anything, and what the server
 * refuses anyway is shown on the same fields.
 */
import { FormatRegistry, type TSchema } from "@sinclair/typebox";
import { Value, ValueErrorType } from "@sinclair/typebox/value";
import type { TFunction } from "i18next";

// The formats the contract uses; Ajv checks the same on the server.
if (!FormatRegistry.Has("email")) FormatRegistry.Set("email", (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v));
if (!FormatRegistry.Has("date")) FormatRegistry.Set("date", (v) => /^\d{4}-\d{2}-\d{2}$/.test(v));
if (!FormatRegistry.Has("date-time")) FormatRegistry.Set("date-time", (v) => !Number.isNaN(Date.parse(v)));

/** Field → message for every field the schema refuses ("name1", "addresses/0/city"). */
export function validate(schema: TSchema, value: unknown, t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of Value.Errors(schema, value)) {
    const field = e.path.replace(/^\//, "");
    if (out[field]) continue;
    const s = e.schema as { minLength?: number; maxLength?: number; format?: string };
    switch (e.type) {
      case ValueErrorType.StringMinLength:
        out[field] = s.minLength === 1 ? t("form.required") : t("form.minLength", { count: s.minLength });
        break;
      case ValueErrorType.StringMaxLength:
        out[field] = t("form.maxLength", { count: s.maxLength });
        break;
      case ValueErrorType.StringFormat:
        out[field] = t(`form.format.${s.format}`, { defaultValue: t("form.invalid") });
        break;
      case ValueErrorType.ObjectRequiredProperty:
        out[field] = t("form.required");
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
