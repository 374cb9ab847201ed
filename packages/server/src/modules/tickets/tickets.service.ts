import {
  OPEN_TICKET_STATUSES,
  type ResolutionCategory,
  TICKET_STATUSES,
  type Ticket,
  type TicketCreate,
  type TicketPriority,
  type TicketQuery,
  type TicketStatus,
  type TicketType,
  type TicketUpdate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { flag } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { audit } from "../audit/audit.service.js";
import { findUserByEmail } from "../auth/auth.repository.js";
import { markHasFinance } from "../customer-file/customer-file.repository.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { contactBelongsTo } from "../journal/journal.repository.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import { nextNumber } from "../number-ranges/number-ranges.service.js";
import * as texts from "./ticket-journal.js";
import { assertTransition } from "./ticket-workflow.js";
import { presentTicket } from "./tickets.presenter.js";
import * as repo from "./tickets.repository.js";

type Executor = Parameters<typeof repo.findTicket>[0];

/** Documents a request can be about, and the ones that can settle a complaint. */
const SUBJECT_DOCUMENTS = ["order", "invoice", "delivery_note"];
const SETTLEMENT_DOCUMENTS = ["credit_note", "order", "delivery_note"];

const HOUR = 3600_000;

/** The due time the SLA gives a ticket of this type and priority created at `createdAt`. */
async function slaDueAt(db: Executor, type: string, priority: string, createdAt: string): Promise<string> {
  const sla = await repo.findSla(db, type, priority);
  // Every type × priority is seeded and cannot be deleted; a missing row is a broken database.
  if (!sla) throw new Error(`no SLA for ${type}/${priority}`);
  return new Date(Date.parse(createdAt) + sla.hours * HOUR).toISOString();
}

const normaliseEmail = (e: string) => e.trim().toLowerCase();

async function checkAssignee(db: Executor, assignee: string, errs: FieldErrors) {
  const user = await findUserByEmail(db, assignee);
  if (!user) errs.add("assignee", "unknown_user", `there is no user ${assignee}`);
  else if (!flag(user.active)) errs.add("assignee", "inactive_user", `${assignee} is deactivated`);
}

async function checkDocument(
  db: Executor,
  customerId: number,
  field: string,
  id: number,
  types: string[],
  errs: FieldErrors,
) {
  const type = await repo.documentTypeOf(db, customerId, id);
  if (type === undefined) errs.add(field, "unknown_document", `document ${id} is not this customer's`);
  else if (!types.includes(type))
    errs.add(field, "wrong_document_type", `document ${id} is a ${type}; expected ${types.join(", ")}`);
}

/** Creates a ticket with its number and SLA due time, noted in the customer's journal. */
export async function createTicket(
  db: Database,
  ctx: RequestContext,
  now: Date,
  customerId: number,
  input: TicketCreate,
): Promise<Ticket> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const errs = new FieldErrors();
    const assignee = input.assignee ? normaliseEmail(input.assignee) : null;
    if (assignee) await checkAssignee(trx, assignee, errs);
    if (input.contactId && !(await contactBelongsTo(trx, input.contactId, customerId))) {
      errs.add("contactId", "unknown_contact", `contact ${input.contactId} is not a contact of this customer`);
    }
    if (input.documentId) await checkDocument(trx, customerId, "documentId", input.documentId, SUBJECT_DOCUMENTS, errs);
    if (input.productId && !(await repo.productExists(trx, input.productId))) {
      errs.add("productId", "unknown_product", `there is no product ${input.productId}`);
    }
    errs.throwIfAny();
    const at = now.toISOString();
    const priority = input.priority ?? "normal";
    const dueAt = input.dueAt ? new Date(input.dueAt).toISOString() : await slaDueAt(trx, input.type, priority, at);
    const number = await nextNumber(trx, "ticket", (n) => repo.numberTaken(trx, n));
    const subject = input.subject.trim();
    const id = await repo.insertTicket(trx, {
      number,
      customer_id: customerId,
      contact_id: input.contactId ?? null,
      type: input.type,
      subject,
      description: input.description?.trim() || null,
      priority,
      status: "new",
      assignee,
      due_at: dueAt,
      document_id: input.documentId ?? null,
      product_id: input.productId ?? null,
      settlement_document_id: null,
      resolution: null,
      resolution_category: null,
      resolved_at: null,
      closed_at: null,
      created_by: ctx.actor,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    await addJournalEntry(trx, ctx, {
      customerId,
      kind: "ticket",
      occurredAt: at,
      subject: texts.createdSubject(number, subject),
      body: texts.createdBody({ type: input.type, priority, dueAt, assignee }),
      contactId: input.contactId ?? null,
      link: { type: "ticket", id },
    });
    // The file's key figures count open tickets: they are read for this customer from now on.
    await markHasFinance(trx, customerId);
    const ticket = presentTicket((await repo.findTicket(trx, customerId, id))!, now);
    await audit(trx, ctx, at, { customerId, entityType: "ticket", entityId: id, before: null, after: ticket });
    return ticket;
  });
}

