import {
  type CreditCheck,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  type DocumentLineInput,
  type DocumentType,
  type PriceSource,
  type SalesDocument,
  type SalesDocumentCreate,
  type SalesDocumentQuery,
  type SalesDocumentSummary,
  type SalesDocumentUpdate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { readJson, toJson } from "../../db/dialect.js";
import { documentTotals } from "../../domain/finance/document-totals.js";
import { formatMoney } from "../../domain/finance/money.js";
import { type PaymentTerms, paymentTermsText, termDates } from "../../domain/finance/payment-terms.js";
import { type Agreement, describeAgreement, resolvePrice } from "../../domain/finance/price-agreement.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { nowIso } from "../../lib/time.js";
import { bpToPercent, milliToQuantity, percentToBp, quantityToMilli } from "../../lib/units.js";
import { audit } from "../audit/audit.service.js";
import { readSetting } from "../auth/auth.repository.js";
import { checkCredit, creditCheckFor } from "../credit/credit.service.js";
import { markHasFinance } from "../customer-file/customer-file.repository.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { addProductSale, addRevenue, type ProductSale } from "../figures/figures.repository.js";
import { contactBelongsTo } from "../journal/journal.repository.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import { nextNumber } from "../number-ranges/number-ranges.service.js";
import { findPaymentTerms, termsOf } from "../payment-terms/payment-terms.service.js";
import { agreementsFor } from "../price-agreements/price-agreements.service.js";
import { findProducts } from "../products/products.repository.js";
import * as repo from "./documents.repository.js";

type Executor = Parameters<typeof repo.findDocument>[0];

/** German names, as the journal shows them. */
export const DOCUMENT_NAMES: Record<DocumentType, string> = {
  quote: "Angebot",
  order: "Auftrag",
  delivery_note: "Lieferschein",
  invoice: "Rechnung",
  credit_note: "Gutschrift",
};

/** Which documents a document may follow: quote → order → delivery note → invoice; credit note → invoice. */
const FOLLOWS: Record<DocumentType, DocumentType[]> = {
  quote: [],
  order: ["quote"],
  delivery_note: ["order"],
  invoice: ["order", "delivery_note"],
  credit_note: ["invoice"],
};

const STATUS_NAMES: Record<string, string> = {
  open: "offen",
  accepted: "angenommen",
  rejected: "abgelehnt",
  expired: "abgelaufen",
  partly_delivered: "teilgeliefert",
  delivered: "geliefert",
  cancelled: "storniert",
  partly_paid: "teilbezahlt",
  paid: "bezahlt",
  partly_settled: "teilweise verrechnet",
  settled: "verrechnet",
};

/** What an invoice stores of its terms: the stages and the dates they give. */
interface StoredTerms {
  netDays: number;
  discounts: { days: number; percentBp: number }[];
  dueDate: string;
  dates: { until: string; percentBp: number; amountCents: number }[];
}

export const storedTerms = (r: repo.DocumentRow): StoredTerms | null =>
  r.terms === null || r.terms === undefined ? null : readJson<StoredTerms>(r.terms);

export function presentSummary(r: repo.DocumentRow): SalesDocumentSummary {
  return {
    id: Number(r.id),
    type: r.type as DocumentType,
    number: r.number,
    customerId: Number(r.customer_id),
    contactId: r.contact_id === null ? null : Number(r.contact_id),
    status: r.status,
    documentDate: r.document_date,
    currency: r.currency,
    netCents: Number(r.net_cents),
    vatCents: Number(r.vat_cents),
    grossCents: Number(r.gross_cents),
    openCents: r.open_cents === null ? null : Number(r.open_cents),
    paymentTermsText: r.terms_text,
    validUntil: r.valid_until,
    referenceId: r.reference_id === null ? null : Number(r.reference_id),
    referenceNumber: r.reference_number,
    note: r.note,
    createdBy: r.created_by,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** What the audit trail keeps of a document: everything but its lines and derived parts. */
function summaryOf(d: SalesDocument): SalesDocumentSummary {
  const { lines: _l, vatPerRate: _v, terms: _t, ...summary } = d;
  return summary;
}

export function presentDocument(r: repo.DocumentRow, lines: repo.LineRow[]): SalesDocument {
  const terms = storedTerms(r);
  return {
    ...presentSummary(r),
    vatPerRate: readJson<{ vatRateBp: number; net: number; vat: number }[]>(r.vat_per_rate).map((v) => ({
      vatRatePercent: bpToPercent(v.vatRateBp),
      netCents: v.net,
      vatCents: v.vat,
    })),
    terms: terms
      ? {
          dueDate: terms.dueDate,
          discounts: terms.dates.map((d) => ({
            until: d.until,
            percent: bpToPercent(d.percentBp),
            amountCents: d.amountCents,
          })),
        }
      : null,
    lines: lines.map((l) => ({
      position: l.position,
      productId: l.product_id === null ? null : Number(l.product_id),
      articleNumber: l.article_number,
      text: l.text,
      quantity: milliToQuantity(l.quantity_milli),
      unit: l.unit,
      unitPriceCents: Number(l.unit_price_cents),
      discountPercent: bpToPercent(l.discount_bp),
      vatRatePercent: bpToPercent(l.vat_rate_bp),
      netCents: Number(l.net_cents),
      priceSource: l.price_source as PriceSource,
      priceAgreementId: l.price_agreement_id === null ? null : Number(l.price_agreement_id),
      priceSourceText: l.price_note,
    })),
  };
}

type NewLine = Omit<repo.LineValues, "document_id" | "net_cents">;

/**
 * Resolves the lines against the products; every problem is named by its line. A product line
 * without a price gets the customer's most specific price agreement valid on the document
 * date, else the list price; a price given on the line stays as given ("manual").
 */
async function resolveLines(
  db: Executor,
  type: DocumentType,
  customer: { id: number; customerGroup: string | null },
  documentDate: string,
  input: DocumentLineInput[],
  errs: FieldErrors,
): Promise<NewLine[]> {
  const customerId = customer.id;
  const products = await findProducts(
    db,
    input.flatMap((l) => (l.productId ? [l.productId] : [])),
  );
  const toPrice = input.flatMap((l) => {
    const p = l.unitPriceCents === undefined && l.productId ? products.get(l.productId) : undefined;
    return p ? [{ id: Number(p.id), productGroup: p.product_group, listPriceCents: Number(p.list_price_cents) }] : [];
  });
  // One read for the whole document, however many lines it has.
  const agreements = toPrice.length > 0 ? await agreementsFor(db, customer, toPrice, documentDate) : [];
  const lines: NewLine[] = [];
  input.forEach((l, i) => {
    const at = `lines/${i}`;
    const product = l.productId ? products.get(l.productId) : undefined;
    if (l.productId && !product) {
      errs.add(`${at}/productId`, "unknown_product", `there is no product ${l.productId}`);
      return;
    }
    const text = l.text?.trim() || product?.name;
    if (!text) errs.add(`${at}/text`, "required", "a line without a product needs a text");
    const quantityMilli = quantityToMilli(l.quantity);
    if (quantityMilli === null) errs.add(`${at}/quantity`, "too_precise", "at most three decimals");
    else if (quantityMilli === 0) errs.add(`${at}/quantity`, "zero_quantity", "a line needs a quantity");
    else if (quantityMilli < 0 && type !== "credit_note") {
      errs.add(`${at}/quantity`, "negative_quantity", "negative quantities only on credit notes");
    }
    let price = l.unitPriceCents;
    let source: PriceSource = "manual";
    let agreement: Agreement | null = null;
    if (price === undefined && product) {
      const resolved = resolvePrice(agreements, {
        customerId,
        customerGroup: customer.customerGroup,
        productId: Number(product.id),
        productGroup: product.product_group,
        listPriceCents: Number(product.list_price_cents),
        quantityMilli: quantityMilli ?? 0,
        onDate: documentDate,
      });
      price = resolved.unitPriceCents;
      agreement = resolved.agreement;
      source = agreement ? "agreement" : "list_price";
    }
    if (price === undefined) errs.add(`${at}/unitPriceCents`, "required", "a line without a product needs a price");
    lines.push({
      customer_id: customerId,
      position: i + 1,
      product_id: product ? Number(product.id) : null,
      article_number: product?.article_number ?? null,
      text: text ?? "",
      quantity_milli: quantityMilli ?? 0,
      unit: l.unit?.trim() || product?.unit || "Stk",
      unit_price_cents: price ?? 0,
      discount_bp: percentToBp(l.discountPercent ?? 0),
      vat_rate_bp: l.vatRatePercent !== undefined ? percentToBp(l.vatRatePercent) : (product?.vat_rate_bp ?? 1900),
      price_source: source,
      price_agreement_id: agreement?.id ?? null,
      price_note: agreement ? describeAgreement(agreement) : null,
    });
  });
  return lines;
}

function totalsOf(lines: NewLine[]) {
  const t = documentTotals(
    lines.map((l) => ({
      quantityMilli: Number(l.quantity_milli),
      unitPriceCents: Number(l.unit_price_cents),
      discountBp: l.discount_bp,
      vatRateBp: l.vat_rate_bp,
    })),
  );
  return {
    totals: t,
    lines: lines.map((l, i) => ({ ...l, net_cents: t.lines[i]! })),
  };
}

async function loadDocument(db: Executor, customerId: number, id: number): Promise<SalesDocument> {
  const row = await repo.findDocument(db, customerId, id);
  if (!row) throw notFound("Document", id);
  return presentDocument(row, await repo.linesOf(db, id));
}

export async function getDocument(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  id: number,
): Promise<SalesDocument> {
  await visibleCustomer(db.kysely, ctx, customerId);
  return readableBy(ctx, await loadDocument(db.kysely, customerId, id));
}

/**
 * What is still open on an invoice follows from its payments: finance data, withheld from
 * other roles like the open items of the key figures (the status still says paid or not).
 */
function readableBy<T extends { openCents: number | null }>(ctx: RequestContext, doc: T): T {
  return ctx.finance === false && doc.openCents !== null ? { ...doc, openCents: null } : doc;
}

export async function listDocuments(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  q: SalesDocumentQuery,
): Promise<{ items: SalesDocumentSummary[]; nextCursor: string | null }> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const types = q.types?.split(",");
  const errs = new FieldErrors();
  for (const t of types ?? []) {
    if (!DOCUMENT_TYPES.includes(t as DocumentType)) errs.add("types", "unknown_type", `no document type "${t}"`);
  }
  errs.throwIfAny();
  const limit = q.limit ?? 50;
  const after = q.cursor ? decodeCursor(q.cursor, ["date", "id"]) : null;
  const rows = await repo.listDocuments(
    db.kysely,
    { customerId, types, status: q.status, from: q.from, to: q.to, productId: q.productId },
    limit + 1,
    after,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => readableBy(ctx, presentSummary(r))),
    nextCursor: rows.length > limit && last ? encodeCursor([last.document_date, Number(last.id)]) : null,
  };
}

/** The customer's default terms, else "due at once" (§ 271 BGB: without an agreement, payment is due immediately). */
async function termsFor(db: Executor, customerId: number, termsId: number | undefined): Promise<PaymentTerms> {
  const id =
    termsId ??
    (
      await db
        .selectFrom("customer_finance")
        .select("payment_terms_id")
        .where("customer_id", "=", customerId)
        .executeTakeFirst()
    )?.payment_terms_id;
  if (id === null || id === undefined) return { netDays: 0, discounts: [] };
  return termsOf(await findPaymentTerms(db, Number(id)));
}

/** Applies a credit note to its invoice: lowers what is open and sets both statuses. */
async function applyCreditNote(trx: Executor, invoice: repo.DocumentRow, creditNoteId: number, creditCents: number) {
  const open = Number(invoice.open_cents ?? 0);
  const applied = Math.min(open, creditCents);
  const invoiceOpen = open - applied;
  const gross = Number(invoice.gross_cents);
  // Credited in full before anything was paid: the invoice is cancelled, not paid.
  const status = invoiceOpen > 0 ? "partly_paid" : applied === gross ? "cancelled" : "paid";
  if (
    !(await repo.updateDocument(trx, Number(invoice.id), invoice.version, {
      open_cents: invoiceOpen,
      status,
      updated_at: nowIso(),
    }))
  ) {
    throw new AppError("conflict", `invoice ${invoice.number} changed at the same time; try again`);
  }
  const left = creditCents - applied;
  await repo.updateDocument(trx, creditNoteId, 1, {
    open_cents: -left,
    status: left === 0 ? "settled" : applied > 0 ? "partly_settled" : "open",
  });
}

/** A delivery note delivers its order in full or in part, by quantity per article or text. */
async function deliverOrder(trx: Executor, order: repo.DocumentRow) {
  const key = (l: repo.LineRow) => (l.product_id !== null ? `p${l.product_id}` : `t${l.text}`);
  const ordered = new Map<string, number>();
  for (const l of await repo.linesOf(trx, Number(order.id)))
    ordered.set(key(l), (ordered.get(key(l)) ?? 0) + Number(l.quantity_milli));
  const delivered = new Map<string, number>();
  for (const note of await repo.followers(trx, Number(order.id))) {
    if (note.type !== "delivery_note" || note.status === "cancelled") continue;
    for (const l of await repo.linesOf(trx, Number(note.id)))
      delivered.set(key(l), (delivered.get(key(l)) ?? 0) + Number(l.quantity_milli));
  }
  const complete = [...ordered].every(([k, q]) => (delivered.get(k) ?? 0) >= q);
  await repo.updateDocument(trx, Number(order.id), order.version, {
    status: complete ? "delivered" : "partly_delivered",
    updated_at: nowIso(),
  });
}

/** Revenue per month and the per-product history, kept with every invoice and credit note. */
async function addToFigures(
  trx: Executor,
  customerId: number,
  type: "invoice" | "credit_note",
  date: string,
  net: number,
  lines: (NewLine & { net_cents: number })[],
) {
  const invoices = type === "invoice" ? 1 : 0;
  await addRevenue(trx, customerId, date.slice(0, 7), net, invoices);
  const perProduct = new Map<number, ProductSale>();
  for (const l of lines) {
    if (l.product_id === null) continue;
    const productId = Number(l.product_id);
    const sale = perProduct.get(productId) ?? {
      productId,
      quantityMilli: 0,
      revenueCents: 0,
      invoices,
      date,
      priceCents: 0,
    };
    sale.quantityMilli += Number(l.quantity_milli);
    sale.revenueCents += l.net_cents;
    sale.priceCents = Number(l.unit_price_cents);
    perProduct.set(productId, sale);
  }
  for (const sale of perProduct.values()) await addProductSale(trx, customerId, sale);
}

export interface CreatedDocument extends SalesDocument {
  creditCheck?: CreditCheck;
}

/**
 * Creates a document with its number, lines and totals, its effect on the document it follows
 * and a journal entry, in one transaction. An order runs the credit check first.
 */
export async function createDocument(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  input: SalesDocumentCreate,
): Promise<CreatedDocument> {
  return db.kysely.transaction().execute(async (trx) => {
    const customer = await visibleCustomer(trx, ctx, customerId);
    const type = input.type;
    // A block stops what it names: an invoice block invoices, a delivery block deliveries.
    const blocked =
      (type === "invoice" && ["invoice", "all"].includes(customer.block_type)) ||
      (type === "delivery_note" && ["delivery", "all"].includes(customer.block_type));
    if (blocked) {
      throw new AppError(
        "conflict",
        `The customer has a ${customer.block_type === "all" ? "delivery and invoice" : customer.block_type} block${customer.block_reason ? ` (${customer.block_reason})` : ""}: no ${DOCUMENT_NAMES[type]} until it is lifted`,
      );
    }
    const errs = new FieldErrors();
    if (input.contactId && !(await contactBelongsTo(trx, input.contactId, customerId))) {
      errs.add("contactId", "unknown_contact", `contact ${input.contactId} is not a contact of this customer`);
    }
    let reference: repo.DocumentRow | undefined;
    if (input.referenceId) {
      reference = await repo.findDocument(trx, customerId, input.referenceId);
      if (!reference)
        errs.add("referenceId", "unknown_document", `document ${input.referenceId} is not this customer's`);
      else if (!FOLLOWS[type].includes(reference.type as DocumentType)) {
        errs.add("referenceId", "wrong_reference", `a ${type} cannot follow a ${reference.type}`);
      }
    } else if (type === "credit_note") {
      errs.add("referenceId", "required", "a credit note names the invoice it corrects");
    }
    const currency = input.currency ?? reference?.currency ?? "EUR";
    if (reference && reference.currency !== currency) {
      errs.add(
        "currency",
        "currency_mismatch",
        `the ${reference.type} ${reference.number} is in ${reference.currency}`,
      );
    }
    const documentDate = input.documentDate ?? clockOf(ctx).today();
    const resolved = await resolveLines(
      trx,
      type,
      { id: customerId, customerGroup: customer.customer_group },
      documentDate,
      input.lines,
      errs,
    );
    errs.throwIfAny();
    const { totals, lines } = totalsOf(resolved);

    if (type === "credit_note" && reference) {
      if (totals.gross >= 0) errs.add("lines", "not_a_credit", "a credit note credits: give negative quantities");
      const credited = (await repo.followers(trx, Number(reference.id)))
        .filter((d) => d.type === "credit_note")
        .reduce((sum, d) => sum - Number(d.gross_cents), 0);
      if (-totals.gross + credited > Number(reference.gross_cents)) {
        errs.add(
          "lines",
          "exceeds_invoice",
          `credits ${formatMoney(-totals.gross, currency)} but only ${formatMoney(Number(reference.gross_cents) - credited, currency)} of invoice ${reference.number} are left to credit`,
        );
      }
      errs.throwIfAny();
    }

    let creditCheck: CreditCheck | undefined;
    if (type === "order") {
      creditCheck = await checkCredit(trx, customerId, totals.gross);
      if (creditCheck.result === "blocked") {
        if ((await readSetting<boolean>(trx, "credit_check_refuses_orders"))?.value !== false) {
          const shown = creditCheckFor(ctx, creditCheck);
          const figures =
            shown.exposureCents === undefined
              ? ""
              : `: exposure ${formatMoney(shown.exposureCents, currency)}${shown.creditLimitCents == null ? "" : ` against a limit of ${formatMoney(shown.creditLimitCents, currency)}`}`;
          throw new AppError(
            "credit_blocked",
            `The credit check blocks this order (${shown.reasons.join(", ")})${figures}`,
            { current: shown },
          );
        }
      }
    }

    let termsColumns = {};
    if (type === "invoice") {
      const terms = await termsFor(trx, customerId, input.paymentTermsId);
      const dates = termDates(documentDate, terms, totals.gross);
      const stored: StoredTerms = {
        netDays: terms.netDays,
        discounts: terms.discounts,
        dueDate: dates.dueDate,
        dates: dates.discounts.map((d) => ({
          until: d.until,
          percentBp: d.percentBp,
          amountCents: d.amountCents ?? 0,
        })),
      };
      termsColumns = {
        payment_terms_id: input.paymentTermsId ?? null,
        terms_text: paymentTermsText(terms, "de"),
        terms: toJson(stored),
        due_date: dates.dueDate,
      };
    } else if (type === "credit_note") {
      termsColumns = { due_date: documentDate };
    }

    const at = nowIso();
    await markHasFinance(trx, customerId);
    const number = await nextNumber(trx, type, (n) => repo.numberTaken(trx, type, n));
    const id = await repo.insertDocument(trx, {
      customer_id: customerId,
      type,
      number,
      status: "open",
      contact_id: input.contactId ?? null,
      document_date: documentDate,
      currency,
      net_cents: totals.net,
      vat_cents: totals.vat,
      gross_cents: totals.gross,
      vat_per_rate: toJson(totals.perRate),
      open_cents: type === "invoice" ? totals.gross : type === "credit_note" ? totals.gross : null,
      payment_terms_id: null,
      terms_text: null,
      terms: null,
      due_date: null,
      valid_until: input.validUntil ?? null,
      reference_id: reference ? Number(reference.id) : null,
      dunning_level: 0,
      last_dunned_on: null,
      note: input.note?.trim() || null,
      created_by: ctx.actor,
      version: 1,
      created_at: at,
      updated_at: at,
      ...termsColumns,
    });
    await repo.insertLines(
      trx,
      lines.map((l) => ({ ...l, document_id: id })),
    );

    if (type === "invoice" || type === "credit_note")
      await addToFigures(trx, customerId, type, documentDate, totals.net, lines);

    if (reference) {
      if (type === "order" && reference.status === "open") {
        await repo.updateDocument(trx, Number(reference.id), reference.version, { status: "accepted", updated_at: at });
      } else if (type === "delivery_note") {
        await deliverOrder(trx, reference);
      } else if (type === "credit_note") {
        await applyCreditNote(trx, reference, id, -totals.gross);
      }
    }

    const document = await loadDocument(trx, customerId, id);
    await addJournalEntry(trx, ctx, {
      customerId,
      kind: "document",
      subject: `${DOCUMENT_NAMES[type]} ${number}`,
      body: [
        `${formatMoney(totals.gross, currency)} brutto`,
        reference ? `zu ${DOCUMENT_NAMES[reference.type as DocumentType]} ${reference.number}` : null,
        document.paymentTermsText,
      ]
        .filter(Boolean)
        .join(" · "),
      contactId: input.contactId ?? null,
      link: { type: "sales_document", id },
    });
    await audit(trx, ctx, at, {
      customerId,
      entityType: "sales_document",
      entityId: id,
      before: null,
      after: summaryOf(document),
    });
    const shown = readableBy(ctx, document);
    return creditCheck ? { ...shown, creditCheck: creditCheckFor(ctx, creditCheck) } : shown;
  });
}

/**
 * Changes a quote, order or delivery note: status, contact, validity, note, and its lines while
 * it is open. Invoices and credit notes are issued and never change (GoBD): 409.
 */
export async function updateDocument(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  id: number,
  version: number,
  patch: SalesDocumentUpdate,
): Promise<SalesDocument> {
  return db.kysely.transaction().execute(async (trx) => {
    const customer = await visibleCustomer(trx, ctx, customerId);
    const row = await repo.findDocument(trx, customerId, id);
    if (!row) throw notFound("Document", id);
    const before = presentSummary(row);
    if (row.version !== version)
      throw versionMismatch(readableBy(ctx, await loadDocument(trx, customerId, id)), row.version);
    const type = row.type as DocumentType;
    if (type === "invoice" || type === "credit_note") {
      throw new AppError(
        "conflict",
        `${DOCUMENT_NAMES[type]} ${row.number} is issued and cannot be changed; correct an invoice with a credit note`,
      );
    }
    const errs = new FieldErrors();
    const statuses: readonly string[] = DOCUMENT_STATUSES[type];
    if (patch.status !== undefined && !statuses.includes(patch.status)) {
      errs.add("status", "unknown_status", `a ${type} is ${statuses.join(", ")}`);
    }
    if (patch.contactId && !(await contactBelongsTo(trx, patch.contactId, customerId))) {
      errs.add("contactId", "unknown_contact", `contact ${patch.contactId} is not a contact of this customer`);
    }
    if (patch.lines && row.status !== "open") {
      errs.add("lines", "not_open", `the lines of a ${STATUS_NAMES[row.status] ?? row.status} ${type} cannot change`);
    }
    const resolved = patch.lines
      ? await resolveLines(
          trx,
          type,
          { id: customerId, customerGroup: customer.customer_group },
          row.document_date,
          patch.lines,
          errs,
        )
      : null;
    errs.throwIfAny();
    const at = nowIso();
    let totalsColumns = {};
    if (resolved) {
      const { totals, lines } = totalsOf(resolved);
      await repo.deleteLines(trx, id);
      await repo.insertLines(
        trx,
        lines.map((l) => ({ ...l, document_id: id })),
      );
      totalsColumns = {
        net_cents: totals.net,
        vat_cents: totals.vat,
        gross_cents: totals.gross,
        vat_per_rate: toJson(totals.perRate),
      };
    }
    const ok = await repo.updateDocument(trx, id, version, {
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.contactId !== undefined ? { contact_id: patch.contactId } : {}),
      ...(patch.validUntil !== undefined ? { valid_until: patch.validUntil } : {}),
      ...(patch.note !== undefined ? { note: patch.note?.trim() || null } : {}),
      ...totalsColumns,
      updated_at: at,
    });
    if (!ok) throw versionMismatch(readableBy(ctx, await loadDocument(trx, customerId, id)), row.version);
    if (patch.status !== undefined && patch.status !== row.status) {
      await addJournalEntry(trx, ctx, {
        customerId,
        kind: "document",
        subject: `${DOCUMENT_NAMES[type]} ${row.number}: ${STATUS_NAMES[patch.status] ?? patch.status}`,
        link: { type: "sales_document", id },
      });
    }
    const after = await loadDocument(trx, customerId, id);
    await audit(trx, ctx, at, {
      customerId,
      entityType: "sales_document",
      entityId: id,
      before,
      after: summaryOf(after),
    });
    return readableBy(ctx, after);
  });
}
