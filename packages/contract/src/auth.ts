import { type Static, Type } from "@sinclair/typebox";
import { Id, LanguageCode, Nullable, StringEnum, Timestamp, Version } from "./common.js";

/** Resources a permission can name. `finance` covers bank accounts, credit and payment data. */
export const RESOURCES = [
  "customers",
  "addresses",
  "channels",
  "contacts",
  "journal",
  "follow_ups",
  "finance",
  "products",
  "payment_terms",
  "documents",
  "history",
  "number_ranges",
  "users",
  "roles",
  "settings",
  "tickets",
  "opportunities",
  "price_agreements",
  "consents",
  "preferences",
  "segments",
  "campaigns",
] as const;
export const ACTIONS = ["read", "create", "update", "delete"] as const;
export type Resource = (typeof RESOURCES)[number];
export type Action = (typeof ACTIONS)[number];
/** A permission: `<resource>.<action>`, e.g. `customers.update`. */
export type Permission = `${Resource}.${Action}`;
export const PERMISSIONS = RESOURCES.flatMap((r) => ACTIONS.map((a) => `${r}.${a}` as Permission));

export const BUILT_IN_ROLES = ["admin", "sales", "marketing", "service", "finance", "read_only"] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

export const TOKEN_SCOPES = ["read", "write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const Email = Type.String({ format: "email", maxLength: 254 });
const Password = Type.String({ minLength: 10, maxLength: 200, description: "At least 10 characters" });

export const LoginRequest = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const User = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  active: Type.Boolean(),
  language: LanguageCode,
  region: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  lastLoginAt: Nullable(Timestamp),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = Static<typeof User>;

/** A colleague as others may pick them (assignee of a ticket, owner of a follow-up): name and e-mail only. */
export const UserDirectoryEntry = Type.Object({
  email: Type.String(),
  name: Type.String(),
});
export type UserDirectoryEntry = Static<typeof UserDirectoryEntry>;

/** Who is logged in, what they may do, and the token to send with state-changing requests. */
export const Session = Type.Object({
  user: User,
  permissions: Type.Array(Type.String()),
  csrfToken: Nullable(
    Type.String({ description: "Send as X-CSRF-Token with POST, PATCH and DELETE (cookie sessions)" }),
  ),
  expiresAt: Nullable(Timestamp),
});
export type Session = Static<typeof Session>;

export const SetupRequest = Type.Object(
  { email: Email, name: Type.String({ minLength: 1, maxLength: 200 }), password: Password },
  { additionalProperties: false },
);
export type SetupRequest = Static<typeof SetupRequest>;

export const UserCreate = Type.Object(
  {
    email: Email,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: Password,
    roles: Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, uniqueItems: true }),
    language: Type.Optional(LanguageCode),
    region: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    active: Type.Optional(Type.Boolean({ description: "Deactivated users cannot log in; users are never deleted" })),
    roles: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, uniqueItems: true })),
    language: Type.Optional(LanguageCode),
    region: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserUpdate = Static<typeof UserUpdate>;

export const PasswordChange = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Password,
    revokeTokens: Type.Optional(
      Type.Boolean({
        description:
          "Revoke your API tokens too (default true). Your other sessions end either way; the one making the change stays.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type PasswordChange = Static<typeof PasswordChange>;

export const Role = Type.Object({
  key: Type.String(),
  name: Type.String(),
  builtIn: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  version: Version,
});
export type Role = Static<typeof Role>;

export const RoleUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    permissions: Type.Optional(Type.Array(StringEnum(PERMISSIONS), { uniqueItems: true })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type RoleUpdate = Static<typeof RoleUpdate>;

export const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(StringEnum(TOKEN_SCOPES)),
  expiresAt: Timestamp,
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});
export type ApiToken = Static<typeof ApiToken>;

export const ApiTokenCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(StringEnum(TOKEN_SCOPES), { minItems: 1, uniqueItems: true }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: 730 }),
  },
  { additionalProperties: false },
);
export type ApiTokenCreate = Static<typeof ApiTokenCreate>;

export const ApiTokenCreated = Type.Object({
  token: Type.String({ description: "Shown once; only its hash is stored" }),
  apiToken: ApiToken,
});

export const Settings = Type.Object({
  rowLevelSales: Type.Boolean({
    description:
      "When on, users with the `sales` role (and not `admin`) see only customers they own or of their region, on every route; their new customers are theirs",
  }),
  creditCheckRefusesOrders: Type.Boolean({
    description:
      "When on (default), an order the credit check blocks is refused (422 `credit_blocked`); when off it is created with a warning",
  }),
  dunningBlockAtLevel3: Type.Boolean({
    description: "When on (default), issuing a level-3 dunning notice sets a delivery block",
  }),
  version: Version,
});
export type Settings = Static<typeof Settings>;

export const SettingsUpdate = Type.Object(
  {
    rowLevelSales: Type.Optional(Type.Boolean()),
    creditCheckRefusesOrders: Type.Optional(Type.Boolean()),
    dunningBlockAtLevel3: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
