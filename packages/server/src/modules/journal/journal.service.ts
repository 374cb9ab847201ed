import {
  type Attachment,
  JOURNAL_KINDS,
  type JournalEntry,
  type JournalEntryCreate,
  type JournalEntryUpdate,
  type JournalPage,
  type JournalQuery,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { flag, fullTextTerms, indexJournalText } from "../../db/dialect.js";
import { foldText } from "../../domain/fold.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { nowIso } from "../../lib/time.js";
import { attachmentsOf } from "../attachments/attachments.repository.js";
import { presentAttachment } from "../attachments/attachments.service.js";
import { audit } from "../audit/audit.service.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { withholdFinance } from "./journal.finance.js";
import * as repo from "./journal.repository.js";
import { addJournalEntry, searchTextOf } from "./journal.writer.js";

type Executor = Parameters<typeof repo.findEntry>[0];

export function presentEntry(r: repo.JournalRow, attachments: Attachment[] = []): JournalEntry {
  return {
    id: Number(r.id),
    customerId: Number(r.customer_id),
    kind: r.kind as JournalEntry["kind"],
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    author: r.author,
    contactId: r.contact_id === null ? null : Number(r.contact_id),
    direction: r.direction as JournalEntry["direction"],
    subject: r.subject,
    body: r.body,
    bodyHtml: r.body_html,
    attachments,
    link: r.link_type && r.link_id !== null ? { type: r.link_type, id: Number(r.link_id) } : null,
    editable: flag(r.editable),
    deleted: r.deleted_at ? { at: r.deleted_at, by: r.deleted_by ?? "", reason: r.delete_reason ?? "" } : null,
    financeWithheld: null,
    version: r.version,
  };
}

async function checkContact(db: Executor, customerId: number, contactId: number | null | undefined, errs: FieldErrors) {
  if (contactId && !(await repo.contactBelongsTo(db, contactId, customerId))) {
    errs.add("contactId", "unknown_contact", `contact ${contactId} is not a contact of this customer`);
  }
}

/** Calls and letters are usually logged as they happen; these are the defaults when not given. */
const DEFAULT_DIRECTION: Record<string, "in" | "out" | null> = {
  call: "in",
  email: "out",
  letter: "out",
  meeting: null,
  note: null,
};

/** The communication log: a call, meeting, letter, e-mail or note in one request. */
export async function logCommunication(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  input: JournalEntryCreate,
): Promise<JournalEntry> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const errs = new FieldErrors();
    const subject = input.subject?.trim() || null;
    const body = input.body?.trim() || null;
    if (!subject && !body) errs.add("subject", "required", "give a subject or a text");
    await checkContact(trx, customerId, input.contactId, errs);
    errs.throwIfAny();
    const row = await addJournalEntry(trx, ctx, {
      customerId,
      kind: input.kind,
      occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : undefined,
      contactId: input.contactId ?? null,
      direction: input.direction === undefined ? DEFAULT_DIRECTION[input.kind] : input.direction,
      subject,
      body,
      editable: true,
    });
    const entry = presentEntry(row);
    await audit(trx, ctx, row.recorded_at, {
      customerId,
      entityType: "journal_entry",
      entityId: entry.id,
      before: null,
      after: entry,
    });
    return entry;
  });
}

export async function getEntry(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  id: number,
): Promise<JournalEntry> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const row = await repo.findEntry(db.kysely, customerId, id);
  if (!row) throw notFound("Journal entry", id);
  return readableBy(ctx, await withAttachments(db.kysely, row));
}

/** The entry as the reader may see it: finance events without their figures for non-finance roles. */
const readableBy = (ctx: RequestContext, entry: JournalEntry): JournalEntry =>
  ctx.finance === false ? withholdFinance(entry) : entry;

/** An entry with its attachments listed. */
export async function withAttachments(db: Executor, row: repo.JournalRow): Promise<JournalEntry> {
  const files = (await attachmentsOf(db, [Number(row.id)])).get(Number(row.id)) ?? [];
  return presentEntry(row, files.map(presentAttachment));
}

export async function editable(trx: Executor, customerId: number, id: number, version: number) {
  const row = await repo.findEntry(trx, customerId, id);
  if (!row) throw notFound("Journal entry", id);
  if (row.version !== version) throw versionMismatch(presentEntry(row), row.version);
  if (!flag(row.editable)) {
    throw new AppError(
      "conflict",
      "This entry was written by its own object (or the system); change that object instead",
    );
  }
  if (row.deleted_at) throw new AppError("conflict", "This entry is deleted");
  return row;
}

