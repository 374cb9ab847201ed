import type { JournalKind } from "@kundenakte/contract";
import type { Kysely, Transaction } from "kysely";
import { engineOf, indexJournalText, toFlag } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";
import { foldText } from "../../domain/fold.js";
import type { RequestContext } from "../../http/context.js";
import { clockOf } from "../../lib/clock.js";
import { nowIso } from "../../lib/time.js";
import { addToCount, insertEntry, type JournalRow } from "./journal.repository.js";

type Executor = Kysely<DB> | Transaction<DB>;

export interface NewJournalEntry {
  customerId: number;
  kind: JournalKind;
  occurredAt?: string;
  contactId?: number | null;
  direction?: "in" | "out" | null;
  subject?: string | null;
  body?: string | null;
  /** The object the entry belongs to (an invoice, a ticket...); such entries are read-only here. */
  link?: { type: string; id: number } | null;
  /** Communication and notes logged by people can be corrected; module entries cannot. */
  editable?: boolean;
  /** Sanitised HTML (imported e-mails). */
  bodyHtml?: string | null;
  /** Keeps an imported e-mail from being imported twice. */
  messageKey?: string | null;
}

/** What full text indexes: subject and body, folded so Müller finds Mueller. */
export const searchTextOf = (subject: string | null | undefined, body: string | null | undefined) =>
  foldText(`${subject ?? ""} ${body ?? ""}`);

/**
 * The one way to add a journal entry. Other modules call it inside the transaction of their
 * own change, so the journal neither misses nor invents an event.
 */
export async function addJournalEntry(trx: Executor, ctx: RequestContext, entry: NewJournalEntry): Promise<JournalRow> {
  const at = nowIso();
  const row = await insertEntry(trx, {
    customer_id: entry.customerId,
    kind: entry.kind,
    occurred_at: entry.occurredAt ?? clockOf(ctx).nowIso(),
    recorded_at: at,
    author: ctx.actor,
    contact_id: entry.contactId ?? null,
    direction: entry.direction ?? null,
    subject: entry.subject ?? null,
    body: entry.body ?? null,
    link_type: entry.link?.type ?? null,
    link_id: entry.link?.id ?? null,
    editable: toFlag(engineOf(trx), entry.editable ?? false) as never,
    search_text: searchTextOf(entry.subject, entry.body),
    deleted_at: null,
    deleted_by: null,
    delete_reason: null,
    body_html: entry.bodyHtml ?? null,
    message_key: entry.messageKey ?? null,
    version: 1,
    updated_at: at,
  });
  await indexJournalText(trx, null, {
    id: Number(row.id),
    customerId: entry.customerId,
    occurredAt: row.occurred_at,
    text: row.search_text,
  });
  await addToCount(trx, entry.customerId, entry.kind, 1);
  return row;
}

const BLOCK_NAMES: Record<string, string> = {
  delivery: "Liefersperre",
  invoice: "Rechnungssperre",
  all: "Liefer- und Rechnungssperre",
};

interface AuditedChange {
  customerId: number | null;
  entityType: string;
  entityId: number;
  action: "create" | "update" | "delete";
  changes: { field: string; old: unknown; new: unknown }[];
}

/**
 * System events, written from the audit trail in the same transaction: customer created,
 * master data changed (which fields), block set or lifted, contact added or removed.
 */
export async function journalFromAudit(trx: Executor, ctx: RequestContext, change: AuditedChange): Promise<void> {
  if (change.customerId === null) return;
  const customerId = change.customerId;
  const system = (subject: string, body: string | null, link: { type: string; id: number }) =>
    addJournalEntry(trx, ctx, { customerId, kind: "system", subject, body, link, editable: false });
  if (change.entityType === "customer") {
    const link = { type: "customer", id: change.entityId };
    if (change.action === "create") return void (await system("Kunde angelegt", null, link));
    if (change.action !== "update") return;
    const block = change.changes.find((c) => c.field === "block");
    if (block) {
      const before = (block.old as { type?: string } | null)?.type ?? "none";
      const after = block.new as { type?: string; reason?: string | null } | null;
      if (after?.type && after.type !== "none") {
        await system(`Sperre gesetzt: ${BLOCK_NAMES[after.type] ?? after.type}`, after.reason ?? null, link);
      } else if (before !== "none") {
        await system("Sperre aufgehoben", null, link);
      }
    }
    const fields = change.changes.map((c) => c.field).filter((f) => f !== "block");
    if (fields.length > 0) await system("Stammdaten geändert", fields.join(", "), link);
    return;
  }
  if (change.entityType === "contact" && change.action !== "update") {
    const snapshot = change.changes.reduce<Record<string, unknown>>((acc, c) => {
      acc[c.field] = change.action === "create" ? c.new : c.old;
      return acc;
    }, {});
    const name = [snapshot.title, snapshot.firstName, snapshot.lastName].filter(Boolean).join(" ");
    await system(change.action === "create" ? `Kontakt hinzugefügt: ${name}` : `Kontakt entfernt: ${name}`, null, {
      type: "contact",
      id: change.entityId,
    });
  }
}
