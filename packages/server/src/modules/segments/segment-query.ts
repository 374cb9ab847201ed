import type { SegmentFilter, SegmentTarget } from "@kundenakte/contract";
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from "kysely";
import { engineOf } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";
import type { Visibility } from "../auth/principal.js";

type Executor = Kysely<DB> | Transaction<DB>;

/** A filter with its defaults resolved (the revenue months depend on the day of the evaluation). */
export interface ResolvedFilter extends SegmentFilter {
  revenue?: SegmentFilter["revenue"] & { fromMonth: string; toMonth: string };
}

/** The month `n` months before `month` (YYYY-MM). */
export function monthsBefore(month: string, n: number): string {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

/** Fills in the revenue window: by default the twelve months up to the current one. */
export function resolveFilter(f: SegmentFilter, today: string): ResolvedFilter {
  if (!f.revenue) return f as ResolvedFilter;
  const toMonth = f.revenue.toMonth ?? today.slice(0, 7);
  const fromMonth = f.revenue.fromMonth ?? monthsBefore(toMonth, 11);
  return { ...f, revenue: { ...f.revenue, fromMonth, toMonth } };
}

const withContacts = (db: Executor) =>
  db.selectFrom("customers as c").innerJoin("contacts as ct", "ct.customer_id", "c.id");

/**
 * The segment as one set-based query over customers (joined with their contacts for target
 * `contacts`): every criterion is a predicate on the customer row, a set read once through
 * its own index (tags, products bought), or a correlated subquery one index seek answers
 * (revenue of some months, the last invoice). No per-customer round trip: 100,000
 * customers are one statement.
 */
export function segmentQuery(db: Executor, target: SegmentTarget, f: ResolvedFilter, visibleTo: Visibility | null) {
  const yes = sql.raw(engineOf(db) === "postgres" ? "true" : "1");
  // Typed as the contacts join; for target `customers` the join is left out (and so are its columns).
  let q = (
    target === "contacts"
      ? db.selectFrom("customers as c").innerJoin("contacts as ct", "ct.customer_id", "c.id")
      : db.selectFrom("customers as c")
  ) as ReturnType<typeof withContacts>;
  if (target === "contacts") {
    q = q.where(sql<boolean>`ct.active = ${yes}`);
    if (f.contacts?.primaryOnly) q = q.where(sql<boolean>`ct.is_primary = ${yes}`);
    if (f.contacts?.departments) q = q.where("ct.department", "in", f.contacts.departments);
  }
  if (visibleTo) {
    const v = visibleTo;
    q = q.where((eb) =>
      v.region === null
        ? eb("c.owner", "=", v.owner)
        : eb.or([eb("c.owner", "=", v.owner), eb("c.region", "=", v.region)]),
    );
  }
  if (f.statuses) q = q.where("c.status", "in", f.statuses);
  if (f.groups) q = q.where("c.customer_group", "in", f.groups);
  if (f.regions) q = q.where("c.region", "in", f.regions);
  if (f.postalCodePrefixes) {
    const prefixes = f.postalCodePrefixes;
    q = q.where((eb) =>
      eb.or(prefixes.map((p) => eb(sql`substr(c.billing_postal_code, 1, ${sql.lit(p.length)})`, "=", p))),
    );
  }
  // Tags and products select few rows through their own index (tag or product first): read
  // once as a set, not probed per customer.
  if (f.tags) {
    const tags = f.tags;
    q = q.where("c.id", "in", (eb) =>
      eb.selectFrom("customer_tags as t").select("t.customer_id").where("t.tag", "in", tags),
    );
  }
  // Revenue: one aggregate per customer, tested in HAVING, so both bounds cost one index
  // range. An aggregate without GROUP BY always yields a row: a customer without revenue has
  // 0 and is in a band from 0.
  if (f.revenue) {
    const r = f.revenue;
    const sum = sql<number>`coalesce(sum(r.net_cents), 0)`;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("customer_revenue as r")
          .select(sum.as("s"))
          .whereRef("r.customer_id", "=", "c.id")
          .where("r.month", ">=", r.fromMonth)
          .where("r.month", "<=", r.toMonth)
          .having((h) =>
            h.and([
              ...(r.minCents !== undefined ? [h(sum, ">=", r.minCents)] : []),
              ...(r.maxCents !== undefined ? [h(sum, "<=", r.maxCents)] : []),
            ]),
          ),
      ),
    );
  }
  // Last purchase: a plain max() over the partial index of invoices (migration 012), which both
  // engines answer with one seek at the index's end; its literals repeat the index predicate.
  // A customer who never bought has no last purchase and matches neither bound.
  if (f.lastPurchase) {
    const { after, before } = f.lastPurchase;
    const last = (eb: ExpressionBuilder<DB & { c: DB["customers"] }, "c">) =>
      eb
        .selectFrom("sales_documents as d")
        .select(sql<string>`max(d.document_date)`.as("last"))
        .whereRef("d.customer_id", "=", "c.id")
        .where(sql<boolean>`d.type = 'invoice' and d.status <> 'cancelled'`);
    if (after) q = q.where((eb) => eb(last(eb as never), ">=", after));
    if (before) q = q.where((eb) => eb(last(eb as never), "<", before));
  }
  if (f.productsBought) {
    const p = f.productsBought;
    q = q.where("c.id", "in", (eb) => {
      let sub = eb
        .selectFrom("customer_product_history as h")
        .select("h.customer_id")
        .where("h.product_id", "in", p.productIds);
      if (p.since) sub = sub.where("h.last_date", ">=", p.since);
      return sub;
    });
  }
  return q;
}

