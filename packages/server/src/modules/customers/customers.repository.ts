import type { CustomerSort } from "@kundenakte/contract";
import { type CompiledQuery, type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { compiledOnce, type Database } from "../../db/database.js";
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
      ? q
          .where("c.billing_postal_code", ">=", pc)
          .where("c.billing_postal_code", "<", pc === SLOT.postalCode ? SLOT.postalCodeEnd : `${pc}\u{10FFFF}`)
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
  const values = { ...slotValues(f), afterValue: after?.[0], afterId: after?.[1], limit };
  const compiled = compiledOnce(db, `list:${shapeOf(f)}:${sort}:${after ? 1 : 0}`, () =>
    buildList(
      db,
      withSlots(f),
      sort,
      SLOT.limit as unknown as number,
      after ? [SLOT.afterValue!, SLOT.afterId as unknown as number] : null,
    ),
  );
  const rows = await db.readArrays(compiled, fill(compiled.parameters, values));
  return rows.map(toListRow);
}

/** The columns of a list page, in the order `buildList` selects them. */
const LIST_COLUMNS = [
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
] as const;

/** One literal shape for every row: V8 builds these faster than the driver builds keyed rows. */
const toListRow = (r: unknown[]): ListRow => ({
  id: r[0] as number,
  customer_number: r[1] as string,
  kind: r[2] as string,
  name1: r[3] as string,
  name2: r[4] as string | null,
  status: r[5] as string,
  block_type: r[6] as string,
  customer_group: r[7] as string | null,
  region: r[8] as string | null,
  abc_rating: r[9] as string | null,
  owner: r[10] as string | null,
  version: r[11] as number,
  updated_at: r[12] as string,
  created_at: r[13] as string,
  name_sort: r[14] as string,
  street: r[15] as string | null,
  postal_code: r[16] as string | null,
  city: r[17] as string | null,
  country: r[18] as string | null,
});

function buildList(
  db: Database,
  f: ListFilters,
  sort: CustomerSort,
  limit: number,
  after: [string, number] | null,
): CompiledQuery<ListRow> {
  const desc = sort.startsWith("-");
  const col = SORT_COLUMNS[desc ? sort.slice(1) : sort]!;
  let q = filtered(db.kysely, f)
    .leftJoin("addresses as a", (j) =>
      j.onRef("a.customer_id", "=", "c.id").on("a.type", "=", "billing").on(sql<boolean>`a.is_default = true`),
    )
    .select(LIST_COLUMNS);
  if (after) {
    q = q.where((eb) => eb(eb.refTuple(`c.${col}`, "c.id"), desc ? "<" : ">", eb.tuple(after[0], after[1])));
  }
  return q
    .orderBy(`c.${col}`, desc ? "desc" : "asc")
    .orderBy("c.id", desc ? "desc" : "asc")
    .limit(limit)
    .compile() as CompiledQuery<ListRow>;
}

/** Counts matching customers up to `cap`, so the count stays cheap on large tables. */
export async function countCustomers(db: Database, f: ListFilters, cap: number): Promise<number> {
  const compiled = compiledOnce(db, `count:${shapeOf(f)}`, () =>
    db.kysely
      .selectFrom(
        filtered(db.kysely, withSlots(f))
          .select("c.id")
          .limit(SLOT.limit as unknown as number)
          .as("x"),
      )
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .compile(),
  );
  const [r] = await db.read(compiled, fill(compiled.parameters, { ...slotValues(f), limit: cap + 1 }));
  return Number((r as { n?: number } | undefined)?.n ?? 0);
}

// ------------------------------------------------------------------ compiled once per shape
//
// Building and compiling a list query with Kysely costs about as much as SQLite's work for a
// page. The SQL depends only on which filters are set (the "shape"), so each shape is compiled
// once with placeholder values ("slots") that are swapped for the request's values.

const SLOT_NAMES = [
  "status",
  "group",
  "owner",
  "tag",
  "cityKey",
  "postalCode",
  "postalCodeEnd",
  "visibleOwner",
  "visibleRegion",
  "afterValue",
  "afterId",
  "limit",
] as const;
type SlotName = (typeof SLOT_NAMES)[number];
const SLOT = Object.fromEntries(SLOT_NAMES.map((n) => [n, `\u0000slot:${n}`])) as Record<SlotName, string>;
const SLOT_BY_TEXT = new Map(SLOT_NAMES.map((n) => [SLOT[n], n]));

function shapeOf(f: ListFilters): string {
  return [
    f.status ? "s" : "",
    f.group ? "g" : "",
    f.owner ? "o" : "",
    f.tag ? "t" : "",
    f.cityKey ? "c" : "",
    f.postalCode ? (f.postalCodePrefix ? "P" : "p") : "",
    f.blocked === undefined ? "" : f.blocked ? "B" : "b",
    f.visibleTo ? (f.visibleTo.region === null ? "v" : "V") : "",
  ].join("");
}

function withSlots(f: ListFilters): ListFilters {
  return {
    status: f.status ? SLOT.status : undefined,
    group: f.group ? SLOT.group : undefined,
    owner: f.owner ? SLOT.owner : undefined,
    tag: f.tag ? SLOT.tag : undefined,
    cityKey: f.cityKey ? SLOT.cityKey : undefined,
    postalCode: f.postalCode ? SLOT.postalCode : undefined,
    postalCodePrefix: f.postalCodePrefix,
    blocked: f.blocked,
    visibleTo: f.visibleTo
      ? { owner: SLOT.visibleOwner, region: f.visibleTo.region === null ? null : SLOT.visibleRegion }
      : undefined,
  };
}

function slotValues(f: ListFilters): Partial<Record<SlotName, unknown>> {
  return {
    status: f.status,
    group: f.group,
    owner: f.owner,
    tag: f.tag,
    cityKey: f.cityKey,
    postalCode: f.postalCode,
    postalCodeEnd: f.postalCode ? `${f.postalCode}\u{10FFFF}` : undefined,
    visibleOwner: f.visibleTo?.owner,
    visibleRegion: f.visibleTo?.region,
  };
}

function fill(parameters: readonly unknown[], values: Partial<Record<SlotName, unknown>>): unknown[] {
  return parameters.map((p) => {
    const slot = typeof p === "string" ? SLOT_BY_TEXT.get(p) : undefined;
    return slot ? values[slot] : p;
  });
}

export const sortColumn = (sort: CustomerSort) => SORT_COLUMNS[sort.replace("-", "")]!;
