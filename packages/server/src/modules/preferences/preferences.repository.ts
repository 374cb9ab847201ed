import type { Insertable, Kysely, Selectable, Transaction } from "kysely";
import type { CustomerPreferencesTable, DB } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type PreferencesRow = Selectable<CustomerPreferencesTable>;
export type PreferencesValues = Omit<Insertable<CustomerPreferencesTable>, "customer_id" | "version">;

export async function findPreferences(db: Executor, customerId: number): Promise<PreferencesRow | undefined> {
  return db.selectFrom("customer_preferences").selectAll().where("customer_id", "=", customerId).executeTakeFirst();
}

/**
 * The first save: the defaults a customer without a row shows are version 1, so the stored
 * row starts at 2. A concurrent first save inserts nothing here (the caller answers 412).
 */
export async function insertPreferences(
  trx: Executor,
  customerId: number,
  values: PreferencesValues,
): Promise<boolean> {
  const r = await trx
    .insertInto("customer_preferences")
    .values({ customer_id: customerId, ...values, version: 2 })
    .onConflict((oc) => oc.column("customer_id").doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Compare-and-set: zero rows means someone else saved first. */
export async function updatePreferences(
  trx: Executor,
  customerId: number,
  version: number,
  values: PreferencesValues,
): Promise<boolean> {
  const r = await trx
    .updateTable("customer_preferences")
    .set({ ...values, version: version + 1 })
    .where("customer_id", "=", customerId)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
