import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import type { Engine } from "../../db/dialect.js";
import type { ManifestAttachment } from "./backup-manifest.js";

// Works on any Kundenakte database, also one opened outside the app (a backup's copy): untyped.
// biome-ignore lint/suspicious/noExplicitAny: the tables are listed at run time
type Executor = Kysely<any>;

/**
 * Runs `fn` on a SQLite file through a connection of its own, outside the app: no
 * migrations, no switch to WAL — a backup's copy stays one self-contained file.
 */
export async function withSqliteFile<T>(
  file: string,
  options: BetterSqlite3.Options,
  fn: (db: Executor, raw: BetterSqlite3.Database) => Promise<T>,
): Promise<T> {
  const raw = new BetterSqlite3(file, options);
  const db: Executor = new Kysely({ dialect: new SqliteDialect({ database: raw }) });
  try {
    return await fn(db, raw);
  } finally {
    await db.destroy();
  }
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The schema the PostgreSQL connection works in (its search path's first entry). */
export async function currentSchema(db: Executor): Promise<string> {
  const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return r.rows[0]!.schema;
}

/**
 * The database's own tables: SQLite without its internal and full-text shadow tables
 * (they follow from the others), PostgreSQL the base tables of the schema.
 */
export async function listTables(db: Executor, engine: Engine, schema: string | null): Promise<string[]> {
  if (engine === "sqlite") {
    const r = await sql<{ name: string; type: string; schema: string }>`pragma table_list`.execute(db);
    return r.rows
      .filter((t) => t.schema === "main" && t.type === "table" && !t.name.startsWith("sqlite_"))
      .map((t) => t.name)
      .sort();
  }
  const r = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return r.rows.map((t) => t.name);
}

/** Tables, views, sequences and functions in a PostgreSQL schema: 0 means there is nothing to overwrite. */
export async function pgObjectCount(db: Executor, schema: string): Promise<number> {
  const r = await sql<{ n: number | string }>`
    select (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f'))
         + (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = ${schema}) as n`.execute(db);
  return Number(r.rows[0]!.n);
}

/** Rows per table, by table name. */
export async function countRows(
  db: Executor,
  engine: Engine,
  schema: string | null,
  tables?: readonly string[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables ?? (await listTables(db, engine, schema))) {
    const qualified = engine === "postgres" && schema ? `${quote(schema)}.${quote(table)}` : quote(table);
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.raw(qualified)}`.execute(db);
    counts[table] = Number(r.rows[0]!.n);
  }
  return counts;
}

/** The last applied migration, or null on a database without migrations. */
export async function migrationLevel(db: Executor, tables: readonly string[]): Promise<string | null> {
  if (!tables.includes("kundenakte_migrations")) return null;
  const r = await sql<{ name: string }>`select max(name) as name from kundenakte_migrations`.execute(db);
  return r.rows[0]?.name ?? null;
}

/** Every stored content the database knows (the attachment records point at these). */
export async function storedBlobs(db: Executor): Promise<ManifestAttachment[]> {
  const r = await sql<{ sha256: string; size: number | string }>`
    select sha256, size from blobs order by sha256`.execute(db);
  return r.rows.map((b) => ({ sha256: b.sha256, size: Number(b.size) }));
}

/** SQLite's own checks: page structure and indexes, then foreign keys. Lines describing each fault. */
export async function sqliteIntegrity(db: Executor): Promise<string[]> {
  const problems: string[] = [];
  const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  for (const row of integrity.rows) {
    if (row.integrity_check !== "ok") problems.push(`integrity_check: ${row.integrity_check}`);
  }
  const fk = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(db);
  for (const row of fk.rows) {
    problems.push(`foreign key: ${row.table} row ${row.rowid} points at a missing ${row.parent} row`);
  }
  return problems;
}
