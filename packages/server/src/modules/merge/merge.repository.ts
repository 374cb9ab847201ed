/**
 * Moves everything that belongs to merged customers (or contacts) to the survivor, inside the
 * caller's transaction. Tables are found by their `customer_id` column, so a table added later
 * moves too; the tables below need more than re-pointing (sums, one-per-customer rows, flags
 * of which the survivor may have only one), and the merge test checks that every table with
 * a customer column is either moved or listed here.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Engine } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;

/** Tables that are rebuilt or dropped with the merged customer rather than moved. */
export const NOT_MOVED = new Set([
  "customers",
  "search_entries",
  "customer_file_documents",
  // customer_id here is the merged customer's own (old) id; survivor_id is handled below.
  "merged_customers",
]);

const TRUE = sql.lit(true);
const FALSE = sql.lit(false);

/** Every table with a customer_id column (the schema's own answer, per engine). */
export async function tablesWithColumn(trx: Executor, engine: Engine, column: string): Promise<string[]> {
  const rows =
    engine === "sqlite"
      ? await sql<{ name: string }>`select m.name as name from sqlite_master m join pragma_table_info(m.name) p
          where m.type = 'table' and p.name = ${column} order by m.name`.execute(trx)
      : await sql<{ name: string }>`select table_name as name from information_schema.columns
          where table_schema = current_schema() and column_name = ${column} order by table_name`.execute(trx);
  return rows.rows.map((r) => r.name);
}

const ids = (list: readonly number[]) =>
  sql.join(
    list.map((i) => sql`${i}`),
    sql`, `,
  );

async function count(trx: Executor, table: string, column: string, list: readonly number[]): Promise<number> {
  const r = await sql<{
    n: number | string;
  }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} in (${ids(list)})`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}

async function repoint(
  trx: Executor,
  table: string,
  column: string,
  to: number,
  from: readonly number[],
): Promise<number> {
  const r =
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${to} where ${sql.ref(column)} in (${ids(from)})`.execute(
      trx,
    );
  return Number(r.numAffectedRows ?? 0);
}

async function remove(trx: Executor, table: string, column: string, list: readonly number[]): Promise<void> {
  await sql`delete from ${sql.table(table)} where ${sql.ref(column)} in (${ids(list)})`.execute(trx);
}

type Mover = (trx: Executor, survivor: number, merged: readonly number[], ctx: MoveContext) => Promise<number>;

export interface MoveContext {
  engine: Engine;
  actor: string;
  today: string;
  survivorLabel: string;
}

/** Sums per key into the survivor's rows (upsert), then drops the merged rows. */
function summing(table: string, key: string, sums: string[]): Mover {
  return async (trx, survivor, merged) => {
    const n = await count(trx, table, "customer_id", merged);
    if (n === 0) return 0;
    const t = sql.table(table);
    await sql`insert into ${t} (customer_id, ${sql.ref(key)}, ${sql.join(sums.map((c) => sql.ref(c)))})
      select ${survivor}, ${sql.ref(key)}, ${sql.join(sums.map((c) => sql`sum(${sql.ref(c)})`))} from ${t}
      where customer_id in (${ids(merged)}) group by ${sql.ref(key)}
      on conflict (customer_id, ${sql.ref(key)}) do update set ${sql.join(
        sums.map((c) => sql`${sql.ref(c)} = ${t}.${sql.ref(c)} + excluded.${sql.ref(c)}`),
      )}`.execute(trx);
    await remove(trx, table, "customer_id", merged);
    return n;
  };
}

