import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";

/**
 * PostgreSQL: the search tsvector also holds the beginnings of every word as lexemes of their
 * own — "q_ki" … "q_kirchner" for w_kirchner (2 to 8 letters, never more than the word).
 *
 * GIN has no prefix index. A prefix query ("w_kirch:*") is answered by collecting the posting
 * lists of every lexeme that begins with it into one bitmap before anything is intersected:
 * "Kirch Elekt Guten" (three fragments, 25 matching words) took 46–56 ms at 1,000,000
 * customers, whether asked as prefixes or as the words they expand to. A prefix lexeme is one
 * posting list, and an AND of single lexemes lets GIN read the rarest list and skip through the
 * others. The query side (search-query.ts) asks for "q_kirch" where it would ask for "w_kirch:*".
 * SQLite's FTS5 has prefix indexes of its own (migration 014): its tokens are unchanged.
 */
const PREFIX_MIN = 2;
const PREFIX_MAX = 8;

export async function up(db: Kysely<any>): Promise<void> {
  if (ddl(db).engine !== "postgres") return;
  // Immutable (a pure function of the text), as a generated column requires.
  await sql
    .raw(
      `create function search_tsvector(tokens text) returns tsvector language sql immutable parallel safe as $$
        select array_to_tsvector(array(
          select t from unnest(string_to_array(tokens, ' ')) as t
          union
          select 'q_' || left(substr(t, 3), n)
            from unnest(string_to_array(tokens, ' ')) as t,
                 generate_series(${PREFIX_MIN}, least(length(t) - 2, ${PREFIX_MAX})) as n
           where left(t, 2) = 'w_'))
      $$`,
    )
    .execute(db);
  // Dropping the column drops its GIN index; the new column is computed for every entry.
  await sql`alter table search_entries drop column tsv`.execute(db);
  await sql`alter table search_entries add column tsv tsvector generated always as (search_tsvector(tokens)) stored`.execute(
    db,
  );
  // Built in memory rather than in many passes over temporary files (a million customers' entries;
  // local to the migration's transaction).
  await sql`set local maintenance_work_mem = '256MB'`.execute(db);
  await sql`create index ix_search_entries_tsv on search_entries using gin (tsv)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (ddl(db).engine !== "postgres") return;
  await sql`alter table search_entries drop column tsv`.execute(db);
  await sql`alter table search_entries add column tsv tsvector generated always as (array_to_tsvector(string_to_array(tokens, ' '))) stored`.execute(
    db,
  );
  await sql`create index ix_search_entries_tsv on search_entries using gin (tsv)`.execute(db);
  await sql`drop function search_tsvector(text)`.execute(db);
}
