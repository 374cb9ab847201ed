/**
 * Ranks the candidates the index found and says why each matched. Exact numbers first, then
 * exact names, then prefixes and substrings, then misspellings and phonetic neighbours; a
 * match in the customer's name counts more than one in a street.
 */
import { boundedEditDistance } from "../../domain/edit-distance.js";
import { foldWithOffsets } from "../../domain/fold.js";
import { koelnerPhonetik } from "../../domain/koelner-phonetik.js";
import { alnumOf, emailKeyOf, maxEdits, type SearchField, type SearchFieldValue } from "./search-keys.js";
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

/** The best match of one query word so far: plain numbers, turned into a FieldMatch once at the end. */
interface Hit {
  score: number;
  kind: MatchKind;
  ff: FoldedField | null;
  start: number;
  end: number;
}

const noHit = (): Hit => ({ score: -1, kind: "exact", ff: null, start: 0, end: 0 });

function offer(best: Hit, score: number, kind: MatchKind, ff: FoldedField, start: number, end: number): void {
  if (score <= best.score) return;
  best.score = score;
  best.kind = kind;
  best.ff = ff;
  best.start = start;
  best.end = end;
}

/** What ranking needs of a displayed value: folded, split into words, digits for numbers. */
interface Folded {
  folded: string;
  /** Index in `value` of each folded character; null when folding kept every position (ASCII). */
  offsets: number[] | null;
  /** Words of the folded value with their start positions. */
  words: { w: string; at: number }[];
  /** Number fields: letters and digits only, and digits only. */
  alnum: string;
  digits: string;
}

interface FoldedField extends Folded {
  f: SearchFieldValue;
}

const ASCII_RE = /^[\x20-\x7e]*$/;
const DIGIT_RE = /\d/;

/** Words of letters and digits and where they start (a plain loop: matchAll allocated most of the time here). */
function wordsAt(folded: string): { w: string; at: number }[] {
  const words: { w: string; at: number }[] = [];
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 0;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum && start < 0) start = i;
    else if (!alnum && start >= 0) {
      words.push({ w: folded.slice(start, i), at: start });
      start = -1;
    }
  }
  return words;
}

// Candidates of one query share most of their values (the matched name, city, street, first
// names): each is folded once. Bounded; cleared when full.
const FOLDED_CACHE_LIMIT = 100_000;
const foldedCache = new Map<string, Folded>();

function prepare(f: SearchFieldValue): FoldedField {
  const number = NUMBER_FIELDS.has(f.field);
  const cacheKey = number ? `#${f.value}` : f.value;
  let c = foldedCache.get(cacheKey);
  if (c === undefined) {
    // Most values are ASCII: lower-casing keeps every position, no offset table needed.
    const { folded, offsets } = ASCII_RE.test(f.value)
      ? { folded: f.value.toLowerCase(), offsets: null }
      : foldWithOffsets(f.value);
    const alnum = number ? alnumOf(f.value) : "";
    c = { folded, offsets, words: wordsAt(folded), alnum, digits: alnum.replace(/\D+/g, "") };
    if (foldedCache.size >= FOLDED_CACHE_LIMIT) foldedCache.clear();
    foldedCache.set(cacheKey, c);
  }
  return { ...c, f };
}

function span(ff: FoldedField, start: number, end: number): [number, number] {
  return ff.offsets ? [ff.offsets[start]!, ff.offsets[end]!] : [start, end];
}

// Phonetic codes of the words candidates have: names repeat, so most are computed once.
const PHONETIC_CACHE_LIMIT = 50_000;
const phoneticCache = new Map<string, string>();
function phonetic(w: string): string {
  let c = phoneticCache.get(w);
  if (c === undefined) {
    c = /^[a-z]+$/.test(w) ? koelnerPhonetik(w) : "";
    if (phoneticCache.size >= PHONETIC_CACHE_LIMIT) phoneticCache.clear();
    phoneticCache.set(w, c);
  }
  return c;
}

function matchOf(ff: FoldedField, kind: MatchKind, highlights: [number, number][]): FieldMatch {
  return { field: ff.f.field, value: ff.f.value, contactId: ff.f.contactId ?? null, kind, highlights };
}

/** Digits as typed without leading zeros (for phone comparisons), per query word. */
function typedDigits(g: QueryGroup): string {
  return /^\d+$/.test(g.text) ? g.text.replace(/^0+/, "") : "";
}

