import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "@kundenakte/server";
import { migrateToLatest } from "@kundenakte/server/db/migrator";
import { SYSTEM_CONTEXT } from "@kundenakte/server/http/context";
import { createUser } from "@kundenakte/server/modules/auth/users.service";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchDatabase } from "../../server/test/support/engines.js";

const BIN = fileURLToPath(new URL("../bin/kundenakte.js", import.meta.url));
const ENGINES = (process.env.KUNDENAKTE_TEST_ENGINES ?? "sqlite,postgres").split(",").map((s) => s.trim());
const EMAIL = "chefin@firma.de";
const PASSWORD = "correct horse battery staple";
/** Starting the CLI (tsx, migrations, schema compilation) takes a while on a busy machine. */
const SLOW = { timeout: 180_000 };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  child: ChildProcess;
  base: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `kundenakte serve` on a free port and waits until it answers. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [BIN, "serve"], {
    env: { ...process.env, ...env, PORT: "0", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  for (let i = 0; i < 1200; i++) {
    const port = /running on http:\/\/localhost:(\d+)/.exec(stderr)?.[1];
    if (port) return { child, base: `http://127.0.0.1:${port}`, stderr: () => stderr, exited };
    if (child.exitCode !== null) break;
    await pause(100);
  }
  child.kill("SIGKILL");
  throw new Error(`serve did not start: ${stderr}`);
}

/** Logs in; returns the headers of a session's state-changing request. */
async function session(base: string): Promise<Record<string, string>> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" };
}

