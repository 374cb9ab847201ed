/**
 * Price agreements: which one applies to a customer, product, quantity and date, and the unit
 * price it gives. Pure: the caller loads the candidates, this decides.
 *
 * Precedence (the first level with a valid agreement wins, even if a later level were cheaper —
 * the more specific agreement is the one a salesperson negotiated for exactly this case):
 *   1. customer + product
 *   2. customer + product group
 *   3. customer group + product
 *   4. customer group + product group
 *   5. the list price.
 * Within a level, the highest minimum quantity the line reaches wins (staggered prices); two
 * agreements that would still tie are refused when written (overlap), and should old data hold
 * one anyway, the later `validFrom`, then the higher id wins, so the result never depends on
 * the order the database returns rows in.
 */
import type { IsoDate } from "./calendar-date.js";
import { percentText, requireInteger, roundDiv, toSafeNumber } from "./money.js";

export const AGREEMENT_LEVELS = [
  "customer_product",
  "customer_product_group",
  "customer_group_product",
  "customer_group_product_group",
] as const;
export type AgreementLevel = (typeof AGREEMENT_LEVELS)[number];

export interface Agreement {
  id: number;
  customerId: number | null;
  customerGroup: string | null;
  productId: number | null;
  productGroup: string | null;
  /** Exactly one of a fixed net unit price and a discount in basis points (1000 = 10 %). */
  unitPriceCents: number | null;
  discountBp: number | null;
  /** Thousandths of a unit; 0 = any quantity. */
  minQuantityMilli: number;
  validFrom: IsoDate;
  /** Inclusive; null = open-ended. */
  validTo: IsoDate | null;
}

export interface PriceRequest {
  customerId: number;
  customerGroup: string | null;
  productId: number;
  productGroup: string | null;
  listPriceCents: number;
  /** Thousandths; the sign is ignored (a credit note's negative quantity counts as its size). */
  quantityMilli: number;
  onDate: IsoDate;
}

export interface ResolvedPrice {
  unitPriceCents: number;
  agreement: Agreement | null;
  level: AgreementLevel | null;
}

export function levelOf(a: Pick<Agreement, "customerId" | "productId">): AgreementLevel {
  if (a.customerId !== null) return a.productId !== null ? "customer_product" : "customer_product_group";
  return a.productId !== null ? "customer_group_product" : "customer_group_product_group";
}

/** ISO dates compare as strings; both ends are inclusive. */
export const isValidOn = (a: Pick<Agreement, "validFrom" | "validTo">, date: IsoDate): boolean =>
  a.validFrom <= date && (a.validTo === null || a.validTo >= date);

/** Whether two validity periods share at least one day (null = open-ended). */
export const periodsOverlap = (
  a: Pick<Agreement, "validFrom" | "validTo">,
  b: Pick<Agreement, "validFrom" | "validTo">,
): boolean => (a.validTo === null || a.validTo >= b.validFrom) && (b.validTo === null || b.validTo >= a.validFrom);

/** The unit price an agreement gives: its fixed price, or the list price less the discount, rounded half up. */
export function agreementUnitPrice(
  a: Pick<Agreement, "unitPriceCents" | "discountBp">,
  listPriceCents: number,
): number {
  if (a.unitPriceCents !== null) return requireInteger(a.unitPriceCents, "unitPriceCents", 0);
  const bp = requireInteger(a.discountBp ?? 0, "discountBp", 0, 10_000);
  const list = BigInt(requireInteger(listPriceCents, "listPriceCents", 0));
  return toSafeNumber(roundDiv(list * BigInt(10_000 - bp), 10_000n), "unitPriceCents");
}

/** Whether an agreement is about this request's customer (or its group) and product (or its group). */
function concerns(a: Agreement, r: PriceRequest): boolean {
  const scope =
    a.customerId !== null
      ? a.customerId === r.customerId
      : r.customerGroup !== null && a.customerGroup === r.customerGroup;
  const target =
    a.productId !== null ? a.productId === r.productId : r.productGroup !== null && a.productGroup === r.productGroup;
  return scope && target;
}

/** Later wins: higher minimum quantity, then later start, then higher id. */
function better(a: Agreement, b: Agreement): boolean {
  if (a.minQuantityMilli !== b.minQuantityMilli) return a.minQuantityMilli > b.minQuantityMilli;
  if (a.validFrom !== b.validFrom) return a.validFrom > b.validFrom;
  return a.id > b.id;
}

/** The agreement that applies among `candidates` (any superset is fine), and the price it gives. */
export function resolvePrice(candidates: readonly Agreement[], r: PriceRequest): ResolvedPrice {
  const quantity = Math.abs(r.quantityMilli);
  const best = new Map<AgreementLevel, Agreement>();
  for (const a of candidates) {
    if (!concerns(a, r) || !isValidOn(a, r.onDate) || a.minQuantityMilli > quantity) continue;
    const level = levelOf(a);
    const current = best.get(level);
    if (!current || better(a, current)) best.set(level, a);
  }
  for (const level of AGREEMENT_LEVELS) {
    const a = best.get(level);
    if (a) return { unitPriceCents: agreementUnitPrice(a, r.listPriceCents), agreement: a, level };
  }
  return { unitPriceCents: r.listPriceCents, agreement: null, level: null };
}

/** 2026-01-01 → 01.01.2026, as German users write dates. */
const germanDate = (d: IsoDate) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

const germanQuantity = (milli: number) =>
  new Intl.NumberFormat("de-DE", { maximumFractionDigits: 3 }).format(milli / 1000);

/**
 * What a line and the API show: "Kundenpreis ab 01.01.2026",
 * "Rabatt Kundengruppe Händler 5 % auf Warengruppe Kaffee ab 01.01.2026 bis 31.12.2026, ab Menge 100".
 */
export function describeAgreement(
  a: Pick<
    Agreement,
    | "customerId"
    | "customerGroup"
    | "productGroup"
    | "unitPriceCents"
    | "discountBp"
    | "minQuantityMilli"
    | "validFrom"
    | "validTo"
  >,
): string {
  const fixed = a.unitPriceCents !== null;
  const pct = fixed ? "" : ` ${percentText(a.discountBp ?? 0)}`;
  const what =
    a.customerId !== null
      ? fixed
        ? "Kundenpreis"
        : `Kundenrabatt${pct}`
      : `${fixed ? "Preis" : "Rabatt"} Kundengruppe ${a.customerGroup}${pct}`;
  const target = a.productGroup !== null ? ` ${fixed ? "für" : "auf"} Warengruppe ${a.productGroup}` : "";
  const period = ` ab ${germanDate(a.validFrom)}${a.validTo !== null ? ` bis ${germanDate(a.validTo)}` : ""}`;
  const quantity = a.minQuantityMilli > 0 ? `, ab Menge ${germanQuantity(a.minQuantityMilli)}` : "";
  return `${what}${target}${period}${quantity}`;
}
