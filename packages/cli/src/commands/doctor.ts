import { migrationStatus, redactUrl } from "@kundenakte/server";
import { sql } from "kysely";
import { open, run, say } from "../runtime.js";

/** Checks configuration, database connection and migrations; exit code 1 when anything is off. */
export function doctor(): Promise<void> {
  return run(async (config) => {
    say("✓ configuration is valid");
    say(`  database: ${config.databaseUrl ? redactUrl(config.databaseUrl) : `SQLite in ${config.dataDir}`}`);
    const db = open(config);
    let ok = true;
    try {
      await sql`select 1`.execute(db.kysely);
      say(`✓ database reachable (${db.describe()})`);
      const status = await migrationStatus(db);
      if (status.unknown.length > 0) {
        ok = false;
        say(`✗ the database has migrations this version does not know: ${status.unknown.join(", ")}`);
      } else if (status.pending.length > 0) {
        ok = false;
        say(
          `✗ ${status.pending.length} migration(s) pending: ${status.pending.join(", ")} — run \`kundenakte migrate\``,
        );
      } else {
        say(`✓ migrations current (${status.applied.length} applied)`);
      }
    } catch (err) {
      ok = false;
      say(`✗ database not reachable: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await db.close().catch(() => {});
    }
    return ok ? 0 : 1;
  });
}
