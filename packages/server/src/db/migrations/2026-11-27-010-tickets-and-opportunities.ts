import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";
import { grantToRoles } from "./grants.js";

/**
 * Requests and complaints (tickets) with their SLA per type and priority and the number range
 * `T-000001`; opportunities (Verkaufschancen) with a configurable list of stages and their
 * probabilities, and the quotes linked to them. Money is integer cents.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;
  const epoch = "1970-01-01T00:00:00.000Z";

  // Hours from a ticket's creation to its due time, per type and priority (calendar hours).
  await db.schema
    .createTable("ticket_slas")
    .addColumn("type", "text", nn)
    .addColumn("priority", "text", nn)
    .addColumn("hours", "integer", nn)
    .addColumn("version", "integer", nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addPrimaryKeyConstraint("pk_ticket_slas", ["type", "priority"])
    .addCheckConstraint("ck_ticket_slas_hours", sql`hours between 1 and 8760`)
    .execute();
  const hours: Record<string, Record<string, number>> = {
    complaint: { urgent: 4, high: 24, normal: 48, low: 120 },
    service_request: { urgent: 8, high: 24, normal: 72, low: 168 },
    inquiry: { urgent: 8, high: 24, normal: 48, low: 120 },
  };
  await db
    .insertInto("ticket_slas")
    .values(
      Object.entries(hours).flatMap(([type, byPriority]) =>
        Object.entries(byPriority).map(([priority, h]) => ({
          type,
          priority,
          hours: h,
          version: 1,
          updated_at: epoch,
        })),
      ),
    )
    .execute();

  await d
    .id(db.schema.createTable("tickets"))
    .addColumn("number", d.sortText, (c) => c.notNull().unique())
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("contact_id", "bigint", (c) => c.references("contacts.id").onDelete("set null"))
    .addColumn("type", "text", nn)
    .addColumn("subject", "text", nn)
    .addColumn("description", "text")
    .addColumn("priority", "text", nn)
    .addColumn("status", "text", nn)
    .addColumn("assignee", "text")
    .addColumn("due_at", d.timestamp, nn)
    // The order, invoice or delivery note (or product) the request is about.
    .addColumn("document_id", "bigint", (c) => c.references("sales_documents.id"))
    .addColumn("product_id", "bigint", (c) => c.references("products.id"))
    // The credit note or replacement (order, delivery note) that settled a complaint.
    .addColumn("settlement_document_id", "bigint", (c) => c.references("sales_documents.id"))
    .addColumn("resolution", "text")
    .addColumn("resolution_category", "text")
    .addColumn("resolved_at", d.timestamp)
    .addColumn("closed_at", d.timestamp)
    .addColumn("created_by", "text", nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_tickets_type", sql`type in ('inquiry', 'complaint', 'service_request')`)
    .addCheckConstraint("ck_tickets_priority", sql`priority in ('low', 'normal', 'high', 'urgent')`)
    .addCheckConstraint(
      "ck_tickets_status",
      sql`status in ('new', 'in_progress', 'waiting_for_customer', 'resolved', 'closed')`,
    )
    .execute();
  // The lists walk one status at a time, newest first, and merge (see tickets.repository.ts):
  // with the status in the index each walk stops after a page, whatever the mix of statuses.
  await db.schema
    .createIndex("ix_tickets_assignee")
    .on("tickets")
    .columns(["assignee", "status", "created_at", "id"])
    .execute();
  await db.schema.createIndex("ix_tickets_status").on("tickets").columns(["status", "created_at", "id"]).execute();
  // A customer's tickets, and the open/overdue count of the key figures.
  await db.schema
    .createIndex("ix_tickets_customer")
    .on("tickets")
    .columns(["customer_id", "status", "created_at", "id"])
    .execute();
  await db.schema.createIndex("ix_tickets_document").on("tickets").column("document_id").execute();
  await db.schema.createIndex("ix_tickets_settlement").on("tickets").column("settlement_document_id").execute();
  await db.schema.createIndex("ix_tickets_product").on("tickets").column("product_id").execute();

  await db
    .insertInto("number_ranges")
    .values({ key: "ticket", prefix: "T-", next_value: 1, width: 6, version: 1, updated_at: epoch })
    .execute();

  await d
    .id(db.schema.createTable("opportunity_stages"))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("probability", "integer", nn)
    .addColumn("position", "integer", nn)
    .addColumn("active", d.flag, nn)
    .addColumn("version", "integer", nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_opportunity_stages_probability", sql`probability between 0 and 100`)
    .execute();
  const flagTrue = d.engine === "postgres" ? true : 1;
  await db
    .insertInto("opportunity_stages")
    .values(
      [
        { name: "Qualifizierung", probability: 10, position: 1 },
        { name: "Bedarfsanalyse", probability: 25, position: 2 },
        { name: "Angebot", probability: 50, position: 3 },
        { name: "Verhandlung", probability: 75, position: 4 },
      ].map((s) => ({ ...s, active: flagTrue, version: 1, updated_at: epoch })),
    )
    .execute();

  await d
    .id(db.schema.createTable("opportunities"))
    .addColumn("customer_id", "bigint", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("contact_id", "bigint", (c) => c.references("contacts.id").onDelete("set null"))
    .addColumn("title", "text", nn)
    .addColumn("description", "text")
    // A stage in use cannot be deleted (409); deactivate it instead.
    .addColumn("stage_id", "bigint", (c) => c.notNull().references("opportunity_stages.id"))
    .addColumn("status", "text", nn)
    .addColumn("value_cents", d.bigint, nn)
    .addColumn("expected_close_date", d.date, nn)
    .addColumn("owner", "text", nn)
    .addColumn("close_reason", "text")
    .addColumn("closed_on", d.date)
    .addColumn("created_by", "text", nn)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .addCheckConstraint("ck_opportunities_status", sql`status in ('open', 'won', 'lost')`)
    .addCheckConstraint("ck_opportunities_value", sql`value_cents >= 0`)
    .execute();
  // Lists by expected close date (soonest first): per owner, all, per customer, per stage (which
  // also serves the foreign-key check when a stage is deleted).
  await db.schema
    .createIndex("ix_opportunities_owner")
    .on("opportunities")
    .columns(["owner", "status", "expected_close_date", "id"])
    .execute();
  await db.schema
    .createIndex("ix_opportunities_status")
    .on("opportunities")
    .columns(["status", "expected_close_date", "id"])
    .execute();
  await db.schema
    .createIndex("ix_opportunities_customer")
    .on("opportunities")
    .columns(["customer_id", "status", "expected_close_date", "id"])
    .execute();
  await db.schema
    .createIndex("ix_opportunities_stage")
    .on("opportunities")
    .columns(["stage_id", "status", "expected_close_date", "id"])
    .execute();

  await db.schema
    .createTable("opportunity_quotes")
    .addColumn("opportunity_id", "bigint", (c) => c.notNull().references("opportunities.id").onDelete("cascade"))
    .addColumn("document_id", "bigint", (c) => c.notNull().references("sales_documents.id"))
    .addPrimaryKeyConstraint("pk_opportunity_quotes", ["opportunity_id", "document_id"])
    .execute();
  await db.schema
    .createIndex("ix_opportunity_quotes_document")
    .on("opportunity_quotes")
    .column("document_id")
    .execute();

  const ALL = (r: string, actions = ["read", "create", "update", "delete"]) => actions.map((a) => `${r}.${a}`);
  await grantToRoles(db, {
    admin: [...ALL("tickets"), ...ALL("opportunities")],
    sales: [...ALL("tickets", ["read", "create", "update"]), ...ALL("opportunities")],
    marketing: ["tickets.read", "opportunities.read"],
    service: [...ALL("tickets", ["read", "create", "update"]), "opportunities.read"],
    finance: [...ALL("tickets", ["read", "create", "update"]), "opportunities.read"],
    read_only: ["tickets.read", "opportunities.read"],
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["opportunity_quotes", "opportunities", "opportunity_stages", "tickets", "ticket_slas"]) {
    await db.schema.dropTable(t).execute();
  }
  await db.deleteFrom("number_ranges").where("key", "=", "ticket").execute();
  // Permissions of the removed resources would make every later save of the role invalid.
  const roles = await db.selectFrom("roles").select(["key", "permissions"]).execute();
  for (const role of roles as { key: string; permissions: unknown }[]) {
    const current = (
      typeof role.permissions === "string" ? JSON.parse(role.permissions) : role.permissions
    ) as string[];
    const kept = current.filter((p) => !p.startsWith("tickets.") && !p.startsWith("opportunities."));
    if (kept.length === current.length) continue;
    await db
      .updateTable("roles")
      .set({ permissions: JSON.stringify(kept) })
      .where("key", "=", role.key)
      .execute();
  }
}
