import {
  Channel,
  type ChannelCreate,
  type ChannelKind,
  type ChannelUpdate,
  ChannelCreate as CreateSchema,
  ChannelUpdate as UpdateSchema,
} from "@kundenakte/contract";
import { flag } from "../../db/dialect.js";
import { formatNational, toE164 } from "../../domain/phone.js";
import type { FieldErrors } from "../../http/errors.js";
import { clean, type PartContext, type PartRow, type PartSpec } from "./part.js";

const PHONE_KINDS = new Set<string>(["phone", "mobile", "fax"]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Normalises a channel value for its kind: E.164 phones, lower-case e-mails, URLs with a scheme. */
export function normaliseChannelValue(
  kind: ChannelKind,
  value: string,
  country: string,
  errs: FieldErrors,
  field: string,
): string {
  const v = value.trim();
  if (PHONE_KINDS.has(kind)) {
    const r = toE164(v, country as never);
    if (!r.ok) errs.add(field, "invalid_phone", r.reason);
    return r.ok ? r.value : v;
  }
  if (kind === "email") {
    if (!EMAIL.test(v)) errs.add(field, "invalid_email", "not an e-mail address");
    return v.toLowerCase();
  }
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`;
  try {
    const u = new URL(url);
    if (!u.hostname.includes(".")) throw new Error("no domain");
    return u.toString().replace(/\/$/, "");
  } catch {
    errs.add(field, "invalid_url", "not a web address");
    return v;
  }
}

export const channelSpec: PartSpec<Channel, ChannelCreate, ChannelUpdate> = {
  table: "channels",
  entityType: "channel",
  label: "Channel",
  path: "channels",
  tag: "Channels",
  resource: "channels",
  schemas: { item: Channel, create: CreateSchema, update: UpdateSchema },
  exclusive: { column: "is_primary", field: "isPrimary", scope: ["kind"], autoFirst: true },
  derived: ["display"],
  present: (r: PartRow): Channel => {
    const kind = r.kind as ChannelKind;
    const value = r.value as string;
    return {
      id: r.id,
      customerId: r.customer_id,
      kind,
      value,
      display: PHONE_KINDS.has(kind) ? formatNational(value) : value,
      label: r.label as string | null,
      isPrimary: flag(r.is_primary as number),
      version: r.version,
      createdAt: r.created_at as string,
      updatedAt: r.updated_at as string,
    };
  },
  toInsert(input, errs, prefix, ctx: PartContext) {
    return {
      kind: input.kind,
      value: normaliseChannelValue(input.kind, input.value, ctx.defaultCountry, errs, `${prefix}value`),
      label: clean(input.label) ?? null,
    };
  },
  toUpdate(patch, errs, row, ctx) {
    const out: Record<string, unknown> = {};
    if (patch.kind !== undefined) out.kind = patch.kind;
    if (patch.label !== undefined) out.label = clean(patch.label);
    if (patch.value !== undefined || patch.kind !== undefined) {
      const kind = (patch.kind ?? row.kind) as ChannelKind;
      out.value = normaliseChannelValue(kind, patch.value ?? (row.value as string), ctx.defaultCountry, errs, "value");
    }
    return out;
  },
};
