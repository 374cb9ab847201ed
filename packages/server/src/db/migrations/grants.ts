/**
 * Frozen helper of the migrations (like ddl.ts): adds permissions to roles that exist. Roles
 * an admin deleted stay deleted; permissions an admin removed before are added back only for
 * the new resource the migration introduces.
 */
import type { Kysely } from "kysely";

export async function grantToRoles(db: Kysely<any>, grants: Record<string, string[]>): Promise<void> {
  const roles = await db.selectFrom("roles").select(["key", "permissions"]).execute();
  for (const role of roles as { key: string; permissions: unknown }[]) {
    const add = grants[role.key];
    if (!add) continue;
    const current = (
      typeof role.permissions === "string" ? JSON.parse(role.permissions) : role.permissions
    ) as string[];
    await db
      .updateTable("roles")
      .set({ permissions: JSON.stringify([...new Set([...current, ...add])]) })
      .where("key", "=", role.key)
      .execute();
  }
}
