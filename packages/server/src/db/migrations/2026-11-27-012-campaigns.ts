import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";
import { grantToRoles } from "./grants.js";

/**
 * Segments (saved customer/contact filters), campaigns and their members with exclusion
 * reasons and responses. Plus the indexes a segment evaluation over all customers needs on
 * the finance tables: revenue per month, the last invoice per customer, buyers per product.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;

  await d
    .id(db.schema.createTable("segments"))
    .addColumn("name", "text", nn)
    // Folded name: unique (a second "Newsletter" is a 409) and the list's sort key.
    .addColumn("name_key", d.sortText, (c) => c.notNull().unique())
    .addColumn("description", "text")
    .addColumn("target", "text", nn)
    .addColumn("filter", d.json, nn)
    .addColumn("created_by", "text", nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_segments_target", sql`target in ('customers', 'contacts')`)
    .execute();
  await db.schema.createIndex("ix_segments_name").on("segments").columns(["name_key", "id"]).execute();

  await d
    .id(db.schema.createTable("campaigns"))
    .addColumn("name", "text", nn)
    .addColumn("description", "text")
    .addColumn("channel", "text", nn)
    .addColumn("status", "text", nn)
    .addColumn("starts_on", d.date, nn)
    .addColumn("ends_on", d.date)
    .addColumn("owner", "text", nn)
    // A segment a campaign targets cannot be deleted (409).
    .addColumn("segment_id", "bigint", (c) => c.references("segments.id"))
    .addColumn("launched_at", d.timestamp)
    .addColumn("created_by", "text", nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_campaigns_channel", sql`channel in ('email', 'letter', 'phone', 'event')`)
    .addCheckConstraint("ck_campaigns_status", sql`status in ('planned', 'active', 'completed', 'cancelled')`)
    .addCheckConstraint("ck_campaigns_period", sql`ends_on is null or ends_on >= starts_on`)
    .execute();
  // The list: newest start first, optionally by status, channel or owner.
  await db.schema.createIndex("ix_campaigns_start").on("campaigns").columns(["starts_on", "id"]).execute();
  for (const col of ["status", "channel", "owner"]) {
    await db.schema
      .createIndex(`ix_campaigns_${col}_start`)
      .on("campaigns")
      .columns([col, "starts_on", "id"])
      .execute();
  }
  await db.schema.createIndex("ix_campaigns_segment").on("campaigns").column("segment_id").execute();

  await d
    .id(db.schema.createTable("campaign_members"))
    .addColumn("campaign_id", "bigint", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("contact_id", "bigint", (c) => c.references("contacts.id").onDelete("cascade"))
    .addColumn("status", "text", nn)
    .addColumn("exclusion_reason", "text")
    .addColumn("source", "text", nn)
    .addColumn("contacted_at", d.timestamp)
    .addColumn("response", "text")
    .addColumn("responded_at", d.timestamp)
    .addColumn("response_note", "text")
    .addColumn("added_by", "text", nn)
    .addColumn("added_at", d.timestamp, nn)
    .addColumn("version", "integer", nn)
    .addCheckConstraint("ck_campaign_members_status", sql`status in ('included', 'excluded')`)
    .addCheckConstraint(
      "ck_campaign_members_reason",
      sql`(status = 'included' and exclusion_reason is null) or (status = 'excluded' and exclusion_reason in ('advertising_objection', 'no_consent', 'no_address', 'contact_inactive'))`,
    )
    .addCheckConstraint(
      "ck_campaign_members_response",
      sql`response is null or response in ('interested', 'not_interested', 'ordered', 'bounced', 'unsubscribed')`,
    )
    .execute();
  // A person is a member once: adding them again by hand is a 409, from a segment a no-op.
  await sql`create unique index ux_campaign_members_person on campaign_members (campaign_id, customer_id, coalesce(contact_id, 0))`.execute(
    db,
  );
  // The member list and its filters, in the order members were added.
  await db.schema
    .createIndex("ix_campaign_members_status")
    .on("campaign_members")
    .columns(["campaign_id", "status", "id"])
    .execute();
  await db.schema
    .createIndex("ix_campaign_members_reason")
    .on("campaign_members")
    .columns(["campaign_id", "exclusion_reason", "id"])
    .execute();
  await db.schema
    .createIndex("ix_campaign_members_response")
    .on("campaign_members")
    .columns(["campaign_id", "response", "id"])
    .execute();
  // Deleting a customer or contact cascades here.
  await db.schema.createIndex("ix_campaign_members_customer").on("campaign_members").column("customer_id").execute();
  await db.schema.createIndex("ix_campaign_members_contact").on("campaign_members").column("contact_id").execute();

  // Segment evaluation reads, per customer, the revenue of some months (covering index) and
  // the date of the last invoice that was not cancelled (one seek at the end of a partial index).
  await db.schema
    .createIndex("ix_customer_revenue_segment")
    .on("customer_revenue")
    .columns(["customer_id", "month", "net_cents"])
    .execute();
  // "Bought one of these products (since …)": the customers, read by product.
  await db.schema
    .createIndex("ix_customer_product_history_product")
    .on("customer_product_history")
    .columns(["product_id", "last_date", "customer_id"])
    .execute();
  await sql`create index ix_sales_documents_last_invoice on sales_documents (customer_id, document_date) where type = 'invoice' and status <> 'cancelled'`.execute(
    db,
  );

  const all = (r: string) => ["read", "create", "update", "delete"].map((a) => `${r}.${a}`);
  await grantToRoles(db, {
    admin: [...all("segments"), ...all("campaigns")],
    marketing: [...all("segments"), ...all("campaigns")],
    // Sales and service record responses the customer gives them (update), they do not plan campaigns.
    sales: ["segments.read", "campaigns.read", "campaigns.update"],
    service: ["segments.read", "campaigns.read", "campaigns.update"],
    finance: ["segments.read", "campaigns.read"],
    read_only: ["segments.read", "campaigns.read"],
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("ix_sales_documents_last_invoice").execute();
  await db.schema.dropIndex("ix_customer_revenue_segment").execute();
  await db.schema.dropIndex("ix_customer_product_history_product").execute();
  for (const t of ["campaign_members", "campaigns", "segments"]) {
    await db.schema.dropTable(t).execute();
  }
  const perms = ["segments", "campaigns"];
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
