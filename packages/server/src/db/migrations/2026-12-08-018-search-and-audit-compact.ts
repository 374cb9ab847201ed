import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";

/**
 * The search read model holds each key once (issue 23, "Disk": at 100,000 customers the search
 * entries and their index were a third of the database).
 *
 * - One entry per customer, keyed by the customer's id (SQLite: its row id, which is also the
 *   FTS5 row id): no entry id and no second index on customer_id.
 * - SQLite: the keys are only in the contentless FTS5 index (the application writes them there;
 *   the delete trigger still removes them, so a cascaded delete also leaves the index). The
 *   entry no longer stores them as text beside the index.
 * - PostgreSQL: no stored tsvector (a second, larger copy of the keys, with the word
 *   beginnings of migration 015): the GIN index is over the expression search_tsvector(tokens),
 *   which the queries use. A row that reaches PostgreSQL's toaster (over 2 KB: a customer with
 *   many contacts) has its keys compressed and moved out (toast_tuple_target 128) and its fields
 *   compressed in place (storage main): a search reads only the fields.
 * - `digest`: a hash of keys and fields, so an unchanged entry is recognised without comparing
 *   the keys (which SQLite no longer has).
 * - Phone numbers as five-digit pieces and their last five digits instead of every suffix
 *   (search key scheme 3, search-keys.ts), and the fields as compact JSON: the application
 *   rebuilds every entry at start-up (search_index_state scheme 0), as it does for changed key
 *   rules; the migration cannot build keys itself (their rules are application code).
 *
 * Audit records store their change lists flat (modules/audit/audit.repository.ts packChanges):
 * `[layout, field, value…]` instead of `{"field":…,"old":…,"new":…}` per field — a creation
 * lists every field with old = null, which was half of a created customer's record. Every
 * value is kept; existing records are rewritten here (and back by `down`).
 */
const TOKENIZE = `tokenize="unicode61 remove_diacritics 0 tokenchars '_'", prefix='3 4 5 6 7 8 9 10'`;

export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  if (d.engine === "sqlite") {
    await sql`drop trigger if exists search_entries_ai`.execute(db);
    await sql`drop trigger if exists search_entries_ad`.execute(db);
    await sql`drop table search_fts`.execute(db);
    await sql`drop table search_entries`.execute(db);
    await sql`create table search_entries (
      customer_id integer primary key references customers (id) on delete cascade,
      digest integer not null,
      fields text not null)`.execute(db);
    await sql
      .raw(
        `create virtual table search_fts using fts5(tokens, content='', contentless_delete=1, detail=none, ${TOKENIZE})`,
      )
      .execute(db);
    await sql`create trigger search_entries_ad after delete on search_entries begin
      delete from search_fts where rowid = old.customer_id;
    end`.execute(db);
  } else {
    await sql`drop table search_entries`.execute(db);
    await sql`create table search_entries (
      customer_id bigint primary key references customers (id) on delete cascade,
      digest bigint not null,
      tokens text not null,
      fields text not null) with (toast_tuple_target = 128)`.execute(db);
    await sql`alter table search_entries alter column fields set storage main`.execute(db);
    await sql`create index ix_search_entries_keys on search_entries using gin (search_tsvector(tokens))`.execute(db);
  }
  await db.updateTable("search_index_state").set({ scheme: 0, built_at: null }).where("id", "=", 1).execute();
  await packAudit(db, d.engine);
}

/** 1: creation (field, new), 2: deletion (field, old), 3: anything else (field, old, new). */
const LAYOUT_SQLITE = `case
  when action = 'create' and not exists (select 1 from json_each(audit_log.changes) o where o.value ->> '$.old' is not null) then 1
  when action = 'delete' and not exists (select 1 from json_each(audit_log.changes) o where o.value ->> '$.new' is not null) then 2
  else 3 end`;
const LAYOUT_PG = `case
  when a.action = 'create' and not exists (select 1 from jsonb_array_elements(a.changes) o where o -> 'old' <> 'null'::jsonb) then 1
  when a.action = 'delete' and not exists (select 1 from jsonb_array_elements(a.changes) o where o -> 'new' <> 'null'::jsonb) then 2
  else 3 end`;

