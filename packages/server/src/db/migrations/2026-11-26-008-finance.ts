import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";
import { grantToRoles } from "./grants.js";

/**
 * Finance in the customer file: products, payment terms, sales documents (quote, order,
 * delivery note, invoice, credit note) with their lines, payments and their allocation to
 * invoices, a customer's credit settings, dunning levels and notices, and the number ranges
 * of the documents. Money is stored as integer cents, rates as basis points (1900 = 19 %),
 * quantities as thousandths.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;
  const epoch = "1970-01-01T00:00:00.000Z";

  await d
    .id(db.schema.createTable("products"))
    .addColumn("article_number", d.sortText, (c) => c.notNull().unique())
    .addColumn("name", "text", nn)
    .addColumn("name_key", d.sortText, nn)
    .addColumn("unit", "text", nn)
    .addColumn("list_price_cents", d.bigint, nn)
    .addColumn("vat_rate_bp", "integer", nn)
    .addColumn("product_group", "text")
    .addColumn("active", d.flag, nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_products_price", sql`list_price_cents >= 0`)
    .addCheckConstraint("ck_products_vat", sql`vat_rate_bp between 0 and 10000`)
    .execute();
  await db.schema.createIndex("ix_products_name").on("products").columns(["name_key", "id"]).execute();

  await d
    .id(db.schema.createTable("payment_terms"))
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("net_days", "integer", nn)
    .addColumn("discount1_days", "integer")
    .addColumn("discount1_bp", "integer")
    .addColumn("discount2_days", "integer")
    .addColumn("discount2_bp", "integer")
    .addColumn("active", d.flag, nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  const flagTrue = d.engine === "postgres" ? true : 1;
  await db
    .insertInto("payment_terms")
    .values(
      [
        { code: "sofort", net_days: 0 },
        { code: "30-netto", net_days: 30 },
        { code: "14-2-30", net_days: 30, discount1_days: 14, discount1_bp: 200 },
        {
          code: "10-3-20-2-30",
          net_days: 30,
          discount1_days: 10,
          discount1_bp: 300,
          discount2_days: 20,
          discount2_bp: 200,
        },
      ].map((t) => ({ ...t, active: flagTrue, version: 1, created_at: epoch, updated_at: epoch })),
    )
    .execute();

  // A customer's credit settings: finance data, versioned on their own.
  await db.schema
    .createTable("customer_finance")
    .addColumn("customer_id", "bigint", (c) => c.primaryKey().references("customers.id").onDelete("cascade"))
    .addColumn("credit_limit_cents", d.bigint)
    .addColumn("payment_terms_id", "bigint", (c) => c.references("payment_terms.id"))
    .addColumn("dunning_excluded", d.flag, nn)
    .addColumn("version", "integer", nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();

  // Documents keep a customer: an invoice is never deleted with its customer (GoBD), the
  // foreign key refuses it (409).
  await d
    .id(db.schema.createTable("sales_documents"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id"))
    .addColumn("type", "text", nn)
    .addColumn("number", d.sortText, nn)
    .addColumn("status", "text", nn)
    .addColumn("contact_id", "bigint", (c) => c.references("contacts.id").onDelete("set null"))
    .addColumn("document_date", d.date, nn)
    .addColumn("currency", "text", nn)
    .addColumn("net_cents", d.bigint, nn)
    .addColumn("vat_cents", d.bigint, nn)
    .addColumn("gross_cents", d.bigint, nn)
    .addColumn("vat_per_rate", d.json, nn)
    .addColumn("open_cents", d.bigint)
    .addColumn("payment_terms_id", "bigint", (c) => c.references("payment_terms.id"))
    .addColumn("terms_text", "text")
    .addColumn("terms", d.json)
    .addColumn("due_date", d.date)
    .addColumn("valid_until", d.date)
    .addColumn("reference_id", "bigint", (c) => c.references("sales_documents.id"))
    .addColumn("paid_on", d.date)
    .addColumn("dunning_level", "integer", nn)
    .addColumn("last_dunned_on", d.date)
    .addColumn("note", "text")
    .addColumn("created_by", "text", nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addUniqueConstraint("uq_sales_documents_number", ["type", "number"])
    .addCheckConstraint(
      "ck_sales_documents_type",
      sql`type in ('quote', 'order', 'delivery_note', 'invoice', 'credit_note')`,
    )
    .execute();
  await db.schema
    .createIndex("ix_sales_documents_customer")
    .on("sales_documents")
    .columns(["customer_id", "document_date", "id"])
    .execute();
  await db.schema
    .createIndex("ix_sales_documents_customer_type")
    .on("sales_documents")
    .columns(["customer_id", "type", "status", "document_date"])
    .execute();
  await db.schema
    .createIndex("ix_sales_documents_open")
    .on("sales_documents")
    .columns(["customer_id", "due_date", "id"])
    .where(sql.ref("open_cents"), "<>", 0)
    .execute();
  await db.schema.createIndex("ix_sales_documents_reference").on("sales_documents").column("reference_id").execute();
  // The dunning run reads overdue invoices of all customers by due date (credit notes have
  // negative open amounts, so they stay out).
  await db.schema
    .createIndex("ix_sales_documents_due")
    .on("sales_documents")
    .columns(["due_date", "id"])
    .where(sql.ref("open_cents"), ">", 0)
    .execute();
  // Payment behaviour reads the invoices paid in the last twelve months.
  await db.schema
    .createIndex("ix_sales_documents_paid")
    .on("sales_documents")
    .columns(["customer_id", "paid_on"])
    .where(sql.ref("paid_on"), "is not", null)
    .execute();

  // Kept in the transaction of every invoice and credit note, so key figures and purchase
  // history read a few rows instead of a customer's thousands of documents.
  await db.schema
    .createTable("customer_revenue")
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id"))
    .addColumn("month", "text", nn)
    .addColumn("net_cents", d.bigint, nn)
    .addColumn("invoices", "integer", nn)
    .addPrimaryKeyConstraint("pk_customer_revenue", ["customer_id", "month"])
    .execute();
  await db.schema
    .createTable("customer_product_history")
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id"))
    .addColumn("product_id", "bigint", (c) => c.notNull().references("products.id"))
    .addColumn("quantity_milli", d.bigint, nn)
    .addColumn("revenue_cents", d.bigint, nn)
    .addColumn("invoices", "integer", nn)
    .addColumn("first_date", d.date, nn)
    .addColumn("last_date", d.date, nn)
    .addColumn("last_price_cents", d.bigint, nn)
    .addPrimaryKeyConstraint("pk_customer_product_history", ["customer_id", "product_id"])
    .execute();

  await d
    .id(db.schema.createTable("sales_document_lines"))
    .addColumn("document_id", "bigint", (c) => c.notNull().references("sales_documents.id").onDelete("cascade"))
    .addColumn("customer_id", "bigint", nn)
    .addColumn("position", "integer", nn)
    .addColumn("product_id", "bigint", (c) => c.references("products.id"))
    .addColumn("article_number", "text")
    .addColumn("text", "text", nn)
    .addColumn("quantity_milli", d.bigint, nn)
    .addColumn("unit", "text", nn)
    .addColumn("unit_price_cents", d.bigint, nn)
    .addColumn("discount_bp", "integer", nn)
    .addColumn("vat_rate_bp", "integer", nn)
    .addColumn("net_cents", d.bigint, nn)
    .addColumn("price_source", "text", nn)
    .execute();
  await db.schema
    .createIndex("ix_sales_document_lines_document")
    .on("sales_document_lines")
    .columns(["document_id", "position"])
    .execute();
  await db.schema
    .createIndex("ix_sales_document_lines_product")
    .on("sales_document_lines")
    .columns(["customer_id", "product_id"])
    .execute();

  await d
    .id(db.schema.createTable("payments"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id"))
    .addColumn("amount_cents", d.bigint, nn)
    .addColumn("currency", "text", nn)
    .addColumn("payment_date", d.date, nn)
    .addColumn("method", "text", nn)
    .addColumn("reference", "text")
    .addColumn("unallocated_cents", d.bigint, nn)
    .addColumn("created_by", "text", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addCheckConstraint("ck_payments_amount", sql`amount_cents > 0 and unallocated_cents >= 0`)
    .execute();
  await db.schema
    .createIndex("ix_payments_customer")
    .on("payments")
    .columns(["customer_id", "payment_date", "id"])
    .execute();

  await d
    .id(db.schema.createTable("payment_allocations"))
    .addColumn("payment_id", "bigint", (c) => c.notNull().references("payments.id").onDelete("cascade"))
    .addColumn("document_id", "bigint", (c) => c.notNull().references("sales_documents.id"))
    .addColumn("amount_cents", d.bigint, nn)
    .addColumn("discount_cents", d.bigint, nn)
    .execute();
  await db.schema
    .createIndex("ix_payment_allocations_payment")
    .on("payment_allocations")
    .column("payment_id")
    .execute();
  await db.schema
    .createIndex("ix_payment_allocations_document")
    .on("payment_allocations")
    .column("document_id")
    .execute();

  await db.schema
    .createTable("dunning_levels")
    .addColumn("level", "integer", (c) => c.primaryKey())
    .addColumn("days_after_due", "integer", nn)
    .addColumn("fee_cents", d.bigint, nn)
    .addColumn("text", "text", nn)
    .addColumn("version", "integer", nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  await db
    .insertInto("dunning_levels")
    .values(
      [
        { level: 1, days_after_due: 7, fee_cents: 0, text: "Zahlungserinnerung" },
        { level: 2, days_after_due: 21, fee_cents: 500, text: "1. Mahnung" },
        { level: 3, days_after_due: 35, fee_cents: 1000, text: "Letzte Mahnung" },
      ].map((l) => ({ ...l, version: 1, updated_at: epoch })),
    )
    .execute();

  await d
    .id(db.schema.createTable("dunning_notices"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id"))
    .addColumn("level", "integer", nn)
    .addColumn("notice_date", d.date, nn)
    .addColumn("fee_cents", d.bigint, nn)
    .addColumn("total_cents", d.bigint, nn)
    .addColumn("items", d.json, nn)
    .addColumn("delivery_block_set", d.flag, nn)
    .addColumn("created_by", "text", nn)
    .addColumn("created_at", d.timestamp, nn)
    .execute();
  await db.schema
    .createIndex("ix_dunning_notices_customer")
    .on("dunning_notices")
    .columns(["customer_id", "notice_date", "id"])
    .execute();

  // Customers without any finance record get zero key figures without a query: the file
  // endpoint stays one indexed read for them. Set by the first document, payment or credit setting.
  await db.schema
    .alterTable("customer_file_documents")
    .addColumn("has_finance", d.flag, (c) => c.notNull().defaultTo(d.engine === "postgres" ? false : 0))
    .execute();

  await db
    .insertInto("number_ranges")
    .values(
      [
        ["quote", "AN-", 100000],
        ["order", "AB-", 100000],
        ["delivery_note", "LS-", 100000],
        ["invoice", "RE-", 100000],
        ["credit_note", "GS-", 100000],
      ].map(([key, prefix, next]) => ({ key, prefix, next_value: next, width: 6, version: 1, updated_at: epoch })),
    )
    .execute();

  await db
    .insertInto("settings")
    .values([
      // Creating an order the credit check blocks: refused (true) or created with a warning (false).
      { key: "credit_check_refuses_orders", value: "true", version: 1, updated_at: epoch },
      // Whether issuing a level-3 dunning notice sets a delivery block.
      { key: "dunning_block_at_level_3", value: "true", version: 1, updated_at: epoch },
    ])
    .execute();

  const ALL = (r: string, actions = ["read", "create", "update", "delete"]) => actions.map((a) => `${r}.${a}`);
  await grantToRoles(db, {
    admin: [...ALL("products"), ...ALL("payment_terms"), ...ALL("documents")],
    sales: [
      ...ALL("products", ["read", "create", "update"]),
      "payment_terms.read",
      ...ALL("documents", ["read", "create", "update"]),
    ],
    marketing: ["products.read", "payment_terms.read", "documents.read"],
    service: ["products.read", "payment_terms.read", "documents.read"],
    finance: ["products.read", ...ALL("payment_terms"), ...ALL("documents", ["read", "create", "update"])],
    read_only: ["products.read", "payment_terms.read", "documents.read"],
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("customer_file_documents").dropColumn("has_finance").execute();
  await db
    .deleteFrom("settings")
    .where("key", "in", ["credit_check_refuses_orders", "dunning_block_at_level_3"])
    .execute();
  await db
    .deleteFrom("number_ranges")
    .where("key", "in", ["quote", "order", "delivery_note", "invoice", "credit_note"])
    .execute();
  for (const t of [
    "customer_product_history",
    "customer_revenue",
    "dunning_notices",
    "dunning_levels",
    "payment_allocations",
    "payments",
    "sales_document_lines",
    "sales_documents",
    "customer_finance",
    "payment_terms",
    "products",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
