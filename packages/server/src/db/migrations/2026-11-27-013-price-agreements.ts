import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";
import { grantToRoles } from "./grants.js";

/**
 * Price agreements: customer-specific prices and discounts per product or product group, for
 * one customer or a customer group (the customers' `customer_group`), valid from/to. Either a
 * fixed net unit price in cents or a discount on the list price in basis points; optionally
 * from a minimum quantity (thousandths, 0 = any quantity). Document lines remember the
 * agreement their price came from (`price_agreement_id`) and its description at that time
 * (`price_note`), so an issued invoice never changes when the agreement does.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;

  await d
    .id(db.schema.createTable("price_agreements"))
    .addColumn("customer_id", "bigint", (c) => c.references("customers.id").onDelete("cascade"))
    .addColumn("customer_group", "text")
    // No cascade: a product with agreements is deleted only after them (409 otherwise).
    .addColumn("product_id", "bigint", (c) => c.references("products.id"))
    .addColumn("product_group", "text")
    .addColumn("unit_price_cents", d.bigint)
    .addColumn("discount_bp", "integer")
    .addColumn("min_quantity_milli", d.bigint, nn)
    .addColumn("valid_from", d.date, nn)
    .addColumn("valid_to", d.date)
    .addColumn("note", "text")
    .addColumn("created_by", "text", nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_price_agreements_scope", sql`(customer_id is null) <> (customer_group is null)`)
    .addCheckConstraint("ck_price_agreements_target", sql`(product_id is null) <> (product_group is null)`)
    .addCheckConstraint("ck_price_agreements_price", sql`(unit_price_cents is null) <> (discount_bp is null)`)
    .addCheckConstraint(
      "ck_price_agreements_values",
      sql`(unit_price_cents is null or unit_price_cents >= 0) and (discount_bp is null or discount_bp between 1 and 10000) and min_quantity_milli >= 0`,
    )
    .addCheckConstraint("ck_price_agreements_validity", sql`valid_to is null or valid_to >= valid_from`)
    .execute();

  // The price lookup reads one scope × one target × valid_from <= date; the lists read a scope
  // (optionally one target) newest first on (valid_from, id). One index per access path.
  const indexes: [string, string[]][] = [
    ["ix_price_agreements_customer", ["customer_id", "valid_from", "id"]],
    ["ix_price_agreements_customer_product", ["customer_id", "product_id", "valid_from", "id"]],
    ["ix_price_agreements_customer_product_group", ["customer_id", "product_group", "valid_from", "id"]],
    ["ix_price_agreements_group", ["customer_group", "valid_from", "id"]],
    ["ix_price_agreements_group_product", ["customer_group", "product_id", "valid_from", "id"]],
    ["ix_price_agreements_group_product_group", ["customer_group", "product_group", "valid_from", "id"]],
    // Lists across scopes (all agreements on a product or group), and the foreign key's check
    // when a product is deleted.
    ["ix_price_agreements_product", ["product_id", "valid_from", "id"]],
    ["ix_price_agreements_product_group", ["product_group", "valid_from", "id"]],
    ["ix_price_agreements_valid_from", ["valid_from", "id"]],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on("price_agreements").columns(columns).execute();
  }

  // Where a line's price came from: `agreement` joins `list_price` and `manual`.
  await db.schema
    .alterTable("sales_document_lines")
    .addColumn("price_agreement_id", "bigint", (c) => c.references("price_agreements.id"))
    .execute();
  await db.schema.alterTable("sales_document_lines").addColumn("price_note", "text").execute();
  // An agreement used by a line is not deleted (409): the foreign key's check reads this index.
  await db.schema
    .createIndex("ix_sales_document_lines_price_agreement")
    .on("sales_document_lines")
    .column("price_agreement_id")
    .where(sql.ref("price_agreement_id"), "is not", null)
    .execute();

  const ALL = ["read", "create", "update", "delete"].map((a) => `price_agreements.${a}`);
  await grantToRoles(db, {
    admin: ALL,
    sales: ALL,
    marketing: ["price_agreements.read"],
    service: ["price_agreements.read"],
    finance: ["price_agreements.read"],
    read_only: ["price_agreements.read"],
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  const roles = await db.selectFrom("roles").select(["key", "permissions"]).execute();
  for (const role of roles as { key: string; permissions: unknown }[]) {
    const current = (
      typeof role.permissions === "string" ? JSON.parse(role.permissions) : role.permissions
    ) as string[];
    await db
      .updateTable("roles")
      .set({ permissions: JSON.stringify(current.filter((p) => !p.startsWith("price_agreements."))) })
      .where("key", "=", role.key)
      .execute();
  }
  await db.schema.dropIndex("ix_sales_document_lines_price_agreement").execute();
  await db.schema.alterTable("sales_document_lines").dropColumn("price_note").execute();
  await db.schema.alterTable("sales_document_lines").dropColumn("price_agreement_id").execute();
  await db.schema.dropTable("price_agreements").execute();
}