/** Exact, prefix and substring matches of one query word in one field. */
function bestInField(g: QueryGroup, typed: string, ff: FoldedField, best: Hit): void {
  const field = ff.f.field;
  const whole = ff.f.value.length;
  if (field === "phone") {
    if (typed.length < 3) return;
    const nsn = ff.f.key ?? "";
    const national = typed.startsWith("49") && !nsn.startsWith("49") ? typed.slice(2) : typed;
    const at = nsn.indexOf(national);
    if (at < 0) return;
    // The subscriber number without its area code ends the number: likelier than digits in between.
    if (at === 0) offer(best, NUMBER_EXACT * 0.9, "exact", ff, 0, whole);
    else offer(best, at + national.length === nsn.length ? NUMBER_PART * 1.4 : NUMBER_PART, "substring", ff, 0, whole);
    return;
  }
  const q = g.text;
  if (NUMBER_FIELDS.has(field)) {
    if (ff.alnum === q || (ff.digits === q && q.length > 0)) offer(best, NUMBER_EXACT, "exact", ff, 0, whole);
    else if (q.length >= 3 && (ff.alnum.includes(q) || ff.digits.includes(q))) {
      offer(best, NUMBER_PART, ff.alnum.startsWith(q) ? "prefix" : "substring", ff, 0, whole);
    }
    return;
  }
  const weight = FIELD_WEIGHT[field];
  for (const { w, at } of ff.words) {
    if (w === q) offer(best, KIND_SCORE.exact * weight, "exact", ff, at, at + w.length);
    else if (w.startsWith(q)) offer(best, KIND_SCORE.prefix * weight, "prefix", ff, at, at + q.length);
    else if (q.length >= 4) {
      const i = w.indexOf(q);
      if (i >= 0) offer(best, KIND_SCORE.substring * weight, "substring", ff, at + i, at + i + q.length);
    }
  }
}

/** Misspellings and sound-alikes: tried only for a word that matched nowhere as typed. */
function tolerantInField(g: QueryGroup, ff: FoldedField, best: Hit): void {
  const field = ff.f.field;
  if (field === "phone" || NUMBER_FIELDS.has(field)) return;
  const weight = FIELD_WEIGHT[field];
  const q = g.text;
  const limit = g.correctable ? maxEdits(q) : 0;
  const code = g.correctable || /^[a-z]+$/.test(q) ? phonetic(q) : "";
  for (const { w, at } of ff.words) {
    if (limit > 0 && Math.abs(w.length - q.length) <= limit) {
      const d = boundedEditDistance(q, w, limit);
      if (d <= limit) {
        offer(best, KIND_SCORE.typo * weight * (d === 1 ? 1 : 0.75), "typo", ff, at, at + w.length);
        continue;
      }
    }
    if (code.length >= 2 && phonetic(w) === code)
      offer(best, KIND_SCORE.phonetic * weight, "phonetic", ff, at, at + w.length);
  }
}

/** Scores one candidate against the query; null when a group finds nothing (the index over-approximates). */
export function rankCandidate(plan: QueryPlan, customerId: number, fields: SearchFieldValue[]): RankedCandidate | null {
  // Fields are folded when a query word needs them: a word of letters never looks at phone
  // numbers, a number only at values with digits (folding is most of the ranking time).
  const prepared: (FoldedField | undefined)[] = new Array(fields.length);
  const at = (i: number) => {
    let ff = prepared[i];
    if (ff === undefined) {
      ff = prepare(fields[i]!);
      prepared[i] = ff;
    }
    return ff;
  };
  let score = 0;
  const matches: FieldMatch[] = [];
  const perContact = new Map<number, number>();
  for (const g of plan.groups) {
    const best = noHit();
    const typed = typedDigits(g);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.field === "phone" && typed.length < 3) continue;
      if (typed !== "" && f.field !== "phone" && !NUMBER_FIELDS.has(f.field) && !DIGIT_RE.test(f.value)) continue;
      bestInField(g, typed, at(i), best);
    }
    if (!best.ff) {
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if (f.field !== "phone" && !NUMBER_FIELDS.has(f.field)) tolerantInField(g, at(i), best);
      }
    }
    const ff = best.ff;
    if (!ff) return null;
    score += best.score;
    // Numbers and phones are highlighted whole: the digits typed need not be contiguous in the display.
    const whole = ff.f.field === "phone" || NUMBER_FIELDS.has(ff.f.field);
    const highlight: [number, number] = whole ? [0, ff.f.value.length] : span(ff, best.start, best.end);
    const same = matches.find((m) => m.field === ff.f.field && m.value === ff.f.value);
    if (same) same.highlights.push(highlight);
    else matches.push(matchOf(ff, best.kind, [highlight]));
    if (ff.f.contactId !== undefined)
      perContact.set(ff.f.contactId, (perContact.get(ff.f.contactId) ?? 0) + best.score);
  }
  // "Exact name": the whole name (or a contact's whole name) is what was typed.
  if (
    plan.folded.length > 0 &&
    fields.some(
      (f, i) =>
        (f.field === "name" || f.field === "contactName") &&
        at(i)
          .words.map((x) => x.w)
          .join(" ") === plan.folded,
    )
  ) {
    score += EXACT_NAME_BONUS;
  }
  // The address typed from its start ("erika.mustermann@schm"): as telling as a number.
  if (plan.email) {
    const i = fields.findIndex((f) => f.field === "email" && emailKeyOf(f.value).startsWith(plan.email!));
    if (i >= 0) {
      const ff = at(i);
      const whole = emailKeyOf(ff.f.value) === plan.email;
      score += whole ? NUMBER_EXACT : NUMBER_PART;
      const end = Math.min(ff.f.value.length, plan.email.length);
      const highlight: [number, number] = whole ? [0, ff.f.value.length] : span(ff, 0, end);
      const listed = matches.findIndex((m) => m.field === "email" && m.value === ff.f.value);
      if (listed >= 0) matches.splice(listed, 1);
      matches.unshift(matchOf(ff, whole ? "exact" : "prefix", [highlight]));
      if (ff.f.contactId !== undefined)
        perContact.set(ff.f.contactId, (perContact.get(ff.f.contactId) ?? 0) + NUMBER_PART);
    }
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
