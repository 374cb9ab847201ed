import {
  CONTACT_MERGE_FIELDS,
  type ContactMergeRequest,
  type Customer,
  type CustomerMergeRequest,
  type CustomerUpdate,
  MERGE_FIELDS,
  type MergeResult,
} from "@kundenakte/contract";
import type { Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import { flag, indexJournalText } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { nowIso } from "../../lib/time.js";
import { withoutFinanceCounts } from "../audit/audit.finance.js";
import { insertAudit } from "../audit/audit.repository.js";
import { diff } from "../audit/audit.service.js";
import { markHasFinance } from "../customer-file/customer-file.repository.js";
import { customerWrite, noteCustomerChanged } from "../customer-file/customer-write.js";
import { contactSpec } from "../customer-parts/contacts.js";
import type { PartRow } from "../customer-parts/part.js";
import * as parts from "../customer-parts/part.repository.js";
import * as customers from "../customers/customers.repository.js";
import {
  assertStaysVisible,
  assertVisible,
  customerColumns,
  loadCustomer,
  stale,
  visibleCustomer,
} from "../customers/customers.service.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import * as repo from "./merge.repository.js";

/** Validates the merge list: no survivor, no record twice. */
function checkSources(survivorId: number, sources: { id: number }[], errs: FieldErrors): void {
  const seen = new Set<number>();
  sources.forEach((s, i) => {
    if (s.id === survivorId) errs.add(`merge/${i}/id`, "is_survivor", "the survivor cannot be merged into itself");
    else if (seen.has(s.id)) errs.add(`merge/${i}/id`, "duplicate", "listed twice");
    seen.add(s.id);
  });
}

const fieldValue = (c: Customer, field: string) => (c as unknown as Record<string, unknown>)[field];
const isEmpty = (v: unknown) => v === null || v === undefined || v === "";

const LABEL_MAX = 120;
const labelOf = (c: Customer) => `${c.customerNumber} ${c.name1}`.slice(0, LABEL_MAX);

/**
 * Merges customers into a survivor in one transaction: per field the chosen value wins (where
 * nothing was chosen, the survivor's, or a merged customer's where the survivor's is empty),
 * every linked record moves, the merged customers are deleted and their numbers lead to the
 * survivor; one audit record and one journal entry on the survivor say what was merged.
 */
export async function mergeCustomers(
  db: Database,
  ctx: RequestContext,
  survivorId: number,
  version: number,
  req: CustomerMergeRequest,
  options: { failBeforeCommit?: boolean } = {},
): Promise<MergeResult> {
  const errs = new FieldErrors();
  checkSources(survivorId, req.merge, errs);
  errs.throwIfAny();
  return customerWrite(db, async (trx) => {
    const survivor = await loadCustomer(trx, survivorId);
    if (!survivor) throw notFound("Customer", survivorId);
    assertVisible(ctx, survivor);
    if (survivor.version !== version) throw versionMismatch(survivor, survivor.version);
    const merged: Customer[] = [];
    for (const s of req.merge) {
      const c = await loadCustomer(trx, s.id);
      if (!c) throw notFound("Customer", s.id);
      assertVisible(ctx, c);
      if (c.version !== s.version) throw versionMismatch(c, c.version);
      merged.push(c);
    }

    // Per field, the chosen customer's value.
    const byId = new Map<number, Customer>([[survivorId, survivor], ...merged.map((c) => [c.id, c] as const)]);
    const patch: Record<string, unknown> = {};
    const chosen = req.fields ?? {};
    for (const [field, from] of Object.entries(chosen)) {
      const source = byId.get(from as number);
      if (!source) errs.add(`fields/${field}`, "not_in_merge", `customer ${from} is not part of this merge`);
      else if (source.id !== survivorId) patch[field] = fieldValue(source, field);
    }
    errs.throwIfAny();
    // A field nobody chose for never loses a value: an empty one of the survivor takes the first
    // merged customer's value (in the order of the list). Only an explicit choice may empty a field.
    for (const field of MERGE_FIELDS) {
      if (field in chosen || !isEmpty(fieldValue(survivor, field))) continue;
      const donor = merged.find((c) => !isEmpty(fieldValue(c, field)));
      if (donor) patch[field] = fieldValue(donor, field);
    }

    const at = nowIso();
    const mergedIds = merged.map((c) => c.id);
    const journal = db.engine === "sqlite" ? await repo.movedJournalEntries(trx, mergedIds) : [];
    const moved = await repo.moveCustomerRecords(trx, survivorId, mergedIds, {
      engine: db.engine,
      actor: ctx.actor,
      today: clockOf(ctx).today(),
      survivorLabel: labelOf(survivor),
    });
    for (const e of journal) {
      const entry = { id: Number(e.id), occurredAt: e.occurred_at };
      await indexJournalText(
        trx as Transaction<DB>,
        { ...entry, customerId: Number(e.customer_id) },
        { ...entry, customerId: survivorId, text: e.search_text },
      );
    }

    // Documents or payments came along: the survivor's file now shows key figures.
    if (moved.sales_documents || moved.payments) await markHasFinance(trx, survivorId);
    for (const c of merged) {
      if (!(await customers.deleteCustomer(trx, c.id, c.version))) throw await stale(trx, c.id);
      await trx
        .insertInto("merged_customers")
        .values({
          customer_id: c.id,
          customer_number: c.customerNumber,
          debtor_number: c.debtorNumber,
          name: c.name1,
          survivor_id: survivorId,
          merged_at: at,
          merged_by: ctx.actor,
        })
        .execute();
    }

    // The survivor changes (at least its version: whoever edits it next must have seen the merge).
    const columns = customerColumns(patch as CustomerUpdate, errs, ctx, at);
    assertStaysVisible(ctx, errs, columns, survivor);
    errs.throwIfAny();
    if (!(await customers.updateCustomer(trx, survivorId, version, { ...columns, updated_at: at }))) {
      throw await stale(trx, survivorId);
    }
    const after = (await loadCustomer(trx, survivorId))!;
    const changes = diff(survivor, after, ["letterSalutation"]);
    await insertAudit(trx, {
      at,
      actor: ctx.actor,
      customerId: survivorId,
      entityType: "customer",
      entityId: survivorId,
      action: "merge",
      changes: [
        // Everything the merged customers were, so nothing of their master data is lost.
        { field: "merged", old: merged, new: null },
        { field: "moved", old: null, new: moved },
        ...changes,
      ],
      requestId: ctx.requestId,
    });
    noteCustomerChanged(trx, survivorId);
    const counts = movedText(moved);
    await addJournalEntry(trx, ctx, {
      customerId: survivorId,
      kind: "system",
      subject: `Kunden zusammengeführt: ${merged.map((c) => c.customerNumber).join(", ")}`,
      body: [
        ...merged.map((c) => `${labelOf(c)} → ${survivor.customerNumber}`),
        counts ? `Übernommen: ${counts}` : "Nichts zu übernehmen",
        changes.length ? `Geänderte Felder: ${changes.map((c) => c.field).join(", ")}` : null,
      ]
        .filter(Boolean)
        .join("\n"),
      link: { type: "customer", id: survivorId },
      editable: false,
    });
    if (options.failBeforeCommit) throw new Error("forced failure before commit (test)");
    return {
      survivorId,
      merged: merged.map((c) => ({ id: c.id, number: c.customerNumber, name: c.name1 })),
      moved: ctx.finance ? moved : withoutFinanceCounts(moved),
      version: after.version,
    };
  });
}

/** German names of the moved kinds, for the journal entry (finance records are named as one). */
const TABLE_NAMES: Record<string, string> = {
  addresses: "Adressen",
  channels: "Kommunikationswege",
  contacts: "Kontakte",
  customer_tags: "Merkmale",
  journal_entries: "Journaleinträge",
  follow_ups: "Wiedervorlagen",
  sales_documents: "Belege",
  audit_log: "Änderungsprotokolle",
  tickets: "Tickets",
  opportunities: "Verkaufschancen",
  consents: "Einwilligungen",
  campaign_members: "Kampagnenteilnahmen",
  price_agreements: "Preisvereinbarungen",
  advertising_objections: "Werbewidersprüche",
};
/** Sums the server keeps beside the records (revenue, product history, journal counters): not entries of their own. */
const DERIVED = new Set(["journal_counts", "customer_revenue", "customer_product_history"]);

/**
 * "2 Kontakte, 5 Journaleinträge, 1 weitere Einträge, Finanzdaten": what moved, in words,
 * without table names. Everyone with the journal reads it, so finance records are named
 * without their counts (those are in the merge's history record, for finance readers).
 */
function movedText(moved: Record<string, number>): string {
  const shown = withoutFinanceCounts(moved);
  const named = Object.entries(shown).filter(([t, n]) => n > 0 && TABLE_NAMES[t]);
  const other = Object.entries(shown)
    .filter(([t]) => !TABLE_NAMES[t] && !DERIVED.has(t))
    .reduce((sum, [, n]) => sum + n, 0);
  const finance = Object.keys(shown).length < Object.keys(moved).length;
  return [
    ...named.map(([t, n]) => `${n} ${TABLE_NAMES[t]}`),
    ...(other > 0 ? [`${other} weitere Einträge`] : []),
    ...(finance ? ["Finanzdaten"] : []),
  ].join(", ");
}

/**
 * Merges contacts of one customer into a survivor contact: per field the chosen value wins
 * (not chosen: the survivor's, or a merged contact's where the survivor's is empty),
 * journal entries, follow-ups, documents, tickets, consents… that name a merged contact name
 * the survivor, and the merged contacts are deleted (their data stays in the audit record).
 */
export async function mergeContacts(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  survivorId: number,
  version: number,
  req: ContactMergeRequest,
): Promise<MergeResult> {
  const errs = new FieldErrors();
  checkSources(survivorId, req.merge, errs);
  errs.throwIfAny();
  return customerWrite(db, async (trx) => {
    const customer = await visibleCustomer(trx, ctx, customerId);
    const partCtx = { customerLanguage: customer.language, defaultCountry: "DE" };
    const survivor = await parts.findPart(trx, "contacts", customerId, survivorId);
    if (!survivor) throw notFound("Contact", survivorId);
    if (survivor.version !== version) throw versionMismatch(contactSpec.present(survivor), survivor.version);
    const merged: PartRow[] = [];
    for (const s of req.merge) {
      const c = await parts.findPart(trx, "contacts", customerId, s.id);
      if (!c) throw notFound("Contact", s.id);
      if (c.version !== s.version) throw versionMismatch(contactSpec.present(c), c.version);
      merged.push(c);
    }
    const byId = new Map<number, PartRow>([[survivorId, survivor], ...merged.map((c) => [Number(c.id), c] as const)]);
    const shown = (c: PartRow, field: string) => (contactSpec.present(c) as Record<string, unknown>)[field];
    const patch: Record<string, unknown> = {};
    const chosen = req.fields ?? {};
    for (const [field, from] of Object.entries(chosen)) {
      const source = byId.get(from as number);
      if (!source) errs.add(`fields/${field}`, "not_in_merge", `contact ${from} is not part of this merge`);
      else if (Number(source.id) !== survivorId) patch[field] = shown(source, field);
    }
    errs.throwIfAny();
    // As for customers: a field nobody chose for takes the first merged contact's value where the survivor's is empty.
    for (const field of CONTACT_MERGE_FIELDS) {
      if (field in chosen || !isEmpty(shown(survivor, field))) continue;
      const donor = merged.find((c) => !isEmpty(shown(c, field)));
      if (donor) patch[field] = shown(donor, field);
    }
    const columns = contactSpec.toUpdate(patch, errs, survivor, partCtx);
    errs.throwIfAny();

    const at = nowIso();
    const mergedIds = merged.map((c) => Number(c.id));
    const label = contactName(survivor);
    const moved = await repo.moveContactRecords(trx, survivorId, mergedIds, {
      engine: db.engine,
      actor: ctx.actor,
      today: clockOf(ctx).today(),
      survivorLabel: label,
    });
    // A merged primary contact passes the flag to the survivor.
    if (merged.some((c) => flag(c.is_primary as number))) columns.is_primary = true;
    for (const c of merged) {
      if (!(await parts.deletePart(trx, "contacts", Number(c.id), c.version))) {
        throw versionMismatch(contactSpec.present(c), c.version);
      }
    }
    const after = await parts.updatePart(trx, db.engine, "contacts", survivorId, version, {
      ...columns,
      updated_at: at,
    });
    if (!after) throw versionMismatch(contactSpec.present(survivor), survivor.version);
    const changes = diff(
      contactSpec.present(survivor) as Record<string, unknown>,
      contactSpec.present(after) as Record<string, unknown>,
      contactSpec.derived,
    );
    await insertAudit(trx, {
      at,
      actor: ctx.actor,
      customerId,
      entityType: "contact",
      entityId: survivorId,
      action: "merge",
      changes: [
        { field: "merged", old: merged.map((c) => contactSpec.present(c)), new: null },
        { field: "moved", old: null, new: moved },
        ...changes,
      ],
      requestId: ctx.requestId,
    });
    noteCustomerChanged(trx, customerId);
    await addJournalEntry(trx, ctx, {
      customerId,
      kind: "system",
      subject: `Kontakte zusammengeführt: ${merged.map(contactName).join(", ")} → ${label}`,
      body: Object.keys(moved).length ? `Übernommen: ${movedText(moved) || "nichts"}` : null,
      contactId: survivorId,
      link: { type: "contact", id: survivorId },
      editable: false,
    });
    return {
      survivorId,
      merged: merged.map((c) => ({ id: Number(c.id), number: String(c.id), name: contactName(c) })),
      moved,
      version: after.version,
    };
  });
}

const contactName = (c: PartRow) => [c.first_name, c.last_name].filter(Boolean).join(" ");

/** The customer a merged customer now lives on, if `id` was merged away. */
export async function survivorOf(
  db: Database,
  id: number,
): Promise<{ survivorId: number; customerNumber: string } | null> {
  const row = await db.kysely
    .selectFrom("merged_customers")
    .select(["survivor_id", "customer_number"])
    .where("customer_id", "=", id)
    .executeTakeFirst();
  return row ? { survivorId: Number(row.survivor_id), customerNumber: row.customer_number } : null;
}

/**
 * Runs a read of one customer; if the customer was merged away, answers 308 with the
 * survivor's address instead of 404, so old links and bookmarks keep working — unless the
 * row-level rule hides the survivor.
 */
export async function orSurvivor<T>(
  db: Database,
  ctx: RequestContext,
  id: number,
  path: string,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "not_found") throw err;
    const s = await survivorOf(db, id);
    if (!s) throw err;
    // A survivor the row-level rule hides is not revealed: the merged number is simply gone.
    await visibleCustomer(db.kysely, ctx, s.survivorId).catch(() => {
      throw err;
    });
    throw new AppError(
      "customer_merged",
      `Customer ${id} (${s.customerNumber}) was merged into customer ${s.survivorId}`,
      {
        headers: { location: `/api/v1/customers/${s.survivorId}${path}` },
      },
    );
  }
}
