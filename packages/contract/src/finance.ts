import { type Static, Type } from "@sinclair/typebox";
import { DateOnly, Id, MultilineText, Nullable, PageQuery, StringEnum, Timestamp, Version } from "./common.js";
import { PRICE_SOURCES } from "./price-agreements.js";

/*
 * Conventions of the finance API: money is an integer number of cents (`…Cents`), in the
 * document's currency; percentages are numbers in percent with at most two decimals
 * (`vatRatePercent: 19`, `discountPercent: 2.5`); quantities have at most three decimals.
 */

const Cents = (description?: string) => Type.Integer({ minimum: -1e13, maximum: 1e13, description });
const Percent = (description: string) => Type.Number({ minimum: 0, maximum: 100, multipleOf: 0.01, description });
export const CurrencyCode = Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217", examples: ["EUR"] });

// ---------------------------------------------------------------- products

export const Product = Type.Object({
  id: Id,
  articleNumber: Type.String(),
  name: Type.String(),
  unit: Type.String({ description: "Unit of quantity, e.g. Stk, kg, h" }),
  listPriceCents: Cents("List price per unit, net"),
  vatRatePercent: Type.Number(),
  productGroup: Nullable(Type.String()),
  active: Type.Boolean(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Product = Static<typeof Product>;

export const ProductCreate = Type.Object(
  {
    articleNumber: Type.String({ minLength: 1, maxLength: 40, pattern: "^\\S(.*\\S)?$" }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 20, default: "Stk" })),
    listPriceCents: Type.Integer({ minimum: 0, maximum: 1e12 }),
    vatRatePercent: Type.Optional(Percent("Defaults to 19")),
    productGroup: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ProductCreate = Static<typeof ProductCreate>;

export const ProductUpdate = Type.Partial(ProductCreate, { additionalProperties: false, minProperties: 1 });
export type ProductUpdate = Static<typeof ProductUpdate>;

export const ProductQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: "Article number or name, prefix" })),
    productGroup: Type.Optional(Type.String({ maxLength: 100 })),
    active: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ProductQuery = Static<typeof ProductQuery>;

// ---------------------------------------------------------------- payment terms

export const CashDiscount = Type.Object(
  {
    days: Type.Integer({ minimum: 0, maximum: 365 }),
    percent: Type.Number({ minimum: 0.01, maximum: 100, multipleOf: 0.01 }),
  },
  { additionalProperties: false },
);

export const PaymentTerms = Type.Object({
  id: Id,
  code: Type.String({ description: "Short key, e.g. 14-2-30" }),
  netDays: Type.Integer(),
  discounts: Type.Array(CashDiscount, { description: "Cash-discount stages (Skonto), at most two" }),
  text: Type.String({ description: "As printed on an invoice: “14 Tage 2 % Skonto, 30 Tage netto”" }),
  textEn: Type.String(),
  active: Type.Boolean(),
  version: Version,
});
export type PaymentTerms = Static<typeof PaymentTerms>;

