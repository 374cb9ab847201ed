/**
 * `npm run bench -- [--engines sqlite,postgres] [--customers 100000] [--contacts 4] [--duration 10]`
 *
 * For each engine: seeds generated customers (throughput), starts the real server as a child
 * process, and measures with autocannon (10 connections) the customer file endpoint and a
 * filtered, sorted list page: req/s, p50, p99, and the server's peak RSS. In the same run a
 * bare node:http server returning the file endpoint's bytes gives the ratio ours ÷ bare.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "kysely";
import pg from "pg";
import { seedDemo } from "../packages/server/src/demo/seed.js";
import { migrateToLatest, openDatabase } from "../packages/server/src/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    engines: { type: "string", default: "sqlite,postgres" },
    customers: { type: "string", default: "100000" },
    contacts: { type: "string", default: "4" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    "pg-url": { type: "string", default: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432" },
  },
});
const CUSTOMERS = Number(args.customers);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function measure(port: number, paths: () => string, duration = DURATION): Promise<Measure> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths() }) }],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

async function prepare(engine: string): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (engine === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "kundenakte-bench-"));
    return { env: { DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = new pg.Client({ connectionString: `${args["pg-url"]}/postgres` });
  await admin.connect();
  await admin.query("drop database if exists kundenakte_bench");
  await admin.query("create database kundenakte_bench");
  await admin.end();
  return {
    env: { DATABASE_URL: `${args["pg-url"]}/kundenakte_bench` },
    cleanup: async () => {
      const c = new pg.Client({ connectionString: `${args["pg-url"]}/postgres` });
      await c.connect();
      await c.query("drop database if exists kundenakte_bench");
      await c.end();
    },
  };
}

async function benchEngine(engine: string) {
  log(`\n=== ${engine} ===`);
  const { env, cleanup } = await prepare(engine);
  try {
    const db = openDatabase({
      databaseUrl: env.DATABASE_URL ?? null,
      sqliteFile: env.DATA_DIR ? path.join(env.DATA_DIR, "kundenakte.sqlite") : undefined,
    });
    await migrateToLatest(db);
    const started = performance.now();
    await seedDemo(
      db,
      { actor: "system", requestId: null },
      { customers: CUSTOMERS, contactsPerCustomer: Number(args.contacts) },
    );
    const seedSeconds = (performance.now() - started) / 1000;
    // Statistics (and PostgreSQL's visibility map) as a database in use would have them.
    if (engine === "postgres") await sql`vacuum analyze`.execute(db.kysely);
    else await sql`analyze`.execute(db.kysely);
    const counts = await db.kysely
      .selectFrom("contacts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const maxId = Number(
      (
        await db.kysely
          .selectFrom("customers")
          .select((eb) => eb.fn.max("id").as("m"))
          .executeTakeFirstOrThrow()
      ).m,
    );
    await db.close();
    log(
      `seed: ${CUSTOMERS} customers, ${Number(counts.n)} contacts in ${seedSeconds.toFixed(1)} s → ${Math.round(CUSTOMERS / seedSeconds)} customers/s`,
    );

    const port = 3900 + Math.floor(Math.random() * 90);
    const server = spawn(process.execPath, [path.join(root, "packages/cli/bin/kundenakte.js"), "serve"], {
      env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "warn", NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    try {
      await waitFor(`http://127.0.0.1:${port}/api/health`, server);
      const randomId = () => 1 + Math.floor(Math.random() * maxId);
      const filePath = () => `/api/v1/customers/${randomId()}/file`;
      // The list screen's typical first pages: one filter, sorted by name, with the total.
      const lists = [
        "/api/v1/customers?status=active&sort=name&limit=50",
        "/api/v1/customers?group=Industrie&sort=name&limit=50",
        "/api/v1/customers?owner=anna.schulz&sort=name&limit=50",
        "/api/v1/customers?blocked=true&sort=name&limit=50",
        "/api/v1/customers?city=Berlin&sort=name&limit=50",
      ];
      let li = 0;
      const listPath = () => lists[li++ % lists.length]!;
      for (const l of lists) {
        const r = await fetch(`http://127.0.0.1:${port}${l}`);
        if (!r.ok) throw new Error(`${l} answered ${r.status}`);
      }
      await measure(port, filePath, 3); // warm-up
      const file = await measure(port, filePath);
      await measure(port, listPath, 2);
      const list = await measure(port, listPath);
      const rss = peakRssMb(server.pid!);

      // The same bytes from a bare node:http server, measured the same way.
      const sample = Buffer.from(await (await fetch(`http://127.0.0.1:${port}/api/v1/customers/1/file`)).arrayBuffer());
      const barePort = port + 100;
      const bare = fork(path.join(root, "bench/bare-server.ts"), [], {
        env: { ...process.env, PORT: String(barePort), BARE_BODY_BASE64: sample.toString("base64") },
        execArgv: ["--import", "tsx"],
        stdio: "ignore",
      });
      await new Promise((r) => bare.once("message", r));
      await measure(barePort, () => "/", 2);
      const bareFile = await measure(barePort, () => "/");
      bare.kill();

      const row = (name: string, m: Measure) =>
        `${name.padEnd(34)} ${m.rps.toFixed(0).padStart(7)} req/s   p50 ${String(m.p50).padStart(3)} ms   p99 ${String(m.p99).padStart(3)} ms${m.errors || m.non2xx ? `   errors ${m.errors}, non-2xx ${m.non2xx}` : ""}`;
      log(`${CONNECTIONS} connections, ${DURATION} s each:`);
      log(row("GET /customers/{id}/file", file));
      log(row("GET /customers (filtered, sorted)", list));
      log(row("bare node:http, same bytes", bareFile));
      log(
        `file endpoint ratio (ours ÷ bare): ${(file.rps / bareFile.rps).toFixed(2)}   (${sample.length} bytes per response)`,
      );
      log(`server peak RSS: ${rss} MB`);
      return {
        engine,
        seedPerSecond: CUSTOMERS / seedSeconds,
        contacts: Number(counts.n),
        file,
        list,
        bareFile,
        ratio: file.rps / bareFile.rps,
        rssMb: rss,
      };
    } finally {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
  } finally {
    await cleanup();
  }
}

const results = [];
for (const engine of args.engines!.split(",")) results.push(await benchEngine(engine.trim()));
mkdirSync(path.join(root, "bench/results"), { recursive: true });
const file = path.join(root, "bench/results", `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
log(`\nresults written to ${path.relative(root, file)}`);