const createCustomer = (base: string, headers: Record<string, string>, name1: string) =>
  fetch(`${base}/api/v1/customers`, { method: "POST", headers, body: JSON.stringify({ kind: "company", name1 }) });

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The HTTP/1.1 responses one connection received, in order (each with a Content-Length). */
function parseResponses(raw: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = raw;
  while (rest.startsWith("HTTP/1.1 ")) {
    const end = rest.indexOf("\r\n\r\n");
    const [statusLine, ...lines] = rest.slice(0, end).split("\r\n");
    const headers = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
    );
    const length = Number(headers["content-length"] ?? 0);
    out.push({ status: Number(statusLine!.split(" ")[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

/**
 * One kept-alive connection across SIGTERM: a request in flight when the signal comes (its body
 * not yet complete), then a second request on the same connection once the server is stopping.
 */
async function requestsAcrossShutdown(server: Server, headers: Record<string, string>): Promise<RawResponse[]> {
  const { hostname, port } = new URL(server.base);
  const socket = net.connect(Number(port), hostname);
  await once(socket, "connect");
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (d: string) => (received += d));
  const closed = once(socket, "close");
  const session = `Cookie: ${headers.cookie}\r\nX-CSRF-Token: ${headers["x-csrf-token"]}\r\n`;
  const body = JSON.stringify({ kind: "company", name1: "Halb GmbH" });
  socket.write(
    `POST /api/v1/customers HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n${session}` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
  );
  await pause(300);
  server.child.kill("SIGTERM");
  for (let i = 0; i < 100 && !server.stderr().includes("SIGTERM: stopping"); i++) await pause(50);
  await pause(200);
  // The rest of the first body, and right behind it the next request of this kept-alive connection.
  socket.write(
    `${body.slice(10)}GET /api/v1/customers HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n${session}\r\n`,
  );
  await closed;
  return parseResponses(received);
}

/** A database with its first admin, and how to hold its write lock from outside, as a slow request's cause. */
interface Target {
  env: Record<string, string>;
  /** Takes the lock; resolves once a request of the server waits for it (when that can be seen). */
  lock(): Promise<void>;
  waitForBlockedRequest(): Promise<void>;
  unlock(): Promise<void>;
  customers(name1: string): Promise<number>;
  cleanup(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), "kundenakte-shutdown-"));
  const file = path.join(dir, "kundenakte.sqlite");
  const db = openDatabase({ databaseUrl: null, sqliteFile: file });
  await migrateToLatest(db);
  await createUser(db, SYSTEM_CONTEXT, { email: EMAIL, name: "Chefin", password: PASSWORD, roles: ["admin"] });
  await db.close();
  const other = new BetterSqlite3(file);
  return {
    env: { DATA_DIR: dir },
    lock: async () => void other.exec("begin immediate"),
    // better-sqlite3 waits for the lock synchronously: nothing to see from outside but time.
    waitForBlockedRequest: () => pause(500),
    unlock: async () => void other.exec("commit"),
    customers: async (name1) =>
      (other.prepare("select count(*) as n from customers where name1 = ?").get(name1) as { n: number }).n,
    cleanup: async () => {
      other.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(): Promise<Target> {
  const scratch = await scratchDatabase("kundenakte_shutdown");
  const url = new URL(scratch.url);
  const db = openDatabase({ databaseUrl: url.toString() });
  await migrateToLatest(db);
  await createUser(db, SYSTEM_CONTEXT, { email: EMAIL, name: "Chefin", password: PASSWORD, roles: ["admin"] });
  await db.close();
  const dir = mkdtempSync(path.join(tmpdir(), "kundenakte-shutdown-"));
  const other = new pg.Client({ connectionString: url.toString() });
  await other.connect();
  return {
    env: { DATA_DIR: dir, DATABASE_URL: url.toString() },
    lock: async () => {
      await other.query("begin");
      await other.query("lock table customers in exclusive mode");
    },
    waitForBlockedRequest: async () => {
      for (let i = 0; i < 200; i++) {
        const r = await other.query(
          "select 1 from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))",
        );
        if ((r.rowCount ?? 0) > 0) return;
        await pause(50);
      }
      throw new Error("no request waits for the lock");
    },
    unlock: async () => void (await other.query("commit")),
    customers: async (name1) =>
      Number((await other.query("select count(*) as n from customers where name1 = $1", [name1])).rows[0].n),
    cleanup: async () => {
      await other.end();
      rmSync(dir, { recursive: true, force: true });
      await scratch.drop();
    },
  };
}

for (const engine of ENGINES) {
  describe(`kundenakte serve: graceful shutdown [${engine}]`, () => {
    let target: Target;
    beforeAll(async () => {
      target = engine === "sqlite" ? await sqliteTarget() : await postgresTarget();
    }, 120_000);
    afterAll(() => target.cleanup());

    it("SIGTERM: stops accepting, finishes the request in flight, closes the database, exits 0", SLOW, async () => {
      const server = await startServer(target.env);
      try {
        const headers = await session(server.base);
        await target.lock();
        // A write that has to wait for the lock: the request in flight.
        const slow = createCustomer(server.base, headers, "Langsam GmbH");
        await target.waitForBlockedRequest();
        server.child.kill("SIGTERM");
        if (engine === "postgres") {
          // The event loop is free while PostgreSQL waits: the signal is handled at once.
          for (let i = 0; i < 100 && !server.stderr().includes("SIGTERM: stopping"); i++) await pause(50);
          await expect(fetch(`${server.base}/api/health/live`)).rejects.toThrow();
        }
        await pause(300);
        await target.unlock();
        const res = await slow;
        expect(res.status).toBe(201);
        expect(await target.customers("Langsam GmbH")).toBe(1);
        expect(await server.exited).toBe(0);
        expect(server.stderr()).toContain("SIGTERM: stopping");
        expect(server.stderr()).toContain("Stopped.");
      } finally {
        server.child.kill("SIGKILL");
      }
    });

    it(
      "a request arriving on a kept-alive connection while stopping: 503 shutting_down problem document",
      SLOW,
      async () => {
        const server = await startServer(target.env);
        try {
          const headers = await session(server.base);
          const [inFlight, late, ...more] = await requestsAcrossShutdown(server, headers);
          // The request in flight is finished and saved; the late one is refused, not run.
          expect(inFlight?.status, inFlight?.body).toBe(201);
          expect(await target.customers("Halb GmbH")).toBe(1);
          expect(late?.status, late?.body).toBe(503);
          expect(late?.headers["content-type"]).toMatch(/^application\/problem\+json/);
          expect(late?.headers["retry-after"]).toBe("5");
          expect(late?.headers.connection).toBe("close");
          expect(JSON.parse(late!.body)).toMatchObject({
            status: 503,
            code: "shutting_down",
            title: "Shutting down",
            detail: expect.stringContaining("shutting down"),
          });
          expect(more).toEqual([]);
          expect(await server.exited).toBe(0);
          expect(server.stderr()).toContain("Stopped.");
        } finally {
          server.child.kill("SIGKILL");
        }
      },
    );

    if (engine === "postgres") {
      it(
        "a request that does not finish in SHUTDOWN_TIMEOUT_SECONDS is cut; the process still exits 0",
        SLOW,
        async () => {
          const server = await startServer({ ...target.env, SHUTDOWN_TIMEOUT_SECONDS: "1" });
          try {
            const headers = await session(server.base);
            await target.lock();
            const hung = createCustomer(server.base, headers, "Haengt GmbH").then(
              (r) => r.status,
              () => "cut",
            );
            await target.waitForBlockedRequest();
            const signalled = Date.now();
            server.child.kill("SIGTERM");
            expect(await server.exited).toBe(0);
            expect(Date.now() - signalled).toBeLessThan(15_000);
            expect(await hung).toBe("cut");
            expect(server.stderr()).toContain("Requests still running after 1 s: closing their connections");
          } finally {
            server.child.kill("SIGKILL");
            await target.unlock();
          }
          // The cut request wrote nothing.
          expect(await target.customers("Haengt GmbH")).toBe(0);
        },
      );
    }
  });
}
