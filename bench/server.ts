// The server under test for bench/run.ts: the real app, built directly so the benchmark can
// also run it once without authentication (BENCH_NO_AUTH=1) to measure what that costs.
import path from "node:path";
import { buildApp, ensureSearchIndex, openDatabase } from "../packages/server/src/index.js";

const db = openDatabase({
  databaseUrl: process.env.DATABASE_URL ?? null,
  sqliteFile: process.env.DATA_DIR ? path.join(process.env.DATA_DIR, "kundenakte.sqlite") : undefined,
});
await ensureSearchIndex(db);
const app = await buildApp({
  db,
  insecureNoAuthForBenchmarks: process.env.BENCH_NO_AUTH === "1",
  // The browser benchmark (bench/ui.ts) also needs the built web UI.
  webRoot: process.env.WEB_ROOT ?? null,
});
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.send?.("ready");
process.on("SIGTERM", async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
