import type { Kysely, Transaction } from "kysely";
import { type Engine, toFlag } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";
import type { PartRow, PartTable } from "./part.js";

export type Executor = Kysely<DB> | Transaction<DB>;

// The part tables share their shape (id, customer_id, version, timestamps); Kysely cannot
// type a query over a table chosen at run time, so this module alone works untyped.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Untyped = Kysely<any>;
const u = (db: Executor) => db as unknown as Untyped;

/** better-sqlite3 binds no booleans: store flags as the engine wants them. */
export function toColumns(engine: Engine, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === "boolean" ? toFlag(engine, v) : v;
  return out;
}

export async function listParts(db: Executor, table: PartTable, customerId: number): Promise<PartRow[]> {
  return (await u(db)
    .selectFrom(table)
    .selectAll()
    .where("customer_id", "=", customerId)
    .orderBy("id")
    .execute()) as PartRow[];
}

export async function findPart(
  db: Executor,
  table: PartTable,
  customerId: number,
  id: number,
): Promise<PartRow | undefined> {
  return (await u(db)
    .selectFrom(table)
    .selectAll()
    .where("id", "=", id)
    .where("customer_id", "=", customerId)
    .executeTakeFirst()) as PartRow | undefined;
}

export async function insertPart(
  trx: Executor,
  engine: Engine,
  table: PartTable,
  values: Record<string, unknown>,
): Promise<PartRow> {
  return (await u(trx)
    .insertInto(table)
    .values(toColumns(engine, values))
    .returningAll()
    .executeTakeFirstOrThrow()) as PartRow;
}

/** Updates when the stored version is still `version`; undefined when someone else was first. */
export async function updatePart(
  trx: Executor,
  engine: Engine,
  table: PartTable,
  id: number,
  version: number,
  values: Record<string, unknown>,
): Promise<PartRow | undefined> {
  return (await u(trx)
    .updateTable(table)
    .set({ ...toColumns(engine, values), version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst()) as PartRow | undefined;
}

export async function deletePart(trx: Executor, table: PartTable, id: number, version: number): Promise<boolean> {
  const r = await u(trx).deleteFrom(table).where("id", "=", id).where("version", "=", version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Rows of one customer whose scope columns equal `scope`, oldest first. */
export async function listScope(
  trx: Executor,
  table: PartTable,
  customerId: number,
  scope: Record<string, unknown>,
): Promise<PartRow[]> {
  let q = u(trx).selectFrom(table).selectAll().where("customer_id", "=", customerId);
  for (const [col, value] of Object.entries(scope)) q = q.where(col, "=", value);
  return (await q.orderBy("id").execute()) as PartRow[];
}

/** Sets or clears an exclusive flag on one row, as a change of that row (new version). */
export async function setFlag(
  trx: Executor,
  engine: Engine,
  table: PartTable,
  id: number,
  column: string,
  value: boolean,
  at: string,
): Promise<PartRow> {
  return (await u(trx)
    .updateTable(table)
    .set((eb) => ({ [column]: toFlag(engine, value), version: eb("version", "+", 1), updated_at: at }))
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow()) as PartRow;
}
