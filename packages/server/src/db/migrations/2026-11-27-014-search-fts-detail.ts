import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";

/**
 * SQLite: the search index keeps no token positions (FTS5 `detail=none`). The search never asks
 * for phrases or proximity — every query is an AND of ORs of keys — so positions were dead
 * weight: they made each posting list several times longer, and a query's time at 1,000,000
 * customers is mostly reading posting lists. The index is rebuilt from the stored keys.
 * PostgreSQL's tsvector (built with array_to_tsvector) never had positions.
 *
 * Prefix indexes up to 10 characters of a key (its kind and 8 letters: "w_ludwigs"): a prefix
 * FTS5 has no index for is merged from every matching word's list before the first row comes
 * out (11 ms for "w_ludwi*" at 1,000,000 customers, 56,000 matches, even for LIMIT 60); one
 * it has is read as one list and stops at the limit (0.05 ms). Without positions the index with
 * eight prefix lengths is about as big as it was with four and positions.
 */
const TOKENIZE = `tokenize="unicode61 remove_diacritics 0 tokenchars '_'", prefix='3 4 5 6 7 8 9 10'`;

async function rebuild(db: Kysely<any>, detail: "none" | "full"): Promise<void> {
  await sql`drop trigger if exists search_entries_ai`.execute(db);
  await sql`drop trigger if exists search_entries_ad`.execute(db);
  await sql`drop table if exists search_fts`.execute(db);
  await sql
    .raw(
      `create virtual table search_fts using fts5(tokens, content='', contentless_delete=1${detail === "none" ? ", detail=none" : ""}, ${TOKENIZE})`,
    )
    .execute(db);
  await sql`insert into search_fts (rowid, tokens) select id, tokens from search_entries order by id`.execute(db);
  // One segment instead of the many a bulk insert leaves: an AND of common keys walks each
  // segment's lists (at 1,000,000 customers 30–40 % faster afterwards; ~70 s once).
  await sql`insert into search_fts (search_fts) values ('optimize')`.execute(db);
  await sql`create trigger search_entries_ai after insert on search_entries begin
      insert into search_fts (rowid, tokens) values (new.id, new.tokens);
    end`.execute(db);
  await sql`create trigger search_entries_ad after delete on search_entries begin
      delete from search_fts where rowid = old.id;
    end`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (ddl(db).engine === "sqlite") await rebuild(db, "none");
}

export async function down(db: Kysely<any>): Promise<void> {
  if (ddl(db).engine === "sqlite") await rebuild(db, "full");
}
