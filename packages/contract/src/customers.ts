import { type Static, Type } from "@sinclair/typebox";
import {
  CountryCode,
  DateOnly,
  Id,
  LanguageCode,
  Line,
  MultilineText,
  Nullable,
  PageQuery,
  StringEnum,
  Timestamp,
  Version,
} from "./common.js";
import { FileAdvertisingObjection } from "./consents.js";
import { KeyFigures } from "./finance.js";
import { CustomerPreferences } from "./preferences.js";

export const CUSTOMER_KINDS = ["company", "person"] as const;
export const CUSTOMER_STATUSES = ["prospect", "active", "inactive"] as const;
export const BLOCK_TYPES = ["none", "delivery", "invoice", "all"] as const;
export const ABC_RATINGS = ["A", "B", "C"] as const;
export const SALUTATIONS = ["mr", "ms", "diverse"] as const;
export const ADDRESS_TYPES = ["billing", "delivery", "other"] as const;
export const CHANNEL_KINDS = ["phone", "mobile", "fax", "email", "web"] as const;
export const PREFERRED_CHANNELS = ["phone", "mobile", "email", "letter", "fax"] as const;
export const CUSTOMER_SORTS = [
  "customerNumber",
  "-customerNumber",
  "name",
  "-name",
  "createdAt",
  "-createdAt",
  "updatedAt",
  "-updatedAt",
] as const;

export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export type BlockType = (typeof BLOCK_TYPES)[number];
export type Salutation = (typeof SALUTATIONS)[number];
export type AddressType = (typeof ADDRESS_TYPES)[number];
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

const text = (max: number) => Nullable(Type.String({ maxLength: max }));

// ---------------------------------------------------------------- addresses

const addressFields = {
  type: StringEnum(ADDRESS_TYPES),
  isDefault: Type.Boolean({ description: "Default address of its type; exactly one per type when any exist" }),
  name1: text(200),
  name2: text(200),
  street: Line(200),
  addition: text(200),
  postalCode: Line(20, { description: "Checked for DE (5 digits), AT and CH (4 digits)" }),
  city: Line(120),
  country: CountryCode,
};

export const Address = Type.Object(
  { id: Id, customerId: Id, ...addressFields, version: Version, createdAt: Timestamp, updatedAt: Timestamp },
  {},
);
export type Address = Static<typeof Address>;

export const AddressCreate = Type.Object(
  {
    type: addressFields.type,
    isDefault: Type.Optional(addressFields.isDefault),
    name1: Type.Optional(addressFields.name1),
    name2: Type.Optional(addressFields.name2),
    street: addressFields.street,
    addition: Type.Optional(addressFields.addition),
    postalCode: addressFields.postalCode,
    city: addressFields.city,
    country: Type.Optional(CountryCode),
  },
  { additionalProperties: false },
);
export type AddressCreate = Static<typeof AddressCreate>;

export const AddressUpdate = Type.Partial(AddressCreate, {
  additionalProperties: false,
  minProperties: 1,
});
export type AddressUpdate = Static<typeof AddressUpdate>;

// ---------------------------------------------------------------- channels

