import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";
import { grantToRoles } from "./grants.js";

/**
 * Marketing consents per customer or contact and channel (append-only history), advertising
 * objections (Werbewiderspruch), and a customer's preferences and special wishes. The stored
 * customer file documents learn the two new members the file shows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;

  // Never updated except `is_current`: the newest record (by when it happened) per person
  // and channel is the state in force, the others are its history.
  await d
    .id(db.schema.createTable("consents"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("contact_id", "bigint", (c) => c.references("contacts.id").onDelete("cascade"))
    .addColumn("channel", "text", nn)
    .addColumn("state", "text", nn)
    .addColumn("source", "text", nn)
    .addColumn("source_detail", "text")
    .addColumn("occurred_at", d.timestamp, nn)
    .addColumn("wording_version", "text")
    .addColumn("doi_requested_at", d.timestamp)
    .addColumn("doi_confirmed_at", d.timestamp)
    .addColumn("doi_reference", "text")
    // The campaign an unsubscribe came from; no foreign key: campaigns come in the next migration.
    .addColumn("campaign_id", "bigint")
    .addColumn("note", "text")
    .addColumn("is_current", d.flag, nn)
    .addColumn("recorded_by", "text", nn)
    .addColumn("recorded_at", d.timestamp, nn)
    .addCheckConstraint("ck_consents_channel", sql`channel in ('email', 'phone', 'letter', 'sms')`)
    .addCheckConstraint("ck_consents_state", sql`state in ('granted', 'withdrawn')`)
    .execute();
  // History of one customer (and its contacts), newest first.
  await db.schema.createIndex("ix_consents_customer").on("consents").columns(["customer_id", "id"]).execute();
  // One state in force per person and channel; campaigns read them for many contacts at once.
  await sql`create unique index ux_consents_current on consents (customer_id, coalesce(contact_id, 0), channel) where is_current = ${sql.raw(d.trueLiteral)}`.execute(
    db,
  );
  await sql`create index ix_consents_contact_current on consents (contact_id, channel) where is_current = ${sql.raw(d.trueLiteral)}`.execute(
    db,
  );

  await d
    .id(db.schema.createTable("advertising_objections"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("contact_id", "bigint", (c) => c.references("contacts.id").onDelete("cascade"))
    .addColumn("objected_on", d.date, nn)
    .addColumn("source", "text", nn)
    .addColumn("note", "text")
    .addColumn("recorded_by", "text", nn)
    .addColumn("lifted_on", d.date)
    .addColumn("lift_reason", "text")
    .addColumn("lifted_by", "text")
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  // At most one active objection per customer or contact: a second one is a 409.
  await sql`create unique index ux_advertising_objections_active on advertising_objections (customer_id, coalesce(contact_id, 0)) where lifted_on is null`.execute(
    db,
  );
  await db.schema
    .createIndex("ix_advertising_objections_customer")
    .on("advertising_objections")
    .columns(["customer_id", "id"])
    .execute();
  await sql`create index ix_advertising_objections_contact_active on advertising_objections (contact_id) where lifted_on is null`.execute(
    db,
  );

  await db.schema
    .createTable("customer_preferences")
    .addColumn("customer_id", "bigint", (c) => c.primaryKey().references("customers.id").onDelete("cascade"))
    .addColumn("delivery_days", d.json, nn)
    .addColumn("delivery_windows", d.json, nn)
    .addColumn("preferred_channel", "text")
    .addColumn("correspondence_language", "text")
    .addColumn("invoice_delivery", "text", nn)
    .addColumn("invoice_email", "text")
    .addColumn("leitweg_id", "text")
    .addColumn("shipping_instructions", "text")
    .addColumn("service_requirements", d.json, nn)
    .addColumn("version", "integer", nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addColumn("updated_by", "text", nn)
    .addCheckConstraint(
      "ck_customer_preferences_invoice",
      sql`invoice_delivery in ('paper', 'pdf_email', 'xrechnung', 'zugferd')`,
    )
    .execute();

  // Stored file documents gain the two members with the values every customer has now (no
  // preferences, no objection): cheaper than dropping them, and the finance flag stays.
  await sql`update customer_file_documents set body = substr(body, 1, length(body) - 1) || ${',"preferences":null,"advertisingObjection":{"customer":false,"since":null,"contactIds":[]}}'}`.execute(
    db,
  );

  await grantToRoles(db, {
    admin: ["consents.read", "consents.create", "consents.update", "preferences.read", "preferences.update"],
    sales: ["consents.read", "consents.create", "consents.update", "preferences.read", "preferences.update"],
    marketing: ["consents.read", "consents.create", "consents.update", "preferences.read", "preferences.update"],
    service: ["consents.read", "consents.create", "consents.update", "preferences.read", "preferences.update"],
    finance: ["consents.read", "preferences.read", "preferences.update"],
    read_only: ["consents.read", "preferences.read"],
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  // Stored documents keep the two members; older builds ignore them and rebuild on the next change.
  for (const t of ["customer_preferences", "advertising_objections", "consents"]) {
    await db.schema.dropTable(t).execute();
  }
  const perms = ["consents", "preferences"];
  const roles = await db.selectFrom("roles").select(["key", "permissions"]).execute();
  for (const role of roles as { key: string; permissions: unknown }[]) {
    const current = (
      typeof role.permissions === "string" ? JSON.parse(role.permissions) : role.permissions
    ) as string[];
    await db
      .updateTable("roles")
      .set({ permissions: JSON.stringify(current.filter((p) => !perms.includes(p.split(".")[0]!))) })
      .where("key", "=", role.key)
      .execute();
  }
}
