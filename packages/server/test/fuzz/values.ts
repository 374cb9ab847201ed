import type { Random } from "../../src/demo/factories.js";

/** A JSON Schema node as the OpenAPI document has it. */
export type Schema = Record<string, unknown>;

/** Where generated ids come from: the name of the field (`customerId`) → ids seen in the data. */
export type IdSource = (fieldName: string) => number | undefined;

const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : typeof s.type === "string" ? [s.type] : []);

/** The non-null alternatives of a node (nullable types, anyOf / oneOf). */
function alternatives(s: Schema): Schema[] {
  const list = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (list) return list.filter((a) => !typesOf(a).includes("null") || typesOf(a).length > 1);
  return [s];
}

/** Values for patterns the contract uses; a pattern not listed here gets a plain word. */
const PATTERN_VALUES: Record<string, string[]> = {
  "^[A-Z]{2}$": ["DE", "AT", "CH"],
  "^[a-z]{2}$": ["de", "en"],
  "^\\S+$": ["word"],
};

const WORDS = ["Müller", "Bäckerei", "Nord", "Straße 5", "Köln", "Anna", "Test", "Ärger & Co.", "x"];

function stringFor(s: Schema, rng: Random, name: string): string {
  if (s.format === "date")
    return `2026-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
  if (s.format === "date-time")
    return `2026-${String(rng.int(1, 12)).padStart(2, "0")}-15T${String(rng.int(0, 23)).padStart(2, "0")}:30:00.000Z`;
  if (s.format === "email") return `fuzz${rng.int(1, 999)}@example.com`;
  if (s.format === "time") return `${String(rng.int(6, 18)).padStart(2, "0")}:00`;
  const examples = s.examples as unknown[] | undefined;
  if (typeof s.pattern === "string") {
    const known = PATTERN_VALUES[s.pattern];
    if (known) return rng.pick(known);
    if (examples?.length) return String(rng.pick(examples));
  }
  if (examples?.length && rng.chance(0.5)) return String(rng.pick(examples));
  if (/password/i.test(name)) return "correct horse battery staple";
  const min = Number(s.minLength ?? 0);
  const max = Number(s.maxLength ?? 60);
  let text = rng.pick(WORDS);
  if (rng.chance(0.2)) text += ` ${rng.pick(WORDS)}`;
  while (text.length < min) text += "x";
  return text.slice(0, Math.max(max, min));
}

function numberFor(s: Schema, rng: Random, integer: boolean, name: string, ids: IdSource): number {
  if (integer && /id$/i.test(name)) {
    const id = ids(name);
    if (id !== undefined) return id;
  }
  const exMin = s.exclusiveMinimum as number | undefined;
  const exMax = s.exclusiveMaximum as number | undefined;
  const min = Math.max(Number(s.minimum ?? (exMin !== undefined ? exMin + 1 : 0)), -1000);
  const max = Math.min(Number(s.maximum ?? (exMax !== undefined ? exMax - 1 : 1000)), Math.max(min, 0) + 1000);
  let v = rng.int(Math.ceil(min), Math.floor(Math.max(min, max)));
  const step = s.multipleOf as number | undefined;
  if (step && step >= 1) v = Math.ceil(v / step) * step;
  return v;
}

/** A value that satisfies `schema` (as far as a schema can say), built from `rng`. */
export function validValue(schema: Schema, rng: Random, ids: IdSource, name = "", depth = 0): unknown {
  const s = rng.pick(alternatives(schema));
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) {
    const options = s.enum.filter((v) => v !== null);
    return options.length ? rng.pick(options) : null;
  }
  if (Array.isArray(s.allOf)) return validValue(Object.assign({}, ...(s.allOf as Schema[])), rng, ids, name, depth);
  const types = typesOf(s).filter((t) => t !== "null");
  const type = types.length ? rng.pick(types) : s.properties ? "object" : "string";
  switch (type) {
    case "string":
      return stringFor(s, rng, name);
    case "integer":
      return numberFor(s, rng, true, name, ids);
    case "number":
      return numberFor(s, rng, false, name, ids);
    case "boolean":
      return rng.chance(0.5);
    case "array": {
      const n = rng.int(Number(s.minItems ?? 0), Math.min(Number(s.maxItems ?? 2), Number(s.minItems ?? 0) + 2));
      const item = (s.items as Schema | undefined) ?? { type: "string" };
      const out = Array.from({ length: depth > 4 ? Number(s.minItems ?? 0) : n }, () =>
        validValue(item, rng, ids, name.replace(/s$/, ""), depth + 1),
      );
      return s.uniqueItems ? [...new Map(out.map((v) => [JSON.stringify(v), v])).values()] : out;
    }
    case "object": {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set((s.required as string[] | undefined) ?? []);
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(props)) {
        if (required.has(k) || (depth < 4 && rng.chance(0.5))) out[k] = validValue(p, rng, ids, k, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

/** Texts that must be refused wherever text is taken. */
const BAD_TEXTS = [
  "a\u0000b",
  "\u0000",
  "bell\u0007",
  "esc\u001b[31m",
  "del\u007f",
  "c1\u0085",
  "\ud800",
  "lone \udfff low",
  "tab\tin a line",
  "line\nbreak",
];

/** Numbers and number-like strings that overflow, underflow or hide in another notation. */
const BAD_NUMBERS: unknown[] = [
  1e308,
  -1e308,
  1e21,
  2 ** 63,
  -(2 ** 63),
  Number.MAX_SAFE_INTEGER + 2,
  0,
  -1,
  0.5,
  "1e999",
  "-1e999",
  "1e21",
  "0x10",
  "3e2",
  "+303",
  "99999999999999999999999",
  "",
  "NaN",
];

const BAD_DATES = [
  "0000-01-01",
  "2026-02-30",
  "2025-02-29",
  "10000-01-01",
  "2026-13-01",
  "0000-01-01T00:00:00Z",
  "2026-06-15T24:00:00Z",
  "2026-06-15T10:00:00",
  "2026-06-15T10:00:60Z",
  "-000001-01-01T00:00:00Z",
  "yesterday",
];

const b64 = (v: string) => Buffer.from(v).toString("base64url");

/** Cursors a client could forge: SQL, huge numbers, wrong shapes, not even base64. */
export const BAD_CURSORS = [
  b64(JSON.stringify(["' OR 1=1--", 1])),
  b64(JSON.stringify([1e308, 1])),
  b64(JSON.stringify(["0000-01-01T00:00:00Z", 1])),
  b64(JSON.stringify(["2026-01-01", 1e21])),
  b64(JSON.stringify(["a\u0000", -5])),
  b64(JSON.stringify([null, null])),
  b64(JSON.stringify([1e308])),
  b64(JSON.stringify({ a: 1 })),
  b64(JSON.stringify([[], {}, "x"])),
  b64("not json"),
  "%%%",
  "x".repeat(600),
];

/** A value of the wrong kind for `schema`, or an edge value of the right kind. */
export function badValue(schema: Schema, rng: Random, name: string): unknown {
  const s = rng.pick(alternatives(schema));
  const types = typesOf(s);
  if (/cursor/i.test(name)) return rng.pick(BAD_CURSORS);
  if (s.format === "date" || s.format === "date-time") return rng.pick(BAD_DATES);
  const options: (() => unknown)[] = [
    () => rng.pick(BAD_TEXTS),
    () => rng.pick(BAD_NUMBERS),
    () => rng.pick([null, true, [], {}, [1, 2], { $ne: 1 }]),
  ];
  if (types.includes("string")) {
    options.push(
      () => rng.pick(BAD_TEXTS),
      () => "x".repeat(Number(s.maxLength ?? 1000) + 1),
      () => "ü".repeat(100_000),
      () => (s.minLength ? "" : rng.pick(BAD_TEXTS)),
    );
  }
  if (types.includes("integer") || types.includes("number")) options.push(() => rng.pick(BAD_NUMBERS));
  return rng.pick(options)();
}

/** The same value as a query-string or path text. */
export function asParam(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || typeof v !== "object") return String(v);
  return JSON.stringify(v);
}

/** Percent-encodes a parameter; lone surrogates go as raw (invalid) UTF-8 bytes. */
export function encodeParam(v: string): string {
  let out = "";
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    out +=
      c >= 0xd800 && c <= 0xdfff
        ? `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`
        : encodeURIComponent(ch);
  }
  return out;
}
