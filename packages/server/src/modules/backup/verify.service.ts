import path from "node:path";
import type { Kysely } from "kysely";
import type { Engine } from "../../db/dialect.js";
import { checkFile, digestOf } from "./attachment-files.js";
import * as repo from "./backup.repository.js";
import type { Installation } from "./backup.service.js";
import { ATTACHMENTS_DIR, type BackupManifest, type ManifestAttachment, readManifest } from "./backup-manifest.js";
import { pgListDump } from "./pg-tools.js";

// biome-ignore lint/suspicious/noExplicitAny: any Kundenakte database, typed at run time
type AnyDb = Kysely<any>;

export interface VerifyReport {
  /** What was checked, for the operator: tables, rows, attachments. */
  tables: number;
  rows: number;
  attachments: number;
  /** One line per fault; empty when everything is right. */
  problems: string[];
}

/** Every attachment the database or the manifest names must be in the store with the right bytes. */
async function checkAttachments(dir: string, lists: ManifestAttachment[][], problems: string[]): Promise<number> {
  const all = new Map<string, ManifestAttachment>();
  for (const list of lists) for (const a of list) all.set(a.sha256, a);
  for (const a of all.values()) {
    const fault = await checkFile(dir, a);
    if (fault) problems.push(`attachment ${a.sha256} (${a.size} bytes): ${fault}`);
  }
  return all.size;
}

/** The manifest's row counts and migration level against the database's. */
function compareCounts(
  manifest: BackupManifest,
  counts: Record<string, number>,
  migration: string | null,
  problems: string[],
) {
  if (manifest.migration !== migration) {
    problems.push(
      `migration level: the backup has ${manifest.migration ?? "none"}, the database ${migration ?? "none"}`,
    );
  }
  for (const [table, expected] of Object.entries(manifest.rowCounts)) {
    const found = counts[table];
    if (found === undefined) problems.push(`table ${table}: missing (the backup has ${expected} rows)`);
    else if (found !== expected) problems.push(`table ${table}: ${found} rows, the backup has ${expected}`);
  }
}

/**
 * Checks a database and its attachment store: SQLite's integrity and foreign-key checks,
 * with a manifest the row counts per table and the migration level, and every attachment
 * (of the database and of the manifest) present with the right size and hash.
 */
export async function verifyDatabase(
  db: AnyDb,
  engine: Engine,
  schema: string | null,
  attachmentDir: string,
  manifest: BackupManifest | null,
): Promise<VerifyReport> {
  const problems: string[] = engine === "sqlite" ? await repo.sqliteIntegrity(db) : [];
  const effectiveSchema = engine === "postgres" ? (schema ?? (await repo.currentSchema(db))) : null;
  const tables = await repo.listTables(db, engine, effectiveSchema);
  const counts = await repo.countRows(db, engine, effectiveSchema, tables);
  if (manifest) compareCounts(manifest, counts, await repo.migrationLevel(db, tables), problems);
  const blobs = tables.includes("blobs") ? await repo.storedBlobs(db) : [];
  const attachments = await checkAttachments(attachmentDir, [blobs, manifest?.attachments ?? []], problems);
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  return { tables: tables.length, rows, attachments, problems };
}

/**
 * Checks a backup directory without restoring it: the database file's hash against the
 * manifest, then SQLite's copy as a database (integrity, row counts, attachments) or a
 * PostgreSQL dump's table of contents, and every attachment file.
 */
export async function verifyBackup(dir: string): Promise<VerifyReport & { manifest: BackupManifest }> {
  const manifest = await readManifest(dir);
  const problems: string[] = [];
  const file = path.join(dir, manifest.database.file);
  let digest: { sha256: string; size: number } | null = null;
  try {
    digest = await digestOf(file);
  } catch {
    problems.push(`database file ${manifest.database.file}: missing`);
  }
  if (digest && digest.sha256 !== manifest.database.sha256) {
    problems.push(`database file ${manifest.database.file}: its hash differs from the manifest (damaged)`);
  }
  const attachmentDir = path.join(dir, ATTACHMENTS_DIR);
  const rows = Object.values(manifest.rowCounts).reduce((a, b) => a + b, 0);
  if (problems.length > 0 || manifest.engine === "postgres") {
    if (digest && problems.length === 0) {
      try {
        await pgListDump(file);
      } catch (err) {
        problems.push(`database file ${manifest.database.file}: ${(err as Error).message}`);
      }
    }
    const attachments = await checkAttachments(attachmentDir, [manifest.attachments], problems);
    return { manifest, tables: Object.keys(manifest.rowCounts).length, rows, attachments, problems };
  }
  try {
    const report = await repo.withSqliteFile(file, { readonly: true, fileMustExist: true }, (copy) =>
      verifyDatabase(copy, "sqlite", null, attachmentDir, manifest),
    );
    return { manifest, ...report, problems: [...problems, ...report.problems] };
  } catch (err) {
    // Not a database at all ("file is not a database"): a fault of the backup, not of verify.
    problems.push(`database file ${manifest.database.file}: ${(err as Error).message}`);
    return { manifest, tables: 0, rows, attachments: 0, problems };
  }
}

/**
 * Checks an installation: integrity and every attachment the database names, and with a
 * manifest (after a restore) its row counts and attachments too.
 */
export async function verifyInstallation(
  live: Installation,
  manifest: BackupManifest | null = null,
): Promise<VerifyReport> {
  if (live.engine === "postgres") {
    return verifyDatabase(live.db.kysely, "postgres", live.db.schema, live.attachmentDir, manifest);
  }
  return repo.withSqliteFile(live.sqliteFile, { readonly: true, fileMustExist: true }, (db) =>
    verifyDatabase(db, "sqlite", null, live.attachmentDir, manifest),
  );
}
