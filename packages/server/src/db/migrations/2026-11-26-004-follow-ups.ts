import type { Kysely } from "kysely";
import { ddl } from "./ddl.js";
import { grantToRoles } from "./grants.js";

/** Follow-ups (Wiedervorlagen); built-in roles get the `follow_ups` permissions. */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;
  await d
    .id(db.schema.createTable("follow_ups"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("contact_id", "bigint", (c) => c.references("contacts.id").onDelete("set null"))
    .addColumn("journal_entry_id", "bigint", (c) => c.references("journal_entries.id").onDelete("set null"))
    .addColumn("owner", "text", nn)
    .addColumn("subject", "text", nn)
    .addColumn("note", "text")
    .addColumn("due_at", d.timestamp, nn)
    .addColumn("status", "text", nn)
    .addColumn("completed_at", d.timestamp)
    .addColumn("completed_by", "text")
    .addColumn("created_by", "text", nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  await db.schema
    .createIndex("ix_follow_ups_owner")
    .on("follow_ups")
    .columns(["owner", "status", "due_at", "id"])
    .execute();
  await db.schema
    .createIndex("ix_follow_ups_customer")
    .on("follow_ups")
    .columns(["customer_id", "status", "due_at", "id"])
    .execute();

  const grants: Record<string, string[]> = {
    admin: ["follow_ups.read", "follow_ups.create", "follow_ups.update", "follow_ups.delete"],
    sales: ["follow_ups.read", "follow_ups.create", "follow_ups.update"],
    marketing: ["follow_ups.read", "follow_ups.create", "follow_ups.update"],
    service: ["follow_ups.read", "follow_ups.create", "follow_ups.update"],
    finance: ["follow_ups.read", "follow_ups.create", "follow_ups.update"],
    read_only: ["follow_ups.read"],
  };
  await grantToRoles(db, grants);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("follow_ups").execute();
}
