import type {
  CustomerOpportunityQuery,
  Opportunity,
  OpportunityCreate,
  OpportunityQuery,
  OpportunityStatus,
  OpportunityUpdate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { flag } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { type AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { audit } from "../audit/audit.service.js";
import { findUserByEmail } from "../auth/auth.repository.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { contactBelongsTo } from "../journal/journal.repository.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import { presentOpportunity } from "./opportunities.presenter.js";
import * as repo from "./opportunities.repository.js";
import * as texts from "./opportunity-journal.js";

type Executor = Parameters<typeof repo.findOpportunity>[0];

const normaliseEmail = (e: string) => e.trim().toLowerCase();

async function load(db: Executor, customerId: number, id: number): Promise<Opportunity | undefined> {
  const row = await repo.findOpportunity(db, customerId, id);
  if (!row) return undefined;
  return presentOpportunity(row, (await repo.quoteIdsOf(db, [id])).get(id) ?? []);
}

/** The error for a lost compare-and-set: 412 with the current state, or 404 when it is gone. */
async function stale(db: Executor, customerId: number, id: number): Promise<AppError> {
  const current = await load(db, customerId, id);
  return current ? versionMismatch(current, current.version) : notFound("Opportunity", id);
}

async function checkOwner(db: Executor, owner: string, errs: FieldErrors) {
  const user = await findUserByEmail(db, owner);
  if (!user) errs.add("owner", "unknown_user", `there is no user ${owner}`);
  else if (!flag(user.active)) errs.add("owner", "inactive_user", `${owner} is deactivated`);
}

/** A stage to put an opportunity in: it must exist and take new opportunities. */
async function checkStage(db: Executor, stageId: number, errs: FieldErrors) {
  const stage = await repo.findStage(db, stageId);
  if (!stage) errs.add("stageId", "unknown_stage", `there is no stage ${stageId}`);
  else if (!flag(stage.active)) errs.add("stageId", "inactive_stage", `stage ${stage.name} takes no opportunities`);
}

/** Linked quotes must be quotes of the same customer. */
async function checkQuotes(db: Executor, customerId: number, ids: readonly number[], errs: FieldErrors) {
  const docs = await repo.documentsOf(db, customerId, ids);
  ids.forEach((id, i) => {
    const type = docs.get(id);
    if (type === undefined) errs.add(`quoteIds/${i}`, "unknown_document", `document ${id} is not this customer's`);
    else if (type !== "quote")
      errs.add(`quoteIds/${i}`, "wrong_document_type", `document ${id} is a ${type}, not a quote`);
  });
}

async function firstActiveStage(db: Executor): Promise<number | undefined> {
  const stage = (await repo.listStages(db)).find((s) => flag(s.active));
  return stage ? Number(stage.id) : undefined;
}

/** Creates an opportunity in a stage (the first active one by default), noted in the journal. */
export async function createOpportunity(
  db: Database,
  ctx: RequestContext,
  now: Date,
  customerId: number,
  input: OpportunityCreate,
): Promise<Opportunity> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const errs = new FieldErrors();
    const owner = normaliseEmail(input.owner ?? ctx.actor);
    await checkOwner(trx, owner, errs);
    if (input.contactId && !(await contactBelongsTo(trx, input.contactId, customerId))) {
      errs.add("contactId", "unknown_contact", `contact ${input.contactId} is not a contact of this customer`);
    }
    const stageId = input.stageId ?? (await firstActiveStage(trx));
    if (stageId === undefined) errs.add("stageId", "required", "there is no active stage to start in; name one");
    else await checkStage(trx, stageId, errs);
    const quoteIds = input.quoteIds ?? [];
    await checkQuotes(trx, customerId, quoteIds, errs);
    errs.throwIfAny();
    const at = now.toISOString();
    const id = await repo.insertOpportunity(trx, {
      customer_id: customerId,
      contact_id: input.contactId ?? null,
      title: input.title.trim(),
      description: input.description?.trim() || null,
      stage_id: stageId!,
      status: "open",
      value_cents: input.valueCents,
      expected_close_date: input.expectedCloseDate,
      owner,
      close_reason: null,
      closed_on: null,
      created_by: ctx.actor,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    await repo.replaceQuotes(trx, id, quoteIds);
    const created = (await load(trx, customerId, id))!;
    await addJournalEntry(trx, ctx, {
      customerId,
      kind: "system",
      occurredAt: at,
      subject: texts.createdSubject(created.title),
      body: texts.summary(created),
      contactId: created.contactId,
      link: { type: "opportunity", id },
    });
    await audit(trx, ctx, at, { customerId, entityType: "opportunity", entityId: id, before: null, after: created });
    return created;
  });
}

/**
 * Changes an opportunity; a stage change and winning, losing or reopening it write journal
 * entries (kind `system`, linked to the opportunity) in the same transaction.
 */
export async function updateOpportunity(
  db: Database,
  ctx: RequestContext,
  now: Date,
  customerId: number,
  id: number,
  version: number,
  patch: OpportunityUpdate,
): Promise<Opportunity> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const before = await load(trx, customerId, id);
    if (!before) throw notFound("Opportunity", id);
    if (before.version !== version) throw versionMismatch(before, before.version);
    const errs = new FieldErrors();
    const owner = patch.owner === undefined ? undefined : normaliseEmail(patch.owner);
    if (owner !== undefined && owner !== before.owner) await checkOwner(trx, owner, errs);
    if (patch.contactId && !(await contactBelongsTo(trx, patch.contactId, customerId))) {
      errs.add("contactId", "unknown_contact", `contact ${patch.contactId} is not a contact of this customer`);
    }
    const stageChanged = patch.stageId !== undefined && patch.stageId !== before.stageId;
    if (stageChanged) await checkStage(trx, patch.stageId!, errs);
    if (patch.quoteIds) await checkQuotes(trx, customerId, patch.quoteIds, errs);
    const status = (patch.status ?? before.status) as OpportunityStatus;
    const statusChanged = status !== before.status;
    // Won and lost carry a reason (required for lost); reopening clears it.
    const closeReason =
      status === "open" ? null : patch.closeReason === undefined ? before.closeReason : patch.closeReason;
    if (status === "open" && patch.closeReason) {
      errs.add("closeReason", "not_closing", "only a won or lost opportunity has a reason");
    }
    if (status === "lost" && !closeReason?.trim()) {
      errs.add("closeReason", "required", "say why the opportunity was lost");
    }
    errs.throwIfAny();
    const at = now.toISOString();
    const ok = await repo.updateOpportunity(trx, id, version, {
      ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
      ...(patch.description !== undefined ? { description: patch.description?.trim() || null } : {}),
      ...(patch.contactId !== undefined ? { contact_id: patch.contactId } : {}),
      ...(stageChanged ? { stage_id: patch.stageId } : {}),
      ...(patch.valueCents !== undefined ? { value_cents: patch.valueCents } : {}),
      ...(patch.expectedCloseDate !== undefined ? { expected_close_date: patch.expectedCloseDate } : {}),
      ...(owner !== undefined ? { owner } : {}),
      ...(statusChanged ? { status, closed_on: status === "open" ? null : clockOf(ctx).dayOf(now) } : {}),
      ...(closeReason !== before.closeReason ? { close_reason: closeReason?.trim() ?? null } : {}),
      updated_at: at,
    });
    if (!ok) throw await stale(trx, customerId, id);
    if (patch.quoteIds) await repo.replaceQuotes(trx, id, patch.quoteIds);
    const after = (await load(trx, customerId, id))!;
    const entry = (subject: string, body: string | null) =>
      addJournalEntry(trx, ctx, {
        customerId,
        kind: "system",
        occurredAt: at,
        subject,
        body,
        contactId: after.contactId,
        link: { type: "opportunity", id },
      });
    if (stageChanged)
      await entry(texts.stageSubject(after.title, before.stageName, after.stageName), texts.summary(after));
    if (statusChanged) {
      const body =
        status === "open"
          ? texts.summary(after)
          : [texts.money(after.valueCents), after.closeReason].filter(Boolean).join(" · ");
      await entry(texts.STATUS_SUBJECT[status](after.title), body);
    }
    await audit(trx, ctx, at, {
      customerId,
      entityType: "opportunity",
      entityId: id,
      before,
      after,
      derived: ["stageName", "probability", "weightedCents", "customerName"],
    });
    return after;
  });
}

