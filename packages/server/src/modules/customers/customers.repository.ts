import type { CustomerListQuery, CustomerSort } from "@kundenakte/contract";
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import type { CustomersTable, DB } from "../../db/schema.js";

export type Executor = Kysely<DB> | Transaction<DB>;
export type CustomerRow = Selectable<CustomersTable>;
export type CustomerValues = Omit<CustomerRow, "id">;

export async function findCustomer(db: Executor, id: number): Promise<CustomerRow | undefined> {
  return db.selectFrom("customers").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findTags(db: Executor, customerId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("customer_tags")
    .select("tag")
    .where("customer_id", "=", customerId)
    .orderBy("tag")
    .execute();
  return rows.map((r) => r.tag);
}

export async function insertCustomer(trx: Executor, values: CustomerValues): Promise<number> {
  const row = await trx.insertInto("customers").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Updates when the stored version is still `version`; false when someone else was first. */
export async function updateCustomer(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<CustomerValues>,
): Promise<boolean> {
  const r = await trx
    .updateTable("customers")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteCustomer(trx: Executor, id: number, version: number): Promise<boolean> {
  const r = await trx.deleteFrom("customers").where("id", "=", id).where("version", "=", version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function replaceTags(trx: Executor, customerId: number, tags: readonly string[]): Promise<void> {
  await trx.deleteFrom("customer_tags").where("customer_id", "=", customerId).execute();
  if (tags.length > 0) {
    await trx
      .insertInto("customer_tags")
      .values(tags.map((tag) => ({ customer_id: customerId, tag })))
      .execute();
  }
}

export async function customerNumberTaken(trx: Executor, customerNumber: string): Promise<boolean> {
  const r = await trx
    .selectFrom("customers")
    .select("id")
    .where("customer_number", "=", customerNumber)
    .executeTakeFirst();
  return r !== undefined;
}

/** Keeps the list-filter copies of the default billing address on the customer row (not a change: no version). */
export async function setBillingKeys(
  trx: Executor,
  id: number,
  cityKey: string | null,
  postalCode: string | null,
): Promise<void> {
  await trx
    .updateTable("customers")
    .set({ billing_city_key: cityKey, billing_postal_code: postalCode })
    .where("id", "=", id)
    .execute();
}

export async function hasAnyCustomer(db: Executor): Promise<boolean> {
  return (await db.selectFrom("customers").select("id").limit(1).executeTakeFirst()) !== undefined;
}

// ------------------------------------------------------------------ list

const SORT_COLUMNS: Record<string, "customer_number" | "name_sort" | "created_at" | "updated_at"> = {
  customerNumber: "customer_number",
  name: "name_sort",
  createdAt: "created_at",
  updatedAt: "updated_at",
};

export interface ListFilters {
  status?: string;
  group?: string;
  owner?: string;
  tag?: string;
  cityKey?: string;
  postalCode?: string;
  postalCodePrefix?: boolean;
  blocked?: boolean;
  /** The row-level rule: only customers with this owner, or of this region. */
  visibleTo?: { owner: string; region: string | null };
}

export interface ListRow {
  id: number;
  customer_number: string;
  kind: string;
  name1: string;
  name2: string | null;
  status: string;
  block_type: string;
  customer_group: string | null;
  region: string | null;
  abc_rating: string | null;
  owner: string | null;
  version: number;
  updated_at: string;
  created_at: string;
  name_sort: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
}

function filtered(db: Executor, f: ListFilters) {
  let q = db.selectFrom("customers as c");
  if (f.visibleTo) {
    const v = f.visibleTo;
    q = q.where((eb) =>
      v.region === null
        ? eb("c.owner", "=", v.owner)
        : eb.or([eb("c.owner", "=", v.owner), eb("c.region", "=", v.region)]),
    );
  }
  if (f.status) q = q.where("c.status", "=", f.status);
  if (f.group) q = q.where("c.customer_group", "=", f.group);
  if (f.owner) q = q.where("c.owner", "=", f.owner);
  // Literals, not parameters: SQLite uses a partial index only when it can prove the predicate.
  if (f.blocked === true) q = q.where(sql<boolean>`c.block_type <> 'none'`);
  if (f.blocked === false) q = q.where("c.block_type", "=", "none");
  if (f.tag) {
    const tag = f.tag;
    q = q.where("c.id", "in", (eb) => eb.selectFrom("customer_tags").select("customer_id").where("tag", "=", tag));
  }
  // City and postal code of the default billing address (the one each row shows), kept on
  // the customer row by every write, so the filter and the name order share one index.
  if (f.cityKey) q = q.where("c.billing_city_key", "=", f.cityKey);
  if (f.postalCode) {
    const pc = f.postalCode;
    q = f.postalCodePrefix
      ? q.where("c.billing_postal_code", ">=", pc).where("c.billing_postal_code", "<", `${pc}\u{10FFFF}`)
      : q.where("c.billing_postal_code", "=", pc);
  }
  return q;
}

/**
 * One page of customers in keyset order. `after` is the (sort value, id) of the last row of
 * the previous page. Sort columns compare byte-wise on both engines (see migrations/ddl.ts).
 */
export async function listCustomers(
  db: Database,
  f: ListFilters,
  sort: CustomerSort,
  limit: number,
  after: [string, number] | null,
): Promise<ListRow[]> {
  const desc = sort.startsWith("-");
  const col = SORT_COLUMNS[desc ? sort.slice(1) : sort]!;
  let q = filtered(db.kysely, f)
    .leftJoin("addresses as a", (j) =>
      j.onRef("a.customer_id", "=", "c.id").on("a.type", "=", "billing").on(sql<boolean>`a.is_default = true`),
    )
    .select([
      "c.id",
      "c.customer_number",
      "c.kind",
      "c.name1",
      "c.name2",
      "c.status",
      "c.block_type",
      "c.customer_group",
      "c.region",
      "c.abc_rating",
      "c.owner",
      "c.version",
      "c.updated_at",
      "c.created_at",
      "c.name_sort",
      "a.street",
      "a.postal_code",
      "a.city",
      "a.country",
    ]);
  if (after) {
    q = q.where((eb) => eb(eb.refTuple(`c.${col}`, "c.id"), desc ? "<" : ">", eb.tuple(after[0], after[1])));
  }
  // Run through the prepared-statement cache: filter combinations give a bounded set of SQL texts.
  const compiled = q
    .orderBy(`c.${col}`, desc ? "desc" : "asc")
    .orderBy("c.id", desc ? "desc" : "asc")
    .limit(limit)
    .compile();
  return (await db.read(compiled, compiled.parameters)) as ListRow[];
}

/** Counts matching customers up to `cap`, so the count stays cheap on large tables. */
export async function countCustomers(db: Database, f: ListFilters, cap: number): Promise<number> {
  const inner = filtered(db.kysely, f)
    .select("c.id")
    .limit(cap + 1);
  const compiled = db.kysely
    .selectFrom(inner.as("x"))
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .compile();
  const [r] = await db.read(compiled, compiled.parameters);
  return Number(r?.n ?? 0);
}

export const sortColumn = (sort: CustomerSort) => SORT_COLUMNS[sort.replace("-", "")]!;
export type { CustomerListQuery };
