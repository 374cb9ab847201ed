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

const NUMBER_FIELD: Record<SearchField, boolean> = {
  customerNumber: true,
  debtorNumber: true,
  mergedNumber: true,
  vatId: true,
  phone: false,
  name: false,
  contactName: false,
  email: false,
  postalCode: false,
  city: false,
  street: false,
  tag: false,
};
const KIND_SCORE: Record<MatchKind, number> = { exact: 100, prefix: 70, substring: 50, typo: 40, phonetic: 35 };
/** A whole number, VAT ID or phone number typed out beats any name. */
const NUMBER_EXACT = 1000;
const NUMBER_PART = 500;
const EXACT_NAME_BONUS = 200;

/** What ranking needs of a displayed value: folded, split into words, digits for numbers. */
interface Folded {
  folded: string;
  /** Index in `value` of each folded character; null when folding kept every position (ASCII). */
  offsets: number[] | null;
  /** Words of the folded value and where each starts (parallel arrays: no object per word). */
  words: string[];
  starts: number[];
  /** The words joined by single spaces (an exact name is compared with this). */
  joined: string;
  /** Number fields: letters and digits only, and digits only. */
  alnum: string;
  digits: string;
}

/** The best match of one query word: which field, how, where (plain numbers; explained only for shown results). */
interface Hit {
  score: number;
  kind: MatchKind;
  /** Index of the field in the candidate's values; -1 when none matched yet. */
  field: number;
  start: number;
  end: number;
}

/** A candidate's score, and what is needed to explain it if it is shown. */
export interface Scored {
  customerId: number;
  score: number;
  contactId: number | null;
  fields: SearchFieldValue[];
  /** The values folded while scoring (by index; the rest were not needed). */
  folds: (Folded | undefined)[];
  hits: Hit[];
  /** The e-mail address typed from its start, when it matched: which value, whole or how much of it. */
  email: { field: number; whole: boolean; typed: number } | null;
}

const ASCII_RE = /^[\x20-\x7e]*$/;
const DIGIT_RE = /\d/;
const LETTERS_RE = /^[a-z]+$/;

/** Words of letters and digits and where they start (a plain loop: matchAll allocated most of the time here). */
function wordsAt(folded: string, words: string[], starts: number[]): void {
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 0;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum && start < 0) start = i;
    else if (!alnum && start >= 0) {
      words.push(folded.slice(start, i));
      starts.push(start);
      start = -1;
    }
  }
}

function foldValue(f: SearchFieldValue): Folded {
  // Most values are ASCII: lower-casing keeps every position, no offset table needed.
  const { folded, offsets } = ASCII_RE.test(f.value)
    ? { folded: f.value.toLowerCase(), offsets: null }
    : foldWithOffsets(f.value);
  const alnum = NUMBER_FIELD[f.field] ? alnumOf(f.value) : "";
  const words: string[] = [];
  const starts: number[] = [];
  wordsAt(folded, words, starts);
  return { folded, offsets, words, starts, joined: words.join(" "), alnum, digits: alnum.replace(/\D+/g, "") };
}

// Candidates of one query share most of their values (the matched name, city, street, first
// names): each is folded once per search. The caches live as long as the search: kept for the
// process, they held up to 100,000 values in the old generation for the garbage collector to
// walk, and across searches a value seldom came again (a million customers' streets and names).
function fold(r: Ranker, f: SearchFieldValue): Folded {
  const cache = NUMBER_FIELD[f.field] ? r.numbers : r.folded;
  let c = cache.get(f.value);
  if (c === undefined) {
    c = foldValue(f);
    cache.set(f.value, c);
  }
  return c;
}

// Phonetic codes of the words candidates have: names repeat, so most are computed once per search.
function phonetic(r: Ranker, w: string): string {
  let c = r.phonetic.get(w);
  if (c === undefined) {
    c = LETTERS_RE.test(w) ? koelnerPhonetik(w) : "";
    r.phonetic.set(w, c);
  }
  return c;
}

/** What a query word needs for every candidate, worked out once per query. */
interface Word {
  g: QueryGroup;
  /** Digits as typed without leading zeros (phone comparisons); "" for a word with letters. */
  typed: string;
  edits: number;
  code: string;
}

/** A query prepared for ranking many candidates. */
export interface Ranker {
  plan: QueryPlan;
  words: Word[];
  folded: Map<string, Folded>;
  numbers: Map<string, Folded>;
  phonetic: Map<string, string>;
}

