/**
 * `npm run bench -- [--engines sqlite,postgres] [--customers 100000] [--contacts 4] [--duration 10]
 *   [--journal-total 5000000] [--journal-customer 100000] [--finance-invoices 2000000] [--finance-customer 5000]
 *   [--price-agreements 1000000] [--price-customer 2000] [--tickets 1000000] [--segments 1] [--search 1]
 *   [--keep NAME] [--seed-only] [--search-only] [--save-baseline]`
 *
 * For each engine: seeds generated customers (throughput), starts the real server as a child
 * process, and measures with autocannon (10 connections) the customer file endpoint and a
 * filtered, sorted list page: req/s, p50, p99, and the server's peak RSS. In the same run a
 * bare node:http server returning the file endpoint's bytes gives the ratio ours ÷ bare.
 * Then the journal (bulk-loaded entries; `--journal-total 0` skips) and finance (bulk-loaded
 * invoices with three lines each; `--finance-invoices 0` skips) at 1 and 10 connections.
 * At the end every figure is printed beside the last committed one (bench/baseline.ts);
 * `--save-baseline` records this run's figures there.
 */
import { type ChildProcess, execSync, fork } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "kysely";
import pg from "pg";
import { optimizeDatabase } from "../packages/server/src/db/maintenance.js";
import { seedDemo } from "../packages/server/src/demo/seed.js";
import { migrateToLatest, openDatabase } from "../packages/server/src/index.js";
import { createUser } from "../packages/server/src/modules/auth/users.service.js";
// @ts-expect-error: a JavaScript build script without type declarations
import { bundle } from "../scripts/build-server.mjs";
import { flatten, readBaseline, report, saveBaseline } from "./baseline.js";
import { BENCH_PRICE_DATE } from "./price-agreements.js";
import { measureSearch, searchCases } from "./search.js";
import { measureSegments } from "./segments.js";
import { AGENTS } from "./tickets.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    engines: { type: "string", default: "sqlite,postgres" },
    customers: { type: "string", default: "100000" },
    contacts: { type: "string", default: "4" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    "journal-total": { type: "string", default: "5000000" },
    "journal-customer": { type: "string", default: "100000" },
    "finance-invoices": { type: "string", default: "2000000" },
    "finance-customer": { type: "string", default: "5000" },
    tickets: { type: "string", default: "1000000" },
    "price-agreements": { type: "string", default: "1000000" },
    "price-customer": { type: "string", default: "2000" },
    segments: { type: "string", default: "1" },
    search: { type: "string", default: "1" },
    // Keep the seeded database under this name and reuse it next time (seeding 1,000,000 customers takes a while).
    keep: { type: "string" },
    "seed-only": { type: "boolean", default: false },
    "search-only": { type: "boolean", default: false },
    // Write this run's figures into bench/baseline.json (commit it with the change that moved them).
    "save-baseline": { type: "boolean", default: false },
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

async function measure(
  port: number,
  paths: () => string,
  duration = DURATION,
  headers: Record<string, string> = {},
  connections = CONNECTIONS,
): Promise<Measure> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    headers,
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

/** The average of several runs: req/s averaged, latencies as their worst. */
function mean(runs: Measure[]): Measure {
  return {
    rps: runs.reduce((a, m) => a + m.rps, 0) / runs.length,
    p50: Math.max(...runs.map((m) => m.p50)),
    p99: Math.max(...runs.map((m) => m.p99)),
    errors: runs.reduce((a, m) => a + m.errors, 0),
    non2xx: runs.reduce((a, m) => a + m.non2xx, 0),
  };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function login(port: number): Promise<Record<string, string>> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@kundenakte.test", password: "benchmark password" }),
  });
  if (!res.ok) throw new Error(`login answered ${res.status}`);
  return { cookie: res.headers.get("set-cookie")!.split(";")[0]! };
}

