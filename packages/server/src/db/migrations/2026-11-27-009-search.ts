import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";

/**
 * Search over customers and contacts, duplicate check and merge.
 *
 * `search_entries` holds one row per customer (its contacts included) with precomputed search keys
 * (`tokens`: folded words, number and phone keys, phonetic codes, word suffixes — built by the
 * application) and the display fields the ranking explains matches with. SQLite indexes the
 * tokens with FTS5 (kept in step by triggers, so a cascaded delete also leaves the index);
 * PostgreSQL with a generated tsvector of the same tokens and a GIN index. The entries are
 * filled by the application (the token rules are application code, which migrations never
 * import): `search_index_state` tells it to build them at start-up.
 *
 * `search_vocabulary` lists the words of names, streets and cities with their deletion keys
 * (symmetric-delete spelling correction): a misspelt word finds its neighbours by key, never
 * by comparing against every word.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const fk = (table: string) => (c: any) => c.notNull().references(`${table}.id`).onDelete("cascade");

  await d
    .id(db.schema.createTable("search_entries"))
    .addColumn("customer_id", "bigint", fk("customers"))
    .addColumn("tokens", "text", (c) => c.notNull())
    .addColumn("fields", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ix_search_entries_customer").on("search_entries").column("customer_id").execute();

  if (d.engine === "sqlite") {
    // Underscore is part of a token: keys carry their kind in front (`w_mueller`, `p_301234567`).
    // Prefix indexes for the short prefixes people type first ("w_m", "w_mu", "w_mue"…).
    await sql`create virtual table search_fts using fts5(tokens, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 0 tokenchars '_'", prefix='3 4 5 6')`.execute(
      db,
    );
    await sql`create trigger search_entries_ai after insert on search_entries begin
      insert into search_fts (rowid, tokens) values (new.id, new.tokens);
    end`.execute(db);
    await sql`create trigger search_entries_ad after delete on search_entries begin
      delete from search_fts where rowid = old.id;
    end`.execute(db);
  } else {
    await sql`alter table search_entries add column tsv tsvector generated always as (array_to_tsvector(string_to_array(tokens, ' '))) stored`.execute(
      db,
    );
    await sql`create index ix_search_entries_tsv on search_entries using gin (tsv)`.execute(db);
  }

  await db.schema
    .createTable("search_vocabulary")
    .addColumn("key", d.sortText, (c) => c.notNull())
    .addColumn("term", d.sortText, (c) => c.notNull())
    .addPrimaryKeyConstraint("pk_search_vocabulary", ["key", "term"])
    .execute();

  await db.schema
    .createTable("search_index_state")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("scheme", "integer", (c) => c.notNull())
    .addColumn("built_at", d.timestamp)
    .execute();
  // Scheme 0: the application builds the entries of every existing customer at start-up.
  // Without customers there is nothing to build: scheme 1 is what this release writes.
  const any = await db.selectFrom("customers").select("id").limit(1).execute();
  await db
    .insertInto("search_index_state")
    .values({ id: 1, scheme: any.length === 0 ? 1 : 0, built_at: null })
    .execute();

  // Customers merged into another one: their numbers stay findable and lead to the survivor.
  await db.schema
    .createTable("merged_customers")
    .addColumn("customer_id", "bigint", (c) => c.primaryKey())
    .addColumn("customer_number", d.sortText, (c) => c.notNull())
    .addColumn("debtor_number", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("survivor_id", "bigint", fk("customers"))
    .addColumn("merged_at", d.timestamp, (c) => c.notNull())
    .addColumn("merged_by", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ux_merged_customers_number")
    .on("merged_customers")
    .column("customer_number")
    .unique()
    .execute();
  await db.schema.createIndex("ix_merged_customers_survivor").on("merged_customers").column("survivor_id").execute();

  // Pairs a user marked "not a duplicate" (smaller id first): never proposed again.
  await db.schema
    .createTable("not_duplicates")
    .addColumn("customer_a", "bigint", fk("customers"))
    .addColumn("customer_b", "bigint", fk("customers"))
    .addColumn("marked_by", "text", (c) => c.notNull())
    .addColumn("marked_at", d.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint("pk_not_duplicates", ["customer_a", "customer_b"])
    .addCheckConstraint("ck_not_duplicates_order", sql`customer_a < customer_b`)
    .execute();
  await db.schema.createIndex("ix_not_duplicates_b").on("not_duplicates").column("customer_b").execute();

  // Customers with the same VAT ID are duplicate candidates: found by index, not by search.
  await db.schema.createIndex("ix_customers_vat_id").on("customers").column("vat_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  await db.schema.dropIndex("ix_customers_vat_id").execute();
  await db.schema.dropTable("not_duplicates").execute();
  await db.schema.dropTable("merged_customers").execute();
  await db.schema.dropTable("search_index_state").execute();
  await db.schema.dropTable("search_vocabulary").execute();
  if (d.engine === "sqlite") {
    await sql`drop trigger search_entries_ad`.execute(db);
    await sql`drop trigger search_entries_ai`.execute(db);
    await sql`drop table search_fts`.execute(db);
  }
  await db.schema.dropTable("search_entries").execute();
}
