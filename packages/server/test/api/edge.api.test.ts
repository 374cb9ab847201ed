import { mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { migrateDownOne, migrateToLatest } from "../../src/db/migrator.js";
import { createTestDatabase, ENGINES, forEachEngine, TEST_PG_URL, tokenFor } from "../support/engines.js";
import { expectProblem } from "../support/http.js";

const PASSWORD = "correct horse battery staple";

/** Sends raw bytes to a listening app and returns what came back before the server closed. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    let out = "";
    socket.on("data", (d) => (out += d));
    socket.on("end", () => resolve(out));
    socket.on("error", reject);
  });
}

/** The status and JSON body of a raw HTTP/1.1 answer. */
function parseRaw(raw: string): { status: number; headers: string; body: Record<string, unknown> } {
  const [head, body] = raw.split("\r\n\r\n", 2) as [string, string];
  return { status: Number(head.split(" ")[1]), headers: head.toLowerCase(), body: JSON.parse(body) };
}

/** Building an app compiles every route's schemas: seconds on a busy machine. */
const BUILDS_APPS = { timeout: 120_000 };

describe("security headers", () => {
  let app: FastifyInstance;
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await createTestDatabase("sqlite");
    db = t.db;
    drop = t.drop;
    app = await buildApp({ db });
    await app.ready();
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it(
    "sends CSP without inline scripts or eval, no framing, nosniff and a referrer policy on API and docs",
    BUILDS_APPS,
    async () => {
      for (const url of ["/api/health", "/api/docs/", "/api/v1/customers"]) {
        const res = await app.inject({ method: "GET", url });
        const csp = String(res.headers["content-security-policy"]);
        expect(csp, url).toContain("script-src 'self'");
        expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(res.headers["x-frame-options"]).toBe("DENY");
        expect(res.headers["x-content-type-options"]).toBe("nosniff");
        expect(res.headers["referrer-policy"]).toBe("no-referrer");
        // Plain HTTP: no HSTS, and no upgrading of the UI's own requests to a TLS port that is not there.
        expect(res.headers["strict-transport-security"]).toBeUndefined();
        expect(csp).not.toContain("upgrade-insecure-requests");
      }
    },
  );

  it("sends HSTS only for requests that came over TLS through a trusted proxy", BUILDS_APPS, async () => {
    const proxied = await buildApp({ db, trustProxy: ["127.0.0.1"] });
    try {
      const tls = await proxied.inject({
        method: "GET",
        url: "/api/health/live",
        headers: { "x-forwarded-proto": "https" },
        remoteAddress: "127.0.0.1",
      });
      expect(tls.headers["strict-transport-security"]).toBe("max-age=31536000");
      const plain = await proxied.inject({ method: "GET", url: "/api/health/live", remoteAddress: "127.0.0.1" });
      expect(plain.headers["strict-transport-security"]).toBeUndefined();
      // A client that is not the proxy cannot claim TLS.
      const forged = await proxied.inject({
        method: "GET",
        url: "/api/health/live",
        headers: { "x-forwarded-proto": "https" },
        remoteAddress: "203.0.113.9",
      });
      expect(forged.headers["strict-transport-security"]).toBeUndefined();
    } finally {
      await proxied.close();
    }
  });

  it("with an https PUBLIC_URL sends HSTS and Secure cookies on every request", BUILDS_APPS, async () => {
    const behind = await buildApp({ db, publicUrl: "https://crm.example.com" });
    try {
      await tokenFor(behind, db, "hsts@kundenakte.test", ["sales"]);
      const res = await behind.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: "hsts@kundenakte.test", password: PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["strict-transport-security"]).toBe("max-age=31536000");
      expect(String(res.headers["content-security-policy"])).toContain("upgrade-insecure-requests");
      expect(String(res.headers["set-cookie"])).toMatch(/;\s*Secure/);
    } finally {
      await behind.close();
    }
  });
});

