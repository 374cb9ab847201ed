import type { Insertable, Kysely, Selectable, Transaction } from "kysely";
import type { DB, DunningLevelsTable, DunningNoticesTable } from "../../db/schema.js";
import { ownedOrInRegion, type RowVisibility } from "../../db/visible-to.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type LevelRow = Selectable<DunningLevelsTable>;
export type NoticeRow = Selectable<DunningNoticesTable>;

export async function listLevels(db: Executor): Promise<LevelRow[]> {
  return db.selectFrom("dunning_levels").selectAll().orderBy("level").execute();
}

export async function updateLevel(
  trx: Executor,
  level: number,
  version: number,
  values: Partial<Omit<LevelRow, "level" | "version">>,
): Promise<boolean> {
  const r = await trx
    .updateTable("dunning_levels")
    .set({ ...values, version: version + 1 })
    .where("level", "=", level)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface OverdueRow {
  id: number;
  customer_id: number;
  number: string;
  due_date: string;
  open_cents: number;
  dunning_level: number;
  last_dunned_on: string | null;
  version: number;
  customer_number: string;
  customer_name: string;
}

/** Overdue invoices of customers not excluded from dunning, by customer and due date. */
/** Open invoices past due on a date, of the customers given (or all) that the rule (when given) shows. */
export async function overdueInvoices(
  db: Executor,
  onDate: string,
  customerIds?: number[],
  visibleTo: RowVisibility | null = null,
): Promise<OverdueRow[]> {
  let q = db
    .selectFrom("sales_documents as d")
    .innerJoin("customers as c", "c.id", "d.customer_id")
    .leftJoin("customer_finance as f", "f.customer_id", "d.customer_id")
    .select([
      "d.id",
      "d.customer_id",
      "d.number",
      "d.due_date",
      "d.open_cents",
      "d.dunning_level",
      "d.last_dunned_on",
      "d.version",
      "c.customer_number",
      "c.name1 as customer_name",
    ])
    .where("d.open_cents", ">", 0)
    .where("d.type", "=", "invoice")
    .where("d.due_date", "<", onDate)
    .where((eb) =>
      eb.or([eb("f.dunning_excluded", "is", null), eb("f.dunning_excluded", "=", eb.lit(false) as never)]),
    );
  if (customerIds) q = q.where("d.customer_id", "in", customerIds);
  if (visibleTo) q = q.where(ownedOrInRegion(visibleTo));
  return (await q.orderBy("d.customer_id").orderBy("d.due_date").orderBy("d.id").execute()) as OverdueRow[];
}

export async function insertNotice(
  trx: Executor,
  values: Omit<Insertable<DunningNoticesTable>, "id">,
): Promise<number> {
  const r = await trx.insertInto("dunning_notices").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function noticesOf(db: Executor, customerId: number): Promise<NoticeRow[]> {
  return db
    .selectFrom("dunning_notices")
    .selectAll()
    .where("customer_id", "=", customerId)
    .orderBy("notice_date", "desc")
    .orderBy("id", "desc")
    .execute();
}

export async function findNotice(db: Executor, id: number): Promise<NoticeRow | undefined> {
  return db.selectFrom("dunning_notices").selectAll().where("id", "=", id).executeTakeFirst();
}