/** Loads the journal in bulk, then measures one customer's first page, a kind filter and full text. */
async function benchJournal(engine: string, env: Record<string, string>, port: number, maxId: number) {
  const total = Number(args["journal-total"]);
  const perCustomer = Number(args["journal-customer"]);
  const started = performance.now();
  await load("journal", engine, env, total, perCustomer, maxId);
  const seconds = (performance.now() - started) / 1000;
  log(
    `journal: ${total.toLocaleString("en")} entries loaded in ${seconds.toFixed(0)} s (${Math.round(total / seconds)}/s); customer 1 has ${perCustomer.toLocaleString("en")}`,
  );
  const server = await startServer(env, port, false);
  try {
    const headers = await login(port);
    const base = "/api/v1/customers/1/journal";
    const cases: [string, string[]][] = [
      ["journal first page", [`${base}?limit=50`]],
      ["journal filtered by kind", [`${base}?kinds=call&limit=50`, `${base}?kinds=email,letter&limit=50`]],
      [
        "journal full text",
        [
          `${base}?q=lieferung&limit=50`,
          `${base}?q=mueller&limit=50`,
          `${base}?q=reklamation%20teile&limit=50`,
          `${base}?q=liefer&limit=50`,
          `${base}?q=koeln%20urlaub&limit=50`,
          `${base}?q=zahlungserinnerung&limit=50`,
          `${base}?q=gibtesnicht&limit=50`,
        ],
      ],
    ];
    const out = await measureCases(port, headers, cases);
    return { loadedPerSecond: total / seconds, ...out };
  } finally {
    await stop(server);
  }
}

/**
 * Each case twice: one user alone (the latency a clerk waits) and CONNECTIONS at once
 * (throughput; there the single Node process queues requests, so latency adds up).
 */
async function measureCases(port: number, headers: Record<string, string>, cases: [string, string[]][]) {
  const out: Record<string, Measure> = {};
  for (const [name, urls] of cases) {
    for (const u of urls) {
      const r = await fetch(`http://127.0.0.1:${port}${u}`, { headers });
      if (!r.ok) throw new Error(`${u} answered ${r.status}`);
    }
    let i = 0;
    const next = () => urls[i++ % urls.length]!;
    await measure(port, next, 2, headers);
    for (const connections of [1, CONNECTIONS]) {
      const label = `${name} (${connections} conn.)`;
      out[label] = await measure(port, next, DURATION, headers, connections);
      log(
        `${label.padEnd(44)} ${out[label].rps.toFixed(0).padStart(7)} req/s   p50 ${String(out[label].p50).padStart(3)} ms   p99 ${String(out[label].p99).padStart(3)} ms`,
      );
    }
  }
  return out;
}

/** Loads invoices in bulk, then measures a customer with many invoices: file with key figures, open items, product history. */
async function benchFinance(engine: string, env: Record<string, string>, port: number, maxId: number) {
  const total = Number(args["finance-invoices"]);
  const perCustomer = Number(args["finance-customer"]);
  const started = performance.now();
  await load("finance", engine, env, total, perCustomer, maxId);
  const seconds = (performance.now() - started) / 1000;
  log(
    `finance: ${total.toLocaleString("en")} invoices with ${(total * 3).toLocaleString("en")} lines loaded in ${seconds.toFixed(0)} s; customer 1 has ${perCustomer.toLocaleString("en")}`,
  );
  const server = await startServer(env, port, false);
  try {
    const headers = await login(port);
    const c = "/api/v1/customers/1";
    const out = await measureCases(port, headers, [
      ["file with key figures", [`${c}/file`]],
      ["open items", [`${c}/open-items`]],
      ["product history", [`${c}/product-history`]],
    ]);
    return { invoicesPerSecond: total / seconds, ...out };
  } finally {
    await stop(server);
  }
}

/**
 * Loads price agreements in bulk (`--price-agreements 0` skips), then measures the price lookup
 * a new document line makes (random customer and product) and the agreement lists.
 */
