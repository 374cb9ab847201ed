/**
 * Every runtime difference between SQLite and PostgreSQL lives in this file
 * (DDL differences live in the frozen helper of the migrations, migrations/ddl.ts).
 */
import type BetterSqlite3 from "better-sqlite3";
import { type Kysely, type RawBuilder, sql } from "kysely";
import pg from "pg";
import type { DB } from "./schema.js";

export type Engine = "sqlite" | "postgres";

/** A database error we can explain to a client as a 409. */
export interface ConstraintViolation {
  kind: "unique" | "foreign_key";
  /** Table the violated constraint belongs to, when the engine says. */
  table: string | null;
  /** Columns of the violated constraint (snake_case), when the engine says. */
  columns: string[];
  /** Values of a unique violation, when the engine says (PostgreSQL does). */
  values: string[];
}

/** Recognises unique and foreign-key violations of either engine. */
export function classifyConstraintViolation(err: unknown): ConstraintViolation | null {
  if (!err || typeof err !== "object") return null;
  const e = err as { code?: unknown; message?: unknown; constraint?: unknown; detail?: unknown; table?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  // SQLite: "UNIQUE constraint failed: customers.customer_number, customers.x"
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    const list = message.split(":")[1] ?? "";
    const parts = list
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const table = parts[0]?.split(".")[0] ?? null;
    return { kind: "unique", table, columns: parts.map((p) => p.split(".")[1] ?? p), values: [] };
  }
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") {
    return { kind: "foreign_key", table: null, columns: [], values: [] };
  }
  // PostgreSQL: 23505 unique_violation, 23503 foreign_key_violation; detail "Key (a, b)=(1, 2) already exists."
  if (code === "23505" || code === "23503") {
    const detail = typeof e.detail === "string" ? e.detail : "";
    const m = /Key \((.+?)\)=\((.*?)\)/.exec(detail);
    return {
      kind: code === "23505" ? "unique" : "foreign_key",
      table: typeof e.table === "string" ? e.table : null,
      columns: m?.[1] ? m[1].split(",").map((s) => s.trim()) : [],
      values: m?.[2] ? m[2].split(",").map((s) => s.trim()) : [],
    };
  }
  return null;
}

/** True when the error means the database could not be reached at all. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "57P01", "57P03", "3D000", "28P01", "28000"].includes(
      code,
    )
  );
}

/**
 * PostgreSQL codes of a server that is gone, going or full: class 08 (connection exception),
 * 57P01–57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections).
 */
const PG_UNAVAILABLE = new Set(["08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "53300"]);
const NETWORK_UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "EAI_AGAIN",
]);
/** What `pg` says when a connection dies or the pool cannot hand one out in time (no code). */
const PG_UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly)/;

/**
 * True when the database cannot serve right now, through no fault of the request: the
 * server is unreachable or restarting, a connection died, the pool timed out, SQLite stayed
 * locked beyond its busy timeout or cannot open or read its file. Such a request may
 * succeed when retried: the API answers 503 with Retry-After, not 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (PG_UNAVAILABLE.has(code) || NETWORK_UNAVAILABLE.has(code)) return true;
    // SQLITE_BUSY (and _SNAPSHOT, _TIMEOUT), SQLITE_LOCKED, SQLITE_CANTOPEN*, SQLITE_IOERR*, SQLITE_FULL.
    if (/^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL)/.test(code)) return true;
  }
  return typeof message === "string" && PG_UNAVAILABLE_MESSAGE.test(message);
}

/** Reads a stored flag: PostgreSQL returns booleans, SQLite 0/1. */
export const flag = (value: boolean | number | null | undefined): boolean => value === true || value === 1;

/** Writes a flag so that both engines accept it (better-sqlite3 cannot bind booleans). */
export const toFlag = (engine: Engine, value: boolean): boolean | number =>
  engine === "sqlite" ? (value ? 1 : 0) : value;

/** Reads a stored JSON value: jsonb arrives parsed from PostgreSQL, text from SQLite. */
export function readJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** Writes a JSON value for a jsonb (PostgreSQL) or text (SQLite) column. */
export const toJson = (value: unknown): string => JSON.stringify(value);

/** Page cache per SQLite connection in KiB (`KUNDENAKTE_SQLITE_CACHE_KIB`; 0 = SQLite's default of 2 MB). */
const SQLITE_CACHE_KIB = Number(process.env.KUNDENAKTE_SQLITE_CACHE_KIB ?? 65536);

