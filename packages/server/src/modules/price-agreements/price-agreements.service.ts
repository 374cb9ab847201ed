import type {
  CustomerPriceAgreementCreate,
  CustomerPriceAgreementQuery,
  PriceAgreement,
  PriceAgreementCreate,
  PriceAgreementQuery,
  PriceAgreementUpdate,
  PriceQuery,
  ResolvedPrice,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { formatMoney, percentText } from "../../domain/finance/money.js";
import { type Agreement, describeAgreement, resolvePrice } from "../../domain/finance/price-agreement.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { nowIso } from "../../lib/time.js";
import { bpToPercent, percentToBp, quantityToMilli } from "../../lib/units.js";
import { audit } from "../audit/audit.service.js";
import { isVisible } from "../auth/principal.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import { findProduct } from "../products/products.repository.js";
import { presentAgreement, toAgreement } from "./price-agreements.presenter.js";
import * as repo from "./price-agreements.repository.js";

type Executor = Parameters<typeof repo.findAgreement>[0];

/** Shown by the API, not changed by users: left out of the audit trail's per-field changes. */
const DERIVED = ["level", "description", "customerName", "articleNumber", "productName"] as const;

const FIELD_EXCLUSIVE = "exclusive";

async function load(db: Executor, ctx: RequestContext, id: number): Promise<repo.AgreementRow> {
  const row = await repo.findAgreement(db, id);
  // A customer's agreement is as hidden as the customer under the row-level rule.
  if (
    !row ||
    (row.customer_id !== null && !isVisible(ctx.visibility ?? null, row.customer_owner, row.customer_region))
  ) {
    throw notFound("Price agreement", id);
  }
  return row;
}

/** "A-100 Schraubendreher-Set: 15,00 € netto" — the journal entry's body. */
function journalBody(a: PriceAgreement): string {
  const target = a.productId !== null ? `${a.articleNumber} ${a.productName}` : `Warengruppe ${a.productGroup}`;
  const price =
    a.unitPriceCents !== null
      ? `${formatMoney(a.unitPriceCents)} netto`
      : `${percentText(percentToBp(a.discountPercent ?? 0))} Rabatt auf den Listenpreis`;
  return `${target}: ${price}`;
}

/** A customer's agreement changes show in the customer's journal; a group's in the audit trail only. */
async function journal(trx: Executor, ctx: RequestContext, what: string, a: PriceAgreement): Promise<void> {
  if (a.customerId === null) return;
  await addJournalEntry(trx, ctx, {
    customerId: a.customerId,
    kind: "system",
    subject: `Preisvereinbarung ${what}: ${a.description}`,
    body: journalBody(a),
    link: { type: "price_agreement", id: a.id },
  });
}

/** Refuses a second agreement for the same customer (or group), target and minimum quantity on a shared day. */
async function refuseOverlap(
  trx: Executor,
  target: repo.AgreementTarget,
  minQuantityMilli: number,
  period: { validFrom: string; validTo: string | null },
  exceptId: number | null,
): Promise<void> {
  await repo.lockTarget(trx, target);
  const clash = await repo.overlapping(trx, target, minQuantityMilli, period, exceptId);
  if (clash.length === 0) return;
  const list = clash.map((c) => `${c.id} (${c.valid_from} – ${c.valid_to ?? "open-ended"})`).join(", ");
  throw new AppError(
    "price_agreement_overlap",
    `Price agreement ${list} already applies to the same ${target.customerId !== null ? "customer" : "customer group"}, ${target.productId !== null ? "product" : "product group"} and minimum quantity on some of these days; end it (validTo) or choose other dates`,
    {
      errors: [
        {
          field: "validFrom",
          code: "overlap",
          message: `overlaps price agreement ${clash.map((c) => c.id).join(", ")}`,
        },
      ],
    },
  );
}

/** The price: exactly one of a fixed unit price and a discount. */
function priceOf(input: { unitPriceCents?: number; discountPercent?: number }, errs: FieldErrors, required: boolean) {
  if (input.unitPriceCents !== undefined && input.discountPercent !== undefined) {
    errs.add("discountPercent", FIELD_EXCLUSIVE, "an agreement is a fixed unit price or a discount, not both");
  } else if (input.unitPriceCents !== undefined) {
    return { unit_price_cents: input.unitPriceCents, discount_bp: null };
  } else if (input.discountPercent !== undefined) {
    const bp = input.discountPercent * 100;
    if (Math.abs(bp - Math.round(bp)) > 1e-6) errs.add("discountPercent", "too_precise", "at most two decimals");
    return { unit_price_cents: null, discount_bp: percentToBp(input.discountPercent) };
  } else if (required) {
    errs.add("unitPriceCents", "required", "give a fixed unit price (unitPriceCents) or a discount (discountPercent)");
  }
  return undefined;
}

function minQuantityOf(value: number | null | undefined, errs: FieldErrors): number {
  if (value === undefined || value === null) return 0;
  const milli = quantityToMilli(value);
  if (milli === null || milli === 0) {
    errs.add("minQuantity", "too_precise", "at most three decimals");
    return 0;
  }
  return milli;
}

function checkPeriod(validFrom: string, validTo: string | null, errs: FieldErrors): void {
  if (validTo !== null && validTo < validFrom) {
    errs.add("validTo", "before_valid_from", `the last day (${validTo}) is before the first (${validFrom})`);
  }
}

/**
 * Creates an agreement; `pathCustomerId` is the customer of /customers/{id}/price-agreements
 * (404 when it does not exist), else the body names a customer or a customer group.
 */
export async function createAgreement(
  db: Database,
  ctx: RequestContext,
  input: PriceAgreementCreate | CustomerPriceAgreementCreate,
  pathCustomerId?: number,
): Promise<PriceAgreement> {
  return db.kysely.transaction().execute(async (trx) => {
    if (pathCustomerId !== undefined) await visibleCustomer(trx, ctx, pathCustomerId);
    const body = input as PriceAgreementCreate;
    const errs = new FieldErrors();

    let customerId: number | null = pathCustomerId ?? null;
    let customerGroup: string | null = null;
    if (pathCustomerId === undefined) {
      if (body.customerId !== undefined && body.customerGroup !== undefined) {
        errs.add("customerGroup", FIELD_EXCLUSIVE, "an agreement is for a customer or a customer group, not both");
      } else if (body.customerId !== undefined) {
        customerId = body.customerId;
        // A customer the row-level rule hides is as unknown as one that does not exist.
        const found = await visibleCustomer(trx, ctx, body.customerId).catch((e: unknown) => {
          if (e instanceof AppError && e.code === "not_found") return null;
          throw e;
        });
        if (!found) errs.add("customerId", "unknown_customer", `there is no customer ${body.customerId}`);
      } else if (body.customerGroup !== undefined) {
        customerGroup = body.customerGroup;
        if (!(await repo.customerGroupExists(trx, customerGroup))) {
          errs.add("customerGroup", "unknown_customer_group", `no customer is in the group "${customerGroup}"`);
        }
      } else {
        errs.add("customerId", "required", "name a customer (customerId) or a customer group (customerGroup)");
      }
    }

    let productId: number | null = null;
    let productGroup: string | null = null;
    if (input.productId !== undefined && input.productGroup !== undefined) {
      errs.add("productGroup", FIELD_EXCLUSIVE, "an agreement is on a product or a product group, not both");
    } else if (input.productId !== undefined) {
      productId = input.productId;
      if (!(await findProduct(trx, productId)))
        errs.add("productId", "unknown_product", `there is no product ${productId}`);
    } else if (input.productGroup !== undefined) {
      productGroup = input.productGroup;
      if (!(await repo.productGroupExists(trx, productGroup))) {
        errs.add("productGroup", "unknown_product_group", `no product is in the group "${productGroup}"`);
      }
    } else {
      errs.add("productId", "required", "name a product (productId) or a product group (productGroup)");
    }

    const price = priceOf(input, errs, true);
    const minQuantityMilli = minQuantityOf(input.minQuantity, errs);
    const validTo = input.validTo ?? null;
    checkPeriod(input.validFrom, validTo, errs);
    errs.throwIfAny();

    const target = { customerId, customerGroup, productId, productGroup };
    await refuseOverlap(trx, target, minQuantityMilli, { validFrom: input.validFrom, validTo }, null);
    const at = nowIso();
    const id = await repo.insertAgreement(trx, {
      customer_id: customerId,
      customer_group: customerGroup,
      product_id: productId,
      product_group: productGroup,
      ...price!,
      min_quantity_milli: minQuantityMilli,
      valid_from: input.validFrom,
      valid_to: validTo,
      note: input.note?.trim() || null,
      created_by: ctx.actor,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    const created = presentAgreement((await repo.findAgreement(trx, id))!);
    await journal(trx, ctx, "angelegt", created);
    await audit(trx, ctx, at, {
      customerId,
      entityType: "price_agreement",
      entityId: id,
      before: null,
      after: created,
      derived: DERIVED,
    });
    return created;
  });
}

/** Changes price, validity, minimum quantity or note; who and what it is for stay. */
export async function updateAgreement(
  db: Database,
  ctx: RequestContext,
  id: number,
  version: number,
  patch: PriceAgreementUpdate,
): Promise<PriceAgreement> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await load(trx, ctx, id);
    const before = presentAgreement(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    const errs = new FieldErrors();
    const price = priceOf(patch, errs, false);
    const minQuantityMilli =
      patch.minQuantity !== undefined ? minQuantityOf(patch.minQuantity, errs) : Number(row.min_quantity_milli);
    const validFrom = patch.validFrom ?? row.valid_from;
    const validTo = patch.validTo !== undefined ? patch.validTo : row.valid_to;
    checkPeriod(validFrom, validTo, errs);
    errs.throwIfAny();
    const a = toAgreement(row);
    await refuseOverlap(trx, a, minQuantityMilli, { validFrom, validTo }, id);
    const at = nowIso();
    const ok = await repo.updateAgreement(trx, id, version, {
      ...(price ?? {}),
      min_quantity_milli: minQuantityMilli,
      valid_from: validFrom,
      valid_to: validTo,
      ...(patch.note !== undefined ? { note: patch.note?.trim() || null } : {}),
      updated_at: at,
    });
    if (!ok) {
      const now = presentAgreement((await repo.findAgreement(trx, id))!);
      throw versionMismatch(now, now.version);
    }
    const after = presentAgreement((await repo.findAgreement(trx, id))!);
    await journal(trx, ctx, "geändert", after);
    await audit(trx, ctx, at, {
      customerId: after.customerId,
      entityType: "price_agreement",
      entityId: id,
      before,
      after,
      derived: DERIVED,
    });
    return after;
  });
}

/** Deletes an agreement no document line used; a used one is ended instead (validTo). */
export async function deleteAgreement(db: Database, ctx: RequestContext, id: number, version: number): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    const row = await load(trx, ctx, id);
    const before = presentAgreement(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    const used = await repo.linesUsing(trx, id);
    if (used > 0) {
      throw new AppError(
        "reference_violation",
        `Price agreement ${id} priced ${used} document line${used === 1 ? "" : "s"}; end it with validTo instead of deleting it`,
      );
    }
    if (!(await repo.deleteAgreement(trx, id, version))) throw versionMismatch(before, row.version);
    await journal(trx, ctx, "gelöscht", before);
    await audit(trx, ctx, nowIso(), {
      customerId: before.customerId,
      entityType: "price_agreement",
      entityId: id,
      before,
      after: null,
      derived: DERIVED,
    });
  });
}

