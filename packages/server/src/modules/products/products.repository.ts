import type { Kysely, Selectable, Transaction } from "kysely";
import { engineOf, toFlag } from "../../db/dialect.js";
import type { DB, ProductsTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type ProductRow = Selectable<ProductsTable>;
export type ProductValues = Omit<ProductRow, "id">;

export async function insertProduct(trx: Executor, values: ProductValues): Promise<ProductRow> {
  return trx.insertInto("products").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findProduct(db: Executor, id: number): Promise<ProductRow | undefined> {
  return db.selectFrom("products").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findProducts(db: Executor, ids: number[]): Promise<Map<number, ProductRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("products").selectAll().where("id", "in", ids).execute();
  return new Map(rows.map((r) => [Number(r.id), r]));
}

export async function updateProduct(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<ProductValues>,
): Promise<ProductRow | undefined> {
  return trx
    .updateTable("products")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteProduct(trx: Executor, id: number, version: number): Promise<boolean> {
  const r = await trx.deleteFrom("products").where("id", "=", id).where("version", "=", version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export interface ProductFilters {
  /** Prefix of the article number (as typed) or of the name (folded). */
  prefix?: { article: string; name: string };
  productGroup?: string;
  active?: boolean;
}

/** By name, keyset-paginated on (name_key, id). */
export async function listProducts(
  db: Executor,
  f: ProductFilters,
  limit: number,
  after: [string, number] | null,
): Promise<ProductRow[]> {
  let q = db.selectFrom("products").selectAll();
  if (f.prefix) {
    const p = f.prefix;
    q = q.where((eb) =>
      eb.or([
        eb.and([eb("article_number", ">=", p.article), eb("article_number", "<", `${p.article}\uffff`)]),
        eb.and([eb("name_key", ">=", p.name), eb("name_key", "<", `${p.name}\uffff`)]),
      ]),
    );
  }
  if (f.productGroup) q = q.where("product_group", "=", f.productGroup);
  if (f.active !== undefined) q = q.where("active", "=", toFlag(engineOf(db), f.active));
  if (after) q = q.where((eb) => eb(eb.refTuple("name_key", "id"), ">", eb.tuple(after[0], after[1])));
  return q.orderBy("name_key").orderBy("id").limit(limit).execute();
}