/** The columns a status change sets besides the status itself. */
function statusColumns(to: TicketStatus, at: string): Partial<repo.TicketValues> {
  if (to === "resolved") return { resolved_at: at, closed_at: null };
  if (to === "closed") return { closed_at: at };
  // Reopened (or on its way): a new resolution will be needed.
  return { resolution: null, resolution_category: null, resolved_at: null, closed_at: null };
}

/**
 * Changes a ticket: fields, assignment, status along the workflow. Every status change and
 * every assignment writes a journal entry, in the same transaction.
 */
export async function updateTicket(
  db: Database,
  ctx: RequestContext,
  now: Date,
  customerId: number,
  id: number,
  version: number,
  patch: TicketUpdate,
): Promise<Ticket> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const row = await repo.findTicket(trx, customerId, id);
    if (!row) throw notFound("Ticket", id);
    const before = presentTicket(row, now);
    if (row.version !== version) throw versionMismatch(before, row.version);
    const from = row.status as TicketStatus;
    if (from === "closed") {
      throw new AppError("illegal_transition", `Ticket ${row.number} is closed; a closed ticket changes no more`, {
        errors: [{ field: "status", code: "illegal_transition", message: "a closed ticket is final" }],
      });
    }
    const to = (patch.status ?? from) as TicketStatus;
    assertTransition(row.number, from, to);
    const statusChanged = to !== from;

    const errs = new FieldErrors();
    const type = (patch.type ?? row.type) as TicketType;
    const priority = (patch.priority ?? row.priority) as TicketPriority;
    const assignee =
      patch.assignee === undefined ? row.assignee : patch.assignee === null ? null : normaliseEmail(patch.assignee);
    const assigned = assignee !== row.assignee;
    if (assigned && assignee) await checkAssignee(trx, assignee, errs);
    if (patch.contactId && !(await contactBelongsTo(trx, patch.contactId, customerId))) {
      errs.add("contactId", "unknown_contact", `contact ${patch.contactId} is not a contact of this customer`);
    }
    if (patch.documentId) await checkDocument(trx, customerId, "documentId", patch.documentId, SUBJECT_DOCUMENTS, errs);
    if (patch.productId && !(await repo.productExists(trx, patch.productId))) {
      errs.add("productId", "unknown_product", `there is no product ${patch.productId}`);
    }
    const settlement =
      patch.settlementDocumentId === undefined ? before.settlementDocumentId : patch.settlementDocumentId;
    if (settlement !== null && type !== "complaint") {
      errs.add(
        "settlementDocumentId",
        "not_a_complaint",
        "only a complaint is settled by a credit note or replacement",
      );
    } else if (patch.settlementDocumentId) {
      await checkDocument(
        trx,
        customerId,
        "settlementDocumentId",
        patch.settlementDocumentId,
        SETTLEMENT_DOCUMENTS,
        errs,
      );
    }
    // Resolution text and category belong to a resolved (or closed) ticket and are required
    // there; a move back to an open status (reopening) clears them.
    const reopening = statusChanged && to !== "resolved" && to !== "closed";
    const resolution = reopening ? null : patch.resolution === undefined ? row.resolution : patch.resolution;
    const category = (
      reopening ? null : patch.resolutionCategory === undefined ? row.resolution_category : patch.resolutionCategory
    ) as ResolutionCategory | null;
    if (to === "resolved" || to === "closed") {
      if (!resolution?.trim()) errs.add("resolution", "required", "a resolved ticket needs a resolution text");
      if (!category) errs.add("resolutionCategory", "required", "a resolved ticket needs a resolution category");
    } else {
      for (const field of ["resolution", "resolutionCategory"] as const) {
        if (patch[field]) errs.add(field, "not_resolving", "only a resolved ticket has a resolution");
      }
    }
    errs.throwIfAny();

    const at = now.toISOString();
    const dueAt =
      patch.dueAt !== undefined
        ? new Date(patch.dueAt).toISOString()
        : type !== row.type || priority !== row.priority
          ? await slaDueAt(trx, type, priority, row.created_at)
          : undefined;
    const ok = await repo.updateTicket(trx, id, version, {
      ...(patch.subject !== undefined ? { subject: patch.subject.trim() } : {}),
      ...(patch.description !== undefined ? { description: patch.description?.trim() || null } : {}),
      ...(patch.type !== undefined ? { type } : {}),
      ...(patch.priority !== undefined ? { priority } : {}),
      ...(patch.contactId !== undefined ? { contact_id: patch.contactId } : {}),
      ...(assigned ? { assignee } : {}),
      ...(patch.documentId !== undefined ? { document_id: patch.documentId } : {}),
      ...(patch.productId !== undefined ? { product_id: patch.productId } : {}),
      ...(patch.settlementDocumentId !== undefined ? { settlement_document_id: patch.settlementDocumentId } : {}),
      ...(dueAt !== undefined ? { due_at: dueAt } : {}),
      ...(statusChanged ? { status: to, ...statusColumns(to, at) } : {}),
      ...(resolution !== row.resolution ? { resolution: resolution?.trim() ?? null } : {}),
      ...(category !== row.resolution_category ? { resolution_category: category } : {}),
      updated_at: at,
    });
    if (!ok) {
      // Someone else was first (or the customer was deleted with its tickets meanwhile).
      const current = await repo.findTicket(trx, customerId, id);
      if (!current) throw notFound("Ticket", id);
      throw versionMismatch(presentTicket(current, now), current.version);
    }
    const after = presentTicket((await repo.findTicket(trx, customerId, id))!, now);
    const entry = (subject: string, body: string | null) =>
      addJournalEntry(trx, ctx, {
        customerId,
        kind: "ticket",
        occurredAt: at,
        subject,
        body,
        contactId: after.contactId,
        link: { type: "ticket", id },
      });
    if (statusChanged) {
      const body =
        to === "resolved" && after.resolution && after.resolutionCategory
          ? texts.resolutionBody(after.resolutionCategory, after.resolution)
          : null;
      await entry(texts.statusSubject(row.number, from, to), body);
    }
    if (assigned) await entry(texts.assignmentSubject(row.number, assignee), null);
    await audit(trx, ctx, at, { customerId, entityType: "ticket", entityId: id, before, after, derived: ["overdue"] });
    return after;
  });
}