async function benchPrices(engine: string, env: Record<string, string>, port: number, maxId: number) {
  const total = Number(args["price-agreements"]);
  const perCustomer = Number(args["price-customer"]);
  const started = performance.now();
  await load("prices", engine, env, total, perCustomer, maxId);
  const seconds = (performance.now() - started) / 1000;
  log(
    `prices: ${total.toLocaleString("en")} price agreements loaded in ${seconds.toFixed(0)} s; customer 1 has ${perCustomer.toLocaleString("en")}`,
  );
  const db = openDatabase({
    databaseUrl: env.DATABASE_URL ?? null,
    sqliteFile: env.DATA_DIR ? path.join(env.DATA_DIR, "kundenakte.sqlite") : undefined,
  });
  const range = await db.kysely
    .selectFrom("products")
    .select((eb) => [eb.fn.min("id").as("lo"), eb.fn.max("id").as("hi")])
    .where("article_number", "like", "PV-%")
    .executeTakeFirstOrThrow();
  await db.close();
  const [lo, hi] = [Number(range.lo), Number(range.hi)];
  const pick = (from: number, to: number) => from + Math.floor(Math.random() * (to - from + 1));
  const on = BENCH_PRICE_DATE;
  const server = await startServer(env, port, false);
  try {
    const headers = await login(port);
    const out = await measureCases(port, headers, [
      [
        "price lookup (random customer, product)",
        Array.from(
          { length: 500 },
          () => `/api/v1/customers/${pick(1, maxId)}/price?productId=${pick(lo, hi)}&quantity=5&onDate=${on}`,
        ),
      ],
      ["customer's agreements valid on a date", [`/api/v1/customers/1/price-agreements?validOn=${on}&limit=50`]],
      [
        "customer group's agreements",
        [
          `/api/v1/price-agreements?customerGroup=Industrie&validOn=${on}&limit=50`,
          `/api/v1/price-agreements?customerGroup=Handwerk&limit=50`,
        ],
      ],
      [
        "agreements on a product",
        Array.from({ length: 50 }, () => `/api/v1/price-agreements?productId=${pick(lo, hi)}&validOn=${on}&limit=50`),
      ],
    ]);
    return { agreementsPerSecond: total / seconds, ...out };
  } finally {
    await stop(server);
  }
}

/**
 * Loads tickets in bulk over all customers (`--tickets 0` skips), then measures the filtered
 * ticket list — status + assignee, newest first (target: p99 ≤ 20 ms) — for several agents and
 * status sets, a user's overdue tickets, and a customer's tickets.
 */
async function benchTickets(engine: string, env: Record<string, string>, port: number, maxId: number) {
  const total = Number(args.tickets);
  const started = performance.now();
  await load("tickets", engine, env, total, 0, maxId);
  const seconds = (performance.now() - started) / 1000;
  log(
    `tickets: ${total.toLocaleString("en")} tickets over ${maxId.toLocaleString("en")} customers loaded in ${seconds.toFixed(0)} s (${Math.round(total / seconds)}/s)`,
  );
  const server = await startServer(env, port, false);
  try {
    const headers = await login(port);
    const list = "/api/v1/tickets?limit=50";
    const agents = AGENTS.slice(0, 10).map(encodeURIComponent);
    const out = await measureCases(port, headers, [
      [
        "tickets: status + assignee, newest first",
        [
          `${list}&assignee=me&open=true`,
          ...agents.map((a) => `${list}&assignee=${a}&status=in_progress`),
          ...agents.map((a) => `${list}&assignee=${a}&status=new,in_progress,waiting_for_customer`),
          ...agents.map((a) => `${list}&assignee=${a}&status=closed`),
        ],
      ],
      ["tickets: my overdue", [`${list}&assignee=me&overdue=true`]],
      [
        "tickets: one customer's",
        Array.from({ length: 200 }, () => `/api/v1/customers/${1 + Math.floor(Math.random() * maxId)}/tickets`),
      ],
    ]);
    return { ticketsPerSecond: total / seconds, ...out };
  } finally {
    await stop(server);
  }
}

/**
 * Segment evaluations over all customers (`--segments 0` skips): saved segments evaluated
 * through HTTP, count and first page (target: p99 ≤ 1 s). Runs after the finance part, so the
 * revenue, last-purchase and product criteria have invoices to read.
 */