/** Per-product history: quantities and revenue add up, the dates span both, the last price is the later one's. */
const productHistory: Mover = async (trx, survivor, merged) => {
  const n = await count(trx, "customer_product_history", "customer_id", merged);
  if (n === 0) return 0;
  // One merged row per product first (several merged customers may have bought the same product).
  const rows = await sql<{
    product_id: number;
    quantity_milli: number;
    revenue_cents: number;
    invoices: number;
    first_date: string;
    last_date: string;
    last_price_cents: number;
  }>`select product_id, quantity_milli, revenue_cents, invoices, first_date, last_date, last_price_cents
    from customer_product_history where customer_id in (${ids([survivor, ...merged])}) order by last_date`.execute(trx);
  const combined = new Map<number, (typeof rows.rows)[number]>();
  for (const r of rows.rows) {
    const id = Number(r.product_id);
    const c = combined.get(id);
    if (!c) combined.set(id, { ...r, product_id: id });
    else {
      c.quantity_milli = Number(c.quantity_milli) + Number(r.quantity_milli);
      c.revenue_cents = Number(c.revenue_cents) + Number(r.revenue_cents);
      c.invoices = Number(c.invoices) + Number(r.invoices);
      if (r.first_date < c.first_date) c.first_date = r.first_date;
      // Rows come by last date: the later row's price is the last price.
      c.last_date = r.last_date;
      c.last_price_cents = r.last_price_cents;
    }
  }
  await remove(trx, "customer_product_history", "customer_id", [survivor, ...merged]);
  const values = [...combined.values()].map((c) => ({ ...c, customer_id: survivor }));
  for (let i = 0; i < values.length; i += 200) {
    await trx
      .insertInto("customer_product_history")
      .values(values.slice(i, i + 200))
      .execute();
  }
  return n;
};

/**
 * One row per customer (settings such as credit limit, preferences): the survivor's stays; a
 * merged one moves only if the survivor has none. Where the survivor has a row, each of the
 * `fill` columns it leaves empty takes the first merged row's value (by customer id), so a
 * merge loses no setting the survivor does not have itself; the row's version moves on.
 */
function onePerCustomer(table: string, fill: readonly string[] = []): Mover {
  return async (trx, survivor, merged) => {
    const has = await count(trx, table, "customer_id", [survivor]);
    if (has === 0) {
      const first = await sql<{ customer_id: number }>`select customer_id from ${sql.table(table)}
        where customer_id in (${ids(merged)}) order by customer_id limit 1`.execute(trx);
      const from = first.rows[0];
      if (from) {
        await repoint(trx, table, "customer_id", survivor, [Number(from.customer_id)]);
        await remove(trx, table, "customer_id", merged);
        return 1;
      }
      return 0;
    }
    let filled = 0;
    if (fill.length > 0) {
      const rows = (
        await sql<Record<string, unknown>>`select * from ${sql.table(table)}
          where customer_id in (${ids([survivor, ...merged])}) order by customer_id`.execute(trx)
      ).rows;
      const own = rows.find((r) => Number(r.customer_id) === survivor)!;
      const others = rows.filter((r) => Number(r.customer_id) !== survivor);
      const set: Record<string, unknown> = {};
      for (const column of fill) {
        if (own[column] !== null && own[column] !== "") continue;
        const donor = others.find((r) => r[column] !== null && r[column] !== "");
        if (donor) set[column] = donor[column];
      }
      if (Object.keys(set).length > 0) {
        const assignments = sql.join(
          Object.entries(set).map(([c, v]) => sql`${sql.ref(c)} = ${v}`),
          sql`, `,
        );
        await sql`update ${sql.table(table)} set ${assignments}, version = version + 1
          where customer_id = ${survivor}`.execute(trx);
        filled = 1;
      }
    }
    await remove(trx, table, "customer_id", merged);
    return filled;
  };
}

/** Rows with a flag the survivor may have only one of per scope (default address per type, primary contact…). */
function withExclusiveFlag(table: string, flag: string, scope: string[]): Mover {
  return async (trx, survivor, merged) => {
    const scopeMatch = scope.length
      ? sql` and ${sql.join(
          scope.map((c) => sql`s.${sql.ref(c)} = ${sql.table(table)}.${sql.ref(c)}`),
          sql` and `,
        )}`
      : sql``;
    // The survivor's flagged rows stay flagged; the merged customers' lose the flag where the survivor has one.
    await sql`update ${sql.table(table)} set ${sql.ref(flag)} = ${FALSE}
      where customer_id in (${ids(merged)}) and ${sql.ref(flag)} = ${TRUE}
      and exists (select 1 from ${sql.table(table)} s where s.customer_id = ${survivor} and s.${sql.ref(flag)} = ${TRUE}${scopeMatch})`.execute(
      trx,
    );
    // Of several merged customers' flagged rows in one scope, the first customer's keeps it.
    await sql`update ${sql.table(table)} set ${sql.ref(flag)} = ${FALSE}
      where customer_id in (${ids(merged)}) and ${sql.ref(flag)} = ${TRUE}
      and exists (select 1 from ${sql.table(table)} s where s.customer_id in (${ids(merged)}) and s.customer_id < ${sql.table(table)}.customer_id
        and s.${sql.ref(flag)} = ${TRUE}${scopeMatch})`.execute(trx);
    return repoint(trx, table, "customer_id", survivor, merged);
  };
}

