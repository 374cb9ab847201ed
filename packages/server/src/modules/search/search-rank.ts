/**
 * Ranks the candidates the index found and says why each matched. Exact numbers first, then
 * exact names, then prefixes and substrings, then misspellings and phonetic neighbours; a
 * match in the customer's name counts more than one in a street.
 */
import damerauLevenshtein from "damerau-levenshtein";
import { foldWithOffsets } from "../../domain/fold.js";
import { koelnerPhonetik } from "../../domain/koelner-phonetik.js";
import { alnumOf, maxEdits, type SearchField, type SearchFieldValue } from "./search-keys.js";
import type { QueryGroup, QueryPlan } from "./search-query.js";

export type MatchKind = "exact" | "prefix" | "substring" | "typo" | "phonetic";

export interface FieldMatch {
  field: SearchField;
  value: string;
  contactId: number | null;
  kind: MatchKind;
  /** [start, end) character ranges of `value` to highlight. */
  highlights: [number, number][];
}

export interface RankedCandidate {
  customerId: number;
  score: number;
  matches: FieldMatch[];
  contactId: number | null;
}

const FIELD_WEIGHT: Record<SearchField, number> = {
  customerNumber: 1,
  debtorNumber: 1,
  mergedNumber: 1,
  vatId: 1,
  phone: 1,
  name: 1,
  contactName: 0.9,
  email: 0.6,
  postalCode: 0.6,
  city: 0.5,
  street: 0.5,
  tag: 0.4,
};

const NUMBER_FIELDS = new Set<SearchField>(["customerNumber", "debtorNumber", "mergedNumber", "vatId"]);
const KIND_SCORE: Record<MatchKind, number> = { exact: 100, prefix: 70, substring: 50, typo: 40, phonetic: 35 };
/** A whole number, VAT ID or phone number typed out beats any name. */
const NUMBER_EXACT = 1000;
const NUMBER_PART = 500;
const EXACT_NAME_BONUS = 200;

interface Found {
  score: number;
  match: FieldMatch;
}

interface FoldedField {
  f: SearchFieldValue;
  folded: string;
  offsets: number[];
  /** Words of the folded value with their start positions. */
  words: { w: string; at: number }[];
}

function prepare(f: SearchFieldValue): FoldedField {
  const { folded, offsets } = foldWithOffsets(f.value);
  const words: { w: string; at: number }[] = [];
  for (const m of folded.matchAll(/[a-z0-9]+/g)) words.push({ w: m[0], at: m.index });
  return { f, folded, offsets, words };
}

function span(ff: FoldedField, start: number, end: number): [number, number] {
  return [ff.offsets[start]!, ff.offsets[end]!];
}

function matchOf(ff: FoldedField, kind: MatchKind, highlights: [number, number][]): FieldMatch {
  return { field: ff.f.field, value: ff.f.value, contactId: ff.f.contactId ?? null, kind, highlights };
}

function bestInField(g: QueryGroup, ff: FoldedField): Found | null {
  const field = ff.f.field;
  if (field === "phone") {
    const nsn = ff.f.key ?? "";
    const typed = g.text.replace(/^0+/, "");
    if (typed.length < 3 || !/^\d+$/.test(typed)) return null;
    const national = typed.startsWith("49") && !nsn.startsWith("49") ? typed.slice(2) : typed;
    const at = nsn.indexOf(national);
    if (at < 0) return null;
    const whole = at === 0;
    // The subscriber number without its area code ends the number: likelier than digits in between.
    const score = whole ? NUMBER_EXACT * 0.9 : at + national.length === nsn.length ? NUMBER_PART * 1.4 : NUMBER_PART;
    return { score, match: matchOf(ff, whole ? "exact" : "substring", [[0, ff.f.value.length]]) };
  }
  if (NUMBER_FIELDS.has(field)) {
    const a = alnumOf(ff.f.value);
    const digits = a.replace(/\D+/g, "");
    if (a === g.text || (digits === g.text && digits.length > 0)) {
      return { score: NUMBER_EXACT, match: matchOf(ff, "exact", [[0, ff.f.value.length]]) };
    }
    if (g.text.length >= 3 && (a.includes(g.text) || digits.includes(g.text))) {
      const kind: MatchKind = a.startsWith(g.text) ? "prefix" : "substring";
      return { score: NUMBER_PART, match: matchOf(ff, kind, [[0, ff.f.value.length]]) };
    }
    return null;
  }
  const weight = FIELD_WEIGHT[field];
  let best: Found | null = null;
  const consider = (kind: MatchKind, start: number, end: number, factor = 1) => {
    const score = KIND_SCORE[kind] * weight * factor;
    if (!best || score > best.score) best = { score, match: matchOf(ff, kind, [span(ff, start, end)]) };
  };
  const q = g.text;
  const limit = g.correctable ? maxEdits(q) : 0;
  const code = g.correctable || /^[a-z]+$/.test(q) ? koelnerPhonetik(q) : "";
  for (const { w, at } of ff.words) {
    if (w === q) consider("exact", at, at + w.length);
    else if (w.startsWith(q)) consider("prefix", at, at + q.length);
    else if (q.length >= 4 && w.includes(q)) {
      const i = w.indexOf(q);
      consider("substring", at + i, at + i + q.length);
    } else {
      if (limit > 0 && Math.abs(w.length - q.length) <= limit) {
        const d = damerauLevenshtein(q, w).steps;
        if (d <= limit) consider("typo", at, at + w.length, d === 1 ? 1 : 0.75);
      }
      if (code.length >= 2 && /^[a-z]+$/.test(w) && koelnerPhonetik(w) === code)
        consider("phonetic", at, at + w.length);
    }
  }
  return best;
}

/** Scores one candidate against the query; null when a group finds nothing (the index over-approximates). */
export function rankCandidate(plan: QueryPlan, customerId: number, fields: SearchFieldValue[]): RankedCandidate | null {
  const prepared = fields.map(prepare);
  let score = 0;
  const matches: FieldMatch[] = [];
  const perContact = new Map<number, number>();
  for (const g of plan.groups) {
    let best: Found | null = null;
    for (const ff of prepared) {
      const found = bestInField(g, ff);
      if (found && (!best || found.score > best.score)) best = found;
    }
    if (!best) return null;
    score += best.score;
    const same = matches.find((m) => m.field === best!.match.field && m.value === best!.match.value);
    if (same) same.highlights.push(...best.match.highlights);
    else matches.push(best.match);
    if (best.match.contactId !== null) {
      perContact.set(best.match.contactId, (perContact.get(best.match.contactId) ?? 0) + best.score);
    }
  }
  // "Exact name": the whole name (or a contact's whole name) is what was typed.
  if (
    plan.folded.length > 0 &&
    prepared.some(
      (ff) =>
        (ff.f.field === "name" || ff.f.field === "contactName") && ff.words.map((x) => x.w).join(" ") === plan.folded,
    )
  ) {
    score += EXACT_NAME_BONUS;
  }
  let contactId: number | null = null;
  let contactScore = 0;
  for (const [id, s] of perContact) {
    if (s > contactScore) {
      contactId = id;
      contactScore = s;
    }
  }
  for (const m of matches) m.highlights.sort((a, b) => a[0] - b[0]);
  return { customerId, score, matches, contactId };
}