async function benchSegments(env: Record<string, string>, port: number) {
  const server = await startServer(env, port, false);
  try {
    return await measureSegments(port, DURATION, CONNECTIONS, log);
  } finally {
    await stop(server);
  }
}

/**
 * Quick search and duplicate check (`--search 0` skips): 200 queries made from the database's
 * own customers, each with the customer it must find (targets: p99 ≤ 10 ms SQLite / 20 ms
 * PostgreSQL, top-5 share ≥ 95 %, duplicate check p99 ≤ 20 ms). Runs last: it creates customers.
 */
async function benchSearch(env: Record<string, string>, port: number, maxId: number) {
  const cases = await searchCases(
    {
      databaseUrl: env.DATABASE_URL ?? null,
      sqliteFile: env.DATA_DIR ? path.join(env.DATA_DIR, "kundenakte.sqlite") : undefined,
    },
    maxId,
  );
  const server = await startServer(env, port, false);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "bench@kundenakte.test", password: "benchmark password" }),
    });
    if (!res.ok) throw new Error(`login answered ${res.status}`);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const headers = { cookie: res.headers.get("set-cookie")!.split(";")[0]!, "x-csrf-token": csrfToken };
    const out = await measureSearch(
      port,
      headers,
      cases,
      { rounds: 5, duration: DURATION, connections: CONNECTIONS },
      log,
    );
    return { ...out, rssMb: peakRssMb(server.pid!) };
  } finally {
    await stop(server);
  }
}

