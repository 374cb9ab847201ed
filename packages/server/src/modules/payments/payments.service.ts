import type { OpenItems, Payment, PaymentCreate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { ageingBucket, ageingTotals, daysOverdue } from "../../domain/finance/ageing.js";
import { formatMoney } from "../../domain/finance/money.js";
import { allocate, type SettlementInvoice, settle } from "../../domain/finance/settlement.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { clockOf } from "../../lib/clock.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { nowIso } from "../../lib/time.js";
import { audit } from "../audit/audit.service.js";
import { markHasFinance } from "../customer-file/customer-file.repository.js";
import { visibleCustomer } from "../customers/customers.service.js";
import * as documents from "../documents/documents.repository.js";
import { storedTerms } from "../documents/documents.service.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import * as repo from "./payments.repository.js";

type Executor = Parameters<typeof repo.findPayment>[0];

function present(r: repo.PaymentRow, allocations: repo.AllocationRow[]): Payment {
  return {
    id: Number(r.id),
    customerId: Number(r.customer_id),
    amountCents: Number(r.amount_cents),
    currency: r.currency,
    paymentDate: r.payment_date,
    method: r.method as Payment["method"],
    reference: r.reference,
    allocations: allocations.map((a) => ({
      documentId: Number(a.document_id),
      documentNumber: a.document_number,
      amountCents: Number(a.amount_cents),
      discountCents: Number(a.discount_cents),
    })),
    unallocatedCents: Number(r.unallocated_cents),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

async function loadPayment(db: Executor, customerId: number, id: number): Promise<Payment> {
  const r = await repo.findPayment(db, customerId, id);
  if (!r) throw notFound("Payment", id);
  return present(r, (await repo.allocationsOf(db, [id])).get(id) ?? []);
}

/** An invoice as the settlement arithmetic sees it: its stored terms, not today's. */
const asSettlement = (d: documents.DocumentRow): SettlementInvoice & { row: documents.DocumentRow } => {
  const t = storedTerms(d);
  return {
    row: d,
    grossCents: Number(d.gross_cents),
    openCents: Number(d.open_cents),
    invoiceDate: d.document_date,
    terms: { netDays: t?.netDays ?? 0, discounts: t?.discounts ?? [] },
  };
};

/**
 * Records a payment and applies it: to the invoices named (each up to what is open on it), or
 * without names to the customer's open invoices oldest first. A payment within a cash-discount
 * period that settles an invoice books the discount; what is left over stays as credit.
 */
export async function createPayment(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  input: PaymentCreate,
): Promise<Payment> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const currency = input.currency ?? "EUR";
    const payment = { amountCents: input.amountCents, date: input.paymentDate };
    const errs = new FieldErrors();
    const applied: { invoice: documents.DocumentRow; amount: number; discount: number; open: number }[] = [];
    let credit = input.amountCents;

    if (input.allocations?.length) {
      const ids = input.allocations.map((a) => a.documentId);
      const found = new Map((await documents.findDocumentsOf(trx, customerId, ids)).map((d) => [Number(d.id), d]));
      const seen = new Set<number>();
      let total = 0;
      input.allocations.forEach((a, i) => {
        const at = `allocations/${i}`;
        const d = found.get(a.documentId);
        total += a.amountCents;
        if (seen.has(a.documentId)) errs.add(`${at}/documentId`, "duplicate", "each invoice once");
        seen.add(a.documentId);
        if (!d || d.type !== "invoice") {
          errs.add(
            `${at}/documentId`,
            "unknown_invoice",
            `document ${a.documentId} is not an invoice of this customer`,
          );
          return;
        }
        if (d.currency !== currency) {
          errs.add(
            "currency",
            "currency_mismatch",
            `invoice ${d.number} is in ${d.currency}, the payment in ${currency}`,
          );
        }
        const open = Number(d.open_cents ?? 0);
        if (open <= 0) errs.add(`${at}/documentId`, "not_open", `invoice ${d.number} has nothing open`);
        else if (a.amountCents > open) {
          errs.add(
            `${at}/amountCents`,
            "exceeds_open",
            `only ${formatMoney(open, d.currency)} are open on invoice ${d.number}`,
          );
        }
      });
      if (total > input.amountCents) {
        errs.add(
          "allocations",
          "exceeds_payment",
          `the allocations add up to ${formatMoney(total, currency)}, the payment is ${formatMoney(input.amountCents, currency)}`,
        );
      }
      errs.throwIfAny();
      for (const a of input.allocations) {
        const invoice = asSettlement(found.get(a.documentId)!);
        const r = settle(invoice, { amountCents: a.amountCents, date: payment.date });
        applied.push({
          invoice: invoice.row,
          amount: r.appliedCents,
          discount: r.discountCents,
          open: r.remainingOpenCents,
        });
        credit -= r.appliedCents;
      }
    } else {
      const open = (await documents.openInvoices(trx, customerId)).filter((d) => d.currency === currency);
      const r = allocate(payment, open.map(asSettlement));
      for (const e of r.entries) {
        if (e.appliedCents === 0 && e.discountCents === 0) continue;
        applied.push({
          invoice: e.invoice.row,
          amount: e.appliedCents,
          discount: e.discountCents,
          open: e.remainingOpenCents,
        });
      }
      credit = r.creditCents;
    }

    const at = nowIso();
    await markHasFinance(trx, customerId);
    const id = await repo.insertPayment(trx, {
      customer_id: customerId,
      amount_cents: input.amountCents,
      currency,
      payment_date: input.paymentDate,
      method: input.method ?? "bank_transfer",
      reference: input.reference?.trim() || null,
      unallocated_cents: credit,
      created_by: ctx.actor,
      created_at: at,
    });
    for (const a of applied) {
      const ok = await documents.updateDocument(trx, Number(a.invoice.id), a.invoice.version, {
        open_cents: a.open,
        status: a.open === 0 ? "paid" : "partly_paid",
        paid_on: a.open === 0 ? input.paymentDate : null,
        updated_at: at,
      });
      if (!ok) throw new AppError("conflict", `invoice ${a.invoice.number} changed at the same time; try again`);
    }
    await repo.insertAllocations(
      trx,
      applied.map((a) => ({
        payment_id: id,
        document_id: Number(a.invoice.id),
        amount_cents: a.amount,
        discount_cents: a.discount,
      })),
    );
    const result = await loadPayment(trx, customerId, id);
    await addJournalEntry(trx, ctx, {
      customerId,
      kind: "payment",
      subject: `Zahlung ${formatMoney(input.amountCents, currency)}`,
      body:
        [
          ...applied.map(
            (a) =>
              `${a.invoice.number}: ${formatMoney(a.amount, currency)}${a.discount ? ` (Skonto ${formatMoney(a.discount, currency)})` : ""}${a.open === 0 ? " – bezahlt" : ""}`,
          ),
          credit > 0 ? `Guthaben ${formatMoney(credit, currency)}` : null,
        ]
          .filter(Boolean)
          .join("\n") || null,
      link: { type: "payment", id },
    });
    await audit(trx, ctx, at, {
      customerId,
      entityType: "payment",
      entityId: id,
      before: null,
      after: result as unknown as Record<string, unknown>,
    });
    return result;
  });
}

