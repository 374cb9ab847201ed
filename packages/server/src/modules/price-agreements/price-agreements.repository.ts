import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { engineOf } from "../../db/dialect.js";
import type { DB, PriceAgreementsTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type AgreementRow = Selectable<PriceAgreementsTable> & {
  customer_name: string | null;
  customer_owner: string | null;
  customer_region: string | null;
  article_number: string | null;
  product_name: string | null;
};
export type AgreementValues = Omit<Selectable<PriceAgreementsTable>, "id">;

/** Who an agreement is for and what it is about: the key overlaps are checked under. */
export interface AgreementTarget {
  customerId: number | null;
  customerGroup: string | null;
  productId: number | null;
  productGroup: string | null;
}

const withNames = (db: Executor) =>
  db
    .selectFrom("price_agreements as a")
    .leftJoin("customers as c", "c.id", "a.customer_id")
    .leftJoin("products as p", "p.id", "a.product_id")
    .selectAll("a")
    .select([
      "c.name1 as customer_name",
      "c.owner as customer_owner",
      "c.region as customer_region",
      "p.article_number",
      "p.name as product_name",
    ]);

export async function insertAgreement(trx: Executor, values: AgreementValues): Promise<number> {
  const r = await trx.insertInto("price_agreements").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findAgreement(db: Executor, id: number): Promise<AgreementRow | undefined> {
  return withNames(db).where("a.id", "=", id).executeTakeFirst();
}

export async function updateAgreement(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<AgreementValues>,
): Promise<boolean> {
  const r = await trx
    .updateTable("price_agreements")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteAgreement(trx: Executor, id: number, version: number): Promise<boolean> {
  const r = await trx
    .deleteFrom("price_agreements")
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** How many document lines took their price from the agreement (they keep it: no delete then). */
export async function linesUsing(db: Executor, id: number): Promise<number> {
  const r = await db
    .selectFrom("sales_document_lines")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("price_agreement_id", "=", id)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Serialises writers of the same customer (or group) and target until commit, so two
 * concurrent requests cannot both pass the overlap check. SQLite runs one write transaction
 * at a time anyway; PostgreSQL takes a transaction-scoped advisory lock.
 */
export async function lockTarget(trx: Executor, t: AgreementTarget): Promise<void> {
  if (engineOf(trx) !== "postgres") return;
  const key = `price_agreement|${t.customerId ?? `g:${t.customerGroup}`}|${t.productId ?? `pg:${t.productGroup}`}`;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/** Agreements of the same customer (or group), target and minimum quantity whose period shares a day. */
export async function overlapping(
  db: Executor,
  t: AgreementTarget,
  minQuantityMilli: number,
  period: { validFrom: string; validTo: string | null },
  exceptId: number | null,
): Promise<{ id: number; valid_from: string; valid_to: string | null }[]> {
  let q = db
    .selectFrom("price_agreements")
    .select(["id", "valid_from", "valid_to"])
    .where("min_quantity_milli", "=", minQuantityMilli)
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">=", period.validFrom)]));
  q =
    t.customerId !== null ? q.where("customer_id", "=", t.customerId) : q.where("customer_group", "=", t.customerGroup);
  q = t.productId !== null ? q.where("product_id", "=", t.productId) : q.where("product_group", "=", t.productGroup);
  if (period.validTo !== null) q = q.where("valid_from", "<=", period.validTo);
  if (exceptId !== null) q = q.where("id", "<>", exceptId);
  return (await q.orderBy("valid_from").orderBy("id").limit(10).execute()).map((r) => ({ ...r, id: Number(r.id) }));
}

export interface AgreementFilters {
  customerId?: number;
  customerGroup?: string;
  productId?: number;
  productGroup?: string;
  validOn?: string;
  /** Customer agreements only of customers this owner or region may see (the row-level rule). */
  visibleTo?: { owner: string; region: string | null };
}

/** Newest first, keyset-paginated on (valid_from, id) descending. */
export async function listAgreements(
  db: Executor,
  f: AgreementFilters,
  limit: number,
  after: [string, number] | null,
): Promise<AgreementRow[]> {
  let q = withNames(db);
  if (f.customerId !== undefined) q = q.where("a.customer_id", "=", f.customerId);
  if (f.customerGroup !== undefined) q = q.where("a.customer_group", "=", f.customerGroup);
  if (f.productId !== undefined) q = q.where("a.product_id", "=", f.productId);
  if (f.productGroup !== undefined) q = q.where("a.product_group", "=", f.productGroup);
  if (f.validOn !== undefined) {
    const on = f.validOn;
    q = q
      .where("a.valid_from", "<=", on)
      .where((eb) => eb.or([eb("a.valid_to", "is", null), eb("a.valid_to", ">=", on)]));
  }
  if (f.visibleTo) {
    const v = f.visibleTo;
    q = q.where((eb) =>
      eb.or([
        eb("a.customer_id", "is", null),
        v.region === null
          ? eb("c.owner", "=", v.owner)
          : eb.or([eb("c.owner", "=", v.owner), eb("c.region", "=", v.region)]),
      ]),
    );
  }
  if (after) q = q.where((eb) => eb(eb.refTuple("a.valid_from", "a.id"), "<", eb.tuple(after[0], after[1])));
  return q.orderBy("a.valid_from", "desc").orderBy("a.id", "desc").limit(limit).execute();
}

export interface CandidateQuery {
  customerId: number;
  customerGroup: string | null;
  productIds: number[];
  productGroups: string[];
  onDate: string;
}

/**
 * Every agreement that could price these products for this customer on the date: up to four
 * index range reads (one per level), so the cost does not grow with the agreements of others.
 */
export async function candidates(db: Executor, c: CandidateQuery): Promise<Selectable<PriceAgreementsTable>[]> {
  if (c.productIds.length === 0) return [];
  const valid = (q: ReturnType<typeof base>) =>
    q
      .where("valid_from", "<=", c.onDate)
      .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">=", c.onDate)]));
  const base = () => db.selectFrom("price_agreements").selectAll();
  const reads = [valid(base().where("customer_id", "=", c.customerId).where("product_id", "in", c.productIds))];
  if (c.productGroups.length > 0) {
    reads.push(valid(base().where("customer_id", "=", c.customerId).where("product_group", "in", c.productGroups)));
  }
  if (c.customerGroup !== null) {
    reads.push(valid(base().where("customer_group", "=", c.customerGroup).where("product_id", "in", c.productIds)));
    if (c.productGroups.length > 0) {
      reads.push(
        valid(base().where("customer_group", "=", c.customerGroup).where("product_group", "in", c.productGroups)),
      );
    }
  }
  const [first, ...rest] = reads;
  return rest.reduce((q, r) => q.unionAll(r), first!).execute();
}

export async function customerGroupExists(db: Executor, group: string): Promise<boolean> {
  return (
    (await db.selectFrom("customers").select("id").where("customer_group", "=", group).limit(1).executeTakeFirst()) !==
    undefined
  );
}

export async function productGroupExists(db: Executor, group: string): Promise<boolean> {
  return (
    (await db.selectFrom("products").select("id").where("product_group", "=", group).limit(1).executeTakeFirst()) !==
    undefined
  );
}
