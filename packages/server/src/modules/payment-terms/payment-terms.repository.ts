import type { Kysely, Selectable, Transaction } from "kysely";
import type { DB, PaymentTermsTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type PaymentTermsRow = Selectable<PaymentTermsTable>;
export type PaymentTermsValues = Omit<PaymentTermsRow, "id">;

export async function insertTerms(trx: Executor, values: PaymentTermsValues): Promise<PaymentTermsRow> {
  return trx.insertInto("payment_terms").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findTerms(db: Executor, id: number): Promise<PaymentTermsRow | undefined> {
  return db.selectFrom("payment_terms").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listTerms(db: Executor): Promise<PaymentTermsRow[]> {
  return db.selectFrom("payment_terms").selectAll().orderBy("net_days").orderBy("code").execute();
}

export async function updateTerms(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<PaymentTermsValues>,
): Promise<PaymentTermsRow | undefined> {
  return trx
    .updateTable("payment_terms")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}
