import { type Static, Type } from "@sinclair/typebox";
import { DateOnly, Id, MultilineText, Nullable, PageQuery, StringEnum, Timestamp, Version } from "./common.js";

export const OPPORTUNITY_STATUSES = ["open", "won", "lost"] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

/** A stage of the sales pipeline with the probability of winning an opportunity in it. */
export const OpportunityStage = Type.Object({
  id: Id,
  name: Type.String(),
  probability: Type.Integer({ minimum: 0, maximum: 100, description: "Percent" }),
  position: Type.Integer({ description: "Order in the pipeline, ascending" }),
  active: Type.Boolean({ description: "Inactive stages keep their opportunities but take no new ones" }),
  version: Version,
  updatedAt: Timestamp,
});
export type OpportunityStage = Static<typeof OpportunityStage>;

export const OpportunityStageCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    probability: Type.Integer({ minimum: 0, maximum: 100 }),
    position: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: "Defaults to after the last" })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type OpportunityStageCreate = Static<typeof OpportunityStageCreate>;

export const OpportunityStageUpdate = Type.Partial(OpportunityStageCreate, {
  additionalProperties: false,
  minProperties: 1,
});
export type OpportunityStageUpdate = Static<typeof OpportunityStageUpdate>;

const Cents = Type.Integer({ minimum: 0, maximum: 1e13 });

/** An opportunity (Verkaufschance): a deal in the making with a customer. */
export const Opportunity = Type.Object({
  id: Id,
  customerId: Id,
  customerName: Type.String(),
  contactId: Nullable(Id),
  title: Type.String(),
  description: Nullable(Type.String()),
  stageId: Id,
  stageName: Type.String(),
  probability: Type.Integer({ description: "Percent, from the stage" }),
  status: StringEnum(OPPORTUNITY_STATUSES),
  valueCents: Type.Integer({ description: "Expected net value" }),
  weightedCents: Type.Integer({ description: "Value × probability, rounded to the cent" }),
  currency: Type.String({ description: "Always the business currency, EUR" }),
  expectedCloseDate: DateOnly,
  owner: Type.String({ description: "E-mail of the user responsible" }),
  quoteIds: Type.Array(Id, { description: "Linked quotes of the same customer" }),
  closeReason: Nullable(Type.String({ description: "Why it was won or lost" })),
  closedOn: Nullable(DateOnly),
  createdBy: Type.String(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Opportunity = Static<typeof Opportunity>;

const QuoteIds = Type.Array(Type.Integer({ minimum: 1 }), {
  uniqueItems: true,
  maxItems: 50,
  description: "Quotes (documents of type quote) of the same customer",
});

export const OpportunityCreate = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Nullable(MultilineText({ maxLength: 20_000 }))),
    contactId: Type.Optional(Nullable(Id)),
    stageId: Type.Optional(Type.Integer({ minimum: 1, description: "Defaults to the first active stage" })),
    valueCents: Cents,
    expectedCloseDate: DateOnly,
    owner: Type.Optional(Type.String({ format: "email", maxLength: 254, description: "Defaults to you" })),
    quoteIds: Type.Optional(QuoteIds),
  },
  { additionalProperties: false },
);
export type OpportunityCreate = Static<typeof OpportunityCreate>;

export const OpportunityUpdate = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    description: Type.Optional(Nullable(MultilineText({ maxLength: 20_000 }))),
    contactId: Type.Optional(Nullable(Id)),
    stageId: Type.Optional(Type.Integer({ minimum: 1 })),
    valueCents: Type.Optional(Cents),
    expectedCloseDate: Type.Optional(DateOnly),
    owner: Type.Optional(Type.String({ format: "email", maxLength: 254 })),
    quoteIds: Type.Optional(QuoteIds),
    status: Type.Optional(StringEnum(OPPORTUNITY_STATUSES)),
    closeReason: Type.Optional(Nullable(MultilineText({ minLength: 1, maxLength: 2000 }))),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: "`status: lost` needs a `closeReason`; `status: open` reopens a won or lost opportunity",
  },
);
export type OpportunityUpdate = Static<typeof OpportunityUpdate>;

const ListFilters = {
  status: Type.Optional(StringEnum(OPPORTUNITY_STATUSES, { default: "open" })),
  stageId: Type.Optional(Id),
  owner: Type.Optional(Type.String({ maxLength: 254, description: "`me` or a user's e-mail" })),
  ...PageQuery,
};

export const OpportunityQuery = Type.Object(
  { ...ListFilters, customerId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type OpportunityQuery = Static<typeof OpportunityQuery>;

export const CustomerOpportunityQuery = Type.Object(ListFilters, { additionalProperties: false });
export type CustomerOpportunityQuery = Static<typeof CustomerOpportunityQuery>;

export const PipelineQuery = Type.Object(
  {
    owner: Type.Optional(Type.String({ maxLength: 254, description: "`me` or a user's e-mail" })),
    customerId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type PipelineQuery = Static<typeof PipelineQuery>;

const PipelineFigures = {
  count: Type.Integer(),
  valueCents: Type.Integer(),
  weightedCents: Type.Integer({ description: "Sum of value × probability of the stage, rounded per stage" }),
};

/** Open opportunities per stage: their number, value and weighted value. */
export const Pipeline = Type.Object({
  currency: Type.String(),
  stages: Type.Array(
    Type.Object({
      stageId: Id,
      name: Type.String(),
      probability: Type.Integer(),
      position: Type.Integer(),
      ...PipelineFigures,
    }),
    { description: "Every stage in pipeline order (inactive ones only while they hold open opportunities)" },
  ),
  total: Type.Object(PipelineFigures),
});
export type Pipeline = Static<typeof Pipeline>;
