import {
  Contact,
  type ContactCreate,
  type ContactUpdate,
  ContactCreate as CreateSchema,
  type Salutation,
  ContactUpdate as UpdateSchema,
} from "@kundenakte/contract";
import { flag } from "../../db/dialect.js";
import { formatNational, toE164 } from "../../domain/phone.js";
import { letterSalutation } from "../../domain/salutation.js";
import type { FieldErrors } from "../../http/errors.js";
import { systemClock } from "../../lib/clock.js";
import { clean, type PartContext, type PartRow, type PartSpec } from "./part.js";

function phone(value: string | null | undefined, country: string, errs: FieldErrors, field: string) {
  const v = clean(value);
  if (!v) return null;
  const r = toE164(v, country as never);
  if (!r.ok) errs.add(field, "invalid_phone", r.reason);
  return r.ok ? r.value : v;
}

function birthday(value: string | null | undefined, errs: FieldErrors, field: string, today: string) {
  if (!value) return null;
  if (value > today) errs.add(field, "in_future", "a birthday cannot be in the future");
  return value;
}

const COLUMNS = {
  salutation: "salutation",
  title: "title",
  firstName: "first_name",
  lastName: "last_name",
  position: "position",
  department: "department",
  email: "email",
  preferredChannel: "preferred_channel",
  active: "active",
  formal: "formal",
  language: "language",
  letterSalutationOverride: "letter_salutation_override",
} as const;

/** Columns that are copied as they come (strings trimmed, empty → null). */
function plainColumns(input: Partial<ContactCreate>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const v = (input as Record<string, unknown>)[field];
    if (v === undefined) continue;
    out[column] = typeof v === "string" ? clean(v) : v;
  }
  if (typeof out.email === "string") out.email = out.email.toLowerCase();
  return out;
}

export const contactSpec: PartSpec<Contact, ContactCreate, ContactUpdate> = {
  table: "contacts",
  entityType: "contact",
  label: "Contact",
  path: "contacts",
  tag: "Contacts",
  resource: "contacts",
  schemas: { item: Contact, create: CreateSchema, update: UpdateSchema },
  exclusive: { column: "is_primary", field: "isPrimary", scope: [], autoFirst: false },
  derived: ["phoneDisplay", "mobileDisplay", "letterSalutation"],
  present: (r: PartRow): Contact => {
    const phoneValue = r.phone as string | null;
    const mobileValue = r.mobile as string | null;
    const salutation = r.salutation as Salutation | null;
    const formal = flag(r.formal as number);
    const language = r.language as string;
    const override = r.letter_salutation_override as string | null;
    return {
      id: r.id,
      customerId: r.customer_id,
      salutation,
      title: r.title as string | null,
      firstName: r.first_name as string | null,
      lastName: r.last_name as string,
      position: r.position as string | null,
      department: r.department as string | null,
      phone: phoneValue,
      mobile: mobileValue,
      email: r.email as string | null,
      preferredChannel: r.preferred_channel as Contact["preferredChannel"],
      birthday: r.birthday as string | null,
      isPrimary: flag(r.is_primary as number),
      active: flag(r.active as number),
      formal,
      language,
      letterSalutationOverride: override,
      phoneDisplay: phoneValue ? formatNational(phoneValue) : null,
      mobileDisplay: mobileValue ? formatNational(mobileValue) : null,
      letterSalutation:
        override ??
        letterSalutation({
          salutation,
          title: r.title as string | null,
          firstName: r.first_name as string | null,
          lastName: r.last_name as string,
          formal,
          language,
        }),
      version: r.version,
      createdAt: r.created_at as string,
      updatedAt: r.updated_at as string,
    };
  },
  toInsert(input, errs, prefix, ctx: PartContext) {
    return {
      salutation: null,
      title: null,
      first_name: null,
      position: null,
      department: null,
      email: null,
      preferred_channel: null,
      letter_salutation_override: null,
      active: true,
      formal: true,
      language: ctx.customerLanguage,
      ...plainColumns(input),
      last_name: input.lastName.trim(),
      phone: phone(input.phone, ctx.defaultCountry, errs, `${prefix}phone`),
      mobile: phone(input.mobile, ctx.defaultCountry, errs, `${prefix}mobile`),
      birthday: birthday(input.birthday, errs, `${prefix}birthday`, ctx.today ?? systemClock.today()),
    };
  },
  toUpdate(patch, errs, _row, ctx) {
    const out = plainColumns(patch);
    if (patch.lastName !== undefined) out.last_name = patch.lastName.trim();
    if (patch.phone !== undefined) out.phone = phone(patch.phone, ctx.defaultCountry, errs, "phone");
    if (patch.mobile !== undefined) out.mobile = phone(patch.mobile, ctx.defaultCountry, errs, "mobile");
    if (patch.birthday !== undefined)
      out.birthday = birthday(patch.birthday, errs, "birthday", ctx.today ?? systemClock.today());
    return out;
  },
};
