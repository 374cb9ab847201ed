import type { Kysely, Selectable, Transaction } from "kysely";
import type { DB, FollowUpsTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type FollowUpRow = Selectable<FollowUpsTable> & { customer_name: string };
export type FollowUpValues = Omit<Selectable<FollowUpsTable>, "id">;

const withCustomer = (db: Executor) =>
  db
    .selectFrom("follow_ups as f")
    .innerJoin("customers as c", "c.id", "f.customer_id")
    .selectAll("f")
    .select("c.name1 as customer_name");

export async function insertFollowUp(trx: Executor, values: FollowUpValues): Promise<number> {
  const r = await trx.insertInto("follow_ups").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findFollowUp(db: Executor, customerId: number, id: number): Promise<FollowUpRow | undefined> {
  return withCustomer(db).where("f.id", "=", id).where("f.customer_id", "=", customerId).executeTakeFirst();
}

export async function updateFollowUp(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<FollowUpValues>,
): Promise<boolean> {
  const r = await trx
    .updateTable("follow_ups")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface FollowUpFilters {
  owner?: string;
  customerId?: number;
  status: string;
  /** Only customers this owner or region may see (the row-level rule). */
  visibleTo?: { owner: string; region: string | null };
}

/** By due date (oldest first: the overdue ones lead), keyset-paginated on (due_at, id). */
export async function listFollowUps(
  db: Executor,
  f: FollowUpFilters,
  limit: number,
  after: [string, number] | null,
): Promise<FollowUpRow[]> {
  let q = withCustomer(db).where("f.status", "=", f.status);
  if (f.owner) q = q.where("f.owner", "=", f.owner);
  if (f.customerId) q = q.where("f.customer_id", "=", f.customerId);
  if (f.visibleTo) {
    const v = f.visibleTo;
    q = q.where((eb) =>
      v.region === null
        ? eb("c.owner", "=", v.owner)
        : eb.or([eb("c.owner", "=", v.owner), eb("c.region", "=", v.region)]),
    );
  }
  if (after) q = q.where((eb) => eb(eb.refTuple("f.due_at", "f.id"), ">", eb.tuple(after[0], after[1])));
  return q.orderBy("f.due_at").orderBy("f.id").limit(limit).execute();
}
