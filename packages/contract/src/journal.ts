import { type Static, Type } from "@sinclair/typebox";
import { Id, MultilineText, Nullable, StringEnum, Timestamp, Version } from "./common.js";

export const JOURNAL_KINDS = [
  "note",
  "call",
  "email",
  "meeting",
  "letter",
  "document",
  "payment",
  "dunning",
  "ticket",
  "campaign",
  "follow_up",
  "system",
] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** Kinds a user logs by hand (the communication log); the others are written by their modules. */
export const LOGGABLE_KINDS = ["note", "call", "meeting", "letter", "email"] as const;
export const DIRECTIONS = ["in", "out"] as const;

/** Journal events that carry finance data (amounts, days overdue, credit limits). */
export const FINANCE_EVENTS = ["payment", "dunning", "credit_limit"] as const;
export type FinanceEvent = (typeof FINANCE_EVENTS)[number];

export const Attachment = Type.Object({
  id: Id,
  filename: Type.String(),
  contentType: Type.String({ description: "Detected from the bytes" }),
  size: Type.Integer(),
  inline: Type.Boolean({ description: "An inline image of an e-mail's HTML body" }),
  contentId: Nullable(Type.String()),
  sha256: Type.String(),
});
export type Attachment = Static<typeof Attachment>;

export const JournalEntry = Type.Object({
  id: Id,
  customerId: Id,
  kind: StringEnum(JOURNAL_KINDS),
  occurredAt: Timestamp,
  recordedAt: Timestamp,
  author: Type.String(),
  contactId: Nullable(Id),
  direction: Nullable(StringEnum(DIRECTIONS)),
  subject: Nullable(Type.String()),
  body: Nullable(Type.String()),
  bodyHtml: Nullable(
    Type.String({
      description: "Sanitised HTML of an imported e-mail: no scripts, no event handlers, no remote loads",
    }),
  ),
  attachments: Type.Array(Attachment),
  link: Nullable(
    Type.Object({
      type: Type.String({
        description: "Kind of the object the entry belongs to, e.g. `customer`, `contact`, `invoice`",
      }),
      id: Id,
    }),
  ),
  editable: Type.Boolean({
    description: "False for entries other modules write: they change only through their object",
  }),
  deleted: Nullable(Type.Object({ at: Timestamp, by: Type.String(), reason: Type.String() })),
  financeWithheld: Nullable(
    StringEnum(FINANCE_EVENTS, {
      description:
        "Set for a finance event (payment, dunning notice, credit-limit change) read by a user without finance permission: subject, body and link are left out (null) and the value names the event, so a client can label it. Null when everything is shown.",
    }),
  ),
  version: Version,
});
export type JournalEntry = Static<typeof JournalEntry>;

export const JournalEntryCreate = Type.Object(
  {
    kind: StringEnum(LOGGABLE_KINDS),
    subject: Type.Optional(Type.String({ maxLength: 300 })),
    body: Type.Optional(MultilineText({ maxLength: 100_000 })),
    contactId: Type.Optional(Nullable(Id)),
    direction: Type.Optional(Nullable(StringEnum(DIRECTIONS))),
    occurredAt: Type.Optional(Type.String({ format: "date-time", description: "Defaults to now" })),
  },
  { additionalProperties: false, description: "A subject or a body is required" },
);
export type JournalEntryCreate = Static<typeof JournalEntryCreate>;

export const JournalEntryUpdate = Type.Object(
  {
    subject: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    body: Type.Optional(Nullable(MultilineText({ maxLength: 100_000 }))),
    contactId: Type.Optional(Nullable(Id)),
    direction: Type.Optional(Nullable(StringEnum(DIRECTIONS))),
    occurredAt: Type.Optional(Type.String({ format: "date-time" })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type JournalEntryUpdate = Static<typeof JournalEntryUpdate>;

export const JournalDelete = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const JournalQuery = Type.Object(
  {
    kinds: Type.Optional(
      Type.String({ pattern: "^[a-z_]+(,[a-z_]+)*$", description: "Comma-separated kinds, e.g. `call,email`" }),
    ),
    from: Type.Optional(Type.String({ format: "date-time" })),
    to: Type.Optional(Type.String({ format: "date-time" })),
    contactId: Type.Optional(Id),
    author: Type.Optional(Type.String({ maxLength: 254 })),
    q: Type.Optional(
      Type.String({ maxLength: 200, description: "Full text over subject and body; Müller finds Mueller" }),
    ),
    includeDeleted: Type.Optional(Type.Boolean({ default: false })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type JournalQuery = Static<typeof JournalQuery>;

export const JournalPage = Type.Object({
  items: Type.Array(JournalEntry),
  nextCursor: Nullable(Type.String()),
  counts: Type.Record(Type.String(), Type.Integer(), {
    description:
      "Entries per kind for the current filter without the kind filter (for filter chips); on the first page only",
  }),
  countsCapped: Type.Boolean({
    description:
      "The filter matches more than 1,000 entries: counting stopped there and each count is a lower bound (show it as “312+”)",
  }),
});
export type JournalPage = Static<typeof JournalPage>;

export const MailImportQuery = Type.Object(
  {
    customerId: Type.Optional(Id),
    contactId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type MailImportQuery = Static<typeof MailImportQuery>;
