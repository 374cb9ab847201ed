/**
 * One server instance for the several-instances test: the real app on a PostgreSQL schema given
 * by the parent test, in a process of its own (so it shares no memory — caches, prepared
 * statements, module state — with the other instance). Started with `fork`; says "ready" with
 * its port once it listens.
 */
import { buildApp } from "../../src/app.js";
import { openDatabase } from "../../src/db/database.js";

const db = openDatabase({ databaseUrl: process.env.INSTANCE_PG_URL!, pgSchema: process.env.INSTANCE_PG_SCHEMA! });
const app = await buildApp({ db });
await app.listen({ port: 0, host: "127.0.0.1" });
const address = app.server.address();
process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
process.on("SIGTERM", async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
