import { type Static, Type } from "@sinclair/typebox";
import { DateOnly, Id, MultilineText, Nullable, PageQuery, StringEnum, Timestamp, Version } from "./common.js";

/*
 * Price agreements (Preisvereinbarungen): customer-specific prices and discounts.
 *
 * An agreement is for one customer or for a customer group (the customers' `customerGroup`),
 * on one product or a product group (the products' `productGroup`), valid from a date and
 * optionally until one (both inclusive), and either a fixed net unit price in cents or a
 * discount in percent on the list price; optionally only from a minimum quantity.
 *
 * When a document line names a product but no price, the most specific agreement valid on the
 * document's date applies, in this order (the first level with a match wins):
 *   1. customer + product
 *   2. customer + product group
 *   3. customer group + product
 *   4. customer group + product group
 *   5. the product's list price.
 * Within a level, the agreement with the highest minimum quantity the line reaches wins.
 * Two agreements of the same customer (or group), target and minimum quantity may not overlap
 * in time: 409 `price_agreement_overlap`.
 */

export const PRICE_AGREEMENT_LEVELS = [
  "customer_product",
  "customer_product_group",
  "customer_group_product",
  "customer_group_product_group",
] as const;
export type PriceAgreementLevel = (typeof PRICE_AGREEMENT_LEVELS)[number];

export const PRICE_SOURCES = ["list_price", "manual", "agreement"] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

const GroupName = (what: string, maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: "^\\S(.*\\S)?$", description: what });
const UnitPrice = Type.Integer({ minimum: 0, maximum: 1e12, description: "Fixed net unit price in cents" });
// Two decimals are checked by the server, not with `multipleOf: 0.01`: in binary floating
// point 33.33 / 0.01 is not an integer, and the schema would refuse it.
const Discount = Type.Number({
  minimum: 0.01,
  maximum: 100,
  description: "Discount on the list price in percent, at most two decimals",
});
const MinQuantity = Type.Number({
  exclusiveMinimum: 0,
  maximum: 1e9,
  description: "Applies only from this quantity on (at most three decimals); null: any quantity",
});

export const PriceAgreement = Type.Object({
  id: Id,
  level: StringEnum(PRICE_AGREEMENT_LEVELS, { description: "Its rank: customer + product is the most specific" }),
  customerId: Nullable(Id),
  customerName: Nullable(Type.String()),
  customerGroup: Nullable(Type.String()),
  productId: Nullable(Id),
  articleNumber: Nullable(Type.String()),
  productName: Nullable(Type.String()),
  productGroup: Nullable(Type.String()),
  unitPriceCents: Nullable(Type.Integer({ description: "Fixed net unit price; null for a discount" })),
  discountPercent: Nullable(Type.Number({ description: "Discount on the list price; null for a fixed price" })),
  minQuantity: Nullable(Type.Number()),
  validFrom: DateOnly,
  validTo: Nullable(DateOnly),
  note: Nullable(Type.String()),
  description: Type.String({ description: "As a line shows it, e.g. “Kundenpreis ab 01.01.2026”" }),
  createdBy: Type.String(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PriceAgreement = Static<typeof PriceAgreement>;

/** What an agreement is about: price, validity, minimum quantity, note. */
const terms = {
  productId: Type.Optional(Id),
  productGroup: Type.Optional(GroupName("A product group; exclusive with productId", 100)),
  unitPriceCents: Type.Optional(UnitPrice),
  discountPercent: Type.Optional(Discount),
  minQuantity: Type.Optional(Nullable(MinQuantity)),
  validFrom: Type.String({ format: "date", description: "First day it applies" }),
  validTo: Type.Optional(
    Nullable(Type.String({ format: "date", description: "Last day it applies; null: open-ended" })),
  ),
  note: Type.Optional(Nullable(MultilineText({ maxLength: 2000 }))),
};

export const PriceAgreementCreate = Type.Object(
  {
    customerId: Type.Optional(Id),
    customerGroup: Type.Optional(GroupName("A customer group; exclusive with customerId", 50)),
    ...terms,
  },
  {
    additionalProperties: false,
    description:
      "Exactly one of customerId / customerGroup, of productId / productGroup and of unitPriceCents / discountPercent",
  },
);
export type PriceAgreementCreate = Static<typeof PriceAgreementCreate>;

/** The same for one customer, under /customers/{id}/price-agreements. */
export const CustomerPriceAgreementCreate = Type.Object(terms, {
  additionalProperties: false,
  description: "Exactly one of productId / productGroup and of unitPriceCents / discountPercent",
});
export type CustomerPriceAgreementCreate = Static<typeof CustomerPriceAgreementCreate>;

export const PriceAgreementUpdate = Type.Object(
  {
    unitPriceCents: Type.Optional(UnitPrice),
    discountPercent: Type.Optional(Discount),
    minQuantity: Type.Optional(Nullable(MinQuantity)),
    validFrom: Type.Optional(Type.String({ format: "date" })),
    validTo: Type.Optional(Nullable(Type.String({ format: "date" }))),
    note: Type.Optional(Nullable(MultilineText({ maxLength: 2000 }))),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      "Giving a unit price turns a discount into a fixed price and the other way round (not both). Customer, group and product do not change: end the agreement (validTo) and create a new one.",
  },
);
export type PriceAgreementUpdate = Static<typeof PriceAgreementUpdate>;

const filters = {
  productId: Type.Optional(Id),
  productGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  validOn: Type.Optional(Type.String({ format: "date", description: "Only agreements valid on this day" })),
  ...PageQuery,
};

export const PriceAgreementQuery = Type.Object(
  {
    customerId: Type.Optional(Id),
    customerGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    ...filters,
  },
  { additionalProperties: false },
);
export type PriceAgreementQuery = Static<typeof PriceAgreementQuery>;

export const CustomerPriceAgreementQuery = Type.Object(filters, { additionalProperties: false });
export type CustomerPriceAgreementQuery = Static<typeof CustomerPriceAgreementQuery>;

export const PriceQuery = Type.Object(
  {
    productId: Id,
    quantity: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1e9,
        default: 1,
        description: "Decides agreements with a minimum quantity",
      }),
    ),
    onDate: Type.Optional(Type.String({ format: "date", description: "Defaults to today" })),
  },
  { additionalProperties: false },
);
export type PriceQuery = Static<typeof PriceQuery>;

/** The price a customer pays for a product on a date: what a new document line would get. */
export const ResolvedPrice = Type.Object({
  customerId: Id,
  productId: Id,
  quantity: Type.Number(),
  onDate: DateOnly,
  listPriceCents: Type.Integer(),
  unitPriceCents: Type.Integer({ description: "Net unit price; a discount is rounded half up to the cent" }),
  priceSource: StringEnum(["list_price", "agreement"]),
  level: Nullable(StringEnum(PRICE_AGREEMENT_LEVELS)),
  priceAgreementId: Nullable(Id),
  discountPercent: Nullable(Type.Number({ description: "The agreement's discount, when it is one" })),
  description: Type.String({ description: "E.g. “Kundenpreis ab 01.01.2026” or “Listenpreis”" }),
});
export type ResolvedPrice = Static<typeof ResolvedPrice>;