/** Corrects a logged entry; every change is audited. */
export async function updateEntry(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  id: number,
  version: number,
  patch: JournalEntryUpdate,
): Promise<JournalEntry> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const before = await editable(trx, customerId, id, version);
    const errs = new FieldErrors();
    await checkContact(trx, customerId, patch.contactId, errs);
    const subject = patch.subject === undefined ? before.subject : patch.subject?.trim() || null;
    const body = patch.body === undefined ? before.body : patch.body?.trim() || null;
    if (!subject && !body) errs.add("subject", "required", "give a subject or a text");
    errs.throwIfAny();
    const at = nowIso();
    const after = await repo.updateEntry(trx, id, version, {
      subject,
      body,
      ...(patch.contactId !== undefined ? { contact_id: patch.contactId } : {}),
      ...(patch.direction !== undefined ? { direction: patch.direction } : {}),
      ...(patch.occurredAt !== undefined ? { occurred_at: new Date(patch.occurredAt).toISOString() } : {}),
      search_text: searchTextOf(subject, body),
      updated_at: at,
    });
    if (!after) throw versionMismatch(presentEntry(before), before.version);
    await indexJournalText(
      trx,
      { id, customerId, occurredAt: before.occurred_at },
      { id, customerId, occurredAt: after.occurred_at, text: after.search_text },
    );
    const result = await withAttachments(trx, after);
    await audit(trx, ctx, at, {
      customerId,
      entityType: "journal_entry",
      entityId: id,
      before: presentEntry(before),
      after: presentEntry(after),
    });
    return result;
  });
}

/** Deletes softly: the entry stays, marked with who, when and why, and leaves the full-text index. */
export async function deleteEntry(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  id: number,
  version: number,
  reason: string,
): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const before = await editable(trx, customerId, id, version);
    const at = nowIso();
    const after = await repo.updateEntry(trx, id, version, {
      deleted_at: at,
      deleted_by: ctx.actor,
      delete_reason: reason.trim(),
      updated_at: at,
    });
    if (!after) throw versionMismatch(presentEntry(before), before.version);
    await indexJournalText(trx, { id, customerId, occurredAt: before.occurred_at }, null);
    await repo.addToCount(trx, customerId, before.kind, -1);
    await audit(trx, ctx, at, {
      customerId,
      entityType: "journal_entry",
      entityId: id,
      before: presentEntry(before),
      after: presentEntry(after),
    });
  });
}

/** A page of a customer's journal, newest first, with the counts per kind for the filter chips. */
export async function listJournal(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  q: JournalQuery,
): Promise<JournalPage> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const errs = new FieldErrors();
  const kinds = q.kinds?.split(",");
  for (const k of kinds ?? []) {
    if (!JOURNAL_KINDS.includes(k as never)) errs.add("kinds", "unknown_kind", `no journal kind "${k}"`);
  }
  errs.throwIfAny();
  const filters: repo.JournalFilters = {
    customerId,
    kinds,
    from: q.from ? new Date(q.from).toISOString() : undefined,
    to: q.to ? new Date(q.to).toISOString() : undefined,
    contactId: q.contactId,
    author: q.author,
    terms: q.q ? fullTextTerms(foldText(q.q)) : undefined,
    includeDeleted: q.includeDeleted,
    withholdFinance: ctx.finance === false,
  };
  const limit = q.limit ?? 50;
  const after = q.cursor ? decodeCursor(q.cursor, ["timestamp", "id"]) : null;
  const combined =
    !after && filters.terms?.length && db.engine === "sqlite"
      ? await repo.firstTextPage(db, filters, limit + 1)
      : undefined;
  const [rows, counted] = combined
    ? [combined.rows, combined.counts]
    : await Promise.all([
        repo.listEntries(db, filters, limit + 1, after),
        after ? Promise.resolve({ counts: {}, capped: false }) : repo.countByKind(db, filters),
      ]);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const files = await attachmentsOf(
    db.kysely,
    page.map((r) => Number(r.id)),
  );
  return {
    items: page.map((r) => readableBy(ctx, presentEntry(r, (files.get(Number(r.id)) ?? []).map(presentAttachment)))),
    nextCursor: more && last ? encodeCursor([last.occurred_at, Number(last.id)]) : null,
    counts: counted.counts,
    countsCapped: counted.capped,
  };
}
