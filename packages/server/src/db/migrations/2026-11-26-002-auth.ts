import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";

/**
 * Users, roles, sessions, API tokens, login throttling and settings; the customer file
 * document learns its finance part and the fields the row-level rule needs.
 * The built-in roles' permissions are the defaults of this release (admins may edit them).
 */
const ALL = (resources: string[], actions = ["read", "create", "update", "delete"]) =>
  resources.flatMap((r) => actions.map((a) => `${r}.${a}`));
const CUSTOMER_DATA = ["customers", "addresses", "channels", "contacts"];

const BUILT_IN: [string, string, string[]][] = [
  [
    "admin",
    "Administration",
    ALL([
      "customers",
      "addresses",
      "channels",
      "contacts",
      "finance",
      "history",
      "number_ranges",
      "users",
      "roles",
      "settings",
    ]),
  ],
  ["sales", "Vertrieb", [...ALL(CUSTOMER_DATA), "history.read", "number_ranges.read"]],
  ["marketing", "Marketing", [...ALL(CUSTOMER_DATA, ["read", "create", "update"]), "history.read"]],
  ["service", "Kundendienst", [...ALL(CUSTOMER_DATA, ["read", "create", "update"]), "history.read"]],
  [
    "finance",
    "Buchhaltung",
    [...ALL(CUSTOMER_DATA, ["read", "create", "update"]), ...ALL(["finance"]), "history.read", "number_ranges.read"],
  ],
  ["read_only", "Nur lesen", [...ALL(CUSTOMER_DATA, ["read"]), "history.read"]],
];

export async function up(db: Kysely<any>): Promise<void> {
  const d = ddl(db);
  const nn = d.notNull;
  const epoch = new Date(0).toISOString();

  await d
    .id(db.schema.createTable("users"))
    .addColumn("email", "text", nn)
    .addColumn("name", "text", nn)
    .addColumn("password_hash", "text", nn)
    .addColumn("active", d.flag, nn)
    .addColumn("language", "text", nn)
    .addColumn("region", "text")
    .addColumn("last_login_at", d.timestamp)
    .addColumn("version", "integer", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  await db.schema.createIndex("ux_users_email").on("users").column("email").unique().execute();

  await db.schema
    .createTable("roles")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("name", "text", nn)
    .addColumn("built_in", d.flag, nn)
    .addColumn("permissions", d.json, nn)
    .addColumn("version", "integer", nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  for (const [key, name, permissions] of BUILT_IN) {
    await db
      .insertInto("roles")
      .values({
        key,
        name,
        built_in: sql.lit(true),
        permissions: JSON.stringify(permissions),
        version: 1,
        updated_at: epoch,
      })
      .execute();
  }

  await db.schema
    .createTable("user_roles")
    .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role_key", "text", (c) => c.notNull().references("roles.key").onDelete("cascade"))
    .addPrimaryKeyConstraint("pk_user_roles", ["user_id", "role_key"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("last_seen_at", d.timestamp, nn)
    .addColumn("expires_at", d.timestamp, nn)
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("ix_sessions_user").on("sessions").column("user_id").execute();

  await d
    .id(db.schema.createTable("api_tokens"))
    .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", nn)
    .addColumn("token_hash", "text", nn)
    .addColumn("scopes", "text", nn)
    .addColumn("expires_at", d.timestamp, nn)
    .addColumn("created_at", d.timestamp, nn)
    .addColumn("last_used_at", d.timestamp)
    .addColumn("revoked_at", d.timestamp)
    .execute();
  await db.schema.createIndex("ux_api_tokens_hash").on("api_tokens").column("token_hash").unique().execute();
  await db.schema.createIndex("ix_api_tokens_user").on("api_tokens").column("user_id").execute();

  await db.schema
    .createTable("login_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", nn)
    .addColumn("first_failure_at", d.timestamp, nn)
    .addColumn("locked_until", d.timestamp)
    .execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", d.json, nn)
    .addColumn("version", "integer", nn)
    .addColumn("updated_at", d.timestamp, nn)
    .execute();
  await db
    .insertInto("settings")
    .values({ key: "row_level_sales", value: "false", version: 1, updated_at: epoch })
    .execute();

  // The finance part of the file (bank accounts) is stored apart and added only for users
  // who may see it; owner and region let the row-level rule decide without another read.
  await db.schema.alterTable("customer_file_documents").addColumn("finance", "text").execute();
  await db.schema.alterTable("customer_file_documents").addColumn("owner", "text").execute();
  await db.schema.alterTable("customer_file_documents").addColumn("region", "text").execute();
  // Documents written before this migration lack the new parts: drop them; they are rebuilt
  // live on read and stored again on the next change.
  await db.deleteFrom("customer_file_documents").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ["finance", "owner", "region"]) {
    await db.schema.alterTable("customer_file_documents").dropColumn(c).execute();
  }
  for (const t of ["settings", "login_throttle", "api_tokens", "sessions", "user_roles", "roles", "users"]) {
    await db.schema.dropTable(t).execute();
  }
}