describe("errors of the HTTP parser (a real listening server)", () => {
  let app: FastifyInstance;
  let port: number;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await createTestDatabase("sqlite");
    drop = t.drop;
    app = await buildApp({ db: t.db });
    await app.listen({ port: 0, host: "127.0.0.1" });
    port = (app.server.address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it("answers a URL over 16 KB with a 431 problem document", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/customers?q=${"x".repeat(17 * 1024)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json();
    expect(body).toMatchObject({ status: 431, code: "header_too_large", title: "Request header too large" });
    expect(typeof body.detail).toBe("string");
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it.each([
    ["not a number", "Content-Length: abc\r\n"],
    ["two different values", "Content-Length: 2\r\nContent-Length: 3\r\n"],
    ["beside chunked encoding", "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n"],
  ])("answers a bad Content-Length (%s) with a 400 problem document", async (_, header) => {
    const raw = await rawRequest(
      port,
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${header}\r\n{}`,
    );
    const res = parseRaw(raw);
    expect(res.status).toBe(400);
    expect(res.headers).toContain("content-type: application/problem+json");
    expect(res.body).toMatchObject({ status: 400, code: "bad_request" });
    expect(String(res.body.detail)).toMatch(/Content-Length|Transfer-Encoding/);
  });

  it("answers a request that is not HTTP with a 400 problem document", async () => {
    const res = parseRaw(await rawRequest(port, "HELLO WORLD\r\n\r\n"));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: "bad_request" });
  });
});

forEachEngine("health", (env) => {
  it("live answers without the database; ready checks database, migrations and attachment store", async () => {
    const live = await env().app.inject({ method: "GET", url: "/api/health/live" });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: "ok" });
    const ready = await env().app.inject({ method: "GET", url: "/api/health/ready" });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json()).toEqual({
      status: "ready",
      database: env().engine,
      checks: { database: { ok: true }, migrations: { ok: true }, attachments: { ok: true } },
    });
    const old = await env().app.inject({ method: "GET", url: "/api/health" });
    expect(old.json()).toEqual({ status: "ok", database: env().engine });
  });

  it("is not ready while a migration is pending, and says so", BUILDS_APPS, async () => {
    const { db, drop } = await createTestDatabase(env().engine);
    await migrateDownOne(db);
    const app = await buildApp({ db });
    try {
      const res = await app.inject({ method: "GET", url: "/api/health/ready" });
      const body = expectProblem(res, 503, "service_unavailable") as unknown as {
        detail: string;
        checks: Record<string, { ok: boolean; detail?: string }>;
      };
      expect(res.headers["retry-after"]).toBe("5");
      expect(body.detail).toBe("Not ready: migrations failed");
      expect(body.checks.database).toEqual({ ok: true });
      expect(body.checks.migrations?.ok).toBe(false);
      expect(body.checks.migrations?.detail).toMatch(/^pending migrations: \d{4}-/);
      expect(body.checks.attachments).toEqual({ ok: true });
    } finally {
      await app.close();
      await migrateToLatest(db);
      await drop();
    }
  });

  it("is not ready when the attachment store cannot be written", BUILDS_APPS, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kundenakte-edge-"));
    // A file where the store's directory should be: not writable even for root.
    writeFileSync(path.join(dir, "blocked"), "");
    const app = await buildApp({
      db: env().db,
      attachments: { dir: path.join(dir, "blocked", "store"), maxBytes: 1024 },
    });
    try {
      const res = await app.inject({ method: "GET", url: "/api/health/ready" });
      const body = expectProblem(res, 503, "service_unavailable") as unknown as {
        detail: string;
        checks: Record<string, { ok: boolean; detail?: string }>;
      };
      expect(body.detail).toBe("Not ready: attachments failed");
      expect(body.checks.attachments).toEqual({ ok: false, detail: "the attachment store is not writable: ENOTDIR" });
      expect(body.checks.database).toEqual({ ok: true });
    } finally {
      await app.close();
    }
  });
});

forEachEngine("metrics", (env) => {
  const TOKEN = "metrics-token-0123456789";
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ db: env().db, metricsToken: TOKEN });
    await app.ready();
  }, 120_000);
  afterAll(() => app.close());

  it("exist only with a METRICS_TOKEN, and only for its bearer", BUILDS_APPS, async () => {
    expectProblem(await env().app.inject({ method: "GET", url: "/metrics" }), 404, "not_found");
    expectProblem(await app.inject({ method: "GET", url: "/metrics" }), 401, "unauthenticated");
    const wrong = await app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${TOKEN.replace("0", "1")}` },
    });
    expectProblem(wrong, 401, "unauthenticated");
    // The admin's API token is not the metrics token.
    const api = await app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${env().adminToken}` },
    });
    expectProblem(api, 401, "unauthenticated");
  });

  it("count requests per route pattern and status, and show database time, pool, event loop and memory", async () => {
    const auth = { authorization: `Bearer ${env().adminToken}` };
    for (const id of [1, 2, 3])
      await app.inject({ method: "GET", url: `/api/v1/customers/${900000 + id}`, headers: auth });
    await app.inject({ method: "GET", url: "/api/v1/customers", headers: auth });
    await app.inject({ method: "GET", url: "/no/such/path/4711" });
    const res = await app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    const text = res.body;
    const count = (labels: string) =>
      Number(new RegExp(`^http_request_duration_seconds_count\\{${labels}\\} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
    expect(count('method="GET",route="/api/v1/customers/:id",status_code="404"')).toBe(3);
    expect(count('method="GET",route="/api/v1/customers",status_code="200"')).toBe(1);
    expect(count('method="GET",route="unmatched",status_code="404"')).toBe(1);
    // Ids and unknown paths never become series of their own. Only the labels are searched:
    // a value (a byte count, say) may contain the same digits by chance.
    const labels = text.match(/\{[^}]*\}/g) ?? [];
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.filter((l) => /900001|4711/.test(l))).toEqual([]);
    const queries = Number(
      new RegExp(`^db_query_duration_seconds_count\\{engine="${env().engine}"\\} (\\d+)$`, "m").exec(text)?.[1],
    );
    expect(queries).toBeGreaterThan(0);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+$/m);
    if (env().engine === "postgres") {
      expect(text).toMatch(/^db_pool_connections\{state="total"\} [1-9]\d*$/m);
      expect(text).toMatch(/^db_pool_connections\{state="waiting"\} 0$/m);
    }
  });
});