export const Channel = Type.Object(
  {
    id: Id,
    customerId: Id,
    kind: StringEnum(CHANNEL_KINDS),
    value: Type.String({ description: "Phones in E.164, e-mails lower-cased, web as a URL" }),
    display: Type.String({ description: "Phones in national format, otherwise the value" }),
    label: text(100),
    isPrimary: Type.Boolean(),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {},
);
export type Channel = Static<typeof Channel>;

export const ChannelCreate = Type.Object(
  {
    kind: StringEnum(CHANNEL_KINDS),
    value: Line(300, { description: "Phones in any common format; stored as E.164" }),
    label: Type.Optional(text(100)),
    isPrimary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ChannelCreate = Static<typeof ChannelCreate>;

export const ChannelUpdate = Type.Partial(ChannelCreate, {
  additionalProperties: false,
  minProperties: 1,
});
export type ChannelUpdate = Static<typeof ChannelUpdate>;

// ---------------------------------------------------------------- contacts

const contactFields = {
  salutation: Nullable(StringEnum(SALUTATIONS)),
  title: text(50),
  firstName: text(100),
  lastName: Line(100),
  position: text(100),
  department: text(100),
  phone: Nullable(Type.String({ maxLength: 50, description: "E.164 in responses; any common format in requests" })),
  mobile: Nullable(Type.String({ maxLength: 50, description: "E.164 in responses; any common format in requests" })),
  email: Nullable(Type.String({ format: "email", maxLength: 254 })),
  preferredChannel: Nullable(StringEnum(PREFERRED_CHANNELS)),
  birthday: Nullable(DateOnly),
  isPrimary: Type.Boolean(),
  active: Type.Boolean(),
  formal: Type.Boolean({ description: "Formal (Sie) or informal (du) address" }),
  language: LanguageCode,
  letterSalutationOverride: text(200),
};

export const Contact = Type.Object(
  {
    id: Id,
    customerId: Id,
    ...contactFields,
    phoneDisplay: Nullable(Type.String({ description: "Phone in national format" })),
    mobileDisplay: Nullable(Type.String({ description: "Mobile in national format" })),
    letterSalutation: Type.String({ description: "The override when set, else generated" }),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {},
);
export type Contact = Static<typeof Contact>;

export const ContactCreate = Type.Object(
  {
    salutation: Type.Optional(contactFields.salutation),
    title: Type.Optional(contactFields.title),
    firstName: Type.Optional(contactFields.firstName),
    lastName: contactFields.lastName,
    position: Type.Optional(contactFields.position),
    department: Type.Optional(contactFields.department),
    phone: Type.Optional(contactFields.phone),
    mobile: Type.Optional(contactFields.mobile),
    email: Type.Optional(contactFields.email),
    preferredChannel: Type.Optional(contactFields.preferredChannel),
    birthday: Type.Optional(contactFields.birthday),
    isPrimary: Type.Optional(contactFields.isPrimary),
    active: Type.Optional(contactFields.active),
    formal: Type.Optional(contactFields.formal),
    language: Type.Optional(contactFields.language),
    letterSalutationOverride: Type.Optional(contactFields.letterSalutationOverride),
  },
  { additionalProperties: false },
);
export type ContactCreate = Static<typeof ContactCreate>;

export const ContactUpdate = Type.Partial(ContactCreate, {
  additionalProperties: false,
  minProperties: 1,
});
export type ContactUpdate = Static<typeof ContactUpdate>;

// ---------------------------------------------------------------- bank accounts

export const BankAccount = Type.Object(
  {
    id: Id,
    customerId: Id,
    iban: Type.String({ description: "Electronic format, no spaces" }),
    ibanDisplay: Type.String({ description: "IBAN in groups of four" }),
    bic: Nullable(Type.String()),
    accountHolder: text(200),
    bankName: text(200),
    isDefault: Type.Boolean(),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {},
);
export type BankAccount = Static<typeof BankAccount>;

export const BankAccountCreate = Type.Object(
  {
    iban: Line(50, { description: "Checked with its checksum; spaces allowed" }),
    bic: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    accountHolder: Type.Optional(text(200)),
    bankName: Type.Optional(text(200)),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type BankAccountCreate = Static<typeof BankAccountCreate>;

export const BankAccountUpdate = Type.Partial(BankAccountCreate, {
  additionalProperties: false,
  minProperties: 1,
});
export type BankAccountUpdate = Static<typeof BankAccountUpdate>;

// ---------------------------------------------------------------- customers

export const Block = Type.Object(
  {
    type: StringEnum(BLOCK_TYPES),
    reason: Nullable(Type.String()),
    setBy: Nullable(Type.String()),
    setAt: Nullable(Timestamp),
  },
  {},
);
export type Block = Static<typeof Block>;

export const BlockInput = Type.Object(
  {
    type: StringEnum(BLOCK_TYPES),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false, description: "A reason is required unless the type is `none`" },
);

const customerFields = {
  customerNumber: Type.String({ description: "From the customer number range unless given" }),
  debtorNumber: text(30),
  kind: StringEnum(CUSTOMER_KINDS),
  name1: Line(200),
  name2: text(200),
  name3: text(200),
  salutation: Nullable(StringEnum(SALUTATIONS)),
  title: text(50),
  firstName: text(100),
  lastName: text(100),
  legalForm: text(50),
  status: StringEnum(CUSTOMER_STATUSES),
  customerGroup: text(50),
  industry: text(100),
  region: text(50),
  abcRating: Nullable(StringEnum(ABC_RATINGS)),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50, uniqueItems: true }),
  owner: text(100),
  language: LanguageCode,
  vatId: Nullable(Type.String({ maxLength: 20, description: "USt-IdNr.; format checked per EU country" })),
  taxNumber: text(30),
  notes: Nullable(MultilineText({ maxLength: 10000 })),
};

export const Customer = Type.Object(
  {
    id: Id,
    ...customerFields,
    block: Block,
    letterSalutation: Type.String({ description: "Generated letter salutation for the customer itself" }),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {},
);
export type Customer = Static<typeof Customer>;

const customerInputFields = {
  debtorNumber: Type.Optional(customerFields.debtorNumber),
  name2: Type.Optional(customerFields.name2),
  name3: Type.Optional(customerFields.name3),
  salutation: Type.Optional(customerFields.salutation),
  title: Type.Optional(customerFields.title),
  firstName: Type.Optional(customerFields.firstName),
  lastName: Type.Optional(customerFields.lastName),
  legalForm: Type.Optional(customerFields.legalForm),
  status: Type.Optional(customerFields.status),
  block: Type.Optional(BlockInput),
  customerGroup: Type.Optional(customerFields.customerGroup),
  industry: Type.Optional(customerFields.industry),
  region: Type.Optional(customerFields.region),
  abcRating: Type.Optional(customerFields.abcRating),
  tags: Type.Optional(customerFields.tags),
  owner: Type.Optional(customerFields.owner),
  language: Type.Optional(customerFields.language),
  vatId: Type.Optional(customerFields.vatId),
  taxNumber: Type.Optional(customerFields.taxNumber),
  notes: Type.Optional(customerFields.notes),
};

export const CustomerCreate = Type.Object(
  {
    customerNumber: Type.Optional(Line(30, { description: "Leave out to draw the next number from the range" })),
    kind: customerFields.kind,
    name1: customerFields.name1,
    ...customerInputFields,
    addresses: Type.Optional(Type.Array(AddressCreate, { maxItems: 50 })),
    channels: Type.Optional(Type.Array(ChannelCreate, { maxItems: 50 })),
    contacts: Type.Optional(Type.Array(ContactCreate, { maxItems: 200 })),
    bankAccounts: Type.Optional(Type.Array(BankAccountCreate, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type CustomerCreate = Static<typeof CustomerCreate>;

export const CustomerUpdate = Type.Object(
  {
    kind: Type.Optional(customerFields.kind),
    name1: Type.Optional(customerFields.name1),
    ...customerInputFields,
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CustomerUpdate = Static<typeof CustomerUpdate>;

export const DUPLICATE_REASONS = [
  "same_vat_id",
  "same_email",
  "same_phone",
  "similar_name_same_postal_code",
  "similar_name_same_city",
] as const;

export const DuplicateReason = Type.Object({
  code: StringEnum(DUPLICATE_REASONS),
  value: Type.String({ description: "The value both share (or the candidate's similar name)" }),
});

export const DuplicateCandidate = Type.Object({
  customerId: Id,
  customerNumber: Type.String(),
  name: Type.String(),
  city: Nullable(Type.String()),
  score: Type.Integer({ minimum: 0, maximum: 100, description: "How likely the two are the same customer" }),
  reasons: Type.Array(DuplicateReason),
});
export type DuplicateCandidate = Static<typeof DuplicateCandidate>;

/** The customer with everything created alongside it (response of POST /customers). */
export const CustomerCreated = Type.Object(
  {
    customer: Customer,
    addresses: Type.Array(Address),
    channels: Type.Array(Channel),
    contacts: Type.Array(Contact),
    bankAccounts: Type.Optional(
      Type.Array(BankAccount, { description: "Only for users who may see finance data (finance, admin)" }),
    ),
    duplicateCandidates: Type.Array(DuplicateCandidate, {
      description: "Customers that are probably the same one (saved anyway; see the duplicate check)",
    }),
  },
  {},
);
export type CustomerCreated = Static<typeof CustomerCreated>;

/** Response of PATCH /customers/{id}: the customer, and possible duplicates when name or VAT ID changed. */
export const CustomerUpdated = Type.Composite([
  Customer,
  Type.Object({
    duplicateCandidates: Type.Optional(
      Type.Array(DuplicateCandidate, { description: "Only when the name or the VAT ID changed" }),
    ),
  }),
]);
export type CustomerUpdated = Static<typeof CustomerUpdated>;

export const CustomerListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(CUSTOMER_STATUSES)),
    group: Type.Optional(Type.String({ maxLength: 50 })),
    owner: Type.Optional(Type.String({ maxLength: 100 })),
    tag: Type.Optional(Type.String({ maxLength: 50 })),
    city: Type.Optional(
      Type.String({
        maxLength: 120,
        description: "City of the default billing address; case-, umlaut- and accent-insensitive",
      }),
    ),
    postalCode: Type.Optional(
      Type.String({
        maxLength: 20,
        description: "Postal code of the default billing address: exact, or a prefix ending in *",
      }),
    ),
    blocked: Type.Optional(Type.Boolean({ description: "true: any block set; false: no block" })),
    sort: Type.Optional(StringEnum(CUSTOMER_SORTS, { default: "name" })),
    count: Type.Optional(Type.Boolean({ default: true, description: "Compute `total` (capped)" })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type CustomerListQuery = Static<typeof CustomerListQuery>;

export const CustomerListItem = Type.Object(
  {
    id: Id,
    customerNumber: Type.String(),
    kind: StringEnum(CUSTOMER_KINDS),
    name1: Type.String(),
    name2: Nullable(Type.String()),
    status: StringEnum(CUSTOMER_STATUSES),
    blockType: StringEnum(BLOCK_TYPES),
    customerGroup: Nullable(Type.String()),
    region: Nullable(Type.String()),
    abcRating: Nullable(StringEnum(ABC_RATINGS)),
    owner: Nullable(Type.String()),
    street: Nullable(Type.String({ description: "Of the default billing address" })),
    postalCode: Nullable(Type.String()),
    city: Nullable(Type.String()),
    country: Nullable(Type.String()),
    version: Version,
    updatedAt: Timestamp,
  },
  {},
);
export type CustomerListItem = Static<typeof CustomerListItem>;

export const TOTAL_CAP = 1000;

export const CustomerPage = Type.Object(
  {
    items: Type.Array(CustomerListItem),
    nextCursor: Nullable(Type.String()),
    total: Nullable(Type.Integer({ description: `Matching customers, counted up to ${TOTAL_CAP}` })),
    totalExact: Type.Boolean({ description: `false when more than ${TOTAL_CAP} match` }),
  },
  {},
);
export type CustomerPage = Static<typeof CustomerPage>;

export const BADGES = ["prospect", "active", "inactive", "delivery_block", "invoice_block", "all_block"] as const;
export type BadgeCode = (typeof BADGES)[number];

export const Badge = Type.Object({
  code: StringEnum(BADGES),
  severity: StringEnum(["info", "success", "warning", "danger"] as const),
  detail: Nullable(Type.String()),
});
export type Badge = Static<typeof Badge>;

/** Everything the customer file screen needs for its info panel and contacts, in one response. */
export const CustomerFile = Type.Object(
  {
    customer: Customer,
    billingAddress: Nullable(Address),
    deliveryAddress: Nullable(Address),
    addresses: Type.Array(Address),
    channels: Type.Array(Channel),
    primaryContact: Nullable(Contact),
    contacts: Type.Array(Contact),
    badges: Type.Array(Badge),
    /** Delivery days and times, invoice delivery, service requirements; null until someone sets them. */
    preferences: Nullable(CustomerPreferences),
    /** "Keine Werbung": active advertising objections of the customer and of its contacts. */
    advertisingObjection: FileAdvertisingObjection,
    bankAccounts: Type.Optional(
      Type.Array(BankAccount, { description: "Only for users who may see finance data (finance, admin)" }),
    ),
    keyFigures: Type.Optional(KeyFigures),
  },
  {},
);
export type CustomerFile = Static<typeof CustomerFile>;

export const HistoryChange = Type.Object({
  field: Type.String(),
  old: Type.Unknown(),
  new: Type.Unknown(),
});

export const HistoryEntry = Type.Object(
  {
    id: Id,
    at: Timestamp,
    actor: Type.String(),
    action: StringEnum(["create", "update", "delete", "merge"] as const, {
      description: "`merge`: other records were merged into this one (changes list them and what moved)",
    }),
    entityType: StringEnum([
      "customer",
      "address",
      "channel",
      "contact",
      "bank_account",
      "journal_entry",
      "follow_up",
      "sales_document",
      "payment",
      "credit_settings",
      "dunning_notice",
      "ticket",
      "opportunity",
      "consent",
      "advertising_objection",
      "customer_preferences",
      "price_agreement",
      "campaign_member",
    ] as const),
    entityId: Id,
    changes: Type.Array(HistoryChange),
    requestId: Nullable(Type.String()),
  },
  {},
);
export type HistoryEntry = Static<typeof HistoryEntry>;

export const HistoryQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

// ---------------------------------------------------------------- number ranges

export const NumberRange = Type.Object(
  {
    key: Type.String(),
    prefix: Type.String(),
    nextValue: Type.Integer({ minimum: 1 }),
    width: Type.Integer({ minimum: 1, maximum: 20, description: "Zero-padded width of the numeric part" }),
    version: Version,
  },
  {},
);
export type NumberRange = Static<typeof NumberRange>;

export const NumberRangeUpdate = Type.Object(
  {
    prefix: Type.Optional(Type.String({ maxLength: 10, pattern: "^[A-Za-z0-9-]*$" })),
    nextValue: Type.Optional(Type.Integer({ minimum: 1, maximum: 9007199254740991 })),
    width: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type NumberRangeUpdate = Static<typeof NumberRangeUpdate>;