export async function getAgreement(db: Database, ctx: RequestContext, id: number): Promise<PriceAgreement> {
  return presentAgreement(await load(db.kysely, ctx, id));
}

async function page(
  db: Database,
  filters: repo.AgreementFilters,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: PriceAgreement[]; nextCursor: string | null }> {
  const after = cursor ? decodeCursor(cursor, ["date", "id"]) : null;
  const rows = await repo.listAgreements(db.kysely, filters, limit + 1, after);
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(presentAgreement);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.validFrom, last.id]) : null };
}

/** All agreements, or a customer's or a customer group's, newest first. */
export async function listAgreements(db: Database, ctx: RequestContext, q: PriceAgreementQuery) {
  if (q.customerId !== undefined && q.customerGroup !== undefined) {
    const errs = new FieldErrors();
    errs.add("customerGroup", FIELD_EXCLUSIVE, "filter by a customer or a customer group, not both");
    errs.throwIfAny();
  }
  if (q.customerId !== undefined) await visibleCustomer(db.kysely, ctx, q.customerId);
  return page(
    db,
    {
      customerId: q.customerId,
      customerGroup: q.customerGroup,
      productId: q.productId,
      productGroup: q.productGroup,
      validOn: q.validOn,
      visibleTo: ctx.visibility ?? undefined,
    },
    q.limit ?? 50,
    q.cursor,
  );
}

