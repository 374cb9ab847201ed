import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { configurePgTypes, configureSqlite, type Engine, pgSessionOptions } from "./dialect.js";
import type { DB } from "./schema.js";

export interface DatabaseOptions {
  /** PostgreSQL connection string; SQLite when null. */
  databaseUrl: string | null;
  /** SQLite file, or ":memory:". */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests use one per file). */
  pgSchema?: string | null;
  /** Size of the PostgreSQL pool. */
  poolSize?: number;
}

/**
 * The database handle the repositories use: Kysely for everything, plus `read()` — a
 * prepared-statement fast path for hot read queries (compiled once by Kysely, executed
 * without the builder's per-call overhead).
 */
export interface Database {
  engine: Engine;
  /** The PostgreSQL schema in use when not the default one. */
  schema: string | null;
  kysely: Kysely<DB>;
  /** Runs a compiled read-only query with new parameters through a cached prepared statement. */
  read<R>(query: CompiledQuery<R>, parameters: readonly unknown[]): Promise<R[]>;
  /**
   * Like `read`, but each row is an array of the selected columns in order: no object with
   * named keys per row, which is measurably cheaper for pages of many wide rows.
   */
  readArrays(query: CompiledQuery<unknown>, parameters: readonly unknown[]): Promise<unknown[][]>;
  /** A short description for logs, with no secrets. */
  describe(): string;
  /**
   * Calls `observer` with the duration of every query in milliseconds (for /metrics); null stops it.
   * Without an observer the fast path measures nothing.
   */
  observeQueries(observer: QueryObserver | null): void;
  /** Connections of the PostgreSQL pool: open, idle, and requests waiting for one (null on SQLite). */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
}

export type QueryObserver = (milliseconds: number) => void;

/** Times `run` for the observer (the read fast paths bypass Kysely's log). */
async function timed<T>(observer: QueryObserver, run: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    observer(performance.now() - start);
  }
}

/** How long a request waits for a PostgreSQL connection before the API answers 503. */
const PG_CONNECT_TIMEOUT_MS = 10_000;

const MAX_CACHED_STATEMENTS = 1000;

const compiledQueries = new WeakMap<Database, Map<string, CompiledQuery<unknown>>>();

/**
 * A query built and compiled once per database under `key`, then reused: for hot paths,
 * where Kysely's building costs as much as the database's work.
 */
export function compiledOnce<R>(db: Database, key: string, build: () => CompiledQuery<R>): CompiledQuery<R> {
  let cache = compiledQueries.get(db);
  if (!cache) {
    cache = new Map();
    compiledQueries.set(db, cache);
  }
  let q = cache.get(key);
  if (!q) {
    q = build() as CompiledQuery<unknown>;
    cache.set(key, q);
  }
  return q as CompiledQuery<R>;
}

export function openDatabase(opts: DatabaseOptions): Database {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openSqlite(opts.sqliteFile ?? ":memory:");
}

function openSqlite(file: string): Database {
  const memory = file === ":memory:";
  if (!memory) fs.mkdirSync(path.dirname(file), { recursive: true });
  const writer = new BetterSqlite3(file);
  configureSqlite(writer);
  // Reads on the fast path use their own connection: the writer may be inside a Kysely
  // transaction across awaits, and a read on it would see uncommitted rows. WAL lets the
  // reader see the last committed state. An in-memory database has only one connection.
  const reader = memory ? writer : new BetterSqlite3(file, { readonly: true });
  if (!memory) configureSqlite(reader, true);
  const statements = new Map<string, BetterSqlite3.Statement>();
  const statement = (sql: string, arrays: boolean): BetterSqlite3.Statement => {
    const key = arrays ? `[]${sql}` : sql;
    let stmt = statements.get(key);
    if (!stmt) {
      // Bounded: list filters combine into many, but not endless, SQL texts.
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      stmt = reader.prepare(sql);
      if (arrays) stmt.raw(true);
      statements.set(key, stmt);
    }
    return stmt;
  };
  let observer: QueryObserver | null = null;
  const kysely = new Kysely<DB>({
    dialect: new SqliteDialect({ database: writer }),
    log: (event) => observer?.(event.queryDurationMillis),
  });
  return {
    engine: "sqlite",
    schema: null,
    kysely,
    async read<R>(query: CompiledQuery<R>, parameters: readonly unknown[]) {
      const run = () => statement(query.sql, false).all(...parameters) as R[];
      return observer ? timed(observer, run) : run();
    },
    async readArrays(query: CompiledQuery<unknown>, parameters: readonly unknown[]) {
      const run = () => statement(query.sql, true).all(...parameters) as unknown[][];
      return observer ? timed(observer, run) : run();
    },
    describe: () => `SQLite ${memory ? "(in memory)" : file}`,
    observeQueries(fn) {
      observer = fn;
    },
    poolStats: () => null,
    async close() {
      await kysely.destroy();
      if (reader !== writer) reader.close();
    },
  };
}

function openPostgres(url: string, opts: DatabaseOptions): Database {
  configurePgTypes();
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    options: pgSessionOptions(opts.pgSchema ?? null),
    // A server that accepts no connections (or a pool that stays full) fails the request with
    // a 503 after this long, instead of queueing it forever.
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  let observer: QueryObserver | null = null;
  const kysely = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => observer?.(event.queryDurationMillis),
  });
  const names = new Map<string, string>();
  // Named statements are prepared once per connection by the server.
  const nameOf = (sql: string): string => {
    let name = names.get(sql);
    if (!name) {
      name = `q_${createHash("sha1").update(sql).digest("hex").slice(0, 16)}`;
      names.set(sql, name);
    }
    return name;
  };
  const u = new URL(url);
  return {
    engine: "postgres",
    schema: opts.pgSchema ?? null,
    kysely,
    async read<R>(query: CompiledQuery<R>, parameters: readonly unknown[]) {
      const run = () => pool.query({ name: nameOf(query.sql), text: query.sql, values: parameters as unknown[] });
      const result = await (observer ? timed(observer, run) : run());
      return result.rows as R[];
    },
    async readArrays(query: CompiledQuery<unknown>, parameters: readonly unknown[]) {
      const run = () =>
        pool.query({ name: nameOf(query.sql), text: query.sql, values: parameters as unknown[], rowMode: "array" });
      const result = await (observer ? timed(observer, run) : run());
      return result.rows as unknown[][];
    },
    observeQueries(fn) {
      observer = fn;
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    describe: () =>
      `PostgreSQL ${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)}${opts.pgSchema ? ` schema ${opts.pgSchema}` : ""}`,
    async close() {
      await kysely.destroy();
    },
  };
}
