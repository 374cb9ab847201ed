import { createHash } from "node:crypto";
import { CompiledQuery, type Kysely, sql, type Transaction } from "kysely";
import { compiledOnce, type Database } from "../../db/database.js";
import { engineOf } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";
import { decodeEntry, deletionKeys, type SearchDocument, type StoredEntry } from "./search-keys.js";

type Executor = Kysely<DB> | Transaction<DB>;

export interface EntryRow {
  customer_id: number;
  fields: string;
}

/**
 * Candidates for a full-text query, in index order. SQLite: FTS5 over the tokens (the row id
 * is the customer's id); PostgreSQL: the GIN index over the tsvector of the tokens (an
 * expression index: the tsvector itself is never stored).
 */
export async function findCandidates(db: Database, query: string, limit: number): Promise<EntryRow[]> {
  const q = compiledOnce(db, "search.candidates", () =>
    db.engine === "sqlite"
      ? CompiledQuery.raw(
          "select e.customer_id, e.fields from search_fts f join search_entries e on e.customer_id = f.rowid where search_fts match ? limit ?",
        )
      : // A materialised CTE: planned for all its rows, the GIN index is used; planned for the LIMIT,
        // PostgreSQL chose a sequential scan for prefix queries whose matches it overestimates
        // (seconds at 1,000,000 customers). The CTE is still read only as far as the LIMIT asks.
        CompiledQuery.raw(
          "with m as materialized (select customer_id, fields from search_entries where search_tsvector(tokens) @@ $1::tsquery) select customer_id, fields from m limit $2",
        ),
  );
  const rows = await db.read<EntryRow>(q as CompiledQuery<EntryRow>, [query, limit]);
  for (const r of rows) r.customer_id = Number(r.customer_id);
  return rows;
}

/**
 * The vocabulary's words that begin with each given word, up to `cap` (+1, so the caller sees
 * there were more). One range read per word; one round trip on PostgreSQL.
 */
export async function wordsStartingWith(db: Database, words: string[], cap: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(words.map((w) => [w, []]));
  if (words.length === 0) return out;
  if (db.engine === "postgres") {
    const q = compiledOnce(db, "search.startingWith", () =>
      CompiledQuery.raw(
        `select w.word, v.term from unnest($1::text[]) as w(word)
           cross join lateral (select term from search_vocabulary
                                where key >= w.word and key < w.word || '{' and key = term
                                order by key limit $2) v`,
      ),
    );
    const rows = await db.read<{ word: string; term: string }>(q as CompiledQuery<{ word: string; term: string }>, [
      words,
      cap + 1,
    ]);
    for (const r of rows) out.get(r.word)?.push(r.term);
    return out;
  }
  const q = compiledOnce(db, "search.startingWith", () =>
    CompiledQuery.raw(
      "select term from search_vocabulary where key >= ? and key < ? and key = term order by key limit ?",
    ),
  );
  for (const w of words) {
    const rows = await db.read<{ term: string }>(q as CompiledQuery<{ term: string }>, [w, `${w}{`, cap + 1]);
    out.set(
      w,
      rows.map((r) => r.term),
    );
  }
  return out;
}

/** What the vocabulary says of a typed word: a word of it, only the beginning of one, or neither. */
export type Known = "whole" | "prefix" | "none";

/**
 * Which of the words are words of the vocabulary (names, streets, cities), or begin one? One
 * range read of its primary key per word — the rows where key = term are the words themselves,
 * the rest their deletion keys; the first such row is the word itself if it is one.
 * PostgreSQL answers all words in one round trip.
 */
