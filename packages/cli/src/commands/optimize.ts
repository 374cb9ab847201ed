import { optimizeDatabase } from "@kundenakte/server";
import { open, run, say } from "../runtime.js";

/** `optimize`: housekeeping after large imports or nightly (full-text index segments; PostgreSQL: VACUUM ANALYZE). */
export function optimize(): Promise<void> {
  return run(async (config) => {
    const db = open(config);
    try {
      say(`Optimizing ${db.describe()}…`);
      for (const s of await optimizeDatabase(db)) say(`  ${s.step}: ${(s.ms / 1000).toFixed(1)} s`);
      return 0;
    } finally {
      await db.close();
    }
  });
}
