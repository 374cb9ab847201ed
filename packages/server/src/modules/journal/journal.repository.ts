import type { AliasedSelectQueryBuilder, CompiledQuery, Kysely, Selectable, Transaction } from "kysely";
import { sql } from "kysely";
import { compiledOnce, type Database } from "../../db/database.js";
import { pgJournalQuery, sqliteJournalQuery } from "../../db/dialect.js";
import type { DB, JournalEntriesTable } from "../../db/schema.js";
import { CREDIT_LIMIT_SUBJECT, FINANCE_KINDS } from "./journal.finance.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type JournalRow = Selectable<JournalEntriesTable>;
export type JournalValues = Omit<JournalRow, "id">;

export async function insertEntry(trx: Executor, values: JournalValues): Promise<JournalRow> {
  return trx.insertInto("journal_entries").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findEntry(db: Executor, customerId: number, id: number): Promise<JournalRow | undefined> {
  return db
    .selectFrom("journal_entries")
    .selectAll()
    .where("id", "=", id)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
}

export async function updateEntry(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<JournalValues>,
): Promise<JournalRow | undefined> {
  return trx
    .updateTable("journal_entries")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

export async function contactBelongsTo(db: Executor, contactId: number, customerId: number): Promise<boolean> {
  const r = await db
    .selectFrom("contacts")
    .select("id")
    .where("id", "=", contactId)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
  return r !== undefined;
}

/** What a page reads: everything but the search text (and PostgreSQL's tsvector). */
const JOURNAL_COLUMNS = [
  "j.id",
  "j.customer_id",
  "j.kind",
  "j.occurred_at",
  "j.recorded_at",
  "j.author",
  "j.contact_id",
  "j.direction",
  "j.subject",
  "j.body",
  "j.link_type",
  "j.link_id",
  "j.editable",
  "j.deleted_at",
  "j.deleted_by",
  "j.delete_reason",
  "j.body_html",
  "j.message_key",
  "j.version",
  "j.updated_at",
] as const;

export interface JournalFilters {
  customerId: number;
  kinds?: string[];
  from?: string;
  to?: string;
  contactId?: number;
  author?: string;
  terms?: string[];
  includeDeleted?: boolean;
  /** The reader may not see finance data: the full text passes over finance events. */
  withholdFinance?: boolean;
}

/** The filter's conditions on `j` except the full text, which each engine answers its own way. */
function filtered(db: Kysely<DB>, f: JournalFilters, withKinds: boolean, customer = true) {
  let q = db.selectFrom("journal_entries as j");
  // `+ 0` keeps PostgreSQL's GIN search from also reading the customer's whole time index.
  q = customer ? q.where("j.customer_id", "=", f.customerId) : q.where(sql`j.customer_id + 0`, "=", f.customerId);
  if (withKinds && f.kinds?.length) q = q.where("j.kind", "in", f.kinds);
  if (f.from) q = q.where("j.occurred_at", ">=", f.from);
  if (f.to) q = q.where("j.occurred_at", "<=", f.to);
  if (f.contactId) q = q.where("j.contact_id", "=", f.contactId);
  if (f.author) q = q.where("j.author", "=", f.author);
  if (!f.includeDeleted) q = q.where("j.deleted_at", "is", null);
  // Their text holds the amounts; the entries themselves stay in the unsearched journal.
  if (f.withholdFinance && f.terms?.length) {
    q = q
      .where("j.kind", "not in", Object.keys(FINANCE_KINDS))
      .where((eb) =>
        eb.or([eb("j.kind", "<>", "system"), eb("j.subject", "is", null), eb("j.subject", "<>", CREDIT_LIMIT_SUBJECT)]),
      );
  }
  return q;
}

type Page = [string, number] | null;

/**
 * SQLite full text: FTS5 hands out the customer's matches newest first (its row ids are time
 * keys), the entries are joined by id, and reading stops after `limit` rows.
 */
function sqliteText(db: Database, f: JournalFilters, withKinds: boolean, after: Page, limit: number) {
  let q = filtered(db.kysely, f, withKinds)
    .innerJoin(sql<{ rowid: number }>`journal_fts`.as("f"), (join) =>
      join.on(sql`f.rowid & 2147483647`, "=", sql.ref("j.id")),
    )
    .where(sql`journal_fts`, "match", sqliteJournalQuery(f.customerId, f.terms ?? []));
  if (after) q = q.where(sql`f.rowid`, "<", sql`(unixepoch(${after[0]}) << 31) + cast(${after[1]} as integer)`);
  if (f.from) q = q.where(sql`f.rowid`, ">=", sql`(unixepoch(${f.from}) - 1) << 31`);
  if (f.to) q = q.where(sql`f.rowid`, "<", sql`(unixepoch(${f.to}) + 1) << 31`);
  return q.orderBy(sql`f.rowid`, "desc").limit(limit);
}

/**
 * SQLite, first page of a full-text search: one walk over the newest COUNT_CAP + 1 matches
 * gives both the counts per kind and the page, instead of walking FTS5's matches twice (every
 * prefix term makes FTS5 merge the term's whole doclist, the dearest part of the request).
 * Undefined when the page's kinds are too rare to be among those matches.
 */
export async function firstTextPage(
  db: Database,
  f: JournalFilters,
  limit: number,
): Promise<{ rows: JournalRow[]; counts: KindCounts } | undefined> {
  const walk = sqliteText(db, f, false, null, COUNT_CAP + 1)
    .select(["j.id", "j.kind"])
    .compile();
  const matches = (await db.read(walk, walk.parameters)) as { id: number; kind: string }[];
  const counts: Record<string, number> = {};
  for (const m of matches) counts[m.kind] = (counts[m.kind] ?? 0) + 1;
  const capped = matches.length > COUNT_CAP;
  const kinds = f.kinds?.length ? new Set(f.kinds) : null;
  const ids = matches
    .filter((m) => !kinds || kinds.has(m.kind))
    .slice(0, limit)
    .map((m) => Number(m.id));
  if (ids.length < limit && capped) return undefined;
  if (ids.length === 0) return { rows: [], counts: { counts, capped } };
  const q = db.kysely.selectFrom("journal_entries as j").select(JOURNAL_COLUMNS).where("j.id", "in", ids).compile();
  const byId = new Map(((await db.read(q, q.parameters)) as JournalRow[]).map((r) => [Number(r.id), r]));
  return { rows: ids.map((id) => byId.get(id)!), counts: { counts, capped } };
}

/**
 * A page of the journal, newest first, keyset-paginated on (occurred_at, id): entries added
 * while a user pages never shift the pages, so none is shown twice or left out.
 */
export async function listEntries(db: Database, f: JournalFilters, limit: number, after: Page): Promise<JournalRow[]> {
  if (f.terms?.length && db.engine === "sqlite") {
    const compiled = sqliteText(db, f, true, after, limit).select(JOURNAL_COLUMNS).compile();
    return (await db.read(compiled, compiled.parameters)) as JournalRow[];
  }
  const cursor = (q: ReturnType<typeof filtered>) =>
    after ? q.where((eb) => eb(eb.refTuple("j.occurred_at", "j.id"), "<", eb.tuple(after[0], after[1]))) : q;
  if (!f.terms?.length) {
    const compiled = cursor(filtered(db.kysely, f, true))
      .select(JOURNAL_COLUMNS)
      .orderBy("j.occurred_at", "desc")
      .orderBy("j.id", "desc")
      .limit(limit)
      .compile();
    return (await db.read(compiled, compiled.parameters)) as JournalRow[];
  }
  // PostgreSQL full text. A common word is found among the customer's newest entries: walk
  // at most WINDOW of them (time index) and test each. When that does not fill the page the
  // word is rare, and the GIN index lists the customer's matches to sort.
  const text = sql<boolean>`search @@ to_tsquery('simple', ${pgJournalQuery(f.customerId, f.terms)})`;
  const newest = cursor(filtered(db.kysely, f, true))
    .select([...JOURNAL_COLUMNS, sql<string>`j.search`.as("search")])
    .orderBy("j.occurred_at", "desc")
    .orderBy("j.id", "desc")
    .limit(WINDOW);
  const walk = db.kysely
    .selectFrom(newest.as("w"))
    .select(OUTER_COLUMNS)
    .where(text)
    .orderBy("w.occurred_at", "desc")
    .orderBy("w.id", "desc")
    .limit(limit)
    .compile();
  const found = (await db.read(walk, walk.parameters)) as JournalRow[];
  if (found.length === limit) return found;
  // Materialised: planned for all of the customer's matches (GIN), not for the LIMIT.
  const gin = db.kysely
    .with(
      (cte) => cte("m").materialized(),
      () =>
        cursor(filtered(db.kysely, f, true, false))
          .select(JOURNAL_COLUMNS)
          .where(text),
    )
    .selectFrom("m")
    .selectAll()
    .orderBy("m.occurred_at", "desc")
    .orderBy("m.id", "desc")
    .limit(limit)
    .compile();
  return (await db.read(gin, gin.parameters)) as JournalRow[];
}

const OUTER_COLUMNS = JOURNAL_COLUMNS.map((c) => c.replace("j.", "w.") as `w.${string}`) as never[];
const WINDOW = 1000;

/** Keeps the per-kind counter of a customer's journal (in the caller's transaction). */
export async function addToCount(trx: Executor, customerId: number, kind: string, delta: number): Promise<void> {
  await trx
    .insertInto("journal_counts")
    .values({ customer_id: customerId, kind, n: delta })
    .onConflict((oc) =>
      oc.columns(["customer_id", "kind"]).doUpdateSet((eb) => ({ n: eb("journal_counts.n", "+", delta) })),
    )
    .execute();
}

/** Counts per kind stop here: a filter matching more entries gets lower bounds. */
export const COUNT_CAP = 1000;

export interface KindCounts {
  counts: Record<string, number>;
  /** More than COUNT_CAP entries matched: each count is a lower bound. */
  capped: boolean;
}

/**
 * Entries per kind for the filter without its kind part (the filter chips' numbers): from the
 * counters when only the customer is given, else counted over at most COUNT_CAP + 1 matches,
 * so a filter over a long journal costs a bounded read.
 */
export async function countByKind(db: Database, f: JournalFilters): Promise<KindCounts> {
  const onlyCustomer = !f.from && !f.to && !f.contactId && !f.author && !f.terms?.length && !f.includeDeleted;
  if (onlyCustomer) {
    const q = compiledOnce(db, "journal.counts", () =>
      db.kysely
        .selectFrom("journal_counts")
        .select(["kind", "n"])
        .where("customer_id", "=", 0)
        .where("n", ">", 0)
        .compile(),
    );
    const rows = await db.read(q, [f.customerId, 0]);
    return { counts: Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)])), capped: false };
  }
  const perKind = (matches: AliasedSelectQueryBuilder<{ kind: string }, "s">) =>
    db.kysely
      .selectFrom(matches)
      .select([sql<string>`s.kind`.as("kind"), sql<number>`count(*)`.as("n")])
      .groupBy(sql`s.kind`)
      .compile();
  let compiled: CompiledQuery;
  if (f.terms?.length && db.engine === "sqlite") {
    compiled = perKind(
      sqliteText(db, f, false, null, COUNT_CAP + 1)
        .select("j.kind")
        .as("s"),
    );
  } else if (f.terms?.length) {
    const text = sql<boolean>`search @@ to_tsquery('simple', ${pgJournalQuery(f.customerId, f.terms)})`;
    // Materialised so PostgreSQL plans the GIN read, then stops pulling after the cap.
    compiled = perKind(
      db.kysely
        .with(
          (cte) => cte("m").materialized(),
          () => filtered(db.kysely, f, false, false).select("j.kind").where(text),
        )
        .selectFrom("m")
        .select("m.kind")
        .limit(COUNT_CAP + 1)
        .as("s"),
    );
  } else {
    compiled = perKind(
      filtered(db.kysely, f, false)
        .select("j.kind")
        .limit(COUNT_CAP + 1)
        .as("s"),
    );
  }
  const rows = (await db.read(compiled, compiled.parameters)) as { kind: string; n: number }[];
  const total = rows.reduce((a, r) => a + Number(r.n), 0);
  return { counts: Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)])), capped: total > COUNT_CAP };
}
