import { type Static, Type } from "@sinclair/typebox";
import { Id, MultilineText, Nullable, PageQuery, StringEnum, Timestamp, Version } from "./common.js";

export const FOLLOW_UP_STATUSES = ["open", "done", "cancelled"] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** A follow-up (Wiedervorlage): something to do about a customer by a due time. */
export const FollowUp = Type.Object({
  id: Id,
  customerId: Id,
  customerName: Type.String(),
  contactId: Nullable(Id),
  journalEntryId: Nullable(Id),
  owner: Type.String({ description: "E-mail of the user who is to do it" }),
  subject: Type.String(),
  note: Nullable(Type.String()),
  dueAt: Timestamp,
  status: StringEnum(FOLLOW_UP_STATUSES),
  overdue: Type.Boolean({ description: "Open and past its due time" }),
  completedAt: Nullable(Timestamp),
  completedBy: Nullable(Type.String()),
  createdBy: Type.String(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type FollowUp = Static<typeof FollowUp>;

export const FollowUpCreate = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 300 }),
    dueAt: Type.String({ format: "date-time" }),
    owner: Type.Optional(Type.String({ format: "email", description: "Defaults to you" })),
    note: Type.Optional(Nullable(MultilineText({ maxLength: 10_000 }))),
    contactId: Type.Optional(Nullable(Id)),
    journalEntryId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type FollowUpCreate = Static<typeof FollowUpCreate>;

export const FollowUpUpdate = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    dueAt: Type.Optional(Type.String({ format: "date-time" })),
    owner: Type.Optional(Type.String({ format: "email" })),
    note: Type.Optional(Nullable(MultilineText({ maxLength: 10_000 }))),
    status: Type.Optional(StringEnum(FOLLOW_UP_STATUSES)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type FollowUpUpdate = Static<typeof FollowUpUpdate>;

export const FollowUpQuery = Type.Object(
  {
    owner: Type.Optional(Type.String({ maxLength: 254, description: "`me` (default) or a user's e-mail" })),
    status: Type.Optional(StringEnum(FOLLOW_UP_STATUSES, { default: "open" })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type FollowUpQuery = Static<typeof FollowUpQuery>;

export const CustomerFollowUpQuery = Type.Object(
  { status: Type.Optional(StringEnum(FOLLOW_UP_STATUSES, { default: "open" })), ...PageQuery },
  { additionalProperties: false },
);
