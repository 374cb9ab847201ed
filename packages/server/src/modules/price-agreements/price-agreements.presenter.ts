import type { PriceAgreement } from "@kundenakte/contract";
import type { Selectable } from "kysely";
import type { PriceAgreementsTable } from "../../db/schema.js";
import { type Agreement, describeAgreement, levelOf } from "../../domain/finance/price-agreement.js";
import { bpToPercent, milliToQuantity } from "../../lib/units.js";
import type { AgreementRow } from "./price-agreements.repository.js";

/** A stored row as the pure resolver sees it. */
export function toAgreement(r: Selectable<PriceAgreementsTable>): Agreement {
  return {
    id: Number(r.id),
    customerId: r.customer_id === null ? null : Number(r.customer_id),
    customerGroup: r.customer_group,
    productId: r.product_id === null ? null : Number(r.product_id),
    productGroup: r.product_group,
    unitPriceCents: r.unit_price_cents === null ? null : Number(r.unit_price_cents),
    discountBp: r.discount_bp === null ? null : Number(r.discount_bp),
    minQuantityMilli: Number(r.min_quantity_milli),
    validFrom: r.valid_from,
    validTo: r.valid_to,
  };
}

export function presentAgreement(r: AgreementRow): PriceAgreement {
  const a = toAgreement(r);
  return {
    id: a.id,
    level: levelOf(a),
    customerId: a.customerId,
    customerName: r.customer_name,
    customerGroup: a.customerGroup,
    productId: a.productId,
    articleNumber: r.article_number,
    productName: r.product_name,
    productGroup: a.productGroup,
    unitPriceCents: a.unitPriceCents,
    discountPercent: a.discountBp === null ? null : bpToPercent(a.discountBp),
    minQuantity: a.minQuantityMilli === 0 ? null : milliToQuantity(a.minQuantityMilli),
    validFrom: a.validFrom,
    validTo: a.validTo,
    note: r.note,
    description: describeAgreement(a),
    createdBy: r.created_by,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
