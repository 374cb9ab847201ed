import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { buildApp } from "../../src/app.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import type { Engine } from "../../src/db/dialect.js";
import { migrateToLatest } from "../../src/db/migrator.js";
import { SYSTEM_CONTEXT } from "../../src/http/context.js";
import type { BusinessClock } from "../../src/lib/clock.js";
import { createUser } from "../../src/modules/auth/users.service.js";
import { testClock } from "./clock.js";

/** Engines the suite runs on: both by default; KUNDENAKTE_TEST_ENGINES=sqlite narrows it. */
export const ENGINES = (process.env.KUNDENAKTE_TEST_ENGINES ?? "sqlite,postgres")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean) as Engine[];

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestEnv {
  engine: Engine;
  db: Database;
  app: FastifyInstance;
  /** Bearer token of an admin with read and write scope: the default identity of the tests. */
  adminToken: string;
  /** The app's business clock: a fixed start (`TEST_NOW`), not the machine's time. */
  clock: BusinessClock;
}

export const ADMIN_EMAIL = "admin@kundenakte.test";

/**
 * Creates a user with the given roles and returns a bearer token for them. Users are made
 * through the real service; the token through the real authenticator.
 */
export async function tokenFor(
  app: FastifyInstance,
  db: Database,
  email: string,
  roles: string[],
  scopes: ("read" | "write")[] = ["read", "write"],
  region: string | null = null,
): Promise<{ token: string; userId: number }> {
  const user = await createUser(db, SYSTEM_CONTEXT, {
    email,
    name: email.split("@")[0]!,
    password: "correct horse battery staple",
    roles,
    region,
  });
  const principal = await app.authenticator.load(user.id, { sessionId: null, csrfToken: null, scopes: null });
  const { token } = await app.authenticator.createToken(principal!, "tests", scopes, 30);
  return { token, userId: user.id };
}

/**
 * A fresh, migrated database: SQLite in memory, or a PostgreSQL schema of its own that is
 * dropped afterwards, so parallel test files never see each other's rows.
 */
export async function createTestDatabase(engine: Engine): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (engine === "sqlite") {
    const db = openDatabase({ databaseUrl: null, sqliteFile: ":memory:" });
    await migrateToLatest(db);
    return { db, drop: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = openDatabase({ databaseUrl: TEST_PG_URL, pgSchema: schema, poolSize: 25 });
  await migrateToLatest(db);
  return {
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/**
 * A new, empty PostgreSQL database on the test server, for what needs a database of its own
 * (a restore, a CLI process): its URL, and how to drop it.
 */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Runs `fn` once per engine, as kysely's own tests do: each suite gets its own database and
 * app. `env()` is valid inside tests and hooks.
 */
export function forEachEngine(name: string, fn: (env: () => TestEnv) => void): void {
  for (const engine of ENGINES) {
    describe(`${name} [${engine}]`, () => {
      let current: TestEnv | undefined;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const t = await createTestDatabase(engine);
        drop = t.drop;
        const clock = testClock();
        const app = await buildApp({ db: t.db, clock });
        await app.ready();
        const { token } = await tokenFor(app, t.db, ADMIN_EMAIL, ["admin"]);
        current = { engine, db: t.db, app, adminToken: token, clock };
      });
      afterAll(async () => {
        await current?.app.close();
        await drop?.();
      });
      fn(() => {
        if (!current) throw new Error("test environment not ready");
        return current;
      });
    });
  }
}
