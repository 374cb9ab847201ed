import type { Kysely } from "kysely";
import { grantToRoles } from "./grants.js";

/**
 * Finance maintains products too (their prices and VAT rates end up on its invoices), as the
 * README always said; payment terms stay finance's (sales reads them). Adds to the stored
 * role, so an admin's own changes to it are kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await grantToRoles(db, { finance: ["products.create", "products.update"] });
}

export async function down(db: Kysely<any>): Promise<void> {
  const role = await db.selectFrom("roles").select("permissions").where("key", "=", "finance").executeTakeFirst();
  if (!role) return;
  const current = (typeof role.permissions === "string" ? JSON.parse(role.permissions) : role.permissions) as string[];
  await db
    .updateTable("roles")
    .set({ permissions: JSON.stringify(current.filter((p) => p !== "products.create" && p !== "products.update")) })
    .where("key", "=", "finance")
    .execute();
}
