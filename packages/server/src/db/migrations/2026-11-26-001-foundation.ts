import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";

/**
 * Customers with their addresses, communication channels, contacts and bank accounts,
 * the number ranges and the audit trail.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;
  const fk = (table: string) => (c: any) => c.notNull().references(`${table}.id`).onDelete("cascade");

  await db.schema
    .createTable("number_ranges")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("prefix", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("next_value", d.bigint, nn)
    .addColumn("width", "integer", nn)
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  await db
    .insertInto("number_ranges")
    .values({
      key: "customer",
      prefix: "",
      next_value: 10000,
      width: 5,
      version: 1,
      updated_at: new Date(0).toISOString(),
    })
    .execute();

  await d
    .id(db.schema.createTable("customers"))
    .addColumn("customer_number", d.sortText, nn)
    .addColumn("debtor_number", "text")
    .addColumn("kind", "text", nn)
    .addColumn("name1", "text", nn)
    .addColumn("name2", "text")
    .addColumn("name3", "text")
    .addColumn("name_sort", d.sortText, nn)
    .addColumn("salutation", "text")
    .addColumn("title", "text")
    .addColumn("first_name", "text")
    .addColumn("last_name", "text")
    .addColumn("legal_form", "text")
    .addColumn("status", "text", nn)
    .addColumn("block_type", "text", (c) => c.notNull().defaultTo("none"))
    .addColumn("block_reason", "text")
    .addColumn("block_set_by", "text")
    .addColumn("block_set_at", d.timestamp)
    .addColumn("customer_group", "text")
    .addColumn("industry", "text")
    .addColumn("region", "text")
    .addColumn("abc_rating", "text")
    .addColumn("owner", "text")
    .addColumn("language", "text", nn)
    .addColumn("vat_id", "text")
    .addColumn("tax_number", "text")
    .addColumn("notes", "text")
    // Of the default billing address, kept current by every write: the list filters on them.
    .addColumn("billing_city_key", "text")
    .addColumn("billing_postal_code", d.sortText)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_customers_kind", sql`kind in ('company', 'person')`)
    .addCheckConstraint("ck_customers_status", sql`status in ('prospect', 'active', 'inactive')`)
    .addCheckConstraint("ck_customers_block", sql`block_type in ('none', 'delivery', 'invoice', 'all')`)
    .execute();
  await db.schema
    .createIndex("ux_customers_customer_number")
    .on("customers")
    .column("customer_number")
    .unique()
    .execute();
  await db.schema.createIndex("ux_customers_debtor_number").on("customers").column("debtor_number").unique().execute();
  await db.schema.createIndex("ix_customers_name").on("customers").columns(["name_sort", "id"]).execute();
  await db.schema
    .createIndex("ix_customers_status_name")
    .on("customers")
    .columns(["status", "name_sort", "id"])
    .execute();
  await db.schema
    .createIndex("ix_customers_group_name")
    .on("customers")
    .columns(["customer_group", "name_sort", "id"])
    .execute();
  await db.schema
    .createIndex("ix_customers_owner_name")
    .on("customers")
    .columns(["owner", "name_sort", "id"])
    .execute();
  await db.schema
    .createIndex("ix_customers_block_name")
    .on("customers")
    .columns(["block_type", "name_sort", "id"])
    .execute();
  // Blocked customers are few: a partial index lists them in name order without a scan.
  await db.schema
    .createIndex("ix_customers_blocked_name")
    .on("customers")
    .columns(["name_sort", "id"])
    .where(sql.ref("block_type"), "<>", sql.lit("none"))
    .execute();
  await db.schema
    .createIndex("ix_customers_city_name")
    .on("customers")
    .columns(["billing_city_key", "name_sort", "id"])
    .execute();
  await db.schema
    .createIndex("ix_customers_postal_code_name")
    .on("customers")
    .columns(["billing_postal_code", "name_sort", "id"])
    .execute();
  await db.schema.createIndex("ix_customers_created").on("customers").columns(["created_at", "id"]).execute();
  await db.schema.createIndex("ix_customers_updated").on("customers").columns(["updated_at", "id"]).execute();

  await db.schema
    .createTable("customer_tags")
    .addColumn("customer_id", "bigint", fk("customers"))
    .addColumn("tag", "text", nn)
    .addPrimaryKeyConstraint("pk_customer_tags", ["customer_id", "tag"])
    .execute();
  await db.schema.createIndex("ix_customer_tags_tag").on("customer_tags").columns(["tag", "customer_id"]).execute();

  await d
    .id(db.schema.createTable("addresses"))
    .addColumn("customer_id", "bigint", fk("customers"))
    .addColumn("type", "text", nn)
    .addColumn("is_default", d.flag, nn)
    .addColumn("name1", "text")
    .addColumn("name2", "text")
    .addColumn("street", "text", nn)
    .addColumn("addition", "text")
    .addColumn("postal_code", "text", nn)
    .addColumn("city", "text", nn)
    .addColumn("city_key", "text", nn)
    .addColumn("country", "text", nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_addresses_type", sql`type in ('billing', 'delivery', 'other')`)
    .execute();
  await db.schema.createIndex("ix_addresses_customer").on("addresses").columns(["customer_id", "type"]).execute();
  await db.schema
    .createIndex("ux_addresses_default")
    .on("addresses")
    .columns(["customer_id", "type"])
    .unique()
    .where(sql.ref("is_default"), "=", sql.raw(d.trueLiteral))
    .execute();

  await d
    .id(db.schema.createTable("channels"))
    .addColumn("customer_id", "bigint", fk("customers"))
    .addColumn("kind", "text", nn)
    .addColumn("value", "text", nn)
    .addColumn("label", "text")
    .addColumn("is_primary", d.flag, nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_channels_kind", sql`kind in ('phone', 'mobile', 'fax', 'email', 'web')`)
    .execute();
  await db.schema.createIndex("ix_channels_customer").on("channels").column("customer_id").execute();
  await db.schema.createIndex("ix_channels_value").on("channels").column("value").execute();

  await d
    .id(db.schema.createTable("contacts"))
    .addColumn("customer_id", "bigint", fk("customers"))
    .addColumn("salutation", "text")
    .addColumn("title", "text")
    .addColumn("first_name", "text")
    .addColumn("last_name", "text", nn)
    .addColumn("position", "text")
    .addColumn("department", "text")
    .addColumn("phone", "text")
    .addColumn("mobile", "text")
    .addColumn("email", "text")
    .addColumn("preferred_channel", "text")
    .addColumn("birthday", d.date)
    .addColumn("is_primary", d.flag, nn)
    .addColumn("active", d.flag, nn)
    .addColumn("formal", d.flag, nn)
    .addColumn("language", "text", nn)
    .addColumn("letter_salutation_override", "text")
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  await db.schema.createIndex("ix_contacts_customer").on("contacts").column("customer_id").execute();
  await db.schema.createIndex("ix_contacts_email").on("contacts").column("email").execute();
  await db.schema
    .createIndex("ux_contacts_primary")
    .on("contacts")
    .column("customer_id")
    .unique()
    .where(sql.ref("is_primary"), "=", sql.raw(d.trueLiteral))
    .execute();

  await d
    .id(db.schema.createTable("bank_accounts"))
    .addColumn("customer_id", "bigint", fk("customers"))
    .addColumn("iban", "text", nn)
    .addColumn("bic", "text")
    .addColumn("account_holder", "text")
    .addColumn("bank_name", "text")
    .addColumn("is_default", d.flag, nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  await db.schema
    .createIndex("ux_bank_accounts_iban")
    .on("bank_accounts")
    .columns(["customer_id", "iban"])
    .unique()
    .execute();
  await db.schema
    .createIndex("ux_bank_accounts_default")
    .on("bank_accounts")
    .column("customer_id")
    .unique()
    .where(sql.ref("is_default"), "=", sql.raw(d.trueLiteral))
    .execute();

  // Read model: the customer file as served, rebuilt in the transaction of every change.
  await db.schema
    .createTable("customer_file_documents")
    .addColumn("customer_id", "bigint", (c) => c.primaryKey().references("customers.id").onDelete("cascade"))
    .addColumn("customer_version", "integer", nn)
    .addColumn("body", "text", nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();

  await d
    .id(db.schema.createTable("audit_log"))
    .addColumn("at", d.timestamp, nn)
    .addColumn("actor", "text", nn)
    // No foreign key: the trail outlives the customer it describes.
    .addColumn("customer_id", "bigint")
    .addColumn("entity_type", "text", nn)
    .addColumn("entity_id", "bigint", nn)
    .addColumn("action", "text", nn)
    .addColumn("changes", d.json, nn)
    .addColumn("request_id", "text")
    .execute();
  await db.schema.createIndex("ix_audit_log_customer").on("audit_log").columns(["customer_id", "id"]).execute();
  await db.schema.createIndex("ix_audit_log_entity").on("audit_log").columns(["entity_type", "entity_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "audit_log",
    "bank_accounts",
    "contacts",
    "channels",
    "addresses",
    "customer_tags",
    "customers",
    "number_ranges",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
