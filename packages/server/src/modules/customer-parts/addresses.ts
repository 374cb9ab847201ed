import {
  Address,
  type AddressCreate,
  type AddressUpdate,
  AddressCreate as CreateSchema,
  AddressUpdate as UpdateSchema,
} from "@kundenakte/contract";
import { flag } from "../../db/dialect.js";
import { foldText } from "../../domain/fold.js";
import { checkPostalCode } from "../../domain/postal-code.js";
import type { FieldErrors } from "../../http/errors.js";
import { clean, type PartContext, type PartRow, type PartSpec } from "./part.js";

function postalCode(country: string, code: string, errs: FieldErrors, field: string): string {
  const r = checkPostalCode(country, code);
  if (!r.ok) {
    errs.add(field, "invalid_postal_code", r.reason);
    return code;
  }
  return r.value;
}

export const addressSpec: PartSpec<Address, AddressCreate, AddressUpdate> = {
  table: "addresses",
  entityType: "address",
  label: "Address",
  path: "addresses",
  tag: "Addresses",
  resource: "addresses",
  schemas: { item: Address, create: CreateSchema, update: UpdateSchema },
  exclusive: { column: "is_default", field: "isDefault", scope: ["type"], autoFirst: true },
  derived: [],
  present: (r: PartRow): Address => ({
    id: r.id,
    customerId: r.customer_id,
    type: r.type as Address["type"],
    isDefault: flag(r.is_default as number),
    name1: r.name1 as string | null,
    name2: r.name2 as string | null,
    street: r.street as string,
    addition: r.addition as string | null,
    postalCode: r.postal_code as string,
    city: r.city as string,
    country: r.country as string,
    version: r.version,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  }),
  toInsert(input, errs, prefix, ctx: PartContext) {
    const country = input.country ?? ctx.defaultCountry;
    const city = input.city.trim();
    return {
      type: input.type,
      name1: clean(input.name1) ?? null,
      name2: clean(input.name2) ?? null,
      street: input.street.trim(),
      addition: clean(input.addition) ?? null,
      postal_code: postalCode(country, input.postalCode, errs, `${prefix}postalCode`),
      city,
      city_key: foldText(city),
      country,
    };
  },
  toUpdate(patch, errs, row) {
    const out: Record<string, unknown> = {};
    if (patch.type !== undefined) out.type = patch.type;
    if (patch.name1 !== undefined) out.name1 = clean(patch.name1);
    if (patch.name2 !== undefined) out.name2 = clean(patch.name2);
    if (patch.street !== undefined) out.street = patch.street.trim();
    if (patch.addition !== undefined) out.addition = clean(patch.addition);
    if (patch.city !== undefined) {
      out.city = patch.city.trim();
      out.city_key = foldText(patch.city);
    }
    if (patch.country !== undefined) out.country = patch.country;
    // The postal code is checked against the resulting country, also when only one changed.
    if (patch.postalCode !== undefined || patch.country !== undefined) {
      const country = (out.country as string | undefined) ?? (row.country as string);
      const code = patch.postalCode ?? (row.postal_code as string);
      out.postal_code = postalCode(country, code, errs, "postalCode");
    }
    return out;
  },
};
