/**
 * Several server instances on one PostgreSQL database (docs/OPERATIONS.md, "Several
 * instances"): two processes behind a round-robin proxy, as a load balancer would run them.
 * Sessions, number ranges and the stored customer file documents live in the database and are
 * right at once on either instance; the per-instance caches (principals, list totals) follow
 * another instance's change within their documented bounds (2 s and 5 s).
 */
import { type ChildProcess, fork } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "../../src/http/context.js";
import { createUser } from "../../src/modules/auth/users.service.js";
import { createTestDatabase, ENGINES, TEST_PG_URL } from "../support/engines.js";

const PASSWORD = "correct horse battery staple";
const PRINCIPAL_CACHE_MS = 2000;
const TOTALS_TTL_MS = 5000;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  instance: number;
}

/** Polls until `check` passes or `bound` (plus slack for a slow machine) has passed. */
async function within(bound: number, check: () => Promise<void>): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      await check();
      return performance.now() - started;
    } catch (e) {
      if (performance.now() - started > bound + 3000) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe.runIf(ENGINES.includes("postgres"))("two instances on one PostgreSQL database", () => {
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  let proxy: Server;
  let proxyPort = 0;
  let drop: () => Promise<void>;
  let turn = 0;

  /** A request through the round-robin proxy (or straight to instance `at`). */
  function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, at?: number) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const port = at === undefined ? proxyPort : ports[at]!;
    return new Promise<Reply>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method,
          path: `/api/v1${url}`,
          headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text ? JSON.parse(text) : null,
              instance: Number(res.headers["x-instance"] ?? at ?? -1),
            });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  beforeAll(async () => {
    const t = await createTestDatabase("postgres");
    drop = t.drop;
    await createUser(t.db, SYSTEM_CONTEXT, {
      email: "chefin@firma.test",
      name: "Chefin",
      password: PASSWORD,
      roles: ["admin"],
    });
    await createUser(t.db, SYSTEM_CONTEXT, {
      email: "clerk@firma.test",
      name: "Clerk",
      password: PASSWORD,
      roles: ["sales"],
    });
    const schema = (t.db.describe().match(/schema (\S+)/) ?? [])[1]!;
    await t.db.close();
    for (let i = 0; i < 2; i++) {
      const child = fork(fileURLToPath(new URL("../support/instance-server.ts", import.meta.url)), [], {
        env: { ...process.env, INSTANCE_PG_URL: TEST_PG_URL, INSTANCE_PG_SCHEMA: schema },
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      children.push(child);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          child.once("message", (m) => resolve((m as { port: number }).port));
          child.once("exit", (code) => reject(new Error(`instance exited with ${code}`)));
        }),
      );
    }
    // Round robin, request by request, as a load balancer without sticky sessions does.
    proxy = createServer((req, res) => {
      const instance = turn++ % 2;
      const upstream = request(
        { host: "127.0.0.1", port: ports[instance], method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, { ...up.headers, "x-instance": String(instance) });
          up.pipe(res);
        },
      );
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    proxyPort = (proxy.address() as AddressInfo).port;
  }, 120_000);

  afterAll(async () => {
    proxy?.close();
    await Promise.all(
      children.map(
        (c) =>
          new Promise((r) => {
            if (c.exitCode !== null) return r(null);
            c.once("exit", r);
            c.kill("SIGTERM");
          }),
      ),
    );
    await drop?.();
  });

  async function login(email: string): Promise<Record<string, string>> {
    const res = await call("POST", "/auth/login", { email, password: PASSWORD });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const cookie = String(res.headers["set-cookie"]).split(";")[0]!;
    return { cookie, "x-csrf-token": (res.body as { csrfToken: string }).csrfToken };
  }

  it("keeps a session made on one instance valid on the other, and logout ends it on both", async () => {
    const session = await login("chefin@firma.test");
    const seen = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const res = await call("GET", "/auth/session", undefined, session);
      expect(res.status).toBe(200);
      seen.add(res.instance);
    }
    expect([...seen].sort()).toEqual([0, 1]);
    expect((await call("POST", "/auth/logout", {}, session)).status).toBe(204);
    // Logout commits in the database; the other instance may have the principal cached for its bound.
    await within(PRINCIPAL_CACHE_MS, async () => {
      for (const at of [0, 1]) expect((await call("GET", "/auth/session", undefined, session, at)).status).toBe(401);
    });
  });

  it("draws unique customer numbers on both instances at once, and either serves the newest file", async () => {
    const session = await login("chefin@firma.test");
    const created = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        call("POST", "/customers", { kind: "company", name1: `Parallel ${i} GmbH` }, session),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    expect(new Set(created.map((r) => r.instance)).size).toBe(2);
    const numbers = created.map((r) => (r.body as { customer: { customerNumber: string } }).customer.customerNumber);
    expect(new Set(numbers).size).toBe(16);

    const first = (created[0]!.body as { customer: { id: number; version: number } }).customer;
    const changed = await call(
      "PATCH",
      `/customers/${first.id}`,
      { name1: "Umbenannt GmbH" },
      { ...session, "if-match": `"${first.version}"` },
      0,
    );
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const file = await call("GET", `/customers/${first.id}/file`, undefined, session, 1);
    expect(file.status).toBe(200);
    expect((file.body as { customer: { name1: string } }).customer.name1).toBe("Umbenannt GmbH");
    // A stale version is refused on the other instance too: no lost update across instances.
    const stale = await call(
      "PATCH",
      `/customers/${first.id}`,
      { name1: "Verloren GmbH" },
      { ...session, "if-match": `"${first.version}"` },
      1,
    );
    expect(stale.status).toBe(412);
  });

  it("shows another instance's new customer in the list total within the documented bound", async () => {
    const session = await login("chefin@firma.test");
    const total = async (at: number) =>
      ((await call("GET", "/customers?status=active&limit=1", undefined, session, at)).body as { total: number }).total;
    const before = await total(1);
    const made = await call("POST", "/customers", { kind: "company", name1: "Neu auf A GmbH" }, session, 0);
    expect(made.status).toBe(201);
    expect(await total(0)).toBe(before + 1); // its own instance drops the cached total at once
    const waited = await within(TOTALS_TTL_MS, async () => expect(await total(1)).toBe(before + 1));
    expect(waited).toBeLessThanOrEqual(TOTALS_TTL_MS + 3000);
  });

  it("takes a deactivation on one instance into account on the other within the principal cache's bound", async () => {
    const admin = await login("chefin@firma.test");
    const clerk = await login("clerk@firma.test");
    for (const at of [0, 1]) expect((await call("GET", "/customers?limit=1", undefined, clerk, at)).status).toBe(200);
    const users = (await call("GET", "/users", undefined, admin, 0)).body as {
      items: { id: number; email: string; version: number }[];
    };
    const u = users.items.find((x) => x.email === "clerk@firma.test")!;
    const off = await call("PATCH", `/users/${u.id}`, { active: false }, { ...admin, "if-match": `"${u.version}"` }, 0);
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect((await call("GET", "/customers?limit=1", undefined, clerk, 0)).status).toBe(401);
    const waited = await within(PRINCIPAL_CACHE_MS, async () =>
      expect((await call("GET", "/customers?limit=1", undefined, clerk, 1)).status).toBe(401),
    );
    expect(waited).toBeLessThanOrEqual(PRINCIPAL_CACHE_MS + 3000);
  });
});