const MOVERS: Record<string, Mover> = {
  customer_tags: async (trx, survivor, merged) => {
    const n = await count(trx, "customer_tags", "customer_id", merged);
    await sql`insert into customer_tags (customer_id, tag) select ${survivor}, tag from customer_tags
      where customer_id in (${ids(merged)}) group by tag on conflict do nothing`.execute(trx);
    await remove(trx, "customer_tags", "customer_id", merged);
    return n;
  },
  journal_counts: summing("journal_counts", "kind", ["n"]),
  customer_revenue: summing("customer_revenue", "month", ["net_cents", "invoices"]),
  customer_product_history: productHistory,
  customer_finance: onePerCustomer("customer_finance", ["credit_limit_cents", "payment_terms_id"]),
  customer_preferences: onePerCustomer("customer_preferences", [
    "preferred_channel",
    "correspondence_language",
    "invoice_email",
    "leitweg_id",
    "shipping_instructions",
  ]),
  addresses: withExclusiveFlag("addresses", "is_default", ["type"]),
  contacts: withExclusiveFlag("contacts", "is_primary", []),
  channels: withExclusiveFlag("channels", "is_primary", ["kind"]),
  bank_accounts: async (trx, survivor, merged, ctx) => {
    // The same IBAN twice is the same account: the survivor's record stays.
    await sql`delete from bank_accounts where customer_id in (${ids(merged)})
      and iban in (select iban from bank_accounts where customer_id = ${survivor})`.execute(trx);
    await sql`delete from bank_accounts where customer_id in (${ids(merged)})
      and exists (select 1 from bank_accounts o where o.iban = bank_accounts.iban
        and o.customer_id in (${ids(merged)}) and o.customer_id < bank_accounts.customer_id)`.execute(trx);
    return withExclusiveFlag("bank_accounts", "is_default", [])(trx, survivor, merged, ctx);
  },
  advertising_objections: async (trx, survivor, merged, ctx) => {
    // One active objection per person: the survivor's stays in force, a merged customer's own
    // active one becomes history (the ban is unchanged: the survivor's objection still holds).
    await sql`update advertising_objections set lifted_on = ${ctx.today}, lifted_by = ${ctx.actor},
      lift_reason = ${`Zusammengeführt mit ${ctx.survivorLabel}; dessen Werbewiderspruch gilt weiter`},
      version = version + 1
      where customer_id in (${ids(merged)}) and contact_id is null and lifted_on is null
      and exists (select 1 from advertising_objections s where s.customer_id = ${survivor} and s.contact_id is null and s.lifted_on is null)`.execute(
      trx,
    );
    // Of several merged customers' own active objections, the oldest stays in force.
    await sql`update advertising_objections set lifted_on = ${ctx.today}, lifted_by = ${ctx.actor},
      lift_reason = ${`Zusammengeführt mit ${ctx.survivorLabel}; ein älterer Werbewiderspruch gilt weiter`},
      version = version + 1
      where customer_id in (${ids(merged)}) and contact_id is null and lifted_on is null
      and exists (select 1 from advertising_objections s where s.customer_id in (${ids(merged)}) and s.contact_id is null
        and s.lifted_on is null and s.id < advertising_objections.id)`.execute(trx);
    return repoint(trx, "advertising_objections", "customer_id", survivor, merged);
  },
  campaign_members: async (trx, survivor, merged) => {
    const n = await count(trx, "campaign_members", "customer_id", merged);
    // A customer is a member of a campaign once: where the survivor (or an earlier merged
    // customer) is one already, the merged customer's own membership is the same person twice.
    await sql`delete from campaign_members where customer_id in (${ids(merged)}) and contact_id is null
      and exists (select 1 from campaign_members s where s.campaign_id = campaign_members.campaign_id and s.contact_id is null
        and (s.customer_id = ${survivor} or (s.customer_id in (${ids(merged)}) and s.id < campaign_members.id)))`.execute(
      trx,
    );
    await repoint(trx, "campaign_members", "customer_id", survivor, merged);
    return n;
  },
  consents: async (trx, survivor, merged) => {
    const n = await count(trx, "consents", "customer_id", merged);
    if (n === 0) return 0;
    // The customer's own consents (no contact): history of both, the newest per channel in force.
    await sql`update consents set is_current = ${FALSE}
      where contact_id is null and is_current = ${TRUE} and customer_id in (${ids([survivor, ...merged])})`.execute(
      trx,
    );
    await repoint(trx, "consents", "customer_id", survivor, merged);
    await sql`update consents set is_current = ${TRUE} where id in (
      select c.id from consents c where c.customer_id = ${survivor} and c.contact_id is null
      and not exists (select 1 from consents o where o.customer_id = c.customer_id and o.contact_id is null
        and o.channel = c.channel and (o.occurred_at > c.occurred_at or (o.occurred_at = c.occurred_at and o.id > c.id))))`.execute(
      trx,
    );
    return n;
  },
};

