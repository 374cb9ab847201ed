import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import type { Database } from "../../db/database.js";
import { migrationStatus } from "../../db/migrator.js";

export interface Check {
  ok: boolean;
  /** Why it failed, in words for an operator (never a stack trace or a secret). */
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: { database: Check; migrations: Check; attachments: Check };
}

/** The error's code only: the endpoint is public, and messages may name hosts and paths (the log has them). */
const reason = (err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "no answer";
};

async function checkDatabase(db: Database): Promise<Check> {
  try {
    await sql`select 1`.execute(db.kysely);
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: `the database does not answer: ${reason(err)}` };
  }
}

async function checkMigrations(db: Database): Promise<Check> {
  try {
    const { pending, unknown } = await migrationStatus(db);
    if (pending.length > 0) return { ok: false, detail: `pending migrations: ${pending.join(", ")}` };
    if (unknown.length > 0) return { ok: false, detail: `migrations unknown to this version: ${unknown.join(", ")}` };
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: `cannot read the migration status: ${reason(err)}` };
  }
}

/** Writes and removes a small file: the store exists, has room and is not read-only. */
async function checkAttachmentStore(dir: string): Promise<Check> {
  const probe = path.join(dir, `.ready-${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, "ok");
    await rm(probe);
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: `the attachment store is not writable: ${reason(err)}` };
  }
}

/** Whether this instance can serve: the database answers, its schema is current, attachments can be stored. */
export async function readiness(db: Database, attachmentDir: string): Promise<Readiness> {
  const [database, attachments] = await Promise.all([checkDatabase(db), checkAttachmentStore(attachmentDir)]);
  // Without a database the migration status cannot be read either: say the first cause only.
  const migrations = database.ok ? await checkMigrations(db) : { ok: false, detail: "not checked: no database" };
  return { ready: database.ok && migrations.ok && attachments.ok, checks: { database, migrations, attachments } };
}