/** Deletes an opportunity entered by mistake; the journal keeps a note of it. */
export async function deleteOpportunity(
  db: Database,
  ctx: RequestContext,
  now: Date,
  customerId: number,
  id: number,
  version: number,
): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const before = await load(trx, customerId, id);
    if (!before) throw notFound("Opportunity", id);
    if (before.version !== version) throw versionMismatch(before, before.version);
    if (!(await repo.deleteOpportunity(trx, id, version))) throw await stale(trx, customerId, id);
    const at = now.toISOString();
    await addJournalEntry(trx, ctx, {
      customerId,
      kind: "system",
      occurredAt: at,
      subject: texts.deletedSubject(before.title),
      body: texts.summary(before),
      contactId: before.contactId,
      link: { type: "opportunity", id },
    });
    await audit(trx, ctx, at, { customerId, entityType: "opportunity", entityId: id, before, after: null });
  });
}

export async function getOpportunity(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  id: number,
): Promise<Opportunity> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const o = await load(db.kysely, customerId, id);
  if (!o) throw notFound("Opportunity", id);
  return o;
}

async function page(
  db: Database,
  filters: repo.OpportunityFilters,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: Opportunity[]; nextCursor: string | null }> {
  const after = cursor ? decodeCursor(cursor, ["date", "id"]) : null;
  const rows = await repo.listOpportunities(db.kysely, filters, limit + 1, after);
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const quotes = await repo.quoteIdsOf(
    db.kysely,
    shown.map((r) => Number(r.id)),
  );
  const items = shown.map((r) => presentOpportunity(r, quotes.get(Number(r.id)) ?? []));
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.expectedCloseDate, last.id]) : null };
}

export const ownerOf = (ctx: RequestContext, owner: string | undefined) =>
  owner === undefined ? undefined : owner === "me" ? ctx.actor : normaliseEmail(owner);

/** Opportunities across customers by expected close date, soonest first. */
export async function listOpportunities(db: Database, ctx: RequestContext, q: OpportunityQuery) {
  if (q.customerId !== undefined) await visibleCustomer(db.kysely, ctx, q.customerId);
  return page(
    db,
    {
      status: q.status ?? "open",
      owner: ownerOf(ctx, q.owner),
      customerId: q.customerId,
      stageId: q.stageId,
      visibleTo: ctx.visibility ?? undefined,
    },
    q.limit ?? 50,
    q.cursor,
  );
}

/** One customer's opportunities by expected close date. */
export async function listCustomerOpportunities(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  q: CustomerOpportunityQuery,
) {
  await visibleCustomer(db.kysely, ctx, customerId);
  return page(
    db,
    { status: q.status ?? "open", owner: ownerOf(ctx, q.owner), customerId, stageId: q.stageId },
    q.limit ?? 50,
    q.cursor,
  );
}