export async function knownWords(db: Database, words: string[]): Promise<Known[]> {
  if (words.length === 0) return [];
  const known = (w: string, first: string | null | undefined): Known =>
    first == null ? "none" : first === w ? "whole" : "prefix";
  if (db.engine === "postgres") {
    const q = compiledOnce(db, "search.known", () =>
      CompiledQuery.raw(
        `select w.i, (select v.term from search_vocabulary v
                       where v.key >= w.word and v.key < w.word || '{' and v.key = v.term
                       order by v.key limit 1) as term
           from unnest($1::text[]) with ordinality as w(word, i)`,
      ),
    );
    const rows = await db.read<{ i: number; term: string | null }>(
      q as CompiledQuery<{ i: number; term: string | null }>,
      [words],
    );
    const first = new Map(rows.map((r) => [Number(r.i) - 1, r.term]));
    return words.map((w, i) => known(w, first.get(i)));
  }
  const q = compiledOnce(db, "search.known", () =>
    CompiledQuery.raw(
      "select term from search_vocabulary where key >= ? and key < ? and key = term order by key limit 1",
    ),
  );
  const out: Known[] = [];
  // "{" follows "z": the range holds every key that starts with the word.
  for (const w of words) {
    const [row] = await db.read<{ term: string }>(q as CompiledQuery<{ term: string }>, [w, `${w}{`]);
    out.push(known(w, row?.term));
  }
  return out;
}

/** Vocabulary words that share a deletion key with any of `keys` (spelling correction candidates). */
export async function vocabularyNeighbours(db: Database, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const q = compiledOnce(db, "search.vocabulary", () =>
    db.engine === "sqlite"
      ? CompiledQuery.raw("select distinct term from search_vocabulary where key in (select value from json_each(?))")
      : CompiledQuery.raw("select distinct term from search_vocabulary where key = any($1::text[])"),
  );
  const rows = await db.read<{ term: string }>(q as CompiledQuery<{ term: string }>, [
    db.engine === "sqlite" ? JSON.stringify(keys) : keys,
  ]);
  return rows.map((r) => r.term);
}

/**
 * What an entry's keys and fields hash to: a write that changes neither (most writes of a
 * customer: notes, finance, preferences) leaves the entry and its index rows alone, without
 * storing the keys a second time to compare them (48 bits: exact in both engines' integers).
 */
export function entryDigest(doc: SearchDocument): number {
  return createHash("sha1").update(doc.tokens).update("\n").update(doc.stored).digest().readUIntBE(0, 6);
}

/**
 * Replaces the search entries of the given customers inside the caller's transaction; entries
 * whose keys and fields did not change are left alone. New words go into the vocabulary.
 * SQLite keeps the keys only in the FTS5 index (contentless: written here, deleted by the
 * entry's delete trigger); PostgreSQL keeps them in the entry, and its GIN index is over them.
 */
export async function writeEntries(trx: Executor, docs: Map<number, SearchDocument>): Promise<void> {
  if (docs.size === 0) return;
  const sqlite = engineOf(trx) === "sqlite";
  const ids = [...docs.keys()];
  const existing = new Map<number, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx
      .selectFrom("search_entries")
      .select(["customer_id", "digest"])
      .where("customer_id", "in", ids.slice(i, i + 500))
      .execute();
    for (const r of rows) existing.set(Number(r.customer_id), Number(r.digest));
  }
  const stale: number[] = [];
  const rows: { customer_id: number; digest: number; fields: string; tokens: string }[] = [];
  const words = new Set<string>();
  for (const [id, doc] of docs) {
    const digest = entryDigest(doc);
    const old = existing.get(id);
    if (old === digest) continue;
    if (old !== undefined) stale.push(id);
    rows.push({ customer_id: id, digest, fields: doc.stored, tokens: doc.tokens });
    for (const w of doc.vocabulary) words.add(w);
  }
  for (let i = 0; i < stale.length; i += 500) {
    await trx
      .deleteFrom("search_entries")
      .where("customer_id", "in", stale.slice(i, i + 500))
      .execute();
  }
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await trx
      .insertInto("search_entries")
      .values(sqlite ? chunk.map(({ tokens: _, ...r }) => r) : chunk)
      .execute();
    if (sqlite) {
      await sql`insert into search_fts (rowid, tokens) values ${sql.join(chunk.map((r) => sql`(${r.customer_id}, ${r.tokens})`))}`.execute(
        trx,
      );
    }
  }
  await addVocabulary(trx, [...words]);
}

