import { type MigrationResultSet, Migrator } from "kysely";
import type { Database } from "./database.js";
import { migrations } from "./migrations/index.js";

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** The migration provider: a static list, so bundlers and tsx need no directory scan. */
function migrator(db: Database): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "kundenakte_migrations",
    migrationLockTableName: "kundenakte_migrations_lock",
    // Explicit, so that another schema's migration tables on the same server never count.
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
}

/**
 * Brings the database to the latest migration. Kysely runs migrations under a lock and
 * refuses a database that has applied a migration unknown to this build, which is what we
 * want: we never guess at a history we do not recognise.
 */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const { unknown } = await migrationStatus(db);
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this version does not know (${unknown.join(", ")}); it was written by a newer Kundenakte or another program. Refusing to touch it.`,
    );
  }
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(failed ? `Migration ${failed.migrationName} failed: ${reason}` : reason);
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Undoes the last applied migration (operators rolling back a release; tests of a migration). */
export async function migrateDownOne(db: Database): Promise<string | null> {
  const result = await migrator(db).migrateDown();
  if (result.error)
    throw new MigrationError(result.error instanceof Error ? result.error.message : String(result.error));
  return result.results?.[0]?.migrationName ?? null;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied in the database but unknown to this build. */
  unknown: string[];
}

/** What has been applied, what is pending, and what the database has that we do not know. */
export async function migrationStatus(db: Database): Promise<MigrationStatus> {
  const infos = await migrator(db).getMigrations();
  const known = new Set(Object.keys(migrations));
  const applied = infos.filter((m) => m.executedAt).map((m) => m.name);
  const pending = infos.filter((m) => !m.executedAt).map((m) => m.name);
  let unknown: string[] = [];
  try {
    const rows = await db.kysely
      .selectFrom("kundenakte_migrations" as never)
      .select("name" as never)
      .execute();
    unknown = (rows as { name: string }[]).map((r) => r.name).filter((n) => !known.has(n));
  } catch {
    // No migration table yet: nothing applied.
  }
  return { applied, pending, unknown };
}
