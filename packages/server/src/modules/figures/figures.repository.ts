import type { Kysely, RawBuilder, Transaction } from "kysely";
import { sql } from "kysely";
import { compiledOnce, type Database } from "../../db/database.js";
import { daysBetweenSql } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;

/** Adds an invoice's or credit note's net to its month (in the document's transaction). */
export async function addRevenue(trx: Executor, customerId: number, month: string, netCents: number, invoices: number) {
  await trx
    .insertInto("customer_revenue")
    .values({ customer_id: customerId, month, net_cents: netCents, invoices })
    .onConflict((oc) =>
      oc.columns(["customer_id", "month"]).doUpdateSet((eb) => ({
        net_cents: eb("customer_revenue.net_cents", "+", eb.ref("excluded.net_cents")),
        invoices: eb("customer_revenue.invoices", "+", eb.ref("excluded.invoices")),
      })),
    )
    .execute();
}

export interface ProductSale {
  productId: number;
  quantityMilli: number;
  revenueCents: number;
  /** 1 for an invoice, 0 for a credit note (which corrects quantity and revenue only). */
  invoices: number;
  date: string;
  priceCents: number;
}

/** Adds one document's lines of a product to the customer's per-product history. */
export async function addProductSale(trx: Executor, customerId: number, s: ProductSale) {
  await trx
    .insertInto("customer_product_history")
    .values({
      customer_id: customerId,
      product_id: s.productId,
      quantity_milli: s.quantityMilli,
      revenue_cents: s.revenueCents,
      invoices: s.invoices,
      first_date: s.date,
      last_date: s.date,
      last_price_cents: s.priceCents,
    })
    .onConflict((oc) =>
      oc.columns(["customer_id", "product_id"]).doUpdateSet({
        quantity_milli: sql`customer_product_history.quantity_milli + excluded.quantity_milli`,
        revenue_cents: sql`customer_product_history.revenue_cents + excluded.revenue_cents`,
        invoices: sql`customer_product_history.invoices + excluded.invoices`,
        first_date: sql`case when excluded.invoices > 0 and excluded.first_date < customer_product_history.first_date then excluded.first_date else customer_product_history.first_date end`,
        // The last price is the price of the latest invoice; a backdated one or a credit note leaves it.
        last_price_cents: sql`case when excluded.invoices > 0 and excluded.last_date >= customer_product_history.last_date then excluded.last_price_cents else customer_product_history.last_price_cents end`,
        last_date: sql`case when excluded.invoices > 0 and excluded.last_date > customer_product_history.last_date then excluded.last_date else customer_product_history.last_date end`,
      }),
    )
    .execute();
}

export interface ProductHistoryRow {
  product_id: number;
  article_number: string;
  name: string;
  unit: string;
  quantity_milli: number;
  revenue_cents: number;
  invoices: number;
  first_date: string;
  last_date: string;
  last_price_cents: number;
}

/** Best-selling first (revenue, then product id, both descending), keyset-paginated. */
export async function productHistory(
  db: Database,
  customerId: number,
  limit: number,
  after: [number, number] | null,
): Promise<ProductHistoryRow[]> {
  const q = compiledOnce(db, after ? "figures.productHistory.after" : "figures.productHistory", () => {
    let b = db.kysely
      .selectFrom("customer_product_history as h")
      .innerJoin("products as p", "p.id", "h.product_id")
      .select([
        "h.product_id",
        "p.article_number",
        "p.name",
        "p.unit",
        "h.quantity_milli",
        "h.revenue_cents",
        "h.invoices",
        "h.first_date",
        "h.last_date",
        "h.last_price_cents",
      ])
      .where("h.customer_id", "=", 0);
    if (after) b = b.where((eb) => eb(eb.refTuple("h.revenue_cents", "h.product_id"), "<", eb.tuple(0, 0)));
    return b.orderBy("h.revenue_cents", "desc").orderBy("h.product_id", "desc").limit(0).compile();
  });
  return db.read(q, after ? [customerId, after[0], after[1], limit] : [customerId, limit]) as Promise<
    ProductHistoryRow[]
  >;
}

