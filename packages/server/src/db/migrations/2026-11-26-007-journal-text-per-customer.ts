import { type Kysely, sql } from "kysely";
import { ddl } from "./ddl.js";

/**
 * Full text per customer, newest first. Every word is indexed with its customer in front
 * (`c42xlieferung`), so a prefix search reads one customer's matches and never the
 * matches of all customers (at 5,000,000 entries a common word has hundreds of thousands).
 *
 * SQLite: the FTS5 row id is a time key — `unixepoch(occurred_at) << 31 | id` — so FTS5
 * hands out matches newest first and a page stops after its last entry.
 * PostgreSQL: the generated tsvector holds the customer-prefixed words; its GIN index
 * answers sparse matches, and the customer's time index answers dense ones.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (ddl(db).engine === "sqlite") {
    await sql`drop table journal_fts`.execute(db);
    await sql`create virtual table journal_fts using fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(
      db,
    );
    let after = 0;
    for (;;) {
      const rows = await db
        .selectFrom("journal_entries")
        .select(["id", "customer_id", "occurred_at", "search_text"])
        .where("id", ">", after)
        .where("deleted_at", "is", null)
        .orderBy("id")
        .limit(5000)
        .execute();
      if (rows.length === 0) break;
      for (const r of rows) {
        const prefix = `c${r.customer_id}x`;
        const text = (String(r.search_text).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => prefix + w).join(" ");
        await sql`insert into journal_fts (rowid, text) values ((unixepoch(${r.occurred_at}) << 31) + cast(${r.id} as integer), ${text})`.execute(
          db,
        );
      }
      after = Number(rows[rows.length - 1]!.id);
    }
    return;
  }
  await sql`drop index ix_journal_search`.execute(db);
  await sql`alter table journal_entries drop column search`.execute(db);
  await sql`alter table journal_entries add column search tsvector generated always as (to_tsvector('simple', regexp_replace(search_text, '([[:alnum:]]+)', 'c' || customer_id::text || 'x\\1', 'g'))) stored`.execute(
    db,
  );
  await sql`create index ix_journal_search on journal_entries using gin (search)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (ddl(db).engine === "sqlite") {
    await sql`drop table journal_fts`.execute(db);
    await sql`create virtual table journal_fts using fts5(customer, text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(
      db,
    );
    await sql`insert into journal_fts (rowid, customer, text) select id, 'c' || customer_id, search_text from journal_entries where deleted_at is null`.execute(
      db,
    );
    return;
  }
  await sql`drop index ix_journal_search`.execute(db);
  await sql`alter table journal_entries drop column search`.execute(db);
  await sql`alter table journal_entries add column search tsvector generated always as (to_tsvector('simple', search_text)) stored`.execute(
    db,
  );
  await sql`create index ix_journal_search on journal_entries using gin (search)`.execute(db);
}
