/**
 * DDL helpers for the migrations. Frozen in time like the migrations themselves: a later
 * migration that needs a different helper gets a new file, so history never changes.
 * This is the one place where the two engines' DDL differs.
 */
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from "kysely";
import { sql } from "kysely";

export type Engine = "sqlite" | "postgres";

/** Tells the engine from the Kysely instance the migration runs on. */
export function engineOf(db: Kysely<any>): Engine {
  const adapter = db.getExecutor().adapter.constructor.name;
  return adapter.toLowerCase().includes("postgres") ? "postgres" : "sqlite";
}

type Col = (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

export interface Ddl {
  engine: Engine;
  /** Adds an auto-incrementing integer primary key named `id`. */
  id<T extends string, C extends string>(tb: CreateTableBuilder<T, C>): CreateTableBuilder<T, C | "id">;
  /** Type of a UTC timestamp column. */
  timestamp: ReturnType<typeof sql.raw>;
  /** Type of a calendar date column. */
  date: ReturnType<typeof sql.raw>;
  /** Type of a boolean flag column. */
  flag: ReturnType<typeof sql.raw>;
  /** Type of a JSON column. */
  json: ReturnType<typeof sql.raw>;
  /** Type of a 64-bit integer column. */
  bigint: ReturnType<typeof sql.raw>;
  /** Type of a text column compared byte-wise, so sorting is the same on both engines. */
  sortText: ReturnType<typeof sql.raw>;
  /** The literal `true` in a partial-index predicate. */
  trueLiteral: string;
  notNull: Col;
}

export function ddl(db: Kysely<any>): Ddl {
  const engine = engineOf(db);
  const pg = engine === "postgres";
  return {
    engine,
    id: (tb) =>
      pg
        ? tb.addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : tb.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement()),
    timestamp: sql.raw(pg ? "timestamptz" : "text"),
    date: sql.raw(pg ? "date" : "text"),
    flag: sql.raw(pg ? "boolean" : "integer"),
    json: sql.raw(pg ? "jsonb" : "text"),
    bigint: sql.raw(pg ? "bigint" : "integer"),
    sortText: sql.raw(pg ? 'text collate "C"' : "text"),
    trueLiteral: pg ? "true" : "1",
    notNull: (c) => c.notNull(),
  };
}