export async function getPayment(db: Database, ctx: RequestContext, customerId: number, id: number): Promise<Payment> {
  await visibleCustomer(db.kysely, ctx, customerId);
  return loadPayment(db.kysely, customerId, id);
}

export async function listPayments(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  q: { limit?: number; cursor?: string },
): Promise<{ items: Payment[]; nextCursor: string | null }> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const limit = q.limit ?? 50;
  const after = q.cursor ? decodeCursor(q.cursor, ["date", "id"]) : null;
  const rows = await repo.listPayments(db.kysely, customerId, limit + 1, after);
  const page = rows.slice(0, limit);
  const allocations = await repo.allocationsOf(
    db.kysely,
    page.map((r) => Number(r.id)),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((r) => present(r, allocations.get(Number(r.id)) ?? [])),
    nextCursor: rows.length > limit && last ? encodeCursor([last.payment_date, Number(last.id)]) : null,
  };
}

/** Open invoices and unsettled credit notes on a date, with days overdue, ageing buckets and totals. */
export async function openItems(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  onDate?: string,
): Promise<OpenItems> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const on = onDate ?? clockOf(ctx).today();
  const [rows, credit] = await Promise.all([
    documents.openItems(db.kysely, customerId),
    repo.creditOf(db.kysely, customerId),
  ]);
  const items = rows.map((d) => {
    const due = d.due_date ?? d.document_date;
    return {
      documentId: Number(d.id),
      type: d.type as "invoice" | "credit_note",
      number: d.number,
      documentDate: d.document_date,
      dueDate: due,
      grossCents: Number(d.gross_cents),
      openCents: Number(d.open_cents),
      daysOverdue: d.type === "invoice" ? daysOverdue(due, on) : 0,
      bucket: d.type === "invoice" ? ageingBucket(due, on) : ("not_due" as const),
      dunningLevel: d.dunning_level,
    };
  });
  const totals = ageingTotals(
    items.map((i) => ({ dueDate: i.type === "invoice" ? i.dueDate : on, openCents: i.openCents })),
    on,
  );
  return {
    onDate: on,
    items,
    totals: {
      openCents: totals.totalCents,
      overdueCents: totals.overdueCents,
      creditCents: credit,
      perBucket: totals.buckets,
    },
  };
}
