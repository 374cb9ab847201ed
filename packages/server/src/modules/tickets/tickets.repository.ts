import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import type { DB, TicketSlasTable, TicketsTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type TicketRow = Selectable<TicketsTable> & { customer_name: string };
export type TicketValues = Omit<Selectable<TicketsTable>, "id">;
export type SlaRow = Selectable<TicketSlasTable>;

const COLUMNS = [
  "t.id",
  "t.number",
  "t.customer_id",
  "t.contact_id",
  "t.type",
  "t.subject",
  "t.description",
  "t.priority",
  "t.status",
  "t.assignee",
  "t.due_at",
  "t.document_id",
  "t.product_id",
  "t.settlement_document_id",
  "t.resolution",
  "t.resolution_category",
  "t.resolved_at",
  "t.closed_at",
  "t.created_by",
  "t.version",
  "t.created_at",
  "t.updated_at",
] as const;

const withCustomer = (db: Executor) =>
  db
    .selectFrom("tickets as t")
    .innerJoin("customers as c", "c.id", "t.customer_id")
    .select(COLUMNS)
    .select("c.name1 as customer_name");

export async function insertTicket(trx: Executor, values: TicketValues): Promise<number> {
  const r = await trx.insertInto("tickets").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findTicket(db: Executor, customerId: number, id: number): Promise<TicketRow | undefined> {
  return withCustomer(db).where("t.id", "=", id).where("t.customer_id", "=", customerId).executeTakeFirst();
}

export async function numberTaken(db: Executor, number: string): Promise<boolean> {
  return (await db.selectFrom("tickets").select("id").where("number", "=", number).executeTakeFirst()) !== undefined;
}

/** Compare-and-set on the version: false when someone else changed the ticket first. */
export async function updateTicket(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<TicketValues>,
): Promise<boolean> {
  const r = await trx
    .updateTable("tickets")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Type of a document of the customer, or undefined when the customer has no such document. */
export async function documentTypeOf(db: Executor, customerId: number, id: number): Promise<string | undefined> {
  const r = await db
    .selectFrom("sales_documents")
    .select("type")
    .where("id", "=", id)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
  return r?.type;
}

export async function productExists(db: Executor, id: number): Promise<boolean> {
  return (await db.selectFrom("products").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
}

export interface TicketFilters {
  /** The statuses to list; each is walked on its own index range and the walks are merged. */
  statuses: readonly string[];
  customerId?: number;
  /** A user's e-mail, or null for unassigned tickets. */
  assignee?: string | null;
  type?: string;
  priority?: string;
  /** true: past the due time (open statuses only); false: not past it. */
  overdue?: boolean;
  /** "Now" for the overdue filter. */
  now: string;
  openStatuses: readonly string[];
  /** Only customers this owner or region may see (the row-level rule). */
  visibleTo?: { owner: string; region: string | null };
}

/**
 * Newest first, keyset-paginated on (created_at, id). Every status is read as its own range
 * of an index that starts with (assignee,) status — (customer,) status — or status alone,
 * each stopping after `limit` rows, and the ranges are merged: "open tickets of Anna" costs a
 * few page reads however many closed tickets she has, and however the statuses mix.
 */
export async function listTickets(
  db: Database,
  f: TicketFilters,
  limit: number,
  after: [string, number] | null,
): Promise<TicketRow[]> {
  const arms: ReturnType<typeof withCustomer>[] = [];
  for (const status of f.statuses) {
    const open = f.openStatuses.includes(status);
    // Closed statuses are never overdue: that walk would find nothing.
    if (f.overdue === true && !open) continue;
    let q = withCustomer(db.kysely).where("t.status", "=", status);
    if (f.assignee !== undefined) {
      q = f.assignee === null ? q.where("t.assignee", "is", null) : q.where("t.assignee", "=", f.assignee);
    }
    if (f.customerId !== undefined) q = q.where("t.customer_id", "=", f.customerId);
    if (f.type) q = q.where("t.type", "=", f.type);
    if (f.priority) q = q.where("t.priority", "=", f.priority);
    if (f.overdue === true) q = q.where("t.due_at", "<", f.now);
    if (f.overdue === false && open) q = q.where("t.due_at", ">=", f.now);
    if (f.visibleTo) {
      const v = f.visibleTo;
      q = q.where((eb) =>
        v.region === null
          ? eb("c.owner", "=", v.owner)
          : eb.or([eb("c.owner", "=", v.owner), eb("c.region", "=", v.region)]),
      );
    }
    if (after) q = q.where((eb) => eb(eb.refTuple("t.created_at", "t.id"), "<", eb.tuple(after[0], after[1])));
    arms.push(q.orderBy("t.created_at", "desc").orderBy("t.id", "desc").limit(limit));
  }
  if (arms.length === 0) return [];
  if (arms.length === 1) {
    const c = arms[0]!.compile();
    return db.read(c, c.parameters) as Promise<TicketRow[]>;
  }
  // Each walk as a derived table: both engines keep its ORDER BY … LIMIT inside a UNION ALL.
  const [first, ...rest] = arms.map((a, i) => db.kysely.selectFrom(a.as(`s${i}`)).selectAll());
  let merged = first!;
  for (const r of rest) merged = merged.unionAll(r);
  const c = merged.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).compile();
  return db.read(c, c.parameters) as Promise<TicketRow[]>;
}

export async function listSlas(db: Executor): Promise<SlaRow[]> {
  return db.selectFrom("ticket_slas").selectAll().execute();
}

export async function findSla(db: Executor, type: string, priority: string): Promise<SlaRow | undefined> {
  return db
    .selectFrom("ticket_slas")
    .selectAll()
    .where("type", "=", type)
    .where("priority", "=", priority)
    .executeTakeFirst();
}

export async function updateSla(
  trx: Executor,
  type: string,
  priority: string,
  version: number,
  values: { hours: number; updated_at: string },
): Promise<SlaRow | undefined> {
  return trx
    .updateTable("ticket_slas")
    .set({ ...values, version: version + 1 })
    .where("type", "=", type)
    .where("priority", "=", priority)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}