/**
 * Moves every merged customer's records to the survivor; returns the count per table (tables
 * with nothing to move are left out).
 */
export async function moveCustomerRecords(
  trx: Executor,
  survivor: number,
  merged: readonly number[],
  ctx: MoveContext,
): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const table of await tablesWithColumn(trx, ctx.engine, "customer_id")) {
    if (NOT_MOVED.has(table)) continue;
    const mover = MOVERS[table];
    const n = mover
      ? await mover(trx, survivor, merged, ctx)
      : await repoint(trx, table, "customer_id", survivor, merged);
    if (n > 0) moved[table] = n;
  }
  // Customers merged into a merged customer before now lead to the new survivor.
  await repoint(trx, "merged_customers", "survivor_id", survivor, merged);
  return moved;
}

/** Contact merge: everything that names a merged contact names the survivor instead. */
export async function moveContactRecords(
  trx: Executor,
  survivor: number,
  merged: readonly number[],
  ctx: MoveContext,
): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const table of await tablesWithColumn(trx, ctx.engine, "contact_id")) {
    let n: number;
    if (table === "consents") {
      n = await count(trx, "consents", "contact_id", merged);
      if (n === 0) continue;
      await sql`update consents set is_current = ${FALSE} where is_current = ${TRUE} and contact_id in (${ids([survivor, ...merged])})`.execute(
        trx,
      );
      await repoint(trx, "consents", "contact_id", survivor, merged);
      await sql`update consents set is_current = ${TRUE} where id in (
        select c.id from consents c where c.contact_id = ${survivor}
        and not exists (select 1 from consents o where o.contact_id = c.contact_id and o.channel = c.channel
          and (o.occurred_at > c.occurred_at or (o.occurred_at = c.occurred_at and o.id > c.id))))`.execute(trx);
    } else if (table === "campaign_members") {
      n = await count(trx, "campaign_members", "contact_id", merged);
      await sql`delete from campaign_members where contact_id in (${ids(merged)})
        and exists (select 1 from campaign_members s where s.campaign_id = campaign_members.campaign_id
          and (s.contact_id = ${survivor} or (s.contact_id in (${ids(merged)}) and s.id < campaign_members.id)))`.execute(
        trx,
      );
      await repoint(trx, table, "contact_id", survivor, merged);
    } else if (table === "advertising_objections") {
      await sql`update advertising_objections set lifted_on = ${ctx.today}, lifted_by = ${ctx.actor},
        lift_reason = ${`Kontakte zusammengeführt (${ctx.survivorLabel}); dessen Werbewiderspruch gilt weiter`}, version = version + 1
        where contact_id in (${ids(merged)}) and lifted_on is null
        and exists (select 1 from advertising_objections s where s.contact_id = ${survivor} and s.lifted_on is null)`.execute(
        trx,
      );
      n = await repoint(trx, table, "contact_id", survivor, merged);
    } else {
      n = await repoint(trx, table, "contact_id", survivor, merged);
    }
    if (n > 0) moved[table] = n;
  }
  return moved;
}

/** Journal entries moved to another customer leave and re-enter the SQLite full-text index (its words carry the customer). */
export async function movedJournalEntries(
  trx: Executor,
  merged: readonly number[],
): Promise<{ id: number; customer_id: number; occurred_at: string; search_text: string }[]> {
  const r = await sql<{
    id: number;
    customer_id: number;
    occurred_at: string;
    search_text: string;
  }>`select id, customer_id, occurred_at, search_text
    from journal_entries where customer_id in (${ids(merged)}) and deleted_at is null`.execute(trx);
  return r.rows;
}
