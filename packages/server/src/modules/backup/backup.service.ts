import { mkdir } from "node:fs/promises";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/database.js";
import { copyFile, digestOf, isEmptyDir } from "./attachment-files.js";
import * as repo from "./backup.repository.js";
import {
  ATTACHMENTS_DIR,
  BACKUP_FORMAT_VERSION,
  BackupError,
  type BackupManifest,
  DATABASE_FILE,
  writeManifest,
} from "./backup-manifest.js";
import { pgDump } from "./pg-tools.js";

/**
 * The live installation: its database and its attachment store. SQLite is reached through
 * connections of its own on the file; PostgreSQL through the app's pool (its schema) and,
 * for pg_dump/pg_restore, the connection string.
 */
export type Installation =
  | { engine: "sqlite"; sqliteFile: string; attachmentDir: string }
  | { engine: "postgres"; db: Database; databaseUrl: string; attachmentDir: string };

export interface BackupOptions {
  appVersion: string;
  /** The time written into the manifest (injectable for tests). */
  now?: () => string;
}

export interface BackupResult {
  manifest: BackupManifest;
  /** Attachments the database names but the live store lacks or holds damaged: the backup is incomplete. */
  problems: string[];
}

/** What the database copy says about itself, read in the same snapshot as the copy. */
type Snapshot = Pick<BackupManifest, "migration" | "schema" | "rowCounts" | "attachments">;

// biome-ignore lint/suspicious/noExplicitAny: any Kundenakte database, typed at run time
async function describe(k: Kysely<any>, engine: "sqlite" | "postgres", schema: string | null): Promise<Snapshot> {
  const tables = await repo.listTables(k, engine, schema);
  return {
    schema,
    migration: await repo.migrationLevel(k, tables),
    rowCounts: await repo.countRows(k, engine, schema, tables),
    attachments: tables.includes("blobs") ? await repo.storedBlobs(k) : [],
  };
}

/**
 * SQLite: the online backup API copies the live database page by page while the server keeps
 * running (WAL: it does not block writers). The copy is switched to a rollback journal, so it
 * is one self-contained file, and then described from the copy itself.
 */
async function backupSqlite(file: string, target: string): Promise<Snapshot> {
  const source = new BetterSqlite3(file, { fileMustExist: true });
  try {
    // All remaining pages in one step after the first: a write by the server between steps
    // makes SQLite restart the copy, so few steps means few restarts.
    await source.backup(target, { progress: () => 1_000_000_000 });
  } finally {
    source.close();
  }
  return repo.withSqliteFile(target, {}, async (copy, raw) => {
    raw.pragma("journal_mode = DELETE");
    return describe(copy, "sqlite", null);
  });
}

/**
 * PostgreSQL: a repeatable-read transaction exports its snapshot; pg_dump dumps exactly that
 * snapshot while the transaction counts the rows and lists the attachments in it — so the
 * manifest describes the dump, however busy the server is.
 */
async function backupPostgres(db: Database, databaseUrl: string, target: string): Promise<Snapshot> {
  return db.kysely
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const r = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
      const schema = db.schema ?? (await repo.currentSchema(trx));
      const snapshot = await describe(trx, "postgres", schema);
      await pgDump(databaseUrl, schema, r.rows[0]!.id, target);
      return snapshot;
    });
}

/**
 * Backs up the database and the attachment store into `to` (a new or empty directory):
 * the database first, then every attachment that copy refers to. Attachment files are
 * immutable and named by their content, so files stored after the database snapshot are
 * simply not needed, and a file the snapshot names cannot have changed. The manifest is
 * written last: a directory without one is an unfinished backup.
 */
export async function createBackup(live: Installation, to: string, opts: BackupOptions): Promise<BackupResult> {
  if (!(await isEmptyDir(to))) throw new BackupError(`${to} exists and is not empty: back up into a new directory`);
  await mkdir(path.join(to, ATTACHMENTS_DIR), { recursive: true });
  const engine = live.engine;
  const databaseFile = path.join(to, DATABASE_FILE[engine]);
  const snapshot =
    live.engine === "sqlite"
      ? await backupSqlite(live.sqliteFile, databaseFile)
      : await backupPostgres(live.db, live.databaseUrl, databaseFile);
  const problems: string[] = [];
  for (const file of snapshot.attachments) {
    const fault = await copyFile(live.attachmentDir, path.join(to, ATTACHMENTS_DIR), file);
    if (fault) problems.push(`attachment ${file.sha256} (${file.size} bytes): ${fault} in ${live.attachmentDir}`);
  }
  const manifest: BackupManifest = {
    formatVersion: BACKUP_FORMAT_VERSION,
    engine,
    createdAt: (opts.now ?? (() => new Date().toISOString()))(),
    appVersion: opts.appVersion,
    migration: snapshot.migration,
    schema: snapshot.schema,
    database: { file: DATABASE_FILE[engine], ...(await digestOf(databaseFile)) },
    rowCounts: snapshot.rowCounts,
    attachments: snapshot.attachments,
  };
  await writeManifest(to, manifest);
  return { manifest, problems };
}
