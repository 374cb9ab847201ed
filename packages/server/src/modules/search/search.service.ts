import type { SearchQuery, SearchResponse, SearchResult } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { boundedEditDistance } from "../../domain/edit-distance.js";
import type { RequestContext } from "../../http/context.js";
import {
  findCandidates,
  type Known,
  knownWords,
  vocabularyNeighbours,
  wordsStartingWith,
} from "./search.repository.js";
import { decodeEntry, deletionKeys, maxEdits } from "./search-keys.js";
import {
  indexGroups,
  type Key,
  planQuery,
  type QueryGroup,
  toFts5,
  toTsquery,
  visibilityKeys,
} from "./search-query.js";
import { explain, ranker, type Scored, scoreCandidate } from "./search-rank.js";

/** Candidates read per pass: enough to rank a page well, few enough to rank in a millisecond or two. */
const CANDIDATES = 60;
/** For a single word, the tolerant pass runs when the exact one found fewer results than this (or than asked for). */
const TOLERANT_BELOW = 5;
/** Letters of a word the full-text prefix indexes cover (SQLite: prefix lengths up to 10 with the key's kind "w_"; PostgreSQL: q_ lexemes). */
const INDEXED_PREFIX = 8;
/** Vocabulary words a long prefix is replaced with at most; more, and it stays a prefix. */
const EXPANSIONS = 30;
/** Spelling neighbours tried per word, closest first. */
const NEIGHBOURS = 8;

/** Optional timing hook (bench/search-profile.ts): a pass's index read and ranking, in ms. */
export type SearchTrace = (stage: string, readMs: number, rankMs: number, candidates: number) => void;

interface Found extends Scored {
  status: string;
  nameLength: number;
}

/**
 * Quick search: an exact pass (words, prefixes, substrings, numbers, phones) and, when it
 * finds only a few results, a tolerant pass that adds spelling neighbours from the
 * vocabulary and the Kölner Phonetik code. Both are full-text index reads, never scans.
 */
