import type { Insertable, Kysely, Selectable, Transaction, Updateable } from "kysely";
import type { DB, SegmentsTable } from "../../db/schema.js";

export type Executor = Kysely<DB> | Transaction<DB>;
export type SegmentRow = Selectable<SegmentsTable>;

export async function insertSegment(trx: Executor, values: Insertable<SegmentsTable>): Promise<number> {
  const r = await trx.insertInto("segments").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findSegment(db: Executor, id: number): Promise<SegmentRow | undefined> {
  return db.selectFrom("segments").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findSegmentByNameKey(db: Executor, nameKey: string): Promise<SegmentRow | undefined> {
  return db.selectFrom("segments").selectAll().where("name_key", "=", nameKey).executeTakeFirst();
}

export async function updateSegment(
  trx: Executor,
  id: number,
  version: number,
  values: Omit<Updateable<SegmentsTable>, "id" | "version">,
): Promise<boolean> {
  const r = await trx
    .updateTable("segments")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteSegment(trx: Executor, id: number, version: number): Promise<boolean> {
  const r = await trx.deleteFrom("segments").where("id", "=", id).where("version", "=", version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** By name, keyset-paginated on (name_key, id). */
export async function listSegments(db: Executor, limit: number, after: [string, number] | null): Promise<SegmentRow[]> {
  let q = db.selectFrom("segments").selectAll();
  if (after) q = q.where((eb) => eb(eb.refTuple("name_key", "id"), ">", eb.tuple(after[0], after[1])));
  return q.orderBy("name_key").orderBy("id").limit(limit).execute();
}

/** Which of the given products exist. */
export async function existingProducts(db: Executor, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("products")
    .select("id")
    .where("id", "in", [...ids])
    .execute();
  return new Set(rows.map((r) => Number(r.id)));
}