export async function getTicket(
  db: Database,
  ctx: RequestContext,
  now: Date,
  customerId: number,
  id: number,
): Promise<Ticket> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const row = await repo.findTicket(db.kysely, customerId, id);
  if (!row) throw notFound("Ticket", id);
  return presentTicket(row, now);
}

const OPEN = new Set<string>(OPEN_TICKET_STATUSES);

/** The statuses a list walks: the requested ones (all by default), narrowed by `open`. */
function statusesOf(q: { status?: string; open?: boolean }): TicketStatus[] {
  let statuses: TicketStatus[] = [...TICKET_STATUSES];
  if (q.status) {
    const errs = new FieldErrors();
    const asked = [...new Set(q.status.split(","))];
    for (const s of asked) {
      if (!TICKET_STATUSES.includes(s as TicketStatus)) {
        errs.add("status", "unknown_status", `no ticket status "${s}"; one of ${TICKET_STATUSES.join(", ")}`);
      }
    }
    errs.throwIfAny();
    statuses = asked as TicketStatus[];
  }
  if (q.open !== undefined) statuses = statuses.filter((s) => OPEN.has(s) === q.open);
  return statuses;
}

type ListQuery = Omit<TicketQuery, "customerId">;

async function page(
  db: Database,
  ctx: RequestContext,
  now: Date,
  q: ListQuery,
  scope: { customerId?: number; visibleTo?: { owner: string; region: string | null } },
): Promise<{ items: Ticket[]; nextCursor: string | null }> {
  const limit = q.limit ?? 50;
  const after = q.cursor ? decodeCursor(q.cursor, ["timestamp", "id"]) : null;
  const assignee =
    q.assignee === undefined
      ? undefined
      : q.assignee === "me"
        ? ctx.actor
        : q.assignee === "none"
          ? null
          : normaliseEmail(q.assignee);
  const rows = await repo.listTickets(
    db,
    {
      statuses: statusesOf(q),
      customerId: scope.customerId,
      assignee,
      type: q.type,
      priority: q.priority,
      overdue: q.overdue,
      now: now.toISOString(),
      openStatuses: OPEN_TICKET_STATUSES,
      visibleTo: scope.visibleTo,
    },
    limit + 1,
    after,
  );
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map((r) => presentTicket(r, now));
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.createdAt, last.id]) : null };
}

/** Tickets across customers (my tickets, open, overdue, by type...), newest first. */
export async function listTickets(db: Database, ctx: RequestContext, now: Date, q: TicketQuery) {
  const { customerId, ...rest } = q;
  if (customerId !== undefined) await visibleCustomer(db.kysely, ctx, customerId);
  return page(db, ctx, now, rest, { customerId, visibleTo: ctx.visibility ?? undefined });
}

/** One customer's tickets, newest first. */
export async function listCustomerTickets(
  db: Database,
  ctx: RequestContext,
  now: Date,
  customerId: number,
  q: ListQuery,
) {
  await visibleCustomer(db.kysely, ctx, customerId);
  return page(db, ctx, now, q, { customerId });
}
