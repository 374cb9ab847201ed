import type { Kysely, Selectable, Transaction } from "kysely";
import type { DB, NumberRangesTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type NumberRangeRow = Selectable<NumberRangesTable>;

/**
 * Draws the next value of a range. The UPDATE takes the row lock, so concurrent creates
 * queue behind each other and never draw the same value; a rolled-back transaction gives
 * its value back, which is fine: it was never used.
 */
export async function drawNext(trx: Executor, key: string): Promise<{ value: number; prefix: string; width: number }> {
  const r = await trx
    .updateTable("number_ranges")
    .set((eb) => ({ next_value: eb("next_value", "+", 1) }))
    .where("key", "=", key)
    .returning(["next_value", "prefix", "width"])
    .executeTakeFirstOrThrow();
  return { value: Number(r.next_value) - 1, prefix: r.prefix, width: r.width };
}

export async function listRanges(db: Executor): Promise<NumberRangeRow[]> {
  return db.selectFrom("number_ranges").selectAll().orderBy("key").execute();
}

export async function findRange(db: Executor, key: string): Promise<NumberRangeRow | undefined> {
  return db.selectFrom("number_ranges").selectAll().where("key", "=", key).executeTakeFirst();
}

export async function updateRange(
  trx: Executor,
  key: string,
  version: number,
  values: Partial<Omit<NumberRangeRow, "key" | "version">>,
): Promise<NumberRangeRow | undefined> {
  return trx
    .updateTable("number_ranges")
    .set({ ...values, version: version + 1 })
    .where("key", "=", key)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}
