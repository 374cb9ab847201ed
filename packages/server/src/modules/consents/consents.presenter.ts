import type {
  AdvertisingObjection,
  ChannelConsent,
  Consent,
  ConsentChannel,
  ConsentSource,
  ObjectionSource,
} from "@kundenakte/contract";
import type { ConsentRow, ObjectionRow } from "./consents.repository.js";

const idOrNull = (v: number | null) => (v === null ? null : Number(v));

export function presentConsent(r: ConsentRow): Consent {
  return {
    id: Number(r.id),
    customerId: Number(r.customer_id),
    contactId: idOrNull(r.contact_id),
    channel: r.channel as ConsentChannel,
    state: r.state as Consent["state"],
    source: r.source as ConsentSource,
    sourceDetail: r.source_detail,
    occurredAt: r.occurred_at,
    wordingVersion: r.wording_version,
    doubleOptIn:
      r.doi_requested_at && r.doi_confirmed_at
        ? { requestedAt: r.doi_requested_at, confirmedAt: r.doi_confirmed_at, reference: r.doi_reference }
        : null,
    campaignId: idOrNull(r.campaign_id),
    note: r.note,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
  };
}

/** The state of a channel: the record in force, or `none` when nothing was ever recorded. */
export function presentChannel(channel: ConsentChannel, r: ConsentRow | undefined): ChannelConsent {
  return {
    channel,
    state: r ? (r.state as ChannelConsent["state"]) : "none",
    since: r?.occurred_at ?? null,
    source: r ? (r.source as ConsentSource) : null,
    wordingVersion: r?.wording_version ?? null,
    doubleOptInConfirmedAt: r?.doi_confirmed_at ?? null,
    consentId: r ? Number(r.id) : null,
  };
}

export function presentObjection(r: ObjectionRow): AdvertisingObjection {
  return {
    id: Number(r.id),
    customerId: Number(r.customer_id),
    contactId: idOrNull(r.contact_id),
    objectedOn: r.objected_on,
    source: r.source as ObjectionSource,
    note: r.note,
    active: r.lifted_on === null,
    liftedOn: r.lifted_on,
    liftReason: r.lift_reason,
    liftedBy: r.lifted_by,
    recordedBy: r.recorded_by,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** German names for the journal, which German users read. */
export const CHANNEL_NAMES: Record<ConsentChannel, string> = {
  email: "E-Mail",
  phone: "Telefon",
  letter: "Brief",
  sms: "SMS",
};

export const SOURCE_NAMES: Record<string, string> = {
  form: "Formular",
  email: "E-Mail",
  phone: "Telefon",
  letter: "Brief",
  in_person: "persönlich",
  import: "Import",
  unsubscribe: "Abmeldung",
  other: "sonstige",
};

/** "27.11.2026" from "2026-11-27". */
export const germanDate = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

const timeFormat = new Intl.DateTimeFormat("de-DE", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Berlin",
});
/** "27.11.2026, 14:30" in German time. */
export const germanTime = (iso: string) => timeFormat.format(new Date(iso));

export const personName = (c: { first_name: string | null; last_name: string }) =>
  [c.first_name, c.last_name].filter(Boolean).join(" ");
