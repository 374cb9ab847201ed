import { type Static, Type } from "@sinclair/typebox";
import { DateOnly, Id, MultilineText, Nullable, PageQuery, StringEnum, Timestamp, Version } from "./common.js";

// ---------------------------------------------------------------- segments

/** A segment selects customers, or the contacts of the customers it selects. */
export const SEGMENT_TARGETS = ["customers", "contacts"] as const;
export type SegmentTarget = (typeof SEGMENT_TARGETS)[number];

const Month = Type.String({ pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM" });
const Names = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
    minItems: 1,
    maxItems: 50,
    uniqueItems: true,
    description,
  });

/**
 * The filter of a segment. Every given criterion must hold (AND); a list within a criterion
 * matches any of its values (OR).
 */
export const SegmentFilter = Type.Object(
  {
    statuses: Type.Optional(
      Type.Array(StringEnum(["prospect", "active", "inactive"] as const), { minItems: 1, uniqueItems: true }),
    ),
    groups: Type.Optional(Names("Customer groups")),
    regions: Type.Optional(Names("Regions")),
    tags: Type.Optional(Names("Tags: the customer has at least one of them")),
    postalCodePrefixes: Type.Optional(
      Type.Array(Type.String({ pattern: "^[0-9]{1,5}$" }), {
        minItems: 1,
        maxItems: 50,
        uniqueItems: true,
        description: "Postal code of the billing address starts with one of them (e.g. `8` for Bavaria's south)",
      }),
    ),
    revenue: Type.Optional(
      Type.Object(
        {
          minCents: Type.Optional(Type.Integer()),
          maxCents: Type.Optional(Type.Integer()),
          fromMonth: Type.Optional({ ...Month, description: "First month counted; default: 11 months before toMonth" }),
          toMonth: Type.Optional({ ...Month, description: "Last month counted; default: the current month" }),
        },
        {
          additionalProperties: false,
          minProperties: 1,
          description: "Net revenue (invoices less credit notes) in the months given, between min and max inclusive",
        },
      ),
    ),
    lastPurchase: Type.Optional(
      Type.Object(
        {
          after: Type.Optional({ ...DateOnly, description: "Last invoice on or after this date" }),
          before: Type.Optional({ ...DateOnly, description: "Last invoice before this date (customers who bought)" }),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
    productsBought: Type.Optional(
      Type.Object(
        {
          productIds: Type.Array(Id, { minItems: 1, maxItems: 50, uniqueItems: true }),
          since: Type.Optional({ ...DateOnly, description: "Last bought on or after this date" }),
        },
        { additionalProperties: false, description: "Bought at least one of the products" },
      ),
    ),
    contacts: Type.Optional(
      Type.Object(
        {
          primaryOnly: Type.Optional(Type.Boolean()),
          departments: Type.Optional(Names("Department of the contact")),
        },
        { additionalProperties: false, description: "Only for target `contacts`: which contacts of the customers" },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SegmentFilter = Static<typeof SegmentFilter>;

export const Segment = Type.Object({
  id: Id,
  name: Type.String(),
  description: Nullable(Type.String()),
  target: StringEnum(SEGMENT_TARGETS),
  filter: SegmentFilter,
  createdBy: Type.String(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Segment = Static<typeof Segment>;

export const SegmentCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(MultilineText({ maxLength: 2000 }))),
    target: Type.Optional(StringEnum(SEGMENT_TARGETS, { default: "customers" })),
    filter: SegmentFilter,
  },
  { additionalProperties: false },
);
export type SegmentCreate = Static<typeof SegmentCreate>;

export const SegmentUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Nullable(MultilineText({ maxLength: 2000 }))),
    target: Type.Optional(StringEnum(SEGMENT_TARGETS)),
    filter: Type.Optional(SegmentFilter),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SegmentUpdate = Static<typeof SegmentUpdate>;

export const SegmentPreview = Type.Object(
  { target: Type.Optional(StringEnum(SEGMENT_TARGETS, { default: "customers" })), filter: SegmentFilter },
  { additionalProperties: false },
);
export type SegmentPreview = Static<typeof SegmentPreview>;

export const SegmentQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const SegmentEvaluationQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const SegmentMember = Type.Object({
  customerId: Id,
  customerNumber: Type.String(),
  customerName: Type.String(),
  customerStatus: Type.String(),
  contactId: Nullable(Id),
  contactName: Nullable(Type.String()),
});
export type SegmentMember = Static<typeof SegmentMember>;

/** A segment evaluated now: how many match, and a page of them by customer name. */
export const SegmentEvaluation = Type.Object({
  count: Type.Integer({ description: "All matching customers (or contacts), counted exactly" }),
  evaluatedAt: Timestamp,
  items: Type.Array(SegmentMember),
  nextCursor: Nullable(Type.String()),
});
export type SegmentEvaluation = Static<typeof SegmentEvaluation>;

// ---------------------------------------------------------------- campaigns

export const CAMPAIGN_CHANNELS = ["email", "letter", "phone", "event"] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

/** planned → active → completed; planned or active → cancelled. */
export const CAMPAIGN_STATUSES = ["planned", "active", "completed", "cancelled"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const MEMBER_STATUSES = ["included", "excluded"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * Why a member is not contacted: an advertising objection (customer or contact), no consent
 * the channel needs, no address for the channel, an inactive contact.
 */
export const EXCLUSION_REASONS = ["advertising_objection", "no_consent", "no_address", "contact_inactive"] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const CAMPAIGN_RESPONSES = ["interested", "not_interested", "ordered", "bounced", "unsubscribed"] as const;
export type CampaignResponse = (typeof CAMPAIGN_RESPONSES)[number];

export const Campaign = Type.Object({
  id: Id,
  name: Type.String(),
  description: Nullable(Type.String()),
  channel: StringEnum(CAMPAIGN_CHANNELS),
  status: StringEnum(CAMPAIGN_STATUSES),
  startsOn: DateOnly,
  endsOn: Nullable(DateOnly),
  owner: Type.String({ description: "E-mail of the user responsible" }),
  segmentId: Nullable(Id),
  launchedAt: Nullable(Timestamp),
  createdBy: Type.String(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Campaign = Static<typeof Campaign>;

export const CampaignCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(MultilineText({ maxLength: 5000 }))),
    channel: StringEnum(CAMPAIGN_CHANNELS),
    startsOn: DateOnly,
    endsOn: Type.Optional(Nullable(DateOnly)),
    owner: Type.Optional(Type.String({ format: "email", description: "Defaults to you" })),
    segmentId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type CampaignCreate = Static<typeof CampaignCreate>;

export const CampaignUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Nullable(MultilineText({ maxLength: 5000 }))),
    startsOn: Type.Optional(DateOnly),
    endsOn: Type.Optional(Nullable(DateOnly)),
    owner: Type.Optional(Type.String({ format: "email" })),
    segmentId: Type.Optional(Nullable(Id)),
    status: Type.Optional(
      StringEnum(CAMPAIGN_STATUSES, {
        description:
          "`active` launches the campaign: members are checked again and the included ones contacted (journal)",
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CampaignUpdate = Static<typeof CampaignUpdate>;

export const CampaignQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(CAMPAIGN_STATUSES)),
    channel: Type.Optional(StringEnum(CAMPAIGN_CHANNELS)),
    owner: Type.Optional(Type.String({ maxLength: 254, description: "`me` or a user's e-mail" })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type CampaignQuery = Static<typeof CampaignQuery>;

export const CampaignMember = Type.Object({
  id: Id,
  campaignId: Id,
  customerId: Id,
  customerName: Type.String(),
  contactId: Nullable(Id),
  contactName: Nullable(Type.String()),
  status: StringEnum(MEMBER_STATUSES),
  exclusionReason: Nullable(StringEnum(EXCLUSION_REASONS)),
  source: StringEnum(["segment", "manual"] as const),
  contactedAt: Nullable(Timestamp),
  response: Nullable(StringEnum(CAMPAIGN_RESPONSES)),
  respondedAt: Nullable(Timestamp),
  responseNote: Nullable(Type.String()),
  addedBy: Type.String(),
  addedAt: Timestamp,
  version: Version,
});
export type CampaignMember = Static<typeof CampaignMember>;

export const CampaignMemberCreate = Type.Object(
  {
    customerId: Id,
    contactId: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, description: "Absent or null: the customer itself" })),
    ),
  },
  { additionalProperties: false },
);
export type CampaignMemberCreate = Static<typeof CampaignMemberCreate>;

export const CampaignMembersFromSegment = Type.Object(
  { segmentId: Type.Optional(Type.Integer({ minimum: 1, description: "Defaults to the campaign's segment" })) },
  { additionalProperties: false },
);
export type CampaignMembersFromSegment = Static<typeof CampaignMembersFromSegment>;

const ReasonCounts = Type.Object({
  advertising_objection: Type.Integer(),
  no_consent: Type.Integer(),
  no_address: Type.Integer(),
  contact_inactive: Type.Integer(),
});

export const CampaignMembersAdded = Type.Object({
  added: Type.Integer(),
  included: Type.Integer(),
  excluded: ReasonCounts,
  alreadyMembers: Type.Integer({ description: "Matched the segment but were members already" }),
});
export type CampaignMembersAdded = Static<typeof CampaignMembersAdded>;

export const CampaignMemberQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(MEMBER_STATUSES)),
    reason: Type.Optional(StringEnum(EXCLUSION_REASONS)),
    response: Type.Optional(StringEnum(CAMPAIGN_RESPONSES)),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type CampaignMemberQuery = Static<typeof CampaignMemberQuery>;

export const CampaignMemberParams = Type.Object({ id: Id, memberId: Id }, { additionalProperties: false });

export const CampaignMemberResponse = Type.Object(
  {
    response: StringEnum(CAMPAIGN_RESPONSES, {
      description: "`unsubscribed` also withdraws the member's consent for the campaign's channel at once",
    }),
    note: Type.Optional(Nullable(MultilineText({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export type CampaignMemberResponse = Static<typeof CampaignMemberResponse>;

export const CampaignResults = Type.Object({
  campaignId: Id,
  members: Type.Integer(),
  included: Type.Integer(),
  reached: Type.Integer({ description: "Included members contacted (the campaign was launched)" }),
  excluded: ReasonCounts,
  responses: Type.Object({
    interested: Type.Integer(),
    not_interested: Type.Integer(),
    ordered: Type.Integer(),
    bounced: Type.Integer(),
    unsubscribed: Type.Integer(),
  }),
  responseRate: Type.Number({
    description: "Members who answered (any response but `bounced`) ÷ reached; 0 when nobody was reached",
  }),
  orders: Type.Integer({ description: "Orders of reached members' customers dated on or after the start" }),
  revenueCents: Type.Integer({
    description: "Net invoices less credit notes of reached members' customers dated on or after the start",
  }),
  customers: Type.Integer({ description: "Distinct customers reached" }),
});
export type CampaignResults = Static<typeof CampaignResults>;