export async function search(
  db: Database,
  ctx: RequestContext,
  query: SearchQuery,
  trace?: SearchTrace,
): Promise<SearchResponse> {
  const limit = query.limit ?? 10;
  const plan = planQuery(query.q);
  if (plan.groups.length === 0) return { query: query.q, results: [], tolerant: false };
  const visibility = visibilityKeys(ctx);
  const found = new Map<number, Found>();
  const rank = ranker(plan);

  const run = async (stage: string, groups: Key[][], candidates = CANDIDATES) => {
    const all = visibility ? [...groups, visibility] : groups;
    const expression = db.engine === "sqlite" ? toFts5(all) : toTsquery(all);
    const t0 = trace ? performance.now() : 0;
    const rows = await findCandidates(db, expression, candidates);
    const t1 = trace ? performance.now() : 0;
    for (const row of rows) {
      if (found.has(row.customer_id)) continue;
      const entry = decodeEntry(row.fields);
      const scored = scoreCandidate(rank, row.customer_id, entry.f);
      if (!scored) continue;
      const name = entry.f.find((f) => f.field === "name")?.value ?? "";
      found.set(row.customer_id, Object.assign(scored, { status: entry.s, nameLength: name.length }));
    }
    trace?.(stage, t1 - t0, performance.now() - t1, rows.length);
  };

  // Words that begin with what was typed before words that contain it (the ranking's order
  // too): an inner part ("s_kirch*": Neukirchen) is read only when the beginnings do not fill
  // the list. In PostgreSQL's GIN it is the costly part of a query — a partial match is
  // collected into a bitmap and keeps GIN from skipping through the other words' lists
  // ("Kirch Elekt Guten" 19 ms with, 2 ms without, at 1,000,000 customers).
  const beginningsFirst = async (stage: string, keys: Key[][], candidates = CANDIDATES) => {
    const inner = keys.some((k) => k.some(isInnerPart));
    if (inner) {
      await run(
        `${stage}: beginnings`,
        keys.map((k) => k.filter((x) => !isInnerPart(x))),
        candidates,
      );
    }
    if (!inner || found.size < limit) await run(stage, keys, candidates);
  };

  // A whole number, e-mail address or VAT ID: its own record first, however many others contain it.
  if (plan.exact.length > 0) await run("exact", [plan.exact]);
  // An e-mail address typed from its start names its records; its words ("hans", "meier",
  // "de") would only add everyone else of that name, at the cost of the most expensive read.
  if (plan.email && found.size > 0) return respond(query.q, found, limit, false);
  const { groups, known: lookedUp } = await expandLongPrefixes(db, indexGroups(plan));
  // Several words: those before the last are typed in full, so they are first looked up as
  // whole words (or the end of a longer word, a whole number) and only the last one as a
  // prefix. The index hands out candidates in its own order, not by relevance: with prefixes of
  // every word ("Wolf" → Wolff, Wolfgang, Wolfsburg) the customer meant can be beyond the
  // candidates read, and prefixes of short words are the most expensive reads there are.
  // Only when the whole words find nobody are all words read as prefixes.
  // Which words match as typed is asked of the vocabulary (index range reads, one round trip on
  // PostgreSQL): a word of four letters or more that begins no name, street or city word is
  // misspelt. Shorter words and numbers are never corrected and count as matching.
  let matching: Known[] | null = null;
  const whichMatch = async () => {
    if (matching) return matching;
    const t0 = trace ? performance.now() : 0;
    // Words the prefix expansion looked up already (the long ones) are known from its answer.
    const ask = groups.filter((g) => g.correctable && !lookedUp.has(g.text)).map((g) => g.text);
    const answers = await knownWords(db, ask);
    const known = new Map([...lookedUp, ...ask.map((w, i) => [w, answers[i]!] as const)]);
    matching = groups.map((g): Known => (g.correctable ? known.get(g.text)! : groups.length > 1 ? "whole" : "none"));
    trace?.("known", performance.now() - t0, 0, matching.length);
    return matching;
  };
  const matches = (k: Known) => k !== "none";
  // Several words, one of them misspelt: no customer has them all as typed, and the tolerant
  // pass (below) reads everything the exact passes would (plus the misspelt word's neighbours),
  // so they are skipped — two index reads of several milliseconds each that find nothing.
  const severalUnfound = groups.length > 1 && found.size === 0;
  const known = severalUnfound ? await whichMatch() : null;
  const misspelt = known !== null && !known.every(matches);
  // A word before the last that is only the beginning of a vocabulary word ("Gärtn Frank") is a
  // fragment: looked up as a whole word it would find nobody, so the prefixes are read at once.
  const fragment = known?.slice(0, -1).some((k) => k === "prefix") ?? false;
  if (severalUnfound && !misspelt && !fragment) {
    const last = groups.length - 1;
    await beginningsFirst(
      "words",
      groups.map((g, i) => (i === last ? g.strict : wholeWord(g))),
    );
  }
  // After a whole number the rest only fills the list: reading more than fits would cost
  // ranking time and change nothing that matters.
  if (!misspelt && (groups.length === 1 || found.size === 0)) {
    await beginningsFirst(
      "strict",
      groups.map((g) => g.strict),
      found.size > 0 ? limit : CANDIDATES,
    );
  }
  let tolerant = false;
  // A handful of exact results is what the user typed; misspellings only fill a short list.
  // With several words, every one of them matching somewhere already singles the customer out:
  // the tolerant pass (a third of the time of such a query) runs only when they match nowhere together.
  const short = found.size === 0 || (plan.groups.length === 1 && found.size < Math.min(limit, TOLERANT_BELOW));
  if (short && groups.some((g) => g.correctable || g.tolerant.length > 0)) {
    tolerant = true;
    // Only the words that find nothing as typed are widened: a correct word stays as strict as
    // it was, so the misspelt one's neighbours do not flood the candidates (with several words
    // that each match but not together, all are widened).
    const status = await whichMatch();
    const t1 = trace ? performance.now() : 0;
    const widen = status.every(matches) ? status.map(() => true) : status.map((m) => !matches(m));
    const neighbours = await spellingNeighbours(
      db,
      groups.filter((_, i) => widen[i]),
    );
    trace?.("vocabulary", performance.now() - t1, 0, neighbours.flat().length);
    const widened = groups.map((g, i) => {
      if (!widen[i]) return null;
      const w = widen.slice(0, i).filter(Boolean).length;
      return [...g.strict, ...g.tolerant, ...(neighbours[w] ?? []).map((t) => ({ key: `w_${t}`, prefix: false }))];
    });
    // The words typed correctly before the last are whole words first, as in the exact passes
    // ("Sandrtah Bau Blumenstraße": "bau", not every word that begins with it), and prefixes
    // only when that finds nobody.
    const last = groups.length - 1;
    const whole = groups.map((_, i) => !widen[i] && i < last && status[i] === "whole");
    const before = found.size;
    if (whole.some(Boolean)) {
      await run(
        "tolerant words",
        groups.map((g, i) => widened[i] ?? (whole[i] ? wholeWord(g) : g.strict)),
      );
    }
    if (!whole.some(Boolean) || found.size === before) {
      await run(
        "tolerant",
        groups.map((g, i) => widened[i] ?? g.strict),
      );
    }
  }

  return respond(query.q, found, limit, tolerant);
}

