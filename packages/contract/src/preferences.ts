import { type Static, Type } from "@sinclair/typebox";
import { Id, LanguageCode, MultilineText, Nullable, StringEnum, Timestamp, Version } from "./common.js";

/** Delivery days: deliveries go out Monday to Saturday. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const INVOICE_DELIVERIES = ["paper", "pdf_email", "xrechnung", "zugferd"] as const;
export type InvoiceDelivery = (typeof INVOICE_DELIVERIES)[number];
/** Invoice deliveries that go out by e-mail and so need an invoice address. */
export const INVOICE_DELIVERIES_BY_EMAIL: readonly InvoiceDelivery[] = ["pdf_email", "xrechnung", "zugferd"];

/** The same values as a contact's preferred channel (customers.ts imports this file, so they are repeated here). */
export const PREFERENCE_CHANNELS = ["phone", "mobile", "email", "letter", "fax"] as const;

export const SERVICE_REQUIREMENT_CATEGORIES = [
  "delivery",
  "packaging",
  "installation",
  "documentation",
  "access",
  "communication",
  "billing",
  "other",
] as const;

const Clock = Type.String({ pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$", description: "Local time, HH:MM" });

export const TimeWindow = Type.Object(
  { from: Clock, to: { ...Clock, description: "Local time, HH:MM; after `from`" } },
  { additionalProperties: false },
);
export type TimeWindow = Static<typeof TimeWindow>;

export const ServiceRequirement = Type.Object(
  {
    category: StringEnum(SERVICE_REQUIREMENT_CATEGORIES),
    text: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type ServiceRequirement = Static<typeof ServiceRequirement>;

/** A customer's preferences and special wishes. A customer nobody set them for has the defaults (version 1). */
export const CustomerPreferences = Type.Object({
  customerId: Id,
  deliveryDays: Type.Array(StringEnum(WEEKDAYS), { description: "Empty: any working day" }),
  deliveryWindows: Type.Array(TimeWindow, { description: "Empty: any time" }),
  preferredChannel: Nullable(StringEnum(PREFERENCE_CHANNELS)),
  correspondenceLanguage: Nullable(LanguageCode),
  invoiceDelivery: StringEnum(INVOICE_DELIVERIES),
  invoiceEmail: Nullable(Type.String()),
  leitwegId: Nullable(
    Type.String({
      description: "Buyer reference of German public authorities (XRechnung), e.g. 04011000-1234512345-06",
    }),
  ),
  shippingInstructions: Nullable(Type.String()),
  serviceRequirements: Type.Array(ServiceRequirement),
  version: Version,
  updatedAt: Nullable(Timestamp),
  updatedBy: Nullable(Type.String()),
});
export type CustomerPreferences = Static<typeof CustomerPreferences>;

/** Replaces all preferences; fields left out return to their defaults. */
export const CustomerPreferencesUpdate = Type.Object(
  {
    deliveryDays: Type.Optional(Type.Array(StringEnum(WEEKDAYS), { uniqueItems: true, maxItems: 6 })),
    deliveryWindows: Type.Optional(Type.Array(TimeWindow, { maxItems: 4 })),
    preferredChannel: Type.Optional(Nullable(StringEnum(PREFERENCE_CHANNELS))),
    correspondenceLanguage: Type.Optional(Nullable(LanguageCode)),
    invoiceDelivery: Type.Optional(StringEnum(INVOICE_DELIVERIES, { default: "paper" })),
    invoiceEmail: Type.Optional(
      Nullable(
        Type.String({
          format: "email",
          maxLength: 254,
          description: "Required for pdf_email, xrechnung and zugferd",
        }),
      ),
    ),
    leitwegId: Type.Optional(
      Nullable(Type.String({ maxLength: 50, description: "Checked: format and check digits (ISO 7064 MOD 97-10)" })),
    ),
    shippingInstructions: Type.Optional(Nullable(MultilineText({ maxLength: 2000 }))),
    serviceRequirements: Type.Optional(Type.Array(ServiceRequirement, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type CustomerPreferencesUpdate = Static<typeof CustomerPreferencesUpdate>;
