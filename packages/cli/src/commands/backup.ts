import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  BackupError,
  type Config,
  createBackup,
  type Installation,
  restoreBackup,
  type VerifyReport,
  verifyBackup,
  verifyInstallation,
} from "@kundenakte/server";
import { open, run, say, sqliteFileOf } from "../runtime.js";

const APP_VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/**
 * The installation the configuration names; `fn` runs with it and the database is closed
 * afterwards. `existing`: a SQLite database file must be there (backup and verify; not restore).
 */
async function withInstallation<T>(
  config: Config,
  existing: boolean,
  fn: (live: Installation) => Promise<T>,
): Promise<T> {
  if (!config.databaseUrl) {
    if (existing && !existsSync(sqliteFileOf(config))) {
      throw new BackupError(`there is no database at ${sqliteFileOf(config)} (check DATA_DIR)`);
    }
    return fn({ engine: "sqlite", sqliteFile: sqliteFileOf(config), attachmentDir: config.attachmentDir });
  }
  const db = open(config);
  try {
    return await fn({ engine: "postgres", db, databaseUrl: config.databaseUrl, attachmentDir: config.attachmentDir });
  } finally {
    await db.close();
  }
}

/** Prints a verification: one ✗ line per problem, or one ✓ line; exit code 1 when anything is off. */
function report(what: string, r: VerifyReport): number {
  const summary = `${r.tables} tables, ${r.rows} rows, ${r.attachments} attachments`;
  if (r.problems.length === 0) {
    say(`✓ ${what} verified: ${summary}`);
    return 0;
  }
  say(`✗ ${what}: ${r.problems.length} problem(s) (${summary} checked)`);
  for (const p of r.problems) say(`  ✗ ${p}`);
  return 1;
}

const stamp = (iso: string) => iso.replace(/[-:]/g, "").replace("T", "-").slice(0, 15);

/** `backup [--to DIR]`: the database and every attachment it names, with a manifest. */
export function backup(opts: { to?: string }): Promise<void> {
  return run(async (config) => {
    const createdAt = new Date().toISOString();
    const to = path.resolve(opts.to ?? path.join(config.dataDir, "backups", `kundenakte-${stamp(createdAt)}`));
    const { manifest, problems } = await withInstallation(config, true, (live) =>
      createBackup(live, to, { appVersion: APP_VERSION, now: () => createdAt }),
    );
    const rows = Object.values(manifest.rowCounts).reduce((a, b) => a + b, 0);
    say(
      `Backed up ${manifest.engine}: ${Object.keys(manifest.rowCounts).length} tables, ${rows} rows, ${manifest.attachments.length} attachments`,
    );
    for (const p of problems) say(`  ✗ ${p}`);
    if (problems.length > 0) say(`✗ the backup is incomplete: ${problems.length} attachment(s) could not be copied`);
    process.stdout.write(`${to}\n`);
    return problems.length > 0 ? 1 : 0;
  });
}

/** `restore --from DIR [--force]`: into an empty database and attachment store, then verified. */
export function restore(opts: { from: string; force?: boolean }): Promise<void> {
  return run(async (config) => {
    const from = path.resolve(opts.from);
    const { manifest, report: r } = await withInstallation(config, false, (live) =>
      restoreBackup(from, live, { force: opts.force }),
    );
    say(`Restored the backup of ${manifest.createdAt} (${manifest.engine}, migration ${manifest.migration ?? "none"})`);
    return report("restored database", r);
  });
}

/** `verify [--from DIR]`: a backup directory, or the live database and attachment store. */
export function verify(opts: { from?: string }): Promise<void> {
  return run(async (config) => {
    if (opts.from) return report(`backup ${path.resolve(opts.from)}`, await verifyBackup(path.resolve(opts.from)));
    return withInstallation(config, true, async (live) =>
      report("database and attachment store", await verifyInstallation(live)),
    );
  });
}
