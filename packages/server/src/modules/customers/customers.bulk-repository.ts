import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
// biome-ignore lint/suspicious/noExplicitAny: bulk inserts into a table chosen at run time
type Untyped = Kysely<any>;

/** Stay below SQLite's 32,766 bound parameters (PostgreSQL allows 65,535). */
const MAX_PARAMETERS = 30000;

/** Multi-row inserts in chunks small enough for both engines' parameter limits. */
export async function insertRows(trx: Executor, table: keyof DB, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]!).length;
  const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / perRow));
  for (let i = 0; i < rows.length; i += chunk) {
    await (trx as unknown as Untyped)
      .insertInto(table)
      .values(rows.slice(i, i + chunk))
      .execute();
  }
}

/** Inserts customers and returns their ids by customer number (no reliance on row order). */
export async function insertCustomersReturningIds(
  trx: Executor,
  rows: Record<string, unknown>[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (rows.length === 0) return ids;
  const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += chunk) {
    const out = await (trx as unknown as Untyped)
      .insertInto("customers")
      .values(rows.slice(i, i + chunk))
      .returning(["id", "customer_number"])
      .execute();
    for (const r of out) ids.set(r.customer_number, Number(r.id));
  }
  return ids;
}

/** Draws `count` consecutive values of a range at once. */
export async function drawRange(trx: Executor, key: string, count: number) {
  const r = await trx
    .updateTable("number_ranges")
    .set((eb) => ({ next_value: eb("next_value", "+", count) }))
    .where("key", "=", key)
    .returning(["next_value", "prefix", "width"])
    .executeTakeFirstOrThrow();
  return { first: Number(r.next_value) - count, prefix: r.prefix, width: r.width };
}

/** Which of these customer numbers are taken already. */
export async function takenNumbers(trx: Executor, numbers: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < numbers.length; i += 5000) {
    const rows = await trx
      .selectFrom("customers")
      .select("customer_number")
      .where("customer_number", "in", numbers.slice(i, i + 5000))
      .execute();
    for (const r of rows) taken.add(r.customer_number);
  }
  return taken;
}
