/**
 * Reads what a user typed into the keys of search-keys.ts and into the full-text query of
 * each engine. A query is a list of groups, one per typed word, that must all match (AND);
 * a group matches when any of its keys does (OR).
 */

import { koelnerPhonetik } from "../../domain/koelner-phonetik.js";
import { toE164 } from "../../domain/phone.js";
import type { RequestContext } from "../../http/context.js";
import {
  alnumOf,
  emailKeyOf,
  nationalNumberOf,
  ownerKey,
  phoneEndKey,
  phonePartKeys,
  regionKey,
  wordsOf,
} from "./search-keys.js";

export interface Key {
  key: string;
  prefix: boolean;
  /** More keys that must match together with this one (the pieces of a typed phone number). */
  with?: string[];
}

export interface QueryGroup {
  /** The folded word (or digits) this group stands for; what the ranking compares with. */
  text: string;
  kind: "word" | "phone";
  /** Keys of exact, prefix and substring matches. */
  strict: Key[];
  /** Keys of the tolerant pass: phonetic code (misspellings come from the vocabulary). */
  tolerant: Key[];
  /** Whether spelling correction applies (a word of letters, long enough). */
  correctable: boolean;
}

export interface QueryPlan {
  groups: QueryGroup[];
  /** Keys that name one record exactly (a whole number, e-mail address, VAT ID): read first. */
  exact: Key[];
  /**
   * A typed e-mail address or its beginning ("hans.meier@baeck"), as its e_ key is written
   * without the prefix: found by the e-mail key alone, the words of the address only if that finds nothing.
   */
  email: string | null;
  /** The query folded as one string (to recognise an exact name). */
  folded: string;
}

// Digits written the way phone numbers are: "+49 30 1234567", "030/1234567", "(030) 123 45-67".
const PHONE_LIKE_RE = /^\+?[\d\s()/.-]+$/;
const MAX_GROUPS = 8;

/**
 * Words most customers have ("Straße", "GmbH", "de"): reading their index entries costs more than
 * the rest of the query together, and they narrow nothing. They are left out of the index query
 * when the query has other words, and still checked by the ranking (so they must match).
 */
const FREQUENT = new Set([
  "strasse",
  "str",
  "weg",
  "platz",
  "allee",
  "ring",
  "gasse",
  "gmbh",
  "mbh",
  "co",
  "kg",
  "ag",
  "ohg",
  "ug",
  "und",
  "am",
  "an",
  "im",
  "in",
  "der",
  "die",
  "das",
  "von",
  "zum",
  "zur",
  "de",
  "com",
]);

/**
 * The groups that go into the index query: without the frequent words and without single
 * characters (the prefix of a good part of the index, read to narrow almost nothing), unless
 * nothing else is left. The ranking still requires them to match. (Two letters stay: left out,
 * the 60 candidates read could all lack them — "Andre Adle Am Ba" found 4 results instead of 10.)
 */
export function indexGroups(plan: QueryPlan): QueryGroup[] {
  const narrow = plan.groups.filter((g) => !(g.kind === "word" && (FREQUENT.has(g.text) || g.text.length < 2)));
  return narrow.length > 0 ? narrow : plan.groups;
}

export function planQuery(q: string): QueryPlan {
  const trimmed = q.trim();
  const digits = trimmed.replace(/\D+/g, "");
  if (PHONE_LIKE_RE.test(trimmed) && digits.length >= 5 && /[\s()/.\-+]/.test(trimmed)) {
    const g = phoneGroup(trimmed, digits);
    return { groups: [g], exact: [phoneEndKey(g.text)], folded: digits, email: null };
  }
  if (/^\d{5,}$/.test(trimmed)) {
    // Bare digits: a phone number, a (partial) customer number or a postal code.
    const g = phoneGroup(trimmed, digits);
    g.strict.push(...numberKeys(digits), { key: `w_${digits}`, prefix: true });
    return { groups: [g], exact: [{ key: `n_${digits}`, prefix: false }], folded: digits, email: null };
  }
  const groups: QueryGroup[] = [];
  const exact: Key[] = [];
  const tokens = trimmed.split(/\s+/);
  let email: string | null = null;
  if (tokens.length === 1) {
    const t = tokens[0]!;
    if (t.includes("@")) {
      email = emailKeyOf(t);
      // A prefix: the address as far as typed ("erika.mustermann@schm").
      if (email) exact.push({ key: `e_${email}`, prefix: true });
    } else if (/\d/.test(t) && alnumOf(t)) {
      exact.push({ key: `n_${alnumOf(t)}`, prefix: false }, { key: `v_${alnumOf(t)}`, prefix: false });
    }
  }
  const seen = new Set<string>();
  for (const raw of tokens) {
    // "K-10023", "DE123456789", "12a": a token with digits is one number-like word, not split
    // (an e-mail address is split into its words).
    const words = /\d/.test(raw) && !raw.includes("@") ? [alnumOf(raw)].filter(Boolean) : wordsOf(raw);
    for (const w of words) {
      if (seen.has(w) || groups.length >= MAX_GROUPS) continue;
      seen.add(w);
      groups.push(wordGroup(w));
    }
  }
  return { groups, exact, folded: wordsOf(trimmed).join(" "), email };
}

