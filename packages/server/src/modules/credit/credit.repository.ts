import type { Kysely, Selectable, Transaction } from "kysely";
import type { CustomerFinanceTable, DB } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type CustomerFinanceRow = Selectable<CustomerFinanceTable>;

export async function findFinance(db: Executor, customerId: number): Promise<CustomerFinanceRow | undefined> {
  return db.selectFrom("customer_finance").selectAll().where("customer_id", "=", customerId).executeTakeFirst();
}

/** Creates the row on first write (version 1 stands for "never changed"). */
export async function saveFinance(
  trx: Executor,
  customerId: number,
  version: number,
  values: Omit<CustomerFinanceRow, "customer_id" | "version">,
): Promise<boolean> {
  if (version === 1) {
    const exists = await findFinance(trx, customerId);
    if (!exists) {
      await trx
        .insertInto("customer_finance")
        .values({ customer_id: customerId, version: 2, ...values })
        .execute();
      return true;
    }
  }
  const r = await trx
    .updateTable("customer_finance")
    .set({ ...values, version: version + 1 })
    .where("customer_id", "=", customerId)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
