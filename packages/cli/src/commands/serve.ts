import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildApp, businessClock, type Database, ensureSearchIndex, migrateToLatest } from "@kundenakte/server";
import { isEmpty } from "@kundenakte/server/demo/seed";
import { setupRequired } from "@kundenakte/server/modules/auth/users.service";
import { open, run, say } from "../runtime.js";

const sleep = (ms: number) => new Promise<"timeout">((resolve) => setTimeout(resolve, ms, "timeout").unref());

/** After the deadline, cut requests get this long to unwind and the database this long to close. */
const GRACE_MS = 2000;

/**
 * Stops listening, lets requests in flight finish (new requests on open keep-alive connections
 * get a 503 `shutting_down` problem document meanwhile: http/shutting-down.ts in the server)
 * and waits at most `timeoutSeconds`: then the
 * remaining connections are cut, so a hung client or query cannot keep the process alive.
 * Closes the database last. False when something had to be cut or did not close in time.
 */
async function shutdown(
  app: Awaited<ReturnType<typeof buildApp>>,
  db: Database,
  timeoutSeconds: number,
): Promise<boolean> {
  const closed = app.close().then(() => "closed" as const);
  // close() ends the connections idle at this moment; a keep-alive connection whose request
  // finishes later would stay open (and keep close() waiting): end each as soon as it idles.
  const idle = setInterval(() => app.server.closeIdleConnections(), 100);
  let clean = true;
  if ((await Promise.race([closed, sleep(timeoutSeconds * 1000)])) === "timeout") {
    say(`Requests still running after ${timeoutSeconds} s: closing their connections`);
    app.server.closeAllConnections();
    await Promise.race([closed, sleep(GRACE_MS)]);
    clean = false;
  }
  clearInterval(idle);
  if ((await Promise.race([db.close().then(() => "closed" as const), sleep(GRACE_MS)])) === "timeout") {
    say("The database did not close in time (a query still runs)");
    clean = false;
  }
  return clean;
}

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
      publicUrl: config.publicUrl,
      metricsToken: config.metricsToken,
      attachments: { dir: config.attachmentDir, maxBytes: config.attachmentMaxBytes },
      auth: { sessionIdleMinutes: config.sessionIdleMinutes, sessionMaxHours: config.sessionMaxHours },
      logger: config.logLevel === "silent" ? false : { level: config.logLevel },
      clock: businessClock(config.businessTimeZone),
    });
    if (applied.length > 0) app.log.info({ applied }, "migrations applied");
    const address = await app.listen({ port: config.port, host: config.host });
    const browserAddress = address.replace("127.0.0.1", "localhost");
    say(`Kundenakte is running on ${browserAddress} (database: ${db.describe()})`);
    say(`API documentation: ${address}/api/docs`);
    if (!hasWeb) say("The web UI is not built: run `npm run build` (npm start does it for you)");
    if (await setupRequired(db)) {
      const cli = 'npm run kundenakte -- user create --admin --email you@example.com --name "Your Name"';
      if (hasWeb) {
        say(`No administrator yet. Open ${browserAddress} in the browser: it shows the form to create the first one.`);
        say(`(or on the command line: ${cli})`);
      } else {
        say(`No administrator yet. Create one with: ${cli}`);
        say(`(or once, through the API: POST ${address}/api/v1/auth/setup)`);
      }
    }
    if (opts.offerDemo && (await isEmpty(db))) {
      say("The database is empty. Load German demo data with: npm run kundenakte -- seed --demo");
    }
    const signal = await new Promise<string>((resolve) => {
      process.once("SIGINT", () => resolve("SIGINT"));
      process.once("SIGTERM", () => resolve("SIGTERM"));
    });
    say(`${signal}: stopping — no new connections, finishing requests in flight…`);
    const clean = await shutdown(app, db, config.shutdownTimeoutSeconds);
    say(clean ? "Stopped." : "Stopped (requests in flight were cut).");
    // What was cut may leave a socket behind; it must not keep the process from exiting.
    setTimeout(() => process.exit(), GRACE_MS).unref();
    return 0;
  });
}
