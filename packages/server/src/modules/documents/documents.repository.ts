import type { Insertable, Kysely, Selectable, Transaction, Updateable } from "kysely";
import { sql } from "kysely";
import type { DB, SalesDocumentLinesTable, SalesDocumentsTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type DocumentRow = Selectable<SalesDocumentsTable> & { reference_number: string | null };
export type DocumentValues = Omit<Insertable<SalesDocumentsTable>, "id">;
export type LineRow = Selectable<SalesDocumentLinesTable>;
export type LineValues = Omit<LineRow, "id">;

const withReference = (db: Executor) =>
  db
    .selectFrom("sales_documents as d")
    .leftJoin("sales_documents as r", "r.id", "d.reference_id")
    .selectAll("d")
    .select("r.number as reference_number");

export async function insertDocument(trx: Executor, values: DocumentValues): Promise<number> {
  const r = await trx.insertInto("sales_documents").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function insertLines(trx: Executor, lines: LineValues[]): Promise<void> {
  if (lines.length > 0) await trx.insertInto("sales_document_lines").values(lines).execute();
}

export async function deleteLines(trx: Executor, documentId: number): Promise<void> {
  await trx.deleteFrom("sales_document_lines").where("document_id", "=", documentId).execute();
}

export async function findDocument(db: Executor, customerId: number, id: number): Promise<DocumentRow | undefined> {
  return withReference(db).where("d.id", "=", id).where("d.customer_id", "=", customerId).executeTakeFirst();
}

export async function findDocumentsOf(db: Executor, customerId: number, ids: number[]): Promise<DocumentRow[]> {
  if (ids.length === 0) return [];
  return withReference(db).where("d.customer_id", "=", customerId).where("d.id", "in", ids).execute();
}

export async function linesOf(db: Executor, documentId: number): Promise<LineRow[]> {
  return db
    .selectFrom("sales_document_lines")
    .selectAll()
    .where("document_id", "=", documentId)
    .orderBy("position")
    .execute();
}

export async function updateDocument(
  trx: Executor,
  id: number,
  version: number,
  values: Omit<Updateable<SalesDocumentsTable>, "id" | "version">,
): Promise<boolean> {
  const r = await trx
    .updateTable("sales_documents")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface DocumentFilters {
  customerId: number;
  types?: string[];
  status?: string;
  from?: string;
  to?: string;
  productId?: number;
}

/** Newest first, keyset-paginated on (document_date, id). */
export async function listDocuments(
  db: Executor,
  f: DocumentFilters,
  limit: number,
  after: [string, number] | null,
): Promise<DocumentRow[]> {
  let q = withReference(db).where("d.customer_id", "=", f.customerId);
  if (f.types?.length) q = q.where("d.type", "in", f.types);
  if (f.status) q = q.where("d.status", "=", f.status);
  if (f.from) q = q.where("d.document_date", ">=", f.from);
  if (f.to) q = q.where("d.document_date", "<=", f.to);
  if (f.productId) {
    const productId = f.productId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("sales_document_lines as l")
          .select("l.id")
          .whereRef("l.document_id", "=", "d.id")
          .where("l.customer_id", "=", f.customerId)
          .where("l.product_id", "=", productId),
      ),
    );
  }
  if (after) q = q.where((eb) => eb(eb.refTuple("d.document_date", "d.id"), "<", eb.tuple(after[0], after[1])));
  return q.orderBy("d.document_date", "desc").orderBy("d.id", "desc").limit(limit).execute();
}

/** Documents that follow this one (an order of a quote, the invoices of an order...). */
export async function followers(db: Executor, id: number): Promise<DocumentRow[]> {
  return withReference(db).where("d.reference_id", "=", id).execute();
}

/** Invoices and credit notes with something open, oldest first (the open items). */
export async function openItems(db: Executor, customerId: number): Promise<DocumentRow[]> {
  return withReference(db)
    .where("d.customer_id", "=", customerId)
    .where("d.open_cents", "<>", 0)
    .orderBy("d.due_date")
    .orderBy("d.id")
    .execute();
}

/** Open invoices, oldest first, for applying a payment (a concurrent change shows as a version conflict). */
export async function openInvoices(db: Executor, customerId: number, ids?: number[]): Promise<DocumentRow[]> {
  let q = withReference(db)
    .where("d.customer_id", "=", customerId)
    .where("d.type", "=", "invoice")
    .where("d.open_cents", ">", 0);
  if (ids) q = q.where("d.id", "in", ids);
  return q.orderBy("d.document_date").orderBy("d.id").execute();
}

/**
 * The credit exposure's parts: open items (invoices minus credit notes still open) and
 * orders not yet delivered in full nor invoiced.
 */
export async function exposureParts(
  db: Executor,
  customerId: number,
): Promise<{ openItems: number; openOrders: number }> {
  const r = await db
    .selectFrom("sales_documents as d")
    .where("d.customer_id", "=", customerId)
    .select([
      sql<number>`coalesce(sum(case when d.open_cents <> 0 then d.open_cents else 0 end), 0)`.as("open_items"),
      sql<number>`coalesce(sum(case when d.type = 'order' and d.status in ('open', 'partly_delivered') and not exists (select 1 from sales_documents i where i.reference_id = d.id and i.type = 'invoice') then d.gross_cents else 0 end), 0)`.as(
        "open_orders",
      ),
    ])
    .executeTakeFirstOrThrow();
  return { openItems: Number(r.open_items), openOrders: Number(r.open_orders) };
}

export async function numberTaken(db: Executor, type: string, number: string): Promise<boolean> {
  const r = await db
    .selectFrom("sales_documents")
    .select("id")
    .where("type", "=", type)
    .where("number", "=", number)
    .executeTakeFirst();
  return r !== undefined;
}
