import type { Kysely, Selectable, Transaction } from "kysely";
import { sql } from "kysely";
import type { DB, PaymentAllocationsTable, PaymentsTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type PaymentRow = Selectable<PaymentsTable>;
export type AllocationRow = Selectable<PaymentAllocationsTable> & { document_number: string };

export async function insertPayment(trx: Executor, values: Omit<PaymentRow, "id">): Promise<number> {
  const r = await trx.insertInto("payments").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function insertAllocations(
  trx: Executor,
  rows: Omit<Selectable<PaymentAllocationsTable>, "id">[],
): Promise<void> {
  if (rows.length > 0) await trx.insertInto("payment_allocations").values(rows).execute();
}

export async function findPayment(db: Executor, customerId: number, id: number): Promise<PaymentRow | undefined> {
  return db
    .selectFrom("payments")
    .selectAll()
    .where("id", "=", id)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
}

export async function allocationsOf(db: Executor, paymentIds: number[]): Promise<Map<number, AllocationRow[]>> {
  const out = new Map<number, AllocationRow[]>();
  if (paymentIds.length === 0) return out;
  const rows = await db
    .selectFrom("payment_allocations as a")
    .innerJoin("sales_documents as d", "d.id", "a.document_id")
    .selectAll("a")
    .select("d.number as document_number")
    .where("a.payment_id", "in", paymentIds)
    .orderBy("a.id")
    .execute();
  for (const r of rows) {
    const list = out.get(Number(r.payment_id)) ?? [];
    list.push(r);
    out.set(Number(r.payment_id), list);
  }
  return out;
}

/** Newest first, keyset-paginated on (payment_date, id). */
export async function listPayments(
  db: Executor,
  customerId: number,
  limit: number,
  after: [string, number] | null,
): Promise<PaymentRow[]> {
  let q = db.selectFrom("payments").selectAll().where("customer_id", "=", customerId);
  if (after) q = q.where((eb) => eb(eb.refTuple("payment_date", "id"), "<", eb.tuple(after[0], after[1])));
  return q.orderBy("payment_date", "desc").orderBy("id", "desc").limit(limit).execute();
}

/** Payments not allocated in full: the customer's credit. */
export async function creditOf(db: Executor, customerId: number): Promise<number> {
  const r = await db
    .selectFrom("payments")
    .select(sql<number>`coalesce(sum(unallocated_cents), 0)`.as("n"))
    .where("customer_id", "=", customerId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