export const PaymentTermsCreate = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40, pattern: "^\\S+$" }),
    netDays: Type.Integer({ minimum: 0, maximum: 365 }),
    discounts: Type.Optional(Type.Array(CashDiscount, { maxItems: 2 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PaymentTermsCreate = Static<typeof PaymentTermsCreate>;

export const PaymentTermsUpdate = Type.Partial(PaymentTermsCreate, { additionalProperties: false, minProperties: 1 });
export type PaymentTermsUpdate = Static<typeof PaymentTermsUpdate>;

// ---------------------------------------------------------------- sales documents

export const DOCUMENT_TYPES = ["quote", "order", "delivery_note", "invoice", "credit_note"] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Statuses per type; an invoice's and a credit note's status follows its payments. */
export const DOCUMENT_STATUSES = {
  quote: ["open", "accepted", "rejected", "expired"],
  order: ["open", "partly_delivered", "delivered", "cancelled"],
  delivery_note: ["open", "delivered", "cancelled"],
  invoice: ["open", "partly_paid", "paid", "cancelled"],
  credit_note: ["open", "partly_settled", "settled"],
} as const satisfies Record<DocumentType, readonly string[]>;
export const ALL_DOCUMENT_STATUSES = [...new Set(Object.values(DOCUMENT_STATUSES).flat())] as const;

export const DocumentLine = Type.Object({
  position: Type.Integer(),
  productId: Nullable(Id),
  articleNumber: Nullable(Type.String()),
  text: Type.String(),
  quantity: Type.Number(),
  unit: Type.String(),
  unitPriceCents: Type.Integer(),
  discountPercent: Type.Number(),
  vatRatePercent: Type.Number(),
  netCents: Type.Integer({ description: "quantity × unit price − discount, rounded per line" }),
  priceSource: StringEnum(PRICE_SOURCES, {
    description:
      "Where the unit price came from: the product's list price, a price agreement (the most specific valid on the document date), or given on the line (manual)",
  }),
  priceAgreementId: Nullable(Id),
  priceSourceText: Nullable(
    Type.String({
      description: "The agreement as it read when the line was written, e.g. “Kundenpreis ab 01.01.2026”",
    }),
  ),
});
export type DocumentLine = Static<typeof DocumentLine>;

export const DocumentLineInput = Type.Object(
  {
    productId: Type.Optional(Id),
    text: Type.Optional(MultilineText({ minLength: 1, maxLength: 1000, description: "Required without a product" })),
    quantity: Type.Number({
      minimum: -1e9,
      maximum: 1e9,
      description: "At most three decimals; negative only on credit notes",
    }),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    unitPriceCents: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1e12,
        description:
          "Defaults to the customer's price agreement valid on the document date, else the product's list price",
      }),
    ),
    discountPercent: Type.Optional(Percent("Line discount")),
    vatRatePercent: Type.Optional(Percent("Defaults to the product's rate, else 19")),
  },
  { additionalProperties: false },
);
export type DocumentLineInput = Static<typeof DocumentLineInput>;

export const VatPerRate = Type.Object({
  vatRatePercent: Type.Number(),
  netCents: Type.Integer(),
  vatCents: Type.Integer(),
});

export const TermDates = Type.Object({
  dueDate: DateOnly,
  discounts: Type.Array(Type.Object({ until: DateOnly, percent: Type.Number(), amountCents: Type.Integer() })),
});

