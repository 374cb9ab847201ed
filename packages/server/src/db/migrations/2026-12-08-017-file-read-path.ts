import { type Kysely, sql } from "kysely";
import { decodeDocument, encodeDocument } from "../../modules/customer-file/document-codec.js";
import { ddl } from "./ddl.js";

const BATCH = 500;

/**
 * The customer file's read path, made cheaper to read and to keep (issue 23):
 *
 * - The customer's last contact is read with every file (the info panel's "last contact"):
 *   a partial index holding only contact entries (call, e-mail, meeting, letter) that are
 *   not deleted makes it one index probe, whatever else the journal holds. The list of kinds
 *   must match `CONTACT_KINDS` in figures.repository.ts literally, or the planners do not
 *   use the index.
 * - Stored file documents are compressed (modules/customer-file/document-codec.ts): the body
 *   becomes bytes on PostgreSQL (`bytea`; SQLite stores bytes in any column), and every
 *   existing document is rewritten in batches. SQLite keeps the freed pages in its file until
 *   `VACUUM` (see docs/OPERATIONS.md).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index ix_journal_last_contact on journal_entries (customer_id, occurred_at, id) where kind in ('call', 'email', 'meeting', 'letter') and deleted_at is null`.execute(
    db,
  );
  if (ddl(db).engine === "postgres") {
    await sql`alter table customer_file_documents alter column body type bytea using convert_to(body, 'UTF8')`.execute(
      db,
    );
  }
  await rewriteBodies(db, (body) => encodeDocument(decodeDocument(body)));
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index ix_journal_last_contact`.execute(db);
  if (ddl(db).engine === "postgres") {
    await rewriteBodies(db, (body) => Buffer.from(decodeDocument(body), "utf8"));
    await sql`alter table customer_file_documents alter column body type text using convert_from(body, 'UTF8')`.execute(
      db,
    );
  } else {
    await rewriteBodies(db, (body) => decodeDocument(body));
  }
}

async function rewriteBodies(db: Kysely<any>, rewrite: (body: Uint8Array | string) => Buffer | string): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = (await db
      .selectFrom("customer_file_documents")
      .select(["customer_id", "body"])
      .where("customer_id", ">", after)
      .orderBy("customer_id")
      .limit(BATCH)
      .execute()) as { customer_id: number | string; body: Uint8Array | string }[];
    if (rows.length === 0) return;
    for (const r of rows) {
      await db
        .updateTable("customer_file_documents")
        .set({ body: rewrite(r.body) })
        .where("customer_id", "=", r.customer_id)
        .execute();
    }
    after = Number(rows[rows.length - 1]!.customer_id);
  }
}
