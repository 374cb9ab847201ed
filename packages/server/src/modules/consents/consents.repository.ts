import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { engineOf } from "../../db/dialect.js";
import type { AdvertisingObjectionsTable, ConsentsTable, DB } from "../../db/schema.js";

export type Executor = Kysely<DB> | Transaction<DB>;
export type ConsentRow = Selectable<ConsentsTable>;
export type ObjectionRow = Selectable<AdvertisingObjectionsTable>;

/**
 * The literal `true` of the engine: SQLite uses a partial index only when the query repeats
 * its predicate literally (a bound parameter is not enough).
 */
export const trueLiteral = (db: Executor) => sql.raw(engineOf(db) === "postgres" ? "true" : "1");

/** `contact_id = ?`, or `contact_id is null` for the customer's own records. */
const sameContact = (contactId: number | null) =>
  contactId === null ? sql<boolean>`contact_id is null` : sql<boolean>`contact_id = ${contactId}`;

export async function insertConsent(trx: Executor, values: Omit<ConsentRow, "id">): Promise<number> {
  const r = await trx.insertInto("consents").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findConsent(db: Executor, id: number): Promise<ConsentRow | undefined> {
  return db.selectFrom("consents").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The record in force for one person and channel. */
export async function currentConsent(
  db: Executor,
  customerId: number,
  contactId: number | null,
  channel: string,
): Promise<ConsentRow | undefined> {
  return db
    .selectFrom("consents")
    .selectAll()
    .where("customer_id", "=", customerId)
    .where(sameContact(contactId))
    .where("channel", "=", channel)
    .where(sql<boolean>`is_current = ${trueLiteral(db)}`)
    .executeTakeFirst();
}

export async function clearCurrent(trx: Executor, id: number): Promise<void> {
  await trx
    .updateTable("consents")
    .set({ is_current: sql`${sql.lit(false)}` as never })
    .where("id", "=", id)
    .execute();
}

/** Every record in force of a customer and its contacts. */
export async function currentConsentsOf(db: Executor, customerId: number): Promise<ConsentRow[]> {
  return db
    .selectFrom("consents")
    .selectAll()
    .where("customer_id", "=", customerId)
    .where(sql<boolean>`is_current = ${trueLiteral(db)}`)
    .execute();
}

export interface HistoryFilter {
  customerId: number;
  contactId?: number;
  customerLevel?: boolean;
  channel?: string;
}

/** A customer's consent history, newest record first, keyset-paginated on the id. */
export async function consentHistory(
  db: Executor,
  f: HistoryFilter,
  limit: number,
  beforeId: number | null,
): Promise<ConsentRow[]> {
  let q = db.selectFrom("consents").selectAll().where("customer_id", "=", f.customerId);
  if (f.contactId !== undefined) q = q.where("contact_id", "=", f.contactId);
  if (f.customerLevel) q = q.where("contact_id", "is", null);
  if (f.channel) q = q.where("channel", "=", f.channel);
  if (beforeId !== null) q = q.where("id", "<", beforeId);
  return q.orderBy("id", "desc").limit(limit).execute();
}

// ---------------------------------------------------------------- advertising objections

export async function insertObjection(trx: Executor, values: Omit<ObjectionRow, "id">): Promise<number> {
  const r = await trx.insertInto("advertising_objections").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findObjection(db: Executor, customerId: number, id: number): Promise<ObjectionRow | undefined> {
  return db
    .selectFrom("advertising_objections")
    .selectAll()
    .where("id", "=", id)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
}

export async function liftObjection(
  trx: Executor,
  id: number,
  version: number,
  values: { lifted_on: string; lift_reason: string; lifted_by: string; updated_at: string },
): Promise<boolean> {
  const r = await trx
    .updateTable("advertising_objections")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .where("lifted_on", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Active objections of a customer and its contacts. */
export async function activeObjectionsOf(db: Executor, customerId: number): Promise<ObjectionRow[]> {
  return db
    .selectFrom("advertising_objections")
    .selectAll()
    .where("customer_id", "=", customerId)
    .where("lifted_on", "is", null)
    .execute();
}

export async function listObjections(
  db: Executor,
  customerId: number,
  active: boolean | undefined,
  limit: number,
  beforeId: number | null,
): Promise<ObjectionRow[]> {
  let q = db.selectFrom("advertising_objections").selectAll().where("customer_id", "=", customerId);
  if (active === true) q = q.where("lifted_on", "is", null);
  if (active === false) q = q.where("lifted_on", "is not", null);
  if (beforeId !== null) q = q.where("id", "<", beforeId);
  return q.orderBy("id", "desc").limit(limit).execute();
}

/** Names of a customer's contacts, for the consent overview and journal texts. */
export async function contactsOf(
  db: Executor,
  customerId: number,
): Promise<{ id: number; first_name: string | null; last_name: string }[]> {
  return db
    .selectFrom("contacts")
    .select(["id", "first_name", "last_name"])
    .where("customer_id", "=", customerId)
    .orderBy("last_name")
    .orderBy("id")
    .execute();
}

/** A contact of the customer (undefined when it is not one of its contacts). */
export async function findContactOf(
  db: Executor,
  customerId: number,
  contactId: number,
): Promise<{ id: number; first_name: string | null; last_name: string } | undefined> {
  return db
    .selectFrom("contacts")
    .select(["id", "first_name", "last_name"])
    .where("id", "=", contactId)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
}
