import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";
import { grantToRoles } from "./grants.js";

/**
 * The journal: one timeline of everything about a customer. Full text uses the engines' own
 * indexes — an FTS5 table on SQLite, a generated tsvector with a GIN index on PostgreSQL —
 * over a folded text (Müller → mueller) the application writes.
 * Built-in roles get the new `journal` permissions.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;

  await d
    .id(db.schema.createTable("journal_entries"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("kind", "text", nn)
    .addColumn("occurred_at", d.timestamp, nn)
    .addColumn("recorded_at", d.timestamp, nn)
    .addColumn("author", "text", nn)
    .addColumn("contact_id", "bigint", (c) => c.references("contacts.id").onDelete("set null"))
    .addColumn("direction", "text")
    .addColumn("subject", "text")
    .addColumn("body", "text")
    .addColumn("link_type", "text")
    .addColumn("link_id", "bigint")
    .addColumn("editable", d.flag, nn)
    .addColumn("search_text", "text", nn)
    .addColumn("deleted_at", d.timestamp)
    .addColumn("deleted_by", "text")
    .addColumn("delete_reason", "text")
    .addColumn("version", "integer", nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint(
      "ck_journal_kind",
      sql`kind in ('note','call','email','meeting','letter','document','payment','dunning','ticket','campaign','follow_up','system')`,
    )
    .addCheckConstraint("ck_journal_direction", sql`direction is null or direction in ('in', 'out')`)
    .execute();
  await db.schema
    .createIndex("ix_journal_customer_time")
    .on("journal_entries")
    .columns(["customer_id", "occurred_at", "id"])
    .execute();
  await db.schema
    .createIndex("ix_journal_customer_kind_time")
    .on("journal_entries")
    .columns(["customer_id", "kind", "occurred_at", "id"])
    .execute();
  await db.schema.createIndex("ix_journal_contact").on("journal_entries").column("contact_id").execute();

  if (d.engine === "sqlite") {
    // Contentless: the text lives in journal_entries; the rowid is the entry's id. The
    // customer column lets a match stay inside one customer's entries.
    await sql`create virtual table journal_fts using fts5(customer, text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(
      db,
    );
  } else {
    await sql`alter table journal_entries add column search tsvector generated always as (to_tsvector('simple', search_text)) stored`.execute(
      db,
    );
    await sql`create index ix_journal_search on journal_entries using gin (search)`.execute(db);
  }

  const grants: Record<string, string[]> = {
    admin: ["journal.read", "journal.create", "journal.update", "journal.delete"],
    sales: ["journal.read", "journal.create", "journal.update", "journal.delete"],
    marketing: ["journal.read", "journal.create", "journal.update"],
    service: ["journal.read", "journal.create", "journal.update", "journal.delete"],
    finance: ["journal.read", "journal.create", "journal.update"],
    read_only: ["journal.read"],
  };
  await grantToRoles(db, grants);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (ddl(db).engine === "sqlite") await sql`drop table journal_fts`.execute(db);
  await db.schema.dropTable("journal_entries").execute();
}
