/**
 * Housekeeping after large imports (and from time to time, e.g. nightly): brings the full-text
 * indexes (and on PostgreSQL the planner statistics) into the shape the queries were measured on.
 *
 * SQLite's FTS5 index grows in segments — every write transaction adds one and FTS5 merges
 * them in the background only partly — so after a bulk load a key is looked up in dozens of
 * segments and its posting lists merged on every query; `optimize` merges them into one.
 * PostgreSQL: VACUUM ANALYZE clears the GIN index's pending list and refreshes the statistics.
 */
import { sql } from "kysely";
import type { Database } from "./database.js";

/** Share of free pages in the SQLite file from which `optimize` runs VACUUM. */
const FREE_SHARE_TO_VACUUM = 0.25;

export interface MaintenanceStep {
  step: string;
  ms: number;
}

export async function optimizeDatabase(db: Database): Promise<MaintenanceStep[]> {
  const steps: MaintenanceStep[] = [];
  const timed = async (step: string, fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    steps.push({ step, ms: Math.round(performance.now() - t) });
  };
  if (db.engine === "sqlite") {
    // No ANALYZE here: statistics taken while a table is still empty (the journal's full-text
    // tables after a customer import) make later writes slower (OPERATIONS.md, "Data").
    await timed("search index: merge segments (FTS5 optimize)", () =>
      sql`insert into search_fts (search_fts) values ('optimize')`.execute(db.kysely),
    );
    await timed("journal search index: merge segments (FTS5 optimize)", () =>
      sql`insert into journal_fts (journal_fts) values ('optimize')`.execute(db.kysely),
    );
    // SQLite keeps freed pages in its file. After a change that shrinks the data a lot (the
    // compressed file documents of migration 017, a large deletion) a quarter or more of the
    // file is free: give it back. VACUUM rewrites the whole file, so not for a few pages.
    const { rows } = await sql<{ free: number; pages: number }>`
      select (select freelist_count from pragma_freelist_count) as free, (select page_count from pragma_page_count) as pages`.execute(
      db.kysely,
    );
    const { free, pages } = rows[0] ?? { free: 0, pages: 0 };
    if (pages > 0 && free / pages >= FREE_SHARE_TO_VACUUM) {
      await timed(`give ${Math.round((100 * free) / pages)} % free pages back (VACUUM)`, () =>
        sql`vacuum`.execute(db.kysely),
      );
    }
  } else {
    // Our tables only (the schema of this installation), not every database on the server.
    const { rows } = await sql<{ name: string }>`
      select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(
      db.kysely,
    );
    const tables = sql.join(rows.map((r) => sql.id(r.name)));
    await timed("vacuum and planner statistics (VACUUM ANALYZE)", () =>
      sql`vacuum analyze ${tables}`.execute(db.kysely),
    );
  }
  return steps;
}

/** Segments of the SQLite search index (1 after `optimize`); null on PostgreSQL. */
export async function searchIndexSegments(db: Database): Promise<number | null> {
  if (db.engine !== "sqlite") return null;
  const { rows } = await sql<{ n: number }>`select count(distinct segid) as n from search_fts_idx`.execute(db.kysely);
  return Number(rows[0]?.n ?? 0);
}
