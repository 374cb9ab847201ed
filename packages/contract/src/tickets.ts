import { type Static, Type } from "@sinclair/typebox";
import { Id, MultilineText, Nullable, PageQuery, StringEnum, Timestamp, Version } from "./common.js";

export const TICKET_TYPES = ["inquiry", "complaint", "service_request"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_STATUSES = ["new", "in_progress", "waiting_for_customer", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Statuses in which a ticket still needs work: they count as open and can be overdue. */
export const OPEN_TICKET_STATUSES = ["new", "in_progress", "waiting_for_customer"] as const;

/**
 * The status workflow: new → in progress → waiting for customer → resolved → closed. A
 * request answered at once may go from new to resolved; a resolved ticket can be reopened
 * (→ in progress); a closed ticket is final. Anything else is refused (409 `illegal_transition`).
 */
export const TICKET_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["in_progress", "resolved"],
  in_progress: ["waiting_for_customer", "resolved"],
  waiting_for_customer: ["in_progress", "resolved"],
  resolved: ["closed", "in_progress"],
  closed: [],
};

export const RESOLUTION_CATEGORIES = [
  "answered",
  "repaired",
  "replaced",
  "credited",
  "rejected",
  "no_fault_found",
  "duplicate",
  "other",
] as const;
export type ResolutionCategory = (typeof RESOLUTION_CATEGORIES)[number];

/** A request or complaint (Anfrage, Reklamation, Serviceanfrage) of a customer. */
export const Ticket = Type.Object({
  id: Id,
  number: Type.String({ description: "From the number range `ticket`, e.g. T-000042" }),
  customerId: Id,
  customerName: Type.String(),
  contactId: Nullable(Id),
  type: StringEnum(TICKET_TYPES),
  subject: Type.String(),
  description: Nullable(Type.String()),
  priority: StringEnum(TICKET_PRIORITIES),
  status: StringEnum(TICKET_STATUSES),
  assignee: Nullable(Type.String({ description: "E-mail of the user working on it" })),
  dueAt: Timestamp,
  overdue: Type.Boolean({ description: "Still open (new, in progress, waiting) and past its due time" }),
  documentId: Nullable(Id),
  productId: Nullable(Id),
  settlementDocumentId: Nullable(
    Type.Integer({
      minimum: 1,
      description: "Complaints: the credit note or replacement order/delivery that settled it",
    }),
  ),
  resolution: Nullable(Type.String()),
  resolutionCategory: Nullable(StringEnum(RESOLUTION_CATEGORIES)),
  resolvedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  createdBy: Type.String(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Ticket = Static<typeof Ticket>;

const Subject = Type.String({ minLength: 1, maxLength: 300 });
const Description = MultilineText({ maxLength: 20_000 });
const Resolution = Type.String({ minLength: 1, maxLength: 20_000 });

export const TicketCreate = Type.Object(
  {
    type: StringEnum(TICKET_TYPES),
    subject: Subject,
    description: Type.Optional(Nullable(Description)),
    priority: Type.Optional(StringEnum(TICKET_PRIORITIES, { default: "normal" })),
    contactId: Type.Optional(Nullable(Id)),
    assignee: Type.Optional(
      Nullable(Type.String({ format: "email", maxLength: 254, description: "A user's e-mail; unassigned if absent" })),
    ),
    documentId: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, description: "An order, invoice or delivery note" })),
    ),
    productId: Type.Optional(Nullable(Id)),
    dueAt: Type.Optional(
      Type.String({ format: "date-time", description: "Overrides the due time the SLA of type and priority gives" }),
    ),
  },
  { additionalProperties: false },
);
export type TicketCreate = Static<typeof TicketCreate>;

export const TicketUpdate = Type.Object(
  {
    subject: Type.Optional(Subject),
    description: Type.Optional(Nullable(Description)),
    type: Type.Optional(StringEnum(TICKET_TYPES)),
    priority: Type.Optional(StringEnum(TICKET_PRIORITIES)),
    contactId: Type.Optional(Nullable(Id)),
    assignee: Type.Optional(Nullable(Type.String({ format: "email", maxLength: 254 }))),
    documentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    productId: Type.Optional(Nullable(Id)),
    settlementDocumentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    dueAt: Type.Optional(Type.String({ format: "date-time" })),
    status: Type.Optional(StringEnum(TICKET_STATUSES)),
    resolution: Type.Optional(Nullable(Resolution)),
    resolutionCategory: Type.Optional(Nullable(StringEnum(RESOLUTION_CATEGORIES))),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      "Resolving needs `resolution` and `resolutionCategory`; reopening clears them. A new type or priority sets the due time from the SLA again unless `dueAt` is given.",
  },
);
export type TicketUpdate = Static<typeof TicketUpdate>;

const StatusList = Type.String({
  pattern: "^[a-z_]+(,[a-z_]+)*$",
  maxLength: 200,
  description: "Comma-separated statuses, e.g. `new,in_progress`",
});

const ListFilters = {
  status: Type.Optional(StatusList),
  open: Type.Optional(Type.Boolean({ description: "true: new, in progress or waiting; false: resolved or closed" })),
  overdue: Type.Optional(Type.Boolean({ description: "true: open and past the due time; false: not overdue" })),
  type: Type.Optional(StringEnum(TICKET_TYPES)),
  priority: Type.Optional(StringEnum(TICKET_PRIORITIES)),
  assignee: Type.Optional(Type.String({ maxLength: 254, description: "`me`, `none` (unassigned) or a user's e-mail" })),
  ...PageQuery,
};

export const TicketQuery = Type.Object(
  { ...ListFilters, customerId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type TicketQuery = Static<typeof TicketQuery>;

export const CustomerTicketQuery = Type.Object(ListFilters, { additionalProperties: false });
export type CustomerTicketQuery = Static<typeof CustomerTicketQuery>;

/** Hours from a ticket's creation to its due time, for one type and priority. */
export const TicketSla = Type.Object({
  type: StringEnum(TICKET_TYPES),
  priority: StringEnum(TICKET_PRIORITIES),
  hours: Type.Integer({ description: "Calendar hours from creation to the due time" }),
  version: Version,
  updatedAt: Timestamp,
});
export type TicketSla = Static<typeof TicketSla>;

export const TicketSlaParams = Type.Object(
  { type: StringEnum(TICKET_TYPES), priority: StringEnum(TICKET_PRIORITIES) },
  { additionalProperties: false },
);

export const TicketSlaUpdate = Type.Object(
  { hours: Type.Integer({ minimum: 1, maximum: 8760 }) },
  { additionalProperties: false, description: "Applies to tickets created (or re-prioritised) from now on" },
);
export type TicketSlaUpdate = Static<typeof TicketSlaUpdate>;