/** Adds words (with their deletion keys) the vocabulary does not know yet. */
export async function addVocabulary(trx: Executor, words: string[]): Promise<void> {
  if (words.length === 0) return;
  const known = new Set<string>();
  for (let i = 0; i < words.length; i += 500) {
    const chunk = words.slice(i, i + 500);
    const rows = await trx
      .selectFrom("search_vocabulary")
      .select("term")
      .where("key", "in", chunk)
      .whereRef("term", "=", "key")
      .execute();
    for (const r of rows) known.add(r.term);
  }
  const pairs: { key: string; term: string }[] = [];
  for (const w of words) if (!known.has(w)) for (const key of deletionKeys(w)) pairs.push({ key, term: w });
  for (let i = 0; i < pairs.length; i += 500) {
    await trx
      .insertInto("search_vocabulary")
      .values(pairs.slice(i, i + 500))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Former numbers of the given survivors (customers merged into them). */
export async function mergedNumbers(
  trx: Executor,
  ids: readonly number[],
): Promise<Map<number, { customer_number: string; debtor_number: string | null }[]>> {
  const out = new Map<number, { customer_number: string; debtor_number: string | null }[]>();
  if (ids.length === 0) return out;
  const rows = await trx
    .selectFrom("merged_customers")
    .select(["survivor_id", "customer_number", "debtor_number"])
    .where("survivor_id", "in", [...ids])
    .execute();
  for (const r of rows) {
    const id = Number(r.survivor_id);
    const list = out.get(id) ?? [];
    list.push(r);
    out.set(id, list);
  }
  return out;
}

export async function readIndexState(db: Executor): Promise<{ scheme: number }> {
  const row = await db.selectFrom("search_index_state").select("scheme").where("id", "=", 1).executeTakeFirst();
  return { scheme: row?.scheme ?? 0 };
}

export async function writeIndexState(trx: Executor, scheme: number, at: string): Promise<void> {
  await trx.updateTable("search_index_state").set({ scheme, built_at: at }).where("id", "=", 1).execute();
}

/** Customer ids after `after`, in order: the rebuild walks them in batches. */
export async function customerIdsAfter(db: Executor, after: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom("customers")
    .select("id")
    .where("id", ">", after)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

/** The stored entry of one customer (what the duplicate check compares). */
export async function storedEntry(db: Database, customerId: number): Promise<StoredEntry | null> {
  const q = compiledOnce(db, "search.entry", () =>
    CompiledQuery.raw(
      db.engine === "sqlite"
        ? "select fields from search_entries where customer_id = ?"
        : "select fields from search_entries where customer_id = $1",
    ),
  );
  const [row] = await db.read<{ fields: string }>(q as CompiledQuery<{ fields: string }>, [customerId]);
  return row ? decodeEntry(row.fields) : null;
}

/** Customers marked "not a duplicate" of the given one. */
export async function notDuplicatesOf(db: Database, customerId: number): Promise<Set<number>> {
  const q = compiledOnce(db, "search.notDuplicates", () =>
    CompiledQuery.raw(
      db.engine === "sqlite"
        ? "select customer_b as other from not_duplicates where customer_a = ? union all select customer_a from not_duplicates where customer_b = ?"
        : "select customer_b as other from not_duplicates where customer_a = $1 union all select customer_a from not_duplicates where customer_b = $2",
    ),
  );
  const rows = await db.read<{ other: number }>(q as CompiledQuery<{ other: number }>, [customerId, customerId]);
  return new Set(rows.map((r) => Number(r.other)));
}

export async function insertNotDuplicate(db: Executor, a: number, b: number, by: string, at: string): Promise<void> {
  await db
    .insertInto("not_duplicates")
    .values({ customer_a: a, customer_b: b, marked_by: by, marked_at: at })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteNotDuplicate(db: Executor, a: number, b: number): Promise<boolean> {
  const r = await db
    .deleteFrom("not_duplicates")
    .where("customer_a", "=", a)
    .where("customer_b", "=", b)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