export function ranker(plan: QueryPlan): Ranker {
  const words = plan.groups.map((g): Word => {
    const typed = /^\d+$/.test(g.text) ? g.text.replace(/^0+/, "") : "";
    return {
      g,
      typed,
      edits: g.correctable ? maxEdits(g.text) : 0,
      code: g.correctable || LETTERS_RE.test(g.text) ? koelnerPhonetik(g.text) : "",
    };
  });
  return { plan, words, folded: new Map(), numbers: new Map(), phonetic: new Map() };
}

function offer(best: Hit, score: number, kind: MatchKind, field: number, start: number, end: number): void {
  if (score <= best.score) return;
  best.score = score;
  best.kind = kind;
  best.field = field;
  best.start = start;
  best.end = end;
}

/** Exact, prefix and substring matches of one query word in one field. */
function bestInField(w: Word, f: SearchFieldValue, i: number, ff: Folded | null, best: Hit): void {
  const field = f.field;
  const whole = f.value.length;
  if (field === "phone") {
    const nsn = f.key ?? "";
    const national = w.typed.startsWith("49") && !nsn.startsWith("49") ? w.typed.slice(2) : w.typed;
    const at = nsn.indexOf(national);
    if (at < 0) return;
    // The subscriber number without its area code ends the number: likelier than digits in between.
    if (at === 0) offer(best, NUMBER_EXACT * 0.9, "exact", i, 0, whole);
    else offer(best, at + national.length === nsn.length ? NUMBER_PART * 1.4 : NUMBER_PART, "substring", i, 0, whole);
    return;
  }
  const c = ff!;
  const q = w.g.text;
  if (NUMBER_FIELD[field]) {
    if (c.alnum === q || (c.digits === q && q.length > 0)) offer(best, NUMBER_EXACT, "exact", i, 0, whole);
    else if (q.length >= 3 && (c.alnum.includes(q) || c.digits.includes(q))) {
      offer(best, NUMBER_PART, c.alnum.startsWith(q) ? "prefix" : "substring", i, 0, whole);
    }
    return;
  }
  const weight = FIELD_WEIGHT[field];
  // A word of the value can only beat what is found already: an exact match (the most a
  // field can give) ends the search in this field.
  if (KIND_SCORE.exact * weight <= best.score) return;
  const words = c.words;
  for (let k = 0; k < words.length; k++) {
    const v = words[k]!;
    const at = c.starts[k]!;
    if (v === q) {
      offer(best, KIND_SCORE.exact * weight, "exact", i, at, at + v.length);
      return;
    }
    if (v.startsWith(q)) offer(best, KIND_SCORE.prefix * weight, "prefix", i, at, at + q.length);
    else if (q.length >= 4) {
      const x = v.indexOf(q);
      if (x >= 0) offer(best, KIND_SCORE.substring * weight, "substring", i, at + x, at + x + q.length);
    }
  }
}

/** Misspellings and sound-alikes: tried only for a word that matched nowhere as typed. */
function tolerantInField(r: Ranker, w: Word, f: SearchFieldValue, i: number, c: Folded, best: Hit): void {
  const weight = FIELD_WEIGHT[f.field];
  const q = w.g.text;
  const limit = w.edits;
  for (let k = 0; k < c.words.length; k++) {
    const v = c.words[k]!;
    const at = c.starts[k]!;
    if (limit > 0 && Math.abs(v.length - q.length) <= limit) {
      const d = boundedEditDistance(q, v, limit);
      if (d <= limit) {
        offer(best, KIND_SCORE.typo * weight * (d === 1 ? 1 : 0.75), "typo", i, at, at + v.length);
        continue;
      }
    }
    if (w.code.length >= 2 && phonetic(r, v) === w.code)
      offer(best, KIND_SCORE.phonetic * weight, "phonetic", i, at, at + v.length);
  }
}

/** A candidate's value folded, at most once per candidate (a plain function: a closure per candidate cost time). */
function foldAt(r: Ranker, folds: (Folded | undefined)[], f: SearchFieldValue, i: number): Folded {
  let c = folds[i];
  if (c === undefined) {
    c = fold(r, f);
    folds[i] = c;
  }
  return c;
}