export const SalesDocument = Type.Object({
  id: Id,
  type: StringEnum(DOCUMENT_TYPES),
  number: Type.String(),
  customerId: Id,
  contactId: Nullable(Id),
  status: Type.String({ description: "See DOCUMENT_STATUSES for the values per type" }),
  documentDate: DateOnly,
  currency: CurrencyCode,
  netCents: Type.Integer(),
  vatCents: Type.Integer(),
  grossCents: Type.Integer(),
  vatPerRate: Type.Array(VatPerRate),
  openCents: Nullable(
    Type.Integer({
      description:
        "Invoices and credit notes: what is still to be paid or settled. Finance data: null for readers without finance permission",
    }),
  ),
  paymentTermsText: Nullable(Type.String()),
  terms: Nullable(TermDates),
  validUntil: Nullable(DateOnly),
  referenceId: Nullable(Id),
  referenceNumber: Nullable(Type.String()),
  note: Nullable(Type.String()),
  lines: Type.Array(DocumentLine),
  createdBy: Type.String(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SalesDocument = Static<typeof SalesDocument>;

/** A document in lists: without its lines. */
export const SalesDocumentSummary = Type.Omit(SalesDocument, ["lines", "vatPerRate", "terms"]);
export type SalesDocumentSummary = Static<typeof SalesDocumentSummary>;

export const SalesDocumentCreate = Type.Object(
  {
    type: StringEnum(DOCUMENT_TYPES),
    contactId: Type.Optional(Nullable(Id)),
    documentDate: Type.Optional(Type.String({ format: "date", description: "Defaults to today" })),
    currency: Type.Optional(CurrencyCode),
    validUntil: Type.Optional(Type.String({ format: "date", description: "Quotes" })),
    paymentTermsId: Type.Optional(
      Type.Integer({ minimum: 1, description: "Invoices; defaults to the customer's payment terms" }),
    ),
    referenceId: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          "The document this one follows (quote → order → delivery note → invoice); a credit note must name its invoice",
      }),
    ),
    note: Type.Optional(Nullable(MultilineText({ maxLength: 5000 }))),
    lines: Type.Array(DocumentLineInput, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type SalesDocumentCreate = Static<typeof SalesDocumentCreate>;

export const SalesDocumentUpdate = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 30 })),
    contactId: Type.Optional(Nullable(Id)),
    validUntil: Type.Optional(Nullable(Type.String({ format: "date" }))),
    note: Type.Optional(Nullable(MultilineText({ maxLength: 5000 }))),
    lines: Type.Optional(Type.Array(DocumentLineInput, { minItems: 1, maxItems: 500 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SalesDocumentUpdate = Static<typeof SalesDocumentUpdate>;

export const SalesDocumentQuery = Type.Object(
  {
    types: Type.Optional(Type.String({ maxLength: 100, description: "Comma-separated document types" })),
    status: Type.Optional(Type.String({ maxLength: 30 })),
    from: Type.Optional(Type.String({ format: "date" })),
    to: Type.Optional(Type.String({ format: "date" })),
    productId: Type.Optional(Id),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type SalesDocumentQuery = Static<typeof SalesDocumentQuery>;

// ---------------------------------------------------------------- payments

export const PAYMENT_METHODS = ["bank_transfer", "direct_debit", "cash", "card", "other"] as const;

export const PaymentAllocation = Type.Object({
  documentId: Id,
  documentNumber: Type.String(),
  amountCents: Type.Integer({ description: "Paid towards the invoice" }),
  discountCents: Type.Integer({ description: "Cash discount taken" }),
});

export const Payment = Type.Object({
  id: Id,
  customerId: Id,
  amountCents: Type.Integer(),
  currency: CurrencyCode,
  paymentDate: DateOnly,
  method: StringEnum(PAYMENT_METHODS),
  reference: Nullable(Type.String()),
  allocations: Type.Array(PaymentAllocation),
  unallocatedCents: Type.Integer({ description: "Kept as the customer's credit" }),
  createdBy: Type.String(),
  createdAt: Timestamp,
});
export type Payment = Static<typeof Payment>;

export const PaymentCreate = Type.Object(
  {
    amountCents: Type.Integer({ minimum: 1, maximum: 1e12 }),
    currency: Type.Optional(CurrencyCode),
    paymentDate: Type.String({ format: "date" }),
    method: Type.Optional(StringEnum(PAYMENT_METHODS, { default: "bank_transfer" })),
    reference: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    allocations: Type.Optional(
      Type.Array(
        Type.Object(
          {
            documentId: Id,
            amountCents: Type.Integer({ minimum: 1, maximum: 1e12 }),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 200,
          description: "Which invoices it pays; without, the open invoices are paid oldest first",
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PaymentCreate = Static<typeof PaymentCreate>;

// ---------------------------------------------------------------- open items and credit

export const AGEING_BUCKETS = ["not_due", "1_30", "31_60", "61_90", "over_90"] as const;

export const OpenItem = Type.Object({
  documentId: Id,
  type: StringEnum(["invoice", "credit_note"]),
  number: Type.String(),
  documentDate: DateOnly,
  dueDate: DateOnly,
  grossCents: Type.Integer(),
  openCents: Type.Integer(),
  daysOverdue: Type.Integer(),
  bucket: StringEnum(AGEING_BUCKETS),
  dunningLevel: Type.Integer({ minimum: 0, maximum: 3 }),
});
export type OpenItem = Static<typeof OpenItem>;

export const OpenItems = Type.Object({
  onDate: DateOnly,
  items: Type.Array(OpenItem),
  totals: Type.Object({
    openCents: Type.Integer(),
    overdueCents: Type.Integer(),
    creditCents: Type.Integer({ description: "Unallocated payments, kept as credit" }),
    perBucket: Type.Record(Type.String(), Type.Integer()),
  }),
});
export type OpenItems = Static<typeof OpenItems>;

export const OpenItemsQuery = Type.Object(
  { onDate: Type.Optional(Type.String({ format: "date", description: "Defaults to today" })) },
  { additionalProperties: false },
);

export const CreditSettings = Type.Object(
  {
    creditLimitCents: Nullable(Type.Integer({ minimum: 0, maximum: 1e13 })),
    paymentTermsId: Nullable(Id),
    dunningExcluded: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type CreditSettings = Static<typeof CreditSettings>;

export const CreditSettingsUpdate = Type.Partial(CreditSettings, { additionalProperties: false, minProperties: 1 });
export type CreditSettingsUpdate = Static<typeof CreditSettingsUpdate>;

export const CreditCheckRequest = Type.Object(
  { amountCents: Type.Integer({ minimum: 0, maximum: 1e12 }) },
  { additionalProperties: false },
);

export const CreditCheck = Type.Object({
  result: StringEnum(["ok", "warning", "blocked"]),
  reasons: Type.Array(Type.String(), { description: "delivery_block, limit_exceeded, near_limit" }),
  exposureCents: Type.Optional(
    Type.Integer({
      description:
        "Open items + open orders not yet invoiced + the amount. This and the other figures are finance data: only for finance and admin (absent for other roles)",
    }),
  ),
  openItemsCents: Type.Optional(Type.Integer()),
  openOrdersCents: Type.Optional(Type.Integer()),
  amountCents: Type.Integer(),
  creditLimitCents: Type.Optional(Nullable(Type.Integer())),
  availableCents: Type.Optional(Nullable(Type.Integer())),
});
export type CreditCheck = Static<typeof CreditCheck>;
/** A credit check as finance and admin receive it: with every figure. */
export type CreditCheckWithFigures = Required<CreditCheck>;

// ---------------------------------------------------------------- key figures and purchase history

export const KeyFigures = Type.Object(
  {
    currency: CurrencyCode,
    revenueThisYearCents: Type.Integer({ description: "Net of invoices minus credit notes, by document date" }),
    revenueLastYearCents: Type.Integer(),
    openQuotes: Type.Integer(),
    openOrders: Type.Integer(),
    openTickets: Type.Integer({ description: "Tickets new, in progress or waiting for the customer" }),
    overdueTickets: Type.Integer({ description: "Open tickets past their due time" }),
    openItemsCents: Type.Optional(Type.Integer({ description: "Finance data: only for finance and admin" })),
    overdueCents: Type.Optional(Type.Integer()),
    overdue: Type.Optional(Type.Boolean({ description: "Some invoice is past its due date" })),
    creditLimitCents: Type.Optional(Nullable(Type.Integer())),
    creditUsedCents: Type.Optional(Type.Integer({ description: "Open items + open orders not yet invoiced" })),
    creditExceeded: Type.Optional(Type.Boolean()),
    averageDaysToPay: Type.Optional(Nullable(Type.Number({ description: "Invoices paid in the last 12 months" }))),
    averageDaysLate: Type.Optional(Nullable(Type.Number())),
    onTimeShare: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1 }))),
    nextFollowUp: Type.Optional(
      Type.Object(
        {
          id: Id,
          dueAt: Timestamp,
          subject: Type.String(),
          owner: Type.String({ description: "E-mail of the user who is to do it" }),
          ownerName: Nullable(Type.String({ description: "The user's name; null if no such user (any more)" })),
          overdue: Type.Boolean({ description: "Past its due time" }),
        },
        { description: "The customer's earliest open follow-up (Wiedervorlage); absent when there is none" },
      ),
    ),
    lastContactAt: Type.Optional(
      Type.String({
        format: "date-time",
        description:
          "When the newest call, e-mail, meeting or letter in the journal took place (not notes, not module or system entries, not deleted ones); absent when there is none",
      }),
    ),
    lastContactKind: Type.Optional(StringEnum(["call", "email", "meeting", "letter"] as const)),
  },
  { description: "Figures of the info panel on today's date" },
);
export type KeyFigures = Static<typeof KeyFigures>;

export const ProductHistoryItem = Type.Object({
  productId: Id,
  articleNumber: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  quantity: Type.Number({ description: "Invoiced minus credited" }),
  revenueCents: Type.Integer({ description: "Net, invoiced minus credited" }),
  invoices: Type.Integer(),
  firstDate: DateOnly,
  lastDate: DateOnly,
  lastPriceCents: Type.Integer({ description: "Unit price on the latest invoice" }),
});
export type ProductHistoryItem = Static<typeof ProductHistoryItem>;

export const ProductHistoryQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const RevenueReport = Type.Object({
  months: Type.Array(
    Type.Object({
      month: Type.String({ pattern: "^\\d{4}-\\d{2}$" }),
      netCents: Type.Integer(),
      invoices: Type.Integer(),
    }),
  ),
  years: Type.Array(Type.Object({ year: Type.Integer(), netCents: Type.Integer(), invoices: Type.Integer() })),
});
export type RevenueReport = Static<typeof RevenueReport>;

// ---------------------------------------------------------------- dunning

export const DunningLevel = Type.Object({
  level: Type.Integer({ minimum: 1, maximum: 3 }),
  daysAfterDue: Type.Integer({ description: "Days after the due date from which this level is due" }),
  feeCents: Type.Integer(),
  text: Type.String({ description: "Title of the notice, e.g. “1. Mahnung”" }),
  version: Version,
});
export type DunningLevel = Static<typeof DunningLevel>;

export const DunningLevelUpdate = Type.Object(
  {
    daysAfterDue: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    feeCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DunningLevelUpdate = Static<typeof DunningLevelUpdate>;

export const DunningItem = Type.Object({
  documentId: Id,
  number: Type.String(),
  dueDate: DateOnly,
  openCents: Type.Integer(),
  daysOverdue: Type.Integer(),
  previousLevel: Type.Integer({ minimum: 0, maximum: 3 }),
  level: Type.Integer({ minimum: 1, maximum: 3 }),
});

export const DunningProposalEntry = Type.Object({
  customerId: Id,
  customerNumber: Type.String(),
  customerName: Type.String(),
  level: Type.Integer({ minimum: 1, maximum: 3, description: "The highest level among the items" }),
  feeCents: Type.Integer(),
  totalCents: Type.Integer({ description: "Open amount of the items plus the fee" }),
  items: Type.Array(DunningItem),
});
export type DunningProposalEntry = Static<typeof DunningProposalEntry>;

export const DunningProposal = Type.Object({
  onDate: DateOnly,
  customers: Type.Array(DunningProposalEntry),
});
export type DunningProposal = Static<typeof DunningProposal>;

export const DunningProposalQuery = Type.Object(
  { onDate: Type.Optional(Type.String({ format: "date", description: "Defaults to today" })) },
  { additionalProperties: false },
);

export const DunningRunRequest = Type.Object(
  {
    onDate: Type.Optional(Type.String({ format: "date", description: "Defaults to today" })),
    customerIds: Type.Optional(
      Type.Array(Id, { minItems: 1, maxItems: 10_000, description: "Only these customers of the proposal" }),
    ),
  },
  { additionalProperties: false },
);
export type DunningRunRequest = Static<typeof DunningRunRequest>;

export const DunningNotice = Type.Object({
  id: Id,
  customerId: Id,
  level: Type.Integer(),
  noticeDate: DateOnly,
  feeCents: Type.Integer(),
  totalCents: Type.Integer(),
  items: Type.Array(DunningItem),
  deliveryBlockSet: Type.Boolean({ description: "Level 3 set a delivery block (setting `dunning_block_at_level_3`)" }),
  createdBy: Type.String(),
  createdAt: Timestamp,
});
export type DunningNotice = Static<typeof DunningNotice>;