export async function revenueByMonth(
  db: Database,
  customerId: number,
): Promise<{ month: string; net_cents: number; invoices: number }[]> {
  const q = compiledOnce(db, "figures.revenue", () =>
    db.kysely
      .selectFrom("customer_revenue")
      .select(["month", "net_cents", "invoices"])
      .where("customer_id", "=", 0)
      .orderBy("month")
      .compile(),
  );
  return db.read(q, [customerId]);
}

let keyOrder: number[] = [];

export interface KeyFigureRow {
  revenue_this_year: number;
  revenue_last_year: number;
  open_quotes: number;
  open_orders: number;
  open_orders_cents: number;
  open_items_cents: number;
  overdue_cents: number;
  credit_limit_cents: number | null;
  paid_invoices: number;
  days_to_pay: number | null;
  days_late: number | null;
  paid_on_time: number | null;
  open_tickets: number;
  overdue_tickets: number;
}

/**
 * The key figures of the info panel in one statement: every part reads an index or a summary
 * table (revenue per month, open documents, invoices paid in the window), never the
 * customer's whole document history. Single-row derived tables, so each index is read once.
 */
export async function keyFigures(
  db: Database,
  customerId: number,
  dates: { today: string; yearStart: string; lastYearStart: string; windowStart: string; now: string },
): Promise<KeyFigureRow> {
  // The same values appear several times: PostgreSQL reuses $n, SQLite gets them repeated in order.
  const order: number[] = [];
  const q = compiledOnce(db, "figures.key", () => {
    const p = (n: number) => {
      order.push(n);
      return sql.raw(db.engine === "sqlite" ? "?" : `$${n}`);
    };
    const pay = daysBetweenSql(db.engine, "paid_on", "document_date");
    const late = daysBetweenSql(db.engine, "paid_on", "due_date");
    return sql<KeyFigureRow>`select * from
      (select coalesce(sum(case when month >= ${p(3)} then net_cents else 0 end), 0) as revenue_this_year,
              coalesce(sum(case when month < ${p(3)} then net_cents else 0 end), 0) as revenue_last_year
         from customer_revenue where customer_id = ${p(1)} and month >= ${p(4)}) r,
      (select count(*) as open_quotes from sales_documents where customer_id = ${p(1)} and type = 'quote' and status = 'open') q,
      (select count(*) as open_orders,
              coalesce(sum(case when not exists (select 1 from sales_documents i where i.reference_id = d.id and i.type = 'invoice') then d.gross_cents else 0 end), 0) as open_orders_cents
         from sales_documents d where d.customer_id = ${p(1)} and d.type = 'order' and d.status in ('open', 'partly_delivered')) o,
      (select coalesce(sum(open_cents), 0) as open_items_cents,
              coalesce(sum(case when open_cents > 0 and due_date < ${p(2)} then open_cents else 0 end), 0) as overdue_cents
         from sales_documents where customer_id = ${p(1)} and open_cents <> 0) i,
      (select count(*) as paid_invoices, avg(${pay}) as days_to_pay,
              avg(case when paid_on > due_date then ${late} else 0 end) as days_late,
              sum(case when paid_on <= due_date then 1 else 0 end) as paid_on_time
         from sales_documents where customer_id = ${p(1)} and paid_on is not null and paid_on > ${p(5)} and paid_on <= ${p(2)}) b,
      (select max(credit_limit_cents) as credit_limit_cents from customer_finance where customer_id = ${p(1)}) f,
      (select count(*) as open_tickets, coalesce(sum(case when due_at < ${p(6)} then 1 else 0 end), 0) as overdue_tickets
         from tickets where customer_id = ${p(1)} and status in ('new', 'in_progress', 'waiting_for_customer')) t`.compile(
      db.kysely,
    );
  });
  const values = [
    customerId,
    dates.today,
    dates.yearStart.slice(0, 7),
    dates.lastYearStart.slice(0, 7),
    dates.windowStart,
    dates.now,
  ];
  if (order.length > 0) keyOrder = order;
  const [row] = await db.read(q, db.engine === "sqlite" ? keyOrder.map((n) => values[n - 1]) : values);
  return row!;
}

/** Journal kinds that are a contact with the customer: the info panel's "last contact". */
export const CONTACT_KINDS = ["call", "email", "meeting", "letter"] as const;