/** Scores one candidate against the query; null when a word finds nothing (the index over-approximates). */
export function scoreCandidate(r: Ranker, customerId: number, fields: SearchFieldValue[]): Scored | null {
  // Fields are folded when a query word needs them: a word of letters never looks at phone
  // numbers, a number only at values with digits (folding is most of the ranking time).
  const folds: (Folded | undefined)[] = new Array(fields.length);
  let score = 0;
  const hits: Hit[] = [];
  for (const w of r.words) {
    const best: Hit = { score: -1, kind: "exact", field: -1, start: 0, end: 0 };
    const typed = w.typed;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.field === "phone") {
        if (typed.length >= 3) bestInField(w, f, i, null, best);
        continue;
      }
      if (typed !== "" && !NUMBER_FIELD[f.field] && !DIGIT_RE.test(f.value)) continue;
      bestInField(w, f, i, foldAt(r, folds, f, i), best);
    }
    if (best.field < 0) {
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if (f.field !== "phone" && !NUMBER_FIELD[f.field]) tolerantInField(r, w, f, i, foldAt(r, folds, f, i), best);
      }
    }
    if (best.field < 0) return null;
    score += best.score;
    hits.push(best);
  }
  // "Exact name": the whole name (or a contact's whole name) is what was typed.
  const plan = r.plan;
  if (plan.folded.length > 0) {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if ((f.field === "name" || f.field === "contactName") && foldAt(r, folds, f, i).joined === plan.folded) {
        score += EXACT_NAME_BONUS;
        break;
      }
    }
  }
  // The address typed from its start ("erika.mustermann@schm"): as telling as a number.
  let email: Scored["email"] = null;
  if (plan.email) {
    const i = fields.findIndex((f) => f.field === "email" && emailKeyOf(f.value).startsWith(plan.email!));
    if (i >= 0) {
      const whole = emailKeyOf(fields[i]!.value) === plan.email;
      score += whole ? NUMBER_EXACT : NUMBER_PART;
      email = { field: i, whole, typed: plan.email.length };
    }
  }
  return { customerId, score, contactId: mainContact(fields, hits, email), fields, folds, hits, email };
}

/** The contact the matches point to most (shown with the result); on a tie the first. */
function mainContact(fields: SearchFieldValue[], hits: Hit[], email: Scored["email"]): number | null {
  let contactId: number | null = null;
  let contactScore = 0;
  const n = hits.length + (email ? 1 : 0);
  for (let k = 0; k < n; k++) {
    const id = fields[k < hits.length ? hits[k]!.field : email!.field]!.contactId;
    if (id === undefined || id === contactId) continue;
    let s = email && fields[email.field]!.contactId === id ? NUMBER_PART : 0;
    for (const h of hits) if (fields[h.field]!.contactId === id) s += h.score;
    if (s > contactScore) {
      contactId = id;
      contactScore = s;
    }
  }
  return contactId;
}

function span(c: Folded, start: number, end: number): [number, number] {
  return c.offsets ? [c.offsets[start]!, c.offsets[end]!] : [start, end];
}

function matchOf(f: SearchFieldValue, kind: MatchKind, highlights: [number, number][]): FieldMatch {
  return { field: f.field, value: f.value, contactId: f.contactId ?? null, kind, highlights };
}

/** Why a shown result matched: the fields with the highlighted ranges (only for the results shown). */
export function explain(s: Scored): FieldMatch[] {
  const matches: FieldMatch[] = [];
  for (const h of s.hits) {
    const f = s.fields[h.field]!;
    // Numbers and phones are highlighted whole: the digits typed need not be contiguous in the display.
    const whole = f.field === "phone" || NUMBER_FIELD[f.field];
    const highlight: [number, number] = whole
      ? [0, f.value.length]
      : span(s.folds[h.field] ?? foldValue(f), h.start, h.end);
    const same = matches.find((m) => m.field === f.field && m.value === f.value);
    if (same) same.highlights.push(highlight);
    else matches.push(matchOf(f, h.kind, [highlight]));
  }
  if (s.email) {
    const f = s.fields[s.email.field]!;
    const end = Math.min(f.value.length, s.email.typed);
    const highlight: [number, number] = s.email.whole
      ? [0, f.value.length]
      : span(s.folds[s.email.field] ?? foldValue(f), 0, end);
    const listed = matches.findIndex((m) => m.field === "email" && m.value === f.value);
    if (listed >= 0) matches.splice(listed, 1);
    matches.unshift(matchOf(f, s.email.whole ? "exact" : "prefix", [highlight]));
  }
  for (const m of matches) m.highlights.sort((a, b) => a[0] - b[0]);
  return matches;
}
