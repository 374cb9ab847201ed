import type { Kysely, Selectable, Transaction } from "kysely";
import type { DB, JournalAttachmentsTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type AttachmentRow = Selectable<JournalAttachmentsTable>;

/** Records a stored content once (its first type and size win; the bytes are the same). */
export async function saveBlob(trx: Executor, sha256: string, size: number, contentType: string, at: string) {
  await trx
    .insertInto("blobs")
    .values({ sha256, size, content_type: contentType, created_at: at })
    .onConflict((oc) => oc.column("sha256").doNothing())
    .execute();
}

export async function insertAttachment(trx: Executor, values: Omit<AttachmentRow, "id">): Promise<AttachmentRow> {
  return trx.insertInto("journal_attachments").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function attachmentsOf(db: Executor, entryIds: readonly number[]): Promise<Map<number, AttachmentRow[]>> {
  const out = new Map<number, AttachmentRow[]>();
  if (entryIds.length === 0) return out;
  const rows = await db
    .selectFrom("journal_attachments")
    .selectAll()
    .where("journal_entry_id", "in", [...entryIds])
    .orderBy("id")
    .execute();
  for (const r of rows) {
    const id = Number(r.journal_entry_id);
    out.set(id, [...(out.get(id) ?? []), r]);
  }
  return out;
}

export async function findAttachment(
  db: Executor,
  customerId: number,
  entryId: number,
  id: number,
): Promise<AttachmentRow | undefined> {
  return db
    .selectFrom("journal_attachments as a")
    .innerJoin("journal_entries as j", "j.id", "a.journal_entry_id")
    .selectAll("a")
    .where("a.id", "=", id)
    .where("a.journal_entry_id", "=", entryId)
    .where("j.customer_id", "=", customerId)
    .executeTakeFirst();
}
