import { randomBytes } from "node:crypto";
import { copyFile as copyWholeFile, mkdir, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { copyFile } from "./attachment-files.js";
import * as repo from "./backup.repository.js";
import type { Installation } from "./backup.service.js";
import { ATTACHMENTS_DIR, BackupError, type BackupManifest } from "./backup-manifest.js";
import { pgRestore } from "./pg-tools.js";
import { type VerifyReport, verifyBackup, verifyInstallation } from "./verify.service.js";

export interface RestoreOptions {
  /** Replace a database that is not empty. */
  force?: boolean;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** The verification of the restored database and store. */
  report: VerifyReport;
}

const notEmpty = (what: string) =>
  new BackupError(`${what} is not empty: restore into an empty database, or replace it with --force`);

/** The tables of a SQLite file, without opening it through the app (no migrations, no WAL switch). */
async function sqliteTables(file: string): Promise<string[]> {
  try {
    await stat(file);
  } catch {
    return [];
  }
  return repo.withSqliteFile(file, { readonly: true }, (db) => repo.listTables(db, "sqlite", null));
}

/**
 * SQLite: the backup's file replaces the database file — copied beside it first, then renamed
 * into place, with the old write-ahead log removed (SQLite would replay it onto the new file).
 * The server must be stopped: it keeps the old file open.
 */
async function restoreSqlite(backupFile: string, file: string, force: boolean): Promise<void> {
  if ((await sqliteTables(file)).length > 0 && !force) throw notEmpty(`the database ${file}`);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.restore-${randomBytes(6).toString("hex")}`;
  await copyWholeFile(backupFile, tmp);
  for (const suffix of ["-wal", "-shm", "-journal"]) await rm(`${file}${suffix}`, { force: true });
  await rename(tmp, file);
}

/**
 * PostgreSQL: pg_restore into the connection's database, under the schema the backup was
 * made from. --force first drops the schema with everything in it and creates it empty.
 */
async function restorePostgres(
  live: Extract<Installation, { engine: "postgres" }>,
  manifest: BackupManifest,
  dump: string,
  force: boolean,
) {
  const schema = manifest.schema ?? "public";
  const db = live.db.kysely;
  const target = live.db.schema ?? (await repo.currentSchema(db));
  if (target !== null && target !== schema) {
    throw new BackupError(`the backup holds schema "${schema}", the database connection works in "${target}"`);
  }
  if ((await repo.pgObjectCount(db, schema)) > 0) {
    if (!force) throw notEmpty(`schema "${schema}" of the database`);
    // Everything in it (tables, sequences, the search function): the dump brings it all back.
    await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
    await sql`create schema ${sql.id(schema)}`.execute(db);
  }
  const exists = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
  const listFile = path.join(tmpdir(), `kundenakte-restore-${randomBytes(6).toString("hex")}.list`);
  try {
    await pgRestore(live.databaseUrl, dump, schema, exists.rows.length > 0, listFile);
  } finally {
    await rm(listFile, { force: true });
  }
}

/**
 * Restores a backup into an empty database and the attachment store, then verifies the
 * result against the manifest. A backup that does not verify itself is refused (unless
 * forced): restoring a damaged copy over nothing is better than nothing, but not silently.
 */
export async function restoreBackup(
  from: string,
  live: Installation,
  opts: RestoreOptions = {},
): Promise<RestoreResult> {
  const checked = await verifyBackup(from);
  const { manifest } = checked;
  if (manifest.engine !== live.engine) {
    throw new BackupError(`the backup is of a ${manifest.engine} database; the configured one is ${live.engine}`);
  }
  if (checked.problems.length > 0 && !opts.force) {
    throw new BackupError(
      `the backup is damaged (restore it anyway with --force):\n  ${checked.problems.join("\n  ")}`,
    );
  }
  const dump = path.join(from, manifest.database.file);
  if (live.engine === "sqlite") {
    await restoreSqlite(dump, live.sqliteFile, opts.force ?? false);
  } else {
    await restorePostgres(live, manifest, dump, opts.force ?? false);
  }
  for (const file of manifest.attachments) {
    await copyFile(path.join(from, ATTACHMENTS_DIR), live.attachmentDir, file);
  }
  // PostgreSQL: verified in the backup's schema (the connection may name none).
  const restored = live.engine === "postgres" ? { ...live, db: { ...live.db, schema: manifest.schema } } : live;
  const report = await verifyInstallation(restored, manifest);
  return { manifest, report };
}