describe("database unavailable", () => {
  if (ENGINES.includes("postgres")) {
    it(
      "[postgres] a server that does not listen: 503 database_unavailable with Retry-After; ready says why",
      BUILDS_APPS,
      async () => {
        const url = new URL(TEST_PG_URL);
        url.port = "1";
        const db = openDatabase({ databaseUrl: url.toString(), pgSchema: "nothing_here" });
        const app = await buildApp({ db });
        try {
          const res = await app.inject({
            method: "GET",
            url: "/api/v1/customers",
            headers: { authorization: "Bearer ka_some_token" },
          });
          expectProblem(res, 503, "database_unavailable");
          expect(res.headers["retry-after"]).toBe("5");
          const ready = await app.inject({ method: "GET", url: "/api/health/ready" });
          const body = expectProblem(ready, 503, "service_unavailable") as unknown as {
            checks: Record<string, { ok: boolean; detail?: string }>;
          };
          expect(body.checks.database).toEqual({ ok: false, detail: "the database does not answer: ECONNREFUSED" });
          expect(body.checks.migrations).toEqual({ ok: false, detail: "not checked: no database" });
          expect((await app.inject({ method: "GET", url: "/api/health/live" })).statusCode).toBe(200);
        } finally {
          await app.close();
          await db.close();
        }
      },
    );

    it(
      "[postgres] a connection terminated by the server (restart, failover) mid-request: 503",
      BUILDS_APPS,
      async () => {
        const { db, drop } = await createTestDatabase("postgres");
        const app = await buildApp({ db });
        const blocker = new pg.Client({ connectionString: TEST_PG_URL });
        await blocker.connect();
        try {
          const { token } = await tokenFor(app, db, "pg@kundenakte.test", ["admin"]);
          // Hold the customers table, so the request's query waits on the lock...
          await blocker.query("begin");
          await blocker.query(`lock table ${db.schema}.customers in access exclusive mode`);
          const pending = app.inject({
            method: "GET",
            url: "/api/v1/customers",
            headers: { authorization: `Bearer ${token}` },
          });
          // ...then end exactly the backends waiting for this lock, as a server shutdown would (57P01).
          let killed = 0;
          for (let i = 0; i < 100 && killed === 0; i++) {
            await new Promise((r) => setTimeout(r, 50));
            const r = await blocker.query(
              "select pg_terminate_backend(pid) from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))",
            );
            killed = r.rowCount ?? 0;
          }
          expect(killed).toBeGreaterThan(0);
          const res = await pending;
          expectProblem(res, 503, "database_unavailable");
          expect(res.headers["retry-after"]).toBe("5");
          await blocker.query("rollback");
          // The pool replaces the dead connection: the next request is served.
          const again = await app.inject({
            method: "GET",
            url: "/api/v1/customers",
            headers: { authorization: `Bearer ${token}` },
          });
          expect(again.statusCode, again.body).toBe(200);
        } finally {
          await blocker.end();
          await app.close();
          await drop();
        }
      },
    );
  }

  if (ENGINES.includes("sqlite")) {
    it("[sqlite] a database locked beyond the busy timeout: 503, and nothing is stored", BUILDS_APPS, async () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), "kundenakte-edge-")), "k.sqlite");
      const db = openDatabase({ databaseUrl: null, sqliteFile: file });
      await migrateToLatest(db);
      const app = await buildApp({ db });
      const other = new BetterSqlite3(file);
      try {
        const { token } = await tokenFor(app, db, "lite@kundenakte.test", ["admin"]);
        // Another process holds the write lock longer than the busy timeout (5 s).
        other.exec("begin immediate");
        const res = await app.inject({
          method: "POST",
          url: "/api/v1/customers",
          headers: { authorization: `Bearer ${token}` },
          payload: { kind: "company", name1: "Gesperrt GmbH" },
        });
        expectProblem(res, 503, "database_unavailable");
        expect(res.headers["retry-after"]).toBe("5");
        other.exec("rollback");
        const stored = await db.kysely
          .selectFrom("customers")
          .select("id")
          .where("name1", "=", "Gesperrt GmbH")
          .execute();
        expect(stored).toEqual([]);
      } finally {
        other.close();
        await app.close();
        await db.close();
      }
    });
  }
});