function numberKeys(a: string): Key[] {
  return [
    { key: `n_${a}`, prefix: true },
    { key: `d_${a}`, prefix: true },
  ];
}

function phoneGroup(input: string, digits: string): QueryGroup {
  const keys = new Set<string>();
  // "+49 (0)221 …": the (0) is the trunk prefix people add for national callers.
  const parsed = toE164(input.replace(/\(0\)/g, ""));
  if (parsed.ok) keys.add(nationalNumberOf(parsed.value));
  else {
    // Typed with the trunk prefix, or a number without its area code: match it anywhere.
    keys.add(digits.replace(/^(?:0049|\+?49(?=0))?0*/, ""));
  }
  const strict = [...keys].filter(Boolean).map((k): Key => {
    const [first, ...more] = phonePartKeys(k);
    return more.length > 0 ? { ...first!, with: more.map((m) => m.key) } : first!;
  });
  // Ranking compares with the number as the index holds it (national significant number).
  const text = parsed.ok ? nationalNumberOf(parsed.value) : digits;
  return { text, kind: "phone", strict, tolerant: [], correctable: false };
}

function wordGroup(w: string): QueryGroup {
  const strict: Key[] = [{ key: `w_${w}`, prefix: true }];
  const hasDigit = /\d/.test(w);
  if (hasDigit) strict.push(...numberKeys(w), { key: `v_${w}`, prefix: true });
  if (w.length >= 4 && !hasDigit) strict.push({ key: `s_${w}`, prefix: true });
  const tolerant: Key[] = [];
  const code = hasDigit ? "" : koelnerPhonetik(w);
  if (code.length >= 2) tolerant.push({ key: `k_${code}`, prefix: false });
  return { text: w, kind: "word", strict, tolerant, correctable: !hasDigit && w.length >= 4 };
}

/** FTS5 query: groups joined with AND, keys of a group with OR. Keys are [a-z0-9_] only. */
export function toFts5(groups: Key[][]): string {
  return groups.map((keys) => `(${keys.map(fts5Key).join(" OR ")})`).join(" AND ");
}

function fts5Key(k: Key): string {
  const one = k.prefix ? `${k.key}*` : k.key;
  return k.with ? `(${[one, ...k.with].join(" AND ")})` : one;
}

/**
 * The word beginnings PostgreSQL's tsvector holds as lexemes of their own ("q_kirch"; migration 015).
 * The longest are as long as SQLite's prefix indexes reach (INDEXED_PREFIX in search.service.ts):
 * beyond that, both engines read a prefix as the vocabulary words it begins.
 */
export const PG_PREFIX_LETTERS = { min: 2, max: 8 };

/**
 * PostgreSQL tsquery text for the same structure (lexemes are [a-z0-9_] only: no quoting needed).
 * A word prefix of 2 to 8 letters is its prefix lexeme: one posting list, where "w_kirch:*"
 * would merge the lists of every word that begins with it before intersecting anything.
 */
export function toTsquery(groups: Key[][]): string {
  return groups.map((keys) => `(${keys.map(tsqueryKey).join(" | ")})`).join(" & ");
}

function tsqueryKey(k: Key): string {
  if (k.with) return `(${[tsqueryKey({ key: k.key, prefix: k.prefix }), ...k.with].join(" & ")})`;
  if (!k.prefix) return k.key;
  const letters = k.key.length - 2;
  if (k.key.startsWith("w_") && letters >= PG_PREFIX_LETTERS.min && letters <= PG_PREFIX_LETTERS.max) {
    return `q_${k.key.slice(2)}`;
  }
  return `${k.key}:*`;
}

/** Alternatives (OR) of AND-groups, optionally ANDed with one more group (the row-level rule). */
export function anyOf(engine: "sqlite" | "postgres", alternatives: Key[][][], and: Key[] | null): string {
  const render = engine === "sqlite" ? toFts5 : toTsquery;
  const or = alternatives.map((a) => `(${render(a)})`).join(engine === "sqlite" ? " OR " : " | ");
  if (!and) return or;
  return engine === "sqlite" ? `(${or}) AND ${render([and])}` : `(${or}) & ${render([and])}`;
}

/** Restricted users (row-level rule) find only their own customers and region: one more AND-group in the index query. */
export function visibilityKeys(ctx: RequestContext): Key[] | null {
  const v = ctx.visibility;
  if (!v) return null;
  const keys: Key[] = [{ key: ownerKey(v.owner), prefix: false }];
  if (v.region) keys.push({ key: regionKey(v.region), prefix: false });
  return keys;
}