/** Runs a bulk loader (bench/load.ts) in its own process and waits for it. */
async function load(
  kind: "journal" | "finance" | "prices" | "tickets",
  engine: string,
  env: Record<string, string>,
  total: number,
  perCustomer: number,
  maxId: number,
): Promise<void> {
  const target = engine === "sqlite" ? path.join(env.DATA_DIR!, "kundenakte.sqlite") : env.DATABASE_URL!;
  const child = fork(
    path.join(root, "bench/load.ts"),
    [kind, engine, target, String(total), String(perCustomer), String(maxId)],
    {
      execArgv: ["--import", "tsx"],
      stdio: "inherit",
    },
  );
  const code = await new Promise((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${kind} loader exited with ${code}`);
}

/**
 * bench/server.ts bundled as `npm start` bundles the server (scripts/build-server.mjs): the
 * measured process runs plain JavaScript, as in production, not TypeScript compiled at run time.
 */
const SERVER_BUNDLE = path.join(root, "bench/dist/server.mjs");
await bundle("bench/server.ts", SERVER_BUNDLE);

/** Starts the bundled bench/server.ts (migrations are done by then) and waits until it listens. */
async function startServer(env: Record<string, string>, port: number, noAuth: boolean): Promise<ChildProcess> {
  const child = fork(SERVER_BUNDLE, [], {
    env: { ...process.env, ...env, PORT: String(port), NODE_ENV: "production", BENCH_NO_AUTH: noAuth ? "1" : "0" },
    execArgv: [],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

async function prepare(engine: string): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const keep = args.keep;
  if (keep) {
    if (!/^[a-z0-9_]+$/.test(keep)) throw new Error("--keep takes a name of lower-case letters, digits and _");
    if (engine === "sqlite") {
      const dir = path.join(tmpdir(), `kundenakte-bench-${keep}`);
      mkdirSync(dir, { recursive: true });
      return { env: { DATA_DIR: dir }, cleanup: async () => {} };
    }
    const admin = new pg.Client({ connectionString: `${args["pg-url"]}/postgres` });
    await admin.connect();
    const exists = await admin.query("select 1 from pg_database where datname = $1", [`kundenakte_${keep}`]);
    if (exists.rowCount === 0) await admin.query(`create database kundenakte_${keep}`);
    await admin.end();
    return { env: { DATABASE_URL: `${args["pg-url"]}/kundenakte_${keep}` }, cleanup: async () => {} };
  }
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

/**
 * PostgreSQL: bulk seeding builds the search entries' GIN index once at the end instead of
 * maintaining it for every row (≈ 100 keys per customer made the backend the bottleneck:
 * ~230 customers/s). The index is the migration's own definition, read back from the catalogue.
 */
async function withoutSearchGin(engine: string, env: Record<string, string>, seed: () => Promise<unknown>) {
  if (engine !== "postgres") {
    await seed();
    return;
  }
  const c = new pg.Client({ connectionString: env.DATABASE_URL });
  await c.connect();
  try {
    const def = await c.query<{ indexdef: string }>(
      "select indexdef from pg_indexes where tablename = 'search_entries' and indexdef ilike '%using gin%'",
    );
    const indexdef = def.rows[0]?.indexdef;
    const name = indexdef ? /INDEX (\S+) ON/.exec(indexdef)?.[1] : undefined;
    if (name) await c.query(`drop index ${name}`);
    try {
      await seed();
    } finally {
      if (indexdef) {
        const started = performance.now();
        await c.query("set maintenance_work_mem = '1GB'");
        await c.query(indexdef);
        log(`search GIN index built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    }
  } finally {
    await c.end();
  }
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
    const have = Number(
      (
        await db.kysely
          .selectFrom("customers")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (have === 0) {
      await withoutSearchGin(engine, env, () =>
        seedDemo(
          db,
          { actor: "system", requestId: null },
          {
            customers: CUSTOMERS,
            contactsPerCustomer: Number(args.contacts),
            onProgress: (done) => {
              if (done % 100_000 === 0)
                log(`seed: ${done} customers after ${((performance.now() - started) / 1000).toFixed(0)} s`);
            },
          },
        ),
      );
    } else log(`reusing the kept database with ${have} customers`);
    const seedSeconds = (performance.now() - started) / 1000;
    if (have === 0) {
      // What OPERATIONS.md asks after a large import (`kundenakte optimize`): the full-text indexes in one segment.
      for (const s of await optimizeDatabase(db)) log(`optimize: ${s.step} ${(s.ms / 1000).toFixed(1)} s`);
    }
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
    const disk = await diskUse(engine, db, env, have === 0 ? CUSTOMERS : have);
    await db.close();
    if (have === 0) {
      log(
        `seed: ${CUSTOMERS} customers, ${Number(counts.n)} contacts in ${seedSeconds.toFixed(1)} s → ${Math.round(CUSTOMERS / seedSeconds)} customers/s`,
      );
    }

    // A user to log in as: the measured requests carry a real session cookie.
    const udb = openDatabase({
      databaseUrl: env.DATABASE_URL ?? null,
      sqliteFile: env.DATA_DIR ? path.join(env.DATA_DIR, "kundenakte.sqlite") : undefined,
    });
    const known = await udb.kysely
      .selectFrom("users")
      .select("id")
      .where("email", "=", "bench@kundenakte.test")
      .executeTakeFirst();
    if (!known) {
      await createUser(
        udb,
        { actor: "system", requestId: null },
        {
          email: "bench@kundenakte.test",
          name: "Bench",
          password: "benchmark password",
          roles: ["admin"],
        },
      );
    }
    await udb.close();
    // A kept database was not seeded in this run: no seeding figure (it would be customers / 0 s).
    const seedPerSecond = have === 0 ? CUSTOMERS / seedSeconds : undefined;
    if (args["seed-only"]) return { engine, seedPerSecond, disk };

    const port = 3900 + Math.floor(Math.random() * 90);
    // Only the search part, on a kept database (its seeding and the foundation part take long at 1,000,000).
    if (args["search-only"]) return { engine, search: await benchSearch(env, port + 900, maxId), disk };
    const server = await startServer(env, port, false);
    try {
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "bench@kundenakte.test", password: "benchmark password" }),
      });
      if (!login.ok) throw new Error(`login answered ${login.status}`);
      const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
      const headers = { cookie };
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
        const r = await fetch(`http://127.0.0.1:${port}${l}`, { headers });
        if (!r.ok) throw new Error(`${l} answered ${r.status}`);
      }
      // The same server without authentication runs beside it, to price the check. The two
      // are measured in turns (A B A B) so that neither profits from running later.
      const open = await startServer(env, port + 50, true);
      const fileOf = () => filePath();
      await measure(port, fileOf, 3, headers); // warm-up
      // The cookie goes to both: building the request costs the load generator the same.
      await measure(port + 50, fileOf, 3, headers);
      const withAuth: Measure[] = [];
      const noAuth: Measure[] = [];
      for (let round = 0; round < 2; round++) {
        // A B, then B A: the order of turns cannot favour either.
        if (round === 0) withAuth.push(await measure(port, fileOf, DURATION / 2, headers));
        noAuth.push(await measure(port + 50, fileOf, DURATION / 2, headers));
        if (round === 1) withAuth.push(await measure(port, fileOf, DURATION / 2, headers));
        if (process.env.BENCH_VERBOSE)
          log(`  round ${round}: auth ${withAuth.at(-1)?.rps.toFixed(0)} no-auth ${noAuth.at(-1)?.rps.toFixed(0)}`);
      }
      const file = mean(withAuth);
      const fileNoAuth = mean(noAuth);
      await stop(open);
      await measure(port, listPath, 2, headers);
      const list = await measure(port, listPath, DURATION, headers);
      const rss = peakRssMb(server.pid!);
      const sample = Buffer.from(
        await (await fetch(`http://127.0.0.1:${port}/api/v1/customers/1/file`, { headers })).arrayBuffer(),
      );
      await stop(server);

      // The same bytes from a bare node:http server, measured the same way.
      const barePort = port + 100;
      const bare = fork(path.join(root, "bench/bare-server.ts"), [], {
        env: { ...process.env, PORT: String(barePort), BARE_BODY_BASE64: sample.toString("base64") },
        execArgv: ["--import", "tsx"],
        stdio: "ignore",
      });
      await new Promise((r) => bare.once("message", r));
      await measure(barePort, () => "/", 2, headers);
      const bareFile = await measure(barePort, () => "/", DURATION, headers);
      bare.kill();

      const row = (name: string, m: Measure) =>
        `${name.padEnd(40)} ${m.rps.toFixed(0).padStart(7)} req/s   p50 ${String(m.p50).padStart(3)} ms   p99 ${String(m.p99).padStart(3)} ms${m.errors || m.non2xx ? `   errors ${m.errors}, non-2xx ${m.non2xx}` : ""}`;
      log(`${CONNECTIONS} connections, ${DURATION} s each:`);
      log(row("GET /customers/{id}/file (session)", file));
      log(row("GET /customers/{id}/file (no auth check)", fileNoAuth));
      log(row("GET /customers (filtered, sorted)", list));
      log(row("bare node:http, same bytes", bareFile));
      log(
        `file endpoint ratio (ours ÷ bare): ${(file.rps / bareFile.rps).toFixed(2)}   (${sample.length} bytes per response)`,
      );
      log(
        `authentication cost on the file endpoint: ${((1 - file.rps / fileNoAuth.rps) * 100).toFixed(1)} % fewer req/s`,
      );
      log(`server peak RSS: ${rss} MB`);
      const journal = Number(args["journal-total"]) > 0 ? await benchJournal(engine, env, port + 200, maxId) : null;
      const finance = Number(args["finance-invoices"]) > 0 ? await benchFinance(engine, env, port + 300, maxId) : null;
      const prices = Number(args["price-agreements"]) > 0 ? await benchPrices(engine, env, port + 600, maxId) : null;
      const tickets = Number(args.tickets) > 0 ? await benchTickets(engine, env, port + 700, maxId) : null;
      const segments = Number(args.segments) > 0 ? await benchSegments(env, port + 800) : null;
      const search = Number(args.search) > 0 ? await benchSearch(env, port + 900, maxId) : null;
      return {
        journal,
        finance,
        prices,
        tickets,
        segments,
        search,
        engine,
        seedPerSecond,
        contacts: Number(counts.n),
        file,
        fileNoAuth,
        list,
        bareFile,
        ratio: file.rps / bareFile.rps,
        authCost: 1 - file.rps / fileNoAuth.rps,
        rssMb: rss,
        disk,
      };
    } finally {
      if (server.exitCode === null) await stop(server);
    }
  } finally {
    await cleanup();
  }
}