export interface MemberRow {
  customer_id: number;
  customer_number: string;
  name1: string;
  status: string;
  name_sort: string;
  contact_id: number | null;
  first_name: string | null;
  last_name: string | null;
}

/**
 * A page of members by customer name (then contact id), keyset-paginated. Run beside
 * `countSegment` rather than as one statement with a window count: the page stops after
 * `limit` rows in name order and the count needs no columns, which measured about twice as
 * fast as counting over the whole set and sorting it (SQLite and PostgreSQL, 20,000 customers).
 */
export async function segmentPage(
  db: Executor,
  target: SegmentTarget,
  f: ResolvedFilter,
  visibleTo: Visibility | null,
  limit: number,
  after: [string, number, number] | null,
): Promise<MemberRow[]> {
  const base = segmentQuery(db, target, f, visibleTo).select([
    "c.id as customer_id",
    "c.customer_number",
    "c.name1",
    "c.status",
    "c.name_sort",
  ]);
  let q =
    target === "contacts"
      ? base.select(["ct.id as contact_id", "ct.first_name", "ct.last_name"])
      : base.select([
          sql<number | null>`null`.as("contact_id"),
          sql<string | null>`null`.as("first_name"),
          sql<string | null>`null`.as("last_name"),
        ]);
  if (after) {
    q =
      target === "contacts"
        ? q.where((eb) => eb(eb.refTuple("c.name_sort", "c.id", "ct.id"), ">", eb.tuple(after[0], after[1], after[2])))
        : q.where((eb) => eb(eb.refTuple("c.name_sort", "c.id"), ">", eb.tuple(after[0], after[1])));
  }
  q = q.orderBy("c.name_sort").orderBy("c.id");
  if (target === "contacts") q = q.orderBy("ct.id");
  return (await q.limit(limit).execute()) as MemberRow[];
}

/** How many match, exactly. */
export async function countSegment(
  db: Executor,
  target: SegmentTarget,
  f: ResolvedFilter,
  visibleTo: Visibility | null,
): Promise<number> {
  const r = await segmentQuery(db, target, f, visibleTo)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every member's ids: what a campaign adds from a segment. */
export async function segmentIds(
  db: Executor,
  target: SegmentTarget,
  f: ResolvedFilter,
  visibleTo: Visibility | null,
): Promise<{ customer_id: number; contact_id: number | null }[]> {
  const base = segmentQuery(db, target, f, visibleTo).select("c.id as customer_id");
  const rows = await (target === "contacts"
    ? base.select("ct.id as contact_id")
    : base.select(sql<number | null>`null`.as("contact_id"))
  )
    .orderBy("c.id")
    .execute();
  return rows.map((r) => ({
    customer_id: Number(r.customer_id),
    contact_id: r.contact_id === null ? null : Number(r.contact_id),
  }));
}
