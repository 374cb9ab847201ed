import { migrateToLatest } from "@kundenakte/server";
import { open, run, say } from "../runtime.js";

export function migrate(): Promise<void> {
  return run(async (config) => {
    const db = open(config);
    try {
      const applied = await migrateToLatest(db);
      say(applied.length ? `Applied: ${applied.join(", ")}` : `Up to date (${db.describe()})`);
      return 0;
    } finally {
      await db.close();
    }
  });
}
