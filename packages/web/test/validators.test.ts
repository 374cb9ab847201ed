/**
 * The web UI's form validators (Ajv standalone code generated at build time, build/validators.ts)
 * give the same verdicts as the server's request validation (Fastify's Ajv with the contract's
 * options, ajv-formats and the input rules) — on valid values, on the fuzzer's bad values and on
 * the input rules' edge cases — and `validate` maps their errors to the form's fields.
 */

import { validators } from "virtual:kundenakte/validators";
import defaultAjvOptions from "@fastify/ajv-compiler/lib/default-ajv-options.js";
import * as contract from "@kundenakte/contract";
import { REQUEST_AJV_OPTIONS, withInputRules } from "@kundenakte/contract";
import type { TSchema } from "@sinclair/typebox";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import type { TFunction } from "i18next";
import { describe, expect, it } from "vitest";
import { Random } from "../../server/src/demo/factories.js";
import { inputRulesAjv } from "../../server/src/http/input-rules.js";
import { badValue, type Schema, validValue } from "../../server/test/fuzz/values.js";
import { validate } from "../src/lib/validate.js";
import { VALIDATED_SCHEMAS } from "../src/lib/validated-schemas.js";

/** The server's request validator, configured as buildApp configures Fastify's. */
const serverAjv = inputRulesAjv(
  (addFormats as unknown as (a: Ajv) => Ajv)(new Ajv({ ...defaultAjvOptions, ...REQUEST_AJV_OPTIONS })),
);
const schemaOf = (name: string) => (contract as unknown as Record<string, TSchema>)[name]!;

/** Verdict and errors (field and keyword) of a validator, on a copy (both coerce in place). */
function verdict(check: ((v: unknown) => boolean) & { errors?: unknown }, value: unknown) {
  const ok = check(structuredClone(value));
  const errors = ((check.errors ?? []) as { instancePath: string; keyword: string }[])
    .map((e) => `${e.instancePath} ${e.keyword}`)
    .sort();
  return { ok, errors: ok ? [] : errors };
}

/** Values of every kind: valid ones, and each field replaced in turn by one of the fuzzer's bad values. */
function corpus(schema: Schema, rng: Random): unknown[] {
  const values: unknown[] = [];
  for (let i = 0; i < 20; i++) {
    const valid = validValue(schema, rng, () => rng.int(1, 50)) as Record<string, unknown>;
    values.push(valid);
    for (const [field, s] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      values.push({ ...valid, [field]: badValue(s, rng, field) });
    }
    const { [rng.pick(Object.keys(valid).concat("none"))]: _dropped, ...missing } = valid;
    values.push(missing, { ...valid, unknownField: 1 });
  }
  return values;
}

/** The input rules' edge cases, put in every string, number and date field the schema has. */
const EDGES = [
  "Nord\u0000",
  "zwei\nZeilen",
  "\ud800",
  "Ärger & Co. 😀",
  "0000-01-01",
  "2026-02-29",
  "2028-02-29",
  "2026-06-15T24:00:00Z",
  "2026-06-15T10:00:00+01:00",
  "5",
  "1e999",
  9007199254740992,
  -1,
  "",
  null,
];

describe("the web UI's form validators", () => {
  it("exist for every listed schema, and nothing in them compiles code at run time", () => {
    expect(validators.size).toBe(VALIDATED_SCHEMAS.length);
    for (const name of VALIDATED_SCHEMAS) expect(validators.get(schemaOf(name)), name).toBeTypeOf("function");
    for (const check of validators.values()) expect(String(check)).not.toMatch(/\bnew Function\b|\beval\(/);
  });

  it("give the server's verdicts: valid values, bad values and the input rules' edge cases", () => {
    const rng = new Random("validators");
    let compared = 0;
    let refused = 0;
    for (const name of VALIDATED_SCHEMAS) {
      const schema = schemaOf(name);
      const server = serverAjv.compile(withInputRules(schema) as object);
      const browser = validators.get(schema)!;
      const base = validValue(schema as Schema, rng, () => 1) as Record<string, unknown>;
      const edges = Object.keys((schema as Schema).properties as object).flatMap((field) =>
        EDGES.map((edge) => ({ ...base, [field]: edge })),
      );
      for (const value of [...corpus(schema as Schema, rng), ...edges]) {
        const expected = verdict(server, value);
        expect(verdict(browser, value), `${name} ${JSON.stringify(value)}`).toEqual(expected);
        compared++;
        if (!expected.ok) refused++;
      }
    }
    // The comparison covers both verdicts in numbers, not a corpus the validators all accept.
    expect(compared).toBeGreaterThan(2000);
    expect(refused).toBeGreaterThan(compared / 4);
    expect(compared - refused).toBeGreaterThan(100);
  });

  it("maps errors to the form's fields and messages, with the input rules the server applies", () => {
    const t = ((key: string, o?: { count?: number }) => (o?.count ? `${key}:${o.count}` : key)) as TFunction;
    const CustomerCreate = schemaOf("CustomerCreate");
    expect(validate(CustomerCreate, { kind: "company", name1: "Nord GmbH" }, t)).toEqual({});
    expect(validate(CustomerCreate, { kind: "company", name1: "" }, t)).toEqual({ name1: "form.required" });
    expect(validate(CustomerCreate, { kind: "company", name1: "x".repeat(201) }, t)).toEqual({
      name1: "form.maxLength:200",
    });
    // Refused by the input rules only (the contract schema alone would take them).
    expect(validate(CustomerCreate, { kind: "company", name1: "Nord\u0000GmbH" }, t)).toEqual({
      name1: "form.invalid",
    });
    expect(validate(schemaOf("FollowUpCreate"), { dueAt: "0000-01-01T10:00:00Z" }, t)).toMatchObject({
      dueAt: "form.format.date-time",
    });
    // Fields the form leaves undefined are not sent, so not "unknown fields" either.
    expect(validate(CustomerCreate, { kind: "company", name1: "Nord GmbH", name2: undefined }, t)).toEqual({});
    expect(() => validate(contract.ContactMergeRequest as TSchema, {}, t)).toThrow(/validated-schemas/);
  });
});