/** Connection settings applied to every new SQLite connection. */
export function configureSqlite(db: BetterSqlite3.Database, readonly = false): void {
  if (!readonly) db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  // SQLite's default page cache is 2 MB; a search at 1,000,000 customers reads full-text
  // posting lists of several MB, which then came from the operating system page by page
  // on every query. 64 MB per connection (a writer and a reader) keeps the hot part in process.
  db.pragma(`cache_size = ${SQLITE_CACHE_KIB === 0 ? -2000 : -SQLITE_CACHE_KIB}`);
}

let pgTypesConfigured = false;

/**
 * Makes `pg` return what SQLite returns: numbers for bigint ids and counts, ISO strings for
 * timestamps, plain `YYYY-MM-DD` strings for dates. Sessions run in UTC.
 */
export function configurePgTypes(): void {
  if (pgTypesConfigured) return;
  pgTypesConfigured = true;
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
  pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
  pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => {
    // "2026-11-26 18:58:46.123+00" (sessions run with TimeZone=UTC)
    const iso = `${v.replace(" ", "T")}${/[+-]\d\d$/.test(v) ? ":00" : ""}`;
    return new Date(iso).toISOString();
  });
}

/** PostgreSQL session options: UTC, and the schema to work in (tests use one schema each). */
export function pgSessionOptions(schema: string | null): string {
  // Short queries only: JIT compiling and parallel workers cost more (10–80 ms) than the
  // index reads they would speed up, and would make latency jump with the plan's estimate.
  const opts = ["-c TimeZone=UTC", "-c jit=off", "-c max_parallel_workers_per_gather=0"];
  if (schema) opts.push(`-c search_path=${schema}`);
  return opts.join(" ");
}

/** Tells the engine from a Kysely instance or transaction (for code that gets only an executor). */
export function engineOf(executor: { getExecutor(): { adapter: object } }): Engine {
  return executor.getExecutor().adapter.constructor.name.toLowerCase().includes("postgres") ? "postgres" : "sqlite";
}

// ---------------------------------------------------------------- full text (the journal)

/** The words of a search, from folded text (see domain/fold.ts): at most eight, letters and digits. */
export function fullTextTerms(folded: string, max = 8): string[] {
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, max);
}

/** Journal words carry their customer (`c42xlieferung`): see migration 007. */
function customerWords(customerId: number, words: string[]): string[] {
  return words.map((w) => `c${customerId}x${w}`);
}

/** An entry's place in the SQLite full-text index: its time key (see migration 007). */
export interface JournalTextEntry {
  id: number;
  customerId: number;
  occurredAt: string;
}

/**
 * Keeps the SQLite FTS5 index of one journal entry current: `before` leaves the index,
 * `after` enters it with its text (PostgreSQL indexes its generated tsvector by itself).
 */
export async function indexJournalText(
  trx: Kysely<DB>,
  before: JournalTextEntry | null,
  after: (JournalTextEntry & { text: string }) | null,
): Promise<void> {
  if (engineOf(trx) !== "sqlite") return;
  if (before) {
    await sql`delete from journal_fts where rowid = (unixepoch(${before.occurredAt}) << 31) + cast(${before.id} as integer)`.execute(
      trx,
    );
  }
  if (after) {
    const text = customerWords(after.customerId, fullTextTerms(after.text, Number.POSITIVE_INFINITY)).join(" ");
    await sql`insert into journal_fts (rowid, text) values ((unixepoch(${after.occurredAt}) << 31) + cast(${after.id} as integer), ${text})`.execute(
      trx,
    );
  }
}

/** The FTS5 query "all terms as prefixes, inside the customer's words". */
export function sqliteJournalQuery(customerId: number, terms: string[]): string {
  return customerWords(customerId, terms)
    .map((t) => `"${t}"*`)
    .join(" AND ");
}

/** The PostgreSQL tsquery text for the same. */
export function pgJournalQuery(customerId: number, terms: string[]): string {
  return customerWords(customerId, terms)
    .map((t) => `${t}:*`)
    .join(" & ");
}

// ---------------------------------------------------------------- calendar dates

/** Days from `earlier` to `later`, two date columns (text on SQLite, date on PostgreSQL). */
export function daysBetweenSql(engine: Engine, later: string, earlier: string): RawBuilder<number> {
  return engine === "sqlite"
    ? sql<number>`(julianday(${sql.ref(later)}) - julianday(${sql.ref(earlier)}))`
    : sql<number>`(${sql.ref(later)} - ${sql.ref(earlier)})`;
}