async function packAudit(db: Kysely<any>, engine: "sqlite" | "postgres"): Promise<void> {
  if (engine === "sqlite") {
    await sql
      .raw(
        `update audit_log set changes = (
          select json_group_array(json(x) order by k, j) from (
            select -1 as k, 0 as j, ${LAYOUT_SQLITE} as x
            union all select e.key, 0, e.value -> '$.field' from json_each(audit_log.changes) e
            union all select e.key, 1, e.value -> '$.old' from json_each(audit_log.changes) e where ${LAYOUT_SQLITE} <> 1
            union all select e.key, 2, e.value -> '$.new' from json_each(audit_log.changes) e where ${LAYOUT_SQLITE} <> 2))
        where json_type(changes, '$[0]') = 'object'`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `update audit_log a set changes = (
          select jsonb_agg(s.x order by s.k, s.j) from (select ${LAYOUT_PG} as layout) l cross join lateral (
            select -1::bigint as k, 0 as j, to_jsonb(l.layout) as x
            union all select e.k, 0, e.v -> 'field' from jsonb_array_elements(a.changes) with ordinality e(v, k)
            union all select e.k, 1, e.v -> 'old' from jsonb_array_elements(a.changes) with ordinality e(v, k) where l.layout <> 1
            union all select e.k, 2, e.v -> 'new' from jsonb_array_elements(a.changes) with ordinality e(v, k) where l.layout <> 2) s)
        where jsonb_typeof(a.changes -> 0) = 'object'`,
      )
      .execute(db);
  }
}

/** The change lists as objects again, for the release before this migration. */
async function unpackAudit(db: Kysely<any>, engine: "sqlite" | "postgres"): Promise<void> {
  if (engine === "sqlite") {
    const LAYOUT = "(audit_log.changes ->> '$[0]')";
    await sql
      .raw(
        `update audit_log set changes = (
          select json_group_array(json_object(
            'field', f.value,
            'old', case ${LAYOUT} when 1 then json('null') else json(coalesce(changes -> ('$[' || (f.key + 1) || ']'), 'null')) end,
            'new', case ${LAYOUT} when 2 then json('null')
                     else json(coalesce(changes -> ('$[' || (f.key + case ${LAYOUT} when 3 then 2 else 1 end) || ']'), 'null')) end
          ) order by f.key)
          from json_each(audit_log.changes) f
          where f.key >= 1 and (f.key - 1) % (case ${LAYOUT} when 3 then 3 else 2 end) = 0)
        where json_type(changes, '$[0]') = 'integer'`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `update audit_log a set changes = coalesce((
          select jsonb_agg(jsonb_build_object(
            'field', f.v,
            'old', case l.layout when 1 then 'null'::jsonb else coalesce(a.changes -> (f.k::int), 'null'::jsonb) end,
            'new', case l.layout when 2 then 'null'::jsonb
                     else coalesce(a.changes -> (f.k::int + case l.layout when 3 then 1 else 0 end), 'null'::jsonb) end
          ) order by f.k)
          from (select (a.changes ->> 0)::int as layout) l
          cross join lateral jsonb_array_elements(a.changes) with ordinality f(v, k)
          where f.k >= 2 and (f.k - 2) % (case l.layout when 3 then 3 else 2 end) = 0), '[]'::jsonb)
        where jsonb_typeof(a.changes -> 0) = 'number'`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  if (d.engine === "sqlite") {
    await sql`drop trigger if exists search_entries_ad`.execute(db);
    await sql`drop table search_fts`.execute(db);
  }
  await sql`drop table search_entries`.execute(db);
  await d
    .id(db.schema.createTable("search_entries"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("tokens", "text", (c) => c.notNull())
    .addColumn("fields", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ix_search_entries_customer").on("search_entries").column("customer_id").execute();
  if (d.engine === "sqlite") {
    await sql
      .raw(
        `create virtual table search_fts using fts5(tokens, content='', contentless_delete=1, detail=none, ${TOKENIZE})`,
      )
      .execute(db);
    await sql`create trigger search_entries_ai after insert on search_entries begin
      insert into search_fts (rowid, tokens) values (new.id, new.tokens);
    end`.execute(db);
    await sql`create trigger search_entries_ad after delete on search_entries begin
      delete from search_fts where rowid = old.id;
    end`.execute(db);
  } else {
    await sql`alter table search_entries add column tsv tsvector generated always as (search_tsvector(tokens)) stored`.execute(
      db,
    );
    await sql`create index ix_search_entries_tsv on search_entries using gin (tsv)`.execute(db);
  }
  // The entries of the earlier release are built by it at start-up.
  await db.updateTable("search_index_state").set({ scheme: 0, built_at: null }).where("id", "=", 1).execute();
  await unpackAudit(db, d.engine);
}