/** A customer's own agreements (not those of its group), newest first. */
export async function listCustomerAgreements(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  q: CustomerPriceAgreementQuery,
) {
  await visibleCustomer(db.kysely, ctx, customerId);
  return page(
    db,
    { customerId, productId: q.productId, productGroup: q.productGroup, validOn: q.validOn },
    q.limit ?? 50,
    q.cursor,
  );
}

export interface PricedProduct {
  id: number;
  productGroup: string | null;
  listPriceCents: number;
}

/**
 * The agreements that could price these products for the customer on the date, for
 * `resolvePrice`. Documents call it once per document, whatever the number of lines.
 */
export async function agreementsFor(
  db: Executor,
  customer: { id: number; customerGroup: string | null },
  products: PricedProduct[],
  onDate: string,
): Promise<Agreement[]> {
  const rows = await repo.candidates(db, {
    customerId: customer.id,
    customerGroup: customer.customerGroup,
    productIds: [...new Set(products.map((p) => p.id))],
    productGroups: [...new Set(products.flatMap((p) => (p.productGroup === null ? [] : [p.productGroup])))],
    onDate,
  });
  return rows.map(toAgreement);
}

/** What a new line for this product would cost this customer on the date, and why. */
export async function priceFor(
  db: Database,
  ctx: RequestContext,
  now: Date,
  customerId: number,
  q: PriceQuery,
): Promise<ResolvedPrice> {
  const customer = await visibleCustomer(db.kysely, ctx, customerId);
  const product = await findProduct(db.kysely, q.productId);
  if (!product) throw notFound("Product", q.productId);
  const quantity = q.quantity ?? 1;
  const quantityMilli = quantityToMilli(quantity);
  if (quantityMilli === null) {
    const errs = new FieldErrors();
    errs.add("quantity", "too_precise", "at most three decimals");
    errs.throwIfAny();
  }
  const onDate = q.onDate ?? clockOf(ctx).dayOf(now);
  const priced: PricedProduct = {
    id: Number(product.id),
    productGroup: product.product_group,
    listPriceCents: Number(product.list_price_cents),
  };
  const candidates = await agreementsFor(
    db.kysely,
    { id: customerId, customerGroup: customer.customer_group },
    [priced],
    onDate,
  );
  const r = resolvePrice(candidates, {
    customerId,
    customerGroup: customer.customer_group,
    productId: priced.id,
    productGroup: priced.productGroup,
    listPriceCents: priced.listPriceCents,
    quantityMilli: quantityMilli!,
    onDate,
  });
  return {
    customerId,
    productId: priced.id,
    quantity,
    onDate,
    listPriceCents: priced.listPriceCents,
    unitPriceCents: r.unitPriceCents,
    priceSource: r.agreement ? "agreement" : "list_price",
    level: r.level,
    priceAgreementId: r.agreement?.id ?? null,
    discountPercent: r.agreement?.discountBp != null ? bpToPercent(r.agreement.discountBp) : null,
    description: r.agreement ? describeAgreement(r.agreement) : "Listenpreis",
  };
}