/** The customer's next follow-up and last contact, as read beside the file document. */
export interface ActivityRow {
  follow_up_id: number | null;
  follow_up_due_at: string | null;
  follow_up_subject: string | null;
  follow_up_owner: string | null;
  follow_up_owner_name: string | null;
  last_contact_at: string | null;
  last_contact_kind: string | null;
}

export const NO_ACTIVITY: ActivityRow = {
  follow_up_id: null,
  follow_up_due_at: null,
  follow_up_subject: null,
  follow_up_owner: null,
  follow_up_owner_name: null,
  last_contact_at: null,
  last_contact_kind: null,
};

/** The contact kinds as SQL literals: the partial index `ix_journal_last_contact` is used only for this exact list. */
const CONTACT_KINDS_SQL = sql.raw(CONTACT_KINDS.map((k) => `'${k}'`).join(", "));

/** The two columns `activitySql` adds: JSON arrays (text on SQLite, parsed by `pg`), null when there is none. */
export interface ActivityColumns {
  next_follow_up: string | unknown[] | null;
  last_contact: string | unknown[] | null;
}

/**
 * Two columns that add the next follow-up and the last contact of the customer named by
 * `customerId` (a column of the outer query) to a one-row query, each one scalar subquery
 * giving a JSON array (`activityOf` reads them). Point reads only:
 * - the earliest open follow-up: the first entry of `ix_follow_ups_customer`
 *   (customer_id, status, due_at, id), and its owner's name through `ux_users_email`;
 * - the newest contact: the last entry of the partial index `ix_journal_last_contact`
 *   (contact kinds, not deleted; migration 017) — one probe.
 * Scalar subqueries, not joins on them: SQLite spent ~12 µs per joined table opening cursors
 * even when nothing matched, and the union of four per-kind probes with a sort cost ~100 µs —
 * together most of the file endpoint's time at 100,000 customers.
 */
export function activitySql(customerId: RawBuilder<unknown>, engine: Database["engine"]): RawBuilder<unknown> {
  const array = sql.raw(engine === "postgres" ? "json_build_array" : "json_array");
  return sql`(select ${array}(x.id, x.due_at, x.subject, x.owner, (select u.name from users u where u.email = x.owner))
      from follow_ups x where x.customer_id = ${customerId} and x.status = 'open' order by x.due_at, x.id limit 1) as next_follow_up,
    (select ${array}(e.occurred_at, e.kind) from journal_entries e
      where e.customer_id = ${customerId} and e.kind in (${CONTACT_KINDS_SQL}) and e.deleted_at is null
      order by e.occurred_at desc, e.id desc limit 1) as last_contact`;
}

/** A timestamp from a JSON array: ISO text on SQLite, PostgreSQL's own format (`…+00:00`) there. */
const isoOf = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

/** The next follow-up and last contact from the columns of `activitySql`. */
export function activityOf(row: ActivityColumns): ActivityRow {
  if (row.next_follow_up === null && row.last_contact === null) return NO_ACTIVITY;
  const fu = (typeof row.next_follow_up === "string" ? JSON.parse(row.next_follow_up) : row.next_follow_up) as
    | [number, string, string, string, string | null]
    | null;
  const lc = (typeof row.last_contact === "string" ? JSON.parse(row.last_contact) : row.last_contact) as
    | [string, string]
    | null;
  return {
    follow_up_id: fu ? Number(fu[0]) : null,
    follow_up_due_at: fu ? isoOf(fu[1]) : null,
    follow_up_subject: fu ? fu[2] : null,
    follow_up_owner: fu ? fu[3] : null,
    follow_up_owner_name: fu ? fu[4] : null,
    last_contact_at: lc ? isoOf(lc[0]) : null,
    last_contact_kind: lc ? lc[1] : null,
  };
}

/** The next follow-up and last contact of one customer (for a file built live; see `activitySql`). */
export async function activity(db: Database, customerId: number): Promise<ActivityRow> {
  const q = compiledOnce(db, "figures.activity", () =>
    sql<ActivityColumns>`select ${activitySql(sql.ref("c.id"), db.engine)} from customers c where c.id = ${0}`.compile(
      db.kysely,
    ),
  );
  const [row] = await db.read(q, [customerId]);
  return row ? activityOf(row) : NO_ACTIVITY;
}
