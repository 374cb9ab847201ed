import { type Static, Type } from "@sinclair/typebox";
import { DateOnly, Id, MultilineText, Nullable, PageQuery, StringEnum, Timestamp, Version } from "./common.js";

/** Channels a marketing consent (Einwilligung) is given for. */
export const CONSENT_CHANNELS = ["email", "phone", "letter", "sms"] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** What is recorded; `none` only appears as the current state of a channel nothing was recorded for. */
export const CONSENT_RECORD_STATES = ["granted", "withdrawn"] as const;
export const CONSENT_STATES = ["granted", "withdrawn", "none"] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/** How a consent or its withdrawal reached us. `unsubscribe` always withdraws. */
export const CONSENT_SOURCES = [
  "form",
  "email",
  "phone",
  "letter",
  "in_person",
  "import",
  "unsubscribe",
  "other",
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** How an advertising objection (Werbewiderspruch, Art. 21 GDPR) reached us. */
export const OBJECTION_SOURCES = ["letter", "email", "phone", "in_person", "form", "other"] as const;
export type ObjectionSource = (typeof OBJECTION_SOURCES)[number];

export const DoubleOptIn = Type.Object(
  {
    requestedAt: Type.String({ format: "date-time", description: "When the confirmation mail was sent" }),
    confirmedAt: Type.String({ format: "date-time", description: "When the link in it was followed" }),
    reference: Type.Optional(
      Nullable(Type.String({ maxLength: 200, description: "E.g. the confirmation token or mail id" })),
    ),
  },
  { additionalProperties: false },
);

/** One recorded consent or withdrawal. Records are never changed: the newest one per channel is the current state. */
export const Consent = Type.Object({
  id: Id,
  customerId: Id,
  contactId: Nullable(Id),
  channel: StringEnum(CONSENT_CHANNELS),
  state: StringEnum(CONSENT_RECORD_STATES),
  source: StringEnum(CONSENT_SOURCES),
  sourceDetail: Nullable(Type.String({ description: "Free text: the form's address, the caller, the import file…" })),
  occurredAt: Timestamp,
  wordingVersion: Nullable(Type.String({ description: "Version of the consent text the person agreed to" })),
  doubleOptIn: Nullable(
    Type.Object({ requestedAt: Timestamp, confirmedAt: Timestamp, reference: Nullable(Type.String()) }),
  ),
  campaignId: Nullable(Id),
  note: Nullable(Type.String()),
  recordedBy: Type.String(),
  recordedAt: Timestamp,
});
export type Consent = Static<typeof Consent>;

export const ConsentCreate = Type.Object(
  {
    contactId: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, description: "The contact; null or absent for the customer itself" })),
    ),
    channel: StringEnum(CONSENT_CHANNELS),
    state: StringEnum(CONSENT_RECORD_STATES),
    source: StringEnum(CONSENT_SOURCES),
    sourceDetail: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    occurredAt: Type.Optional(Type.String({ format: "date-time", description: "Defaults to now; not in the future" })),
    wordingVersion: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    /** Evidence of a double opt-in; required for an e-mail consent given through a form. */
    doubleOptIn: Type.Optional(Nullable(DoubleOptIn)),
    note: Type.Optional(Nullable(MultilineText({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export type ConsentCreate = Static<typeof ConsentCreate>;

export const Unsubscribe = Type.Object(
  {
    contactId: Type.Optional(Nullable(Id)),
    channel: StringEnum(CONSENT_CHANNELS),
    sourceDetail: Type.Optional(Nullable(Type.String({ maxLength: 500, description: "E.g. the unsubscribe link" }))),
  },
  { additionalProperties: false },
);
export type Unsubscribe = Static<typeof Unsubscribe>;

export const ConsentHistoryQuery = Type.Object(
  {
    contactId: Type.Optional(Id),
    customerLevel: Type.Optional(Type.Boolean({ description: "Only the customer's own records (no contact)" })),
    channel: Type.Optional(StringEnum(CONSENT_CHANNELS)),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ConsentHistoryQuery = Static<typeof ConsentHistoryQuery>;

/** An advertising objection: blocks all marketing to the customer (and its contacts) or the contact until lifted. */
export const AdvertisingObjection = Type.Object({
  id: Id,
  customerId: Id,
  contactId: Nullable(Id),
  objectedOn: DateOnly,
  source: StringEnum(OBJECTION_SOURCES),
  note: Nullable(Type.String()),
  active: Type.Boolean(),
  liftedOn: Nullable(DateOnly),
  liftReason: Nullable(Type.String()),
  liftedBy: Nullable(Type.String()),
  recordedBy: Type.String(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AdvertisingObjection = Static<typeof AdvertisingObjection>;

export const AdvertisingObjectionCreate = Type.Object(
  {
    contactId: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, description: "Null or absent: the objection covers the whole customer" })),
    ),
    objectedOn: Type.Optional(DateOnly),
    source: StringEnum(OBJECTION_SOURCES),
    note: Type.Optional(Nullable(MultilineText({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export type AdvertisingObjectionCreate = Static<typeof AdvertisingObjectionCreate>;

export const AdvertisingObjectionLift = Type.Object(
  {
    liftedOn: Type.Optional(DateOnly),
    reason: MultilineText({ minLength: 1, maxLength: 2000, description: "E.g. the customer's written revocation" }),
  },
  { additionalProperties: false },
);
export type AdvertisingObjectionLift = Static<typeof AdvertisingObjectionLift>;

export const AdvertisingObjectionQuery = Type.Object(
  { active: Type.Optional(Type.Boolean()), ...PageQuery },
  { additionalProperties: false },
);

/** The current state of one channel for one person. */
export const ChannelConsent = Type.Object({
  channel: StringEnum(CONSENT_CHANNELS),
  state: StringEnum(CONSENT_STATES),
  since: Nullable(Timestamp),
  source: Nullable(StringEnum(CONSENT_SOURCES)),
  wordingVersion: Nullable(Type.String()),
  doubleOptInConfirmedAt: Nullable(Timestamp),
  consentId: Nullable(Id),
});
export type ChannelConsent = Static<typeof ChannelConsent>;

/** The current consents of the customer itself (`contactId` null) or of one of its contacts. */
export const ConsentSubject = Type.Object({
  contactId: Nullable(Id),
  name: Type.String(),
  objection: Nullable(AdvertisingObjection),
  advertisingBlocked: Type.Boolean({ description: "An active objection of the customer or of this contact" }),
  channels: Type.Array(ChannelConsent),
});

export const CustomerConsents = Type.Object({
  customerId: Id,
  /** The customer's own active objection. */
  objection: Nullable(AdvertisingObjection),
  subjects: Type.Array(ConsentSubject),
});
export type CustomerConsents = Static<typeof CustomerConsents>;

export const CustomerConsentsQuery = Type.Object({ contactId: Type.Optional(Id) }, { additionalProperties: false });

/** The objection flag of the customer file's info panel ("keine Werbung"). */
export const FileAdvertisingObjection = Type.Object({
  customer: Type.Boolean({ description: "The customer objected: no marketing to it or any of its contacts" }),
  since: Nullable(DateOnly),
  contactIds: Type.Array(Id, { description: "Contacts with an objection of their own" }),
});
export type FileAdvertisingObjection = Static<typeof FileAdvertisingObjection>;
