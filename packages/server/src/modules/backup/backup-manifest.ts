import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Engine } from "../../db/dialect.js";

/** Raised when a backup cannot be made, read or restored: the CLI prints its message as one line. */
export class BackupError extends Error {
  override name = "BackupError";
}

/** Bumped whenever the layout of a backup directory changes; restore refuses formats it does not know. */
export const BACKUP_FORMAT_VERSION = 1;

export const MANIFEST_FILE = "manifest.json";
/** The attachment files inside a backup, laid out as in the live store (`ab/abcdef…`). */
export const ATTACHMENTS_DIR = "attachments";
export const DATABASE_FILE: Record<Engine, string> = { sqlite: "database.sqlite", postgres: "database.pgdump" };

export interface ManifestAttachment {
  sha256: string;
  size: number;
}

/** What a backup holds, written last: a directory without it is an unfinished backup. */
export interface BackupManifest {
  formatVersion: number;
  engine: Engine;
  createdAt: string;
  appVersion: string;
  /** The last applied migration. */
  migration: string | null;
  /** PostgreSQL: the schema the dump holds (restored under the same name). */
  schema: string | null;
  /** The database file of the backup and its SHA-256, so a damaged copy is found before a restore. */
  database: { file: string; sha256: string; size: number };
  rowCounts: Record<string, number>;
  attachments: ManifestAttachment[];
}

export const pathOfAttachment = (dir: string, sha256: string) => path.join(dir, sha256.slice(0, 2), sha256);

export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads and checks a backup's manifest; a missing, unreadable or newer one is a BackupError. */
export async function readManifest(dir: string): Promise<BackupManifest> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, MANIFEST_FILE), "utf8");
  } catch {
    throw new BackupError(`${dir} is not a Kundenakte backup (no ${MANIFEST_FILE}; an interrupted backup has none)`);
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(raw) as BackupManifest;
  } catch {
    throw new BackupError(`${path.join(dir, MANIFEST_FILE)} is not valid JSON`);
  }
  if (manifest.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      `the backup has format version ${manifest.formatVersion}; this Kundenakte reads version ${BACKUP_FORMAT_VERSION}`,
    );
  }
  if (manifest.engine !== "sqlite" && manifest.engine !== "postgres") {
    throw new BackupError(`the backup names an unknown database engine "${String(manifest.engine)}"`);
  }
  return manifest;
}
