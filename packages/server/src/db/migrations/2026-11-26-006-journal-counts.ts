import type { Kysely } from "kysely";
import { ddl } from "./ddl.js";

/**
 * Entries per customer and kind, kept in the transaction of every journal write: the filter
 * chips' numbers without counting a customer's whole journal on every page.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  await db.schema
    .createTable("journal_counts")
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("n", d.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint("pk_journal_counts", ["customer_id", "kind"])
    .execute();
  await db
    .insertInto("journal_counts")
    .columns(["customer_id", "kind", "n"])
    .expression(
      db
        .selectFrom("journal_entries")
        .select(["customer_id", "kind", db.fn.countAll().as("n")])
        .where("deleted_at", "is", null)
        .groupBy(["customer_id", "kind"]),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("journal_counts").execute();
}
