import type { FollowUp, FollowUpCreate, FollowUpStatus, FollowUpUpdate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import type { RequestContext } from "../../http/context.js";
import { FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { nowIso } from "../../lib/time.js";
import { audit } from "../audit/audit.service.js";
import { findUserByEmail } from "../auth/auth.repository.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { contactBelongsTo, findEntry } from "../journal/journal.repository.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import * as repo from "./follow-ups.repository.js";

type Executor = Parameters<typeof repo.findFollowUp>[0];

export function presentFollowUp(r: repo.FollowUpRow, now: number): FollowUp {
  return {
    id: Number(r.id),
    customerId: Number(r.customer_id),
    customerName: r.customer_name,
    contactId: r.contact_id === null ? null : Number(r.contact_id),
    journalEntryId: r.journal_entry_id === null ? null : Number(r.journal_entry_id),
    owner: r.owner,
    subject: r.subject,
    note: r.note,
    dueAt: r.due_at,
    status: r.status as FollowUpStatus,
    overdue: r.status === "open" && Date.parse(r.due_at) < now,
    completedAt: r.completed_at,
    completedBy: r.completed_by,
    createdBy: r.created_by,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** "27.11.2026, 14:30" in German time: the journal text is read by German users. */
const dueText = (iso: string) =>
  new Intl.DateTimeFormat("de-DE", {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/Berlin",
  }).format(new Date(iso));

async function checkOwner(db: Executor, owner: string, errs: FieldErrors) {
  const user = await findUserByEmail(db, owner);
  if (!user) errs.add("owner", "unknown_user", `there is no user ${owner}`);
}

/** Creates a follow-up and notes it in the journal, in one transaction. */
export async function createFollowUp(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  input: FollowUpCreate,
): Promise<FollowUp> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const errs = new FieldErrors();
    const owner = (input.owner ?? ctx.actor).trim().toLowerCase();
    await checkOwner(trx, owner, errs);
    if (input.contactId && !(await contactBelongsTo(trx, input.contactId, customerId))) {
      errs.add("contactId", "unknown_contact", `contact ${input.contactId} is not a contact of this customer`);
    }
    if (input.journalEntryId && !(await findEntry(trx, customerId, input.journalEntryId))) {
      errs.add(
        "journalEntryId",
        "unknown_entry",
        `journal entry ${input.journalEntryId} is not in this customer's journal`,
      );
    }
    errs.throwIfAny();
    const at = nowIso();
    const dueAt = new Date(input.dueAt).toISOString();
    const id = await repo.insertFollowUp(trx, {
      customer_id: customerId,
      contact_id: input.contactId ?? null,
      journal_entry_id: input.journalEntryId ?? null,
      owner,
      subject: input.subject.trim(),
      note: input.note?.trim() || null,
      due_at: dueAt,
      status: "open",
      completed_at: null,
      completed_by: null,
      created_by: ctx.actor,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    await addJournalEntry(trx, ctx, {
      customerId,
      kind: "follow_up",
      subject: `Wiedervorlage: ${input.subject.trim()}`,
      body: `Fällig ${dueText(dueAt)} · ${owner}`,
      contactId: input.contactId ?? null,
      link: { type: "follow_up", id },
    });
    const followUp = presentFollowUp((await repo.findFollowUp(trx, customerId, id))!, clockOf(ctx).now().getTime());
    await audit(trx, ctx, at, { customerId, entityType: "follow_up", entityId: id, before: null, after: followUp });
    return followUp;
  });
}

/** Changes a follow-up; completing or cancelling it writes a journal entry. */
export async function updateFollowUp(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  id: number,
  version: number,
  patch: FollowUpUpdate,
): Promise<FollowUp> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const row = await repo.findFollowUp(trx, customerId, id);
    if (!row) throw notFound("Follow-up", id);
    const before = presentFollowUp(row, clockOf(ctx).now().getTime());
    if (row.version !== version) throw versionMismatch(before, row.version);
    const errs = new FieldErrors();
    const owner = patch.owner?.trim().toLowerCase();
    if (owner) await checkOwner(trx, owner, errs);
    errs.throwIfAny();
    const at = nowIso();
    const closing = patch.status !== undefined && patch.status !== row.status && patch.status !== "open";
    const ok = await repo.updateFollowUp(trx, id, version, {
      ...(patch.subject !== undefined ? { subject: patch.subject.trim() } : {}),
      ...(patch.note !== undefined ? { note: patch.note?.trim() || null } : {}),
      ...(patch.dueAt !== undefined ? { due_at: new Date(patch.dueAt).toISOString() } : {}),
      ...(owner ? { owner } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(closing ? { completed_at: at, completed_by: ctx.actor } : {}),
      ...(patch.status === "open" ? { completed_at: null, completed_by: null } : {}),
      updated_at: at,
    });
    if (!ok) {
      const now = presentFollowUp((await repo.findFollowUp(trx, customerId, id))!, clockOf(ctx).now().getTime());
      throw versionMismatch(now, now.version);
    }
    const after = presentFollowUp((await repo.findFollowUp(trx, customerId, id))!, clockOf(ctx).now().getTime());
    if (closing) {
      await addJournalEntry(trx, ctx, {
        customerId,
        kind: "follow_up",
        subject: `${patch.status === "done" ? "Wiedervorlage erledigt" : "Wiedervorlage storniert"}: ${after.subject}`,
        body: null,
        contactId: after.contactId,
        link: { type: "follow_up", id },
      });
    }
    await audit(trx, ctx, at, { customerId, entityType: "follow_up", entityId: id, before, after });
    return after;
  });
}

export async function getFollowUp(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  id: number,
): Promise<FollowUp> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const row = await repo.findFollowUp(db.kysely, customerId, id);
  if (!row) throw notFound("Follow-up", id);
  return presentFollowUp(row, clockOf(ctx).now().getTime());
}

async function page(
  db: Database,
  filters: repo.FollowUpFilters,
  limit: number,
  cursor: string | undefined,
  now: number,
): Promise<{ items: FollowUp[]; nextCursor: string | null }> {
  const after = cursor ? decodeCursor(cursor, ["timestamp", "id"]) : null;
  const rows = await repo.listFollowUps(db.kysely, filters, limit + 1, after);
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map((r) => presentFollowUp(r, now));
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.dueAt, last.id]) : null };
}

/** A user's follow-ups by due date (overdue first). */
export async function listUserFollowUps(
  db: Database,
  ctx: RequestContext,
  q: { owner?: string; status?: FollowUpStatus; limit?: number; cursor?: string },
) {
  const owner = !q.owner || q.owner === "me" ? ctx.actor : q.owner.trim().toLowerCase();
  return page(
    db,
    { owner, status: q.status ?? "open", visibleTo: ctx.visibility ?? undefined },
    q.limit ?? 50,
    q.cursor,
    clockOf(ctx).now().getTime(),
  );
}

/** A customer's follow-ups by due date. */
export async function listCustomerFollowUps(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  q: { status?: FollowUpStatus; limit?: number; cursor?: string },
) {
  await visibleCustomer(db.kysely, ctx, customerId);
  return page(db, { customerId, status: q.status ?? "open" }, q.limit ?? 50, q.cursor, clockOf(ctx).now().getTime());
}
