import type { Kysely } from "kysely";
import { ddl } from "./ddl.js";

/**
 * Attachments (stored once per content, by SHA-256) and imported e-mails: the journal learns
 * a sanitised HTML body and a message key that keeps a mail from being imported twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;
  await db.schema
    .createTable("blobs")
    .addColumn("sha256", "text", (c) => c.primaryKey())
    .addColumn("size", d.bigint, nn)
    .addColumn("content_type", "text", nn)
    .addColumn("created_at", d.timestamp, nn)
    .execute();
  await d
    .id(db.schema.createTable("journal_attachments"))
    .addColumn("journal_entry_id", "bigint", (c) => c.notNull().references("journal_entries.id").onDelete("cascade"))
    .addColumn("sha256", "text", (c) => c.notNull().references("blobs.sha256"))
    .addColumn("filename", "text", nn)
    .addColumn("content_type", "text", nn)
    .addColumn("size", d.bigint, nn)
    .addColumn("inline", d.flag, nn)
    .addColumn("content_id", "text")
    .addColumn("created_at", d.timestamp, nn)
    .execute();
  await db.schema
    .createIndex("ix_journal_attachments_entry")
    .on("journal_attachments")
    .column("journal_entry_id")
    .execute();
  await db.schema.alterTable("journal_entries").addColumn("body_html", "text").execute();
  await db.schema.alterTable("journal_entries").addColumn("message_key", "text").execute();
  await db.schema.createIndex("ux_journal_message_key").on("journal_entries").column("message_key").unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("ux_journal_message_key").execute();
  await db.schema.alterTable("journal_entries").dropColumn("message_key").execute();
  await db.schema.alterTable("journal_entries").dropColumn("body_html").execute();
  await db.schema.dropTable("journal_attachments").execute();
  await db.schema.dropTable("blobs").execute();
}