function respond(q: string, found: Map<number, Found>, limit: number, tolerant: boolean): SearchResponse {
  const ranked = [...found.values()].sort(
    (a, b) => b.score - a.score || a.nameLength - b.nameLength || a.customerId - b.customerId,
  );
  const results: SearchResult[] = [];
  for (const r of ranked) {
    if (results.length >= limit) break;
    results.push(present(r));
  }
  return { query: q, results, tolerant };
}

/**
 * Long words (beyond the full-text prefix indexes: a key's kind and 8 letters) as their
 * vocabulary words: "schillerstrasse*" would be merged from every matching word's posting list
 * before the first row comes out (~6 ms for 20,000 customers at 1,000,000); the few words that
 * begin with it, looked up as whole words, are read only as far as needed. The word itself
 * stays as a whole word (tags and e-mail words are not in the vocabulary); when the vocabulary
 * has none or too many words, the prefix stays as it is.
 */
async function expandLongPrefixes(
  db: Database,
  groups: QueryGroup[],
): Promise<{ groups: QueryGroup[]; known: Map<string, Known> }> {
  // (PostgreSQL's tsvector holds word beginnings of the same lengths as lexemes: toTsquery.)
  const long = groups.filter((g) => g.kind === "word" && g.text.length > INDEXED_PREFIX && /^[a-z]+$/.test(g.text));
  if (long.length === 0) return { groups, known: new Map() };
  const terms = await wordsStartingWith(
    db,
    long.map((g) => g.text),
    EXPANSIONS,
  );
  // A word some vocabulary word begins with is one typed correctly (the misspelling pass asks
  // this), and one that is itself a vocabulary word is typed in full.
  const known = new Map(
    [...terms].map(([w, t]): [string, Known] => [w, t.length === 0 ? "none" : t.includes(w) ? "whole" : "prefix"]),
  );
  const expanded = groups.map((g) => {
    const t = terms.get(g.text);
    if (!t || t.length === 0 || t.length > EXPANSIONS) return g;
    const words = new Set([g.text, ...t]);
    // The long word the vocabulary knows is also looked for as the end of longer words
    // ("Bergstraße" in Gutenbergstraße) but not as any inner part of one: a substring prefix
    // beyond FTS5's prefix indexes is the merge of whole posting lists (`s_bergstrasse*` 4 ms at
    // 1,000,000 customers), and inner parts of words this long hardly occur.
    const strict = g.strict
      .filter((k) => !(k.prefix && k.key === `w_${g.text}`))
      .map((k) => (k.prefix && k.key === `s_${g.text}` ? { key: k.key, prefix: false } : k));
    return { ...g, strict: [...[...words].map((w) => ({ key: `w_${w}`, prefix: false })), ...strict] };
  });
  return { groups: expanded, known };
}

/** A key that finds the typed word inside longer words (a substring prefix). */
const isInnerPart = (k: Key) => k.prefix && k.key.startsWith("s_");

/** A group's keys as a whole word: no prefixes, and none of the words a prefix was replaced with. */
function wholeWord(g: QueryGroup): Key[] {
  return g.strict
    .filter((k) => !k.key.startsWith("w_") || k.key === `w_${g.text}`)
    .map((k) => ({ ...k, prefix: false }));
}

/** Vocabulary words within reach of each correctable word (one indexed read for all of them). */
async function spellingNeighbours(db: Database, groups: QueryGroup[]): Promise<string[][]> {
  const keys = new Set<string>();
  for (const g of groups) if (g.correctable) for (const k of deletionKeys(g.text)) keys.add(k);
  const terms = await vocabularyNeighbours(db, [...keys]);
  return groups.map((g) => {
    if (!g.correctable) return [];
    const limit = maxEdits(g.text);
    return terms
      .filter((t) => t !== g.text && Math.abs(t.length - g.text.length) <= limit)
      .map((t) => ({ t, d: boundedEditDistance(g.text, t, limit) }))
      .filter((x) => x.d <= limit)
      .sort((a, b) => a.d - b.d || a.t.localeCompare(b.t))
      .slice(0, NEIGHBOURS)
      .map((x) => x.t);
  });
}

function present(r: Found): SearchResult {
  const f = r.fields;
  const contactName =
    r.contactId === null ? null : f.find((x) => x.field === "contactName" && x.contactId === r.contactId)?.value;
  return {
    customerId: r.customerId,
    customerNumber: f.find((x) => x.field === "customerNumber")?.value ?? "",
    name: f.find((x) => x.field === "name")?.value ?? "",
    city: f.find((x) => x.field === "city")?.value ?? null,
    status: r.status as SearchResult["status"],
    contact: r.contactId !== null && contactName ? { id: r.contactId, name: contactName } : null,
    score: Math.round(r.score),
    matches: explain(r),
  };
}
