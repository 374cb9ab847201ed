import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildApp, businessClock, ensureSearchIndex, migrateToLatest } from "@kundenakte/server";
import { isEmpty } from "@kundenakte/server/demo/seed";
import { setupRequired } from "@kundenakte/server/modules/auth/users.service";
import { open, run, say } from "../runtime.js";

/** Starts the server: migrates, listens, and stops cleanly on SIGINT/SIGTERM. */
export function serve(opts: { offerDemo?: boolean }): Promise<void> {
  return run(async (config) => {
    const db = open(config);
    const applied = await migrateToLatest(db);
    // Customers stored before the search index existed (or under older key rules) are indexed now.
    await ensureSearchIndex(db, say);
    const webRoot = fileURLToPath(new URL("../../../web/dist", import.meta.url));
    const hasWeb = existsSync(path.join(webRoot, "index.html"));
    const app = await buildApp({
      webRoot: hasWeb ? webRoot : null,
      db,
      bodyLimit: config.bodyLimit,
      trustProxy: config.trustProxy,
      attachments: { dir: config.attachmentDir, maxBytes: config.attachmentMaxBytes },
      auth: { sessionIdleMinutes: config.sessionIdleMinutes, sessionMaxHours: config.sessionMaxHours },
      logger: config.logLevel === "silent" ? false : { level: config.logLevel },
      clock: businessClock(config.businessTimeZone),
    });
    if (applied.length > 0) app.log.info({ applied }, "migrations applied");
    const address = await app.listen({ port: config.port, host: config.host });
    say(`Kundenakte is running on ${address.replace("127.0.0.1", "localhost")} (database: ${db.describe()})`);
    say(`API documentation: ${address}/api/docs`);
    if (!hasWeb) say("The web UI is not built: run `npm run build` (npm start does it for you)");
    if (await setupRequired(db)) {
      say(
        'No administrator yet. Create one with: npm run kundenakte -- user create --admin --email you@example.com --name "Your Name"',
      );
      say(`(or once, through the API: POST ${address}/api/v1/auth/setup)`);
    }
    if (opts.offerDemo && (await isEmpty(db))) {
      say("The database is empty. Load German demo data with: npm run kundenakte -- seed --demo");
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    say("Stopping…");
    await app.close();
    await db.close();
    return 0;
  });
}
