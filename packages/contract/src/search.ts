import { type Static, Type } from "@sinclair/typebox";
import { Id, Nullable, StringEnum, Version } from "./common.js";
import { CUSTOMER_STATUSES, DuplicateCandidate } from "./customers.js";

export const SEARCH_FIELDS = [
  "customerNumber",
  "debtorNumber",
  "mergedNumber",
  "name",
  "contactName",
  "email",
  "phone",
  "street",
  "postalCode",
  "city",
  "vatId",
  "tag",
] as const;
export type SearchFieldName = (typeof SEARCH_FIELDS)[number];

export const MATCH_KINDS = ["exact", "prefix", "substring", "typo", "phonetic"] as const;

export const SearchQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "What the user typed: a name or part of it, a number, a phone number in any format, an e-mail…",
    }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchMatch = Type.Object({
  field: StringEnum(SEARCH_FIELDS),
  value: Type.String({ description: "The value as stored and shown" }),
  kind: StringEnum(MATCH_KINDS),
  contactId: Nullable(Id),
  highlights: Type.Array(Type.Tuple([Type.Integer(), Type.Integer()]), {
    description: "[start, end) character ranges of `value` that matched",
  }),
});
export type SearchMatch = Static<typeof SearchMatch>;

export const SearchResult = Type.Object({
  customerId: Id,
  customerNumber: Type.String(),
  name: Type.String(),
  city: Nullable(Type.String()),
  status: StringEnum(CUSTOMER_STATUSES),
  contact: Nullable(Type.Object({ id: Id, name: Type.String() })),
  score: Type.Number({ description: "Higher is better; exact numbers ≥ 1000" }),
  matches: Type.Array(SearchMatch, { description: "Why the result matched: one entry per field" }),
});
export type SearchResult = Static<typeof SearchResult>;

export const SearchResponse = Type.Object({
  query: Type.String(),
  results: Type.Array(SearchResult),
  tolerant: Type.Boolean({
    description: "Misspellings and phonetic neighbours were searched too (the exact pass found too little)",
  }),
});
export type SearchResponse = Static<typeof SearchResponse>;

// ---- duplicate check ----

const ProbeText = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const DuplicateProbe = Type.Object(
  {
    name1: ProbeText(200),
    name2: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    vatId: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    postalCode: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    city: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    emails: Type.Optional(Type.Array(ProbeText(254), { maxItems: 20 })),
    phones: Type.Optional(Type.Array(ProbeText(40), { maxItems: 20 })),
    excludeCustomerId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type DuplicateProbe = Static<typeof DuplicateProbe>;

export const DuplicateCheckResult = Type.Object({ candidates: Type.Array(DuplicateCandidate) });
export type DuplicateCheckResult = Static<typeof DuplicateCheckResult>;

export const NotDuplicateRequest = Type.Object({ otherId: Id }, { additionalProperties: false });
export type NotDuplicateRequest = Static<typeof NotDuplicateRequest>;

// ---- merge ----

/** Master-data fields whose winning value the user picks when merging customers. */
export const MERGE_FIELDS = [
  "name1",
  "name2",
  "name3",
  "salutation",
  "title",
  "firstName",
  "lastName",
  "legalForm",
  "status",
  "customerGroup",
  "industry",
  "region",
  "abcRating",
  "owner",
  "language",
  "debtorNumber",
  "vatId",
  "taxNumber",
  "notes",
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** `{ field: id, … }`: which record's value of a field wins; every field optional, no others. */
const fieldChoice = (fields: readonly string[], description: string) =>
  Type.Object(Object.fromEntries(fields.map((f) => [f, Type.Optional(Id)])), {
    additionalProperties: false,
    description,
  });

export const MergeSource = Type.Object(
  { id: Id, version: Version },
  { additionalProperties: false, description: "A record to merge into the survivor, at the version the user saw" },
);

export const CustomerMergeRequest = Type.Object(
  {
    merge: Type.Array(MergeSource, { minItems: 1, maxItems: 20 }),
    fields: Type.Optional(
      fieldChoice(
        MERGE_FIELDS,
        "Per field, the id of the customer whose value wins. A field not named keeps the survivor's value, " +
          "or takes the first merged customer's where the survivor's is empty: only a choice named here empties a field",
      ),
    ),
  },
  { additionalProperties: false },
);
export type CustomerMergeRequest = Static<typeof CustomerMergeRequest>;

export const MergeResult = Type.Object({
  survivorId: Id,
  merged: Type.Array(Type.Object({ id: Id, number: Type.String(), name: Type.String() })),
  moved: Type.Record(Type.String(), Type.Integer(), { description: "Records moved to the survivor, per kind" }),
  version: Version,
});
export type MergeResult = Static<typeof MergeResult>;

export const CONTACT_MERGE_FIELDS = [
  "salutation",
  "title",
  "firstName",
  "lastName",
  "position",
  "department",
  "phone",
  "mobile",
  "email",
  "preferredChannel",
  "birthday",
  "language",
] as const;

export const ContactMergeRequest = Type.Object(
  {
    merge: Type.Array(MergeSource, { minItems: 1, maxItems: 20 }),
    fields: Type.Optional(
      fieldChoice(
        CONTACT_MERGE_FIELDS,
        "Per field, the id of the contact whose value wins. A field not named keeps the survivor's value, " +
          "or takes the first merged contact's where the survivor's is empty",
      ),
    ),
  },
  { additionalProperties: false },
);
export type ContactMergeRequest = Static<typeof ContactMergeRequest>;