/**
 * The database's size after seeding: in all and per customer, and its largest tables (what a
 * backup has to carry; the target is ≤ 6 KB per customer). SQLite's page counts per table come
 * from the dbstat virtual table, PostgreSQL's from pg_total_relation_size (indexes and TOAST included).
 */
async function diskUse(
  engine: string,
  db: ReturnType<typeof openDatabase>,
  env: Record<string, string>,
  customers: number,
): Promise<{ totalBytes: number; bytesPerCustomer: number; tables: Record<string, number> }> {
  let total = 0;
  let rows: { name: string; bytes: number }[];
  if (engine === "sqlite") {
    const file = path.join(env.DATA_DIR!, "kundenakte.sqlite");
    await sql`pragma wal_checkpoint(truncate)`.execute(db.kysely);
    for (const f of [file, `${file}-wal`]) if (existsSync(f)) total += statSync(f).size;
    rows = (
      await sql<{ name: string; bytes: number }>`select name, sum(pgsize) as bytes from dbstat group by name`.execute(
        db.kysely,
      )
    ).rows;
  } else {
    total = Number(
      (await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(db.kysely)).rows[0]!.n,
    );
    rows = (
      await sql<{ name: string; bytes: number }>`select c.relname as name, pg_total_relation_size(c.oid) as bytes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and n.nspname = current_schema()`.execute(db.kysely)
    ).rows;
  }
  const top = rows
    .map((r) => ({ name: r.name, bytes: Number(r.bytes) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
  const perCustomer = customers > 0 ? total / customers : 0;
  log(
    `disk: ${(total / 2 ** 20).toFixed(0)} MB in all, ${(perCustomer / 1024).toFixed(1)} KB per customer; largest: ${top
      .map((t) => `${t.name} ${(t.bytes / 2 ** 20).toFixed(0)} MB`)
      .join(", ")}`,
  );
  return {
    totalBytes: total,
    bytesPerCustomer: perCustomer,
    tables: Object.fromEntries(top.map((t) => [`${t.name}Bytes`, t.bytes])),
  };
}

/** The options that decide what a figure means: figures are compared only within one profile. */
function profileOf(): string {
  const keys = [
    "customers",
    "contacts",
    "duration",
    "connections",
    "journal-total",
    "journal-customer",
    "finance-invoices",
    "finance-customer",
    "price-agreements",
    "price-customer",
    "tickets",
    "segments",
    "search",
  ] as const;
  const mode = args["search-only"] ? " search-only" : args["seed-only"] ? " seed-only" : "";
  return keys.map((k) => `${k}=${args[k]}`).join(" ") + mode;
}

function currentCommit(): string | null {
  try {
    const head = execSync("git rev-parse --short HEAD", { cwd: root, encoding: "utf8" }).trim();
    const dirty = execSync("git status --porcelain --untracked-files=no", { cwd: root, encoding: "utf8" }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return null;
  }
}

const results = [];
for (const engine of args.engines!.split(",")) results.push(await benchEngine(engine.trim()));
mkdirSync(path.join(root, "bench/results"), { recursive: true });
const recordedAt = new Date().toISOString();
const file = path.join(root, "bench/results", `bench-${recordedAt.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
log(`\nresults written to ${path.relative(root, file)}`);

const baselineFile = path.join(root, "bench/baseline.json");
const baseline = readBaseline(baselineFile);
const profile = profileOf();
const commit = currentCommit();
for (const r of results) {
  // Per-table sizes are for reading, not for comparing: they move with every schema change.
  const { engine, disk, ...rest } = r as { engine: string; disk?: { tables?: unknown } };
  const figures = flatten({ ...rest, disk: disk ? { ...disk, tables: undefined } : undefined });
  for (const line of report(engine, profile, baseline[engine]?.[profile], figures)) log(line);
  if (args["save-baseline"]) saveBaseline(baselineFile, engine, profile, figures, commit, recordedAt);
}
if (args["save-baseline"]) log(`\nfigures saved to ${path.relative(root, baselineFile)}: commit it with the change`);
