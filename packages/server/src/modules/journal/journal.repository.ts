import type { Kysely, Selectable, Transaction } from "kysely";
import { sql } from "kysely";
import { compiledOnce, type Database } from "../../db/database.js";
import { type Engine, journalTextMatch } from "../../db/dialect.js";
import type { DB, JournalEntriesTable } from "../../db/schema.js";
import { forgetCounts } from "./journal-counts.cache.js";

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
}

function filtered(db: Kysely<DB>, engine: Engine, f: JournalFilters, withKinds: boolean) {
  let q = db.selectFrom("journal_entries as j").where("j.customer_id", "=", f.customerId);
  if (withKinds && f.kinds?.length) q = q.where("j.kind", "in", f.kinds);
  if (f.from) q = q.where("j.occurred_at", ">=", f.from);
  if (f.to) q = q.where("j.occurred_at", "<=", f.to);
  if (f.contactId) q = q.where("j.contact_id", "=", f.contactId);
  if (f.author) q = q.where("j.author", "=", f.author);
  if (!f.includeDeleted) q = q.where("j.deleted_at", "is", null);
  if (f.terms?.length) q = q.where(journalTextMatch(engine, f.customerId, f.terms));
  return q;
}

/**
 * A page of the journal, newest first, keyset-paginated on (occurred_at, id): entries added
 * while a user pages never shift the pages, so none is shown twice or left out.
 */
export async function listEntries(
  db: Database,
  f: JournalFilters,
  limit: number,
  after: [string, number] | null,
): Promise<JournalRow[]> {
  let q = filtered(db.kysely, db.engine, f, true).select(JOURNAL_COLUMNS);
  if (after) q = q.where((eb) => eb(eb.refTuple("j.occurred_at", "j.id"), "<", eb.tuple(after[0], after[1])));
  const compiled = q.orderBy("j.occurred_at", "desc").orderBy("j.id", "desc").limit(limit).compile();
  return (await db.read(compiled, compiled.parameters)) as JournalRow[];
}

/** Keeps the per-kind counter of a customer's journal (in the caller's transaction). */
export async function addToCount(trx: Executor, customerId: number, kind: string, delta: number): Promise<void> {
  forgetCounts(customerId);
  await trx
    .insertInto("journal_counts")
    .values({ customer_id: customerId, kind, n: delta })
    .onConflict((oc) =>
      oc.columns(["customer_id", "kind"]).doUpdateSet((eb) => ({ n: eb("journal_counts.n", "+", delta) })),
    )
    .execute();
}

/**
 * Entries per kind for the filter without its kind part (the filter chips' numbers): from the
 * counters when only the customer is given, else counted.
 */
export async function countByKind(db: Database, f: JournalFilters): Promise<Record<string, number>> {
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
    return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  }
  const compiled = filtered(db.kysely, db.engine, f, false)
    .select(["j.kind", sql<number>`count(*)`.as("n")])
    .groupBy("j.kind")
    .compile();
  const rows = (await db.read(compiled, compiled.parameters)) as { kind: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}
