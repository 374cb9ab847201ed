/**
 * Who a campaign may contact, per channel. Decided here (German UWG §7, GDPR Art. 21):
 *
 * - **Any channel**: an active advertising objection of the customer (covers all its contacts)
 *   or of the contact excludes (`advertising_objection`); so does an inactive contact
 *   (`contact_inactive`).
 * - **email**: needs a *granted* e-mail consent of the person (the contact, or the customer
 *   itself for a member without contact) — UWG §7(2) Nr. 2; the existing-customer exception of
 *   §7(3) is not assumed. And an e-mail address (the contact's, or one of the customer's e-mail
 *   channels) — else `no_address`.
 * - **phone**: private customers (kind `person`) and their contacts need a *granted* phone
 *   consent (§7(2) Nr. 1, first case); for companies the presumed consent suffices (second
 *   case), so only a *withdrawn* phone consent excludes. Needs a phone or mobile number.
 * - **letter**: post is allowed without consent unless the person said no (§7(1) S. 2): a
 *   *withdrawn* letter consent excludes. Needs a postal address of the customer.
 * - **event**: an invitation list; no consent needed (how invitations go out is up to the
 *   campaign), only objections and inactive contacts exclude.
 *
 * A member missing several things gets the first reason in the order above.
 */
import type { CampaignChannel, ExclusionReason } from "@kundenakte/contract";
import { sql } from "kysely";
import { flag } from "../../db/dialect.js";
import { type Executor, trueLiteral } from "../consents/consents.repository.js";

export interface Person {
  customer_id: number;
  contact_id: number | null;
}

/** What the rules need to know about one person. */
export interface Facts {
  company: boolean;
  contactActive: boolean;
  objection: boolean;
  consent: "granted" | "withdrawn" | "none";
  hasEmail: boolean;
  hasPhone: boolean;
  hasPostalAddress: boolean;
}

/** The reason a person may not be contacted on the channel, or null when they may. */
export function exclusionReason(channel: CampaignChannel, f: Facts): ExclusionReason | null {
  if (!f.contactActive) return "contact_inactive";
  if (f.objection) return "advertising_objection";
  switch (channel) {
    case "email":
      if (f.consent !== "granted") return "no_consent";
      return f.hasEmail ? null : "no_address";
    case "phone":
      if (f.company ? f.consent === "withdrawn" : f.consent !== "granted") return "no_consent";
      return f.hasPhone ? null : "no_address";
    case "letter":
      if (f.consent === "withdrawn") return "no_consent";
      return f.hasPostalAddress ? null : "no_address";
    case "event":
      return null;
  }
}

/** The consent channel a campaign channel needs (events need none). */
export const consentChannelOf = (channel: CampaignChannel) => (channel === "event" ? null : channel);

const key = (customerId: number, contactId: number | null) => `${customerId}:${contactId ?? 0}`;

/**
 * The facts of many people at once: six set-based queries per slice of up to 500 customers
 * (customers, contacts, channels, addresses, objections, consents in force), no query per person.
 */
export async function factsOf(
  db: Executor,
  channel: CampaignChannel,
  people: readonly Person[],
): Promise<Map<string, Facts>> {
  const out = new Map<string, Facts>();
  const consentChannel = consentChannelOf(channel) ?? "email";
  for (let i = 0; i < people.length; i += 500) {
    const slice = people.slice(i, i + 500);
    const customerIds = [...new Set(slice.map((p) => p.customer_id))];
    const contactIds = [...new Set(slice.flatMap((p) => (p.contact_id === null ? [] : [p.contact_id])))];
    const [customers, contacts, channels, addresses, objections, consents] = await Promise.all([
      db.selectFrom("customers").select(["id", "kind"]).where("id", "in", customerIds).execute(),
      contactIds.length
        ? db
            .selectFrom("contacts")
            .select(["id", "active", "email", "phone", "mobile"])
            .where("id", "in", contactIds)
            .execute()
        : Promise.resolve([]),
      db
        .selectFrom("channels")
        .select(["customer_id", "kind"])
        .where("customer_id", "in", customerIds)
        .where("kind", "in", ["email", "phone", "mobile"])
        .execute(),
      db.selectFrom("addresses").select("customer_id").where("customer_id", "in", customerIds).execute(),
      db
        .selectFrom("advertising_objections")
        .select(["customer_id", "contact_id"])
        .where("customer_id", "in", customerIds)
        .where("lifted_on", "is", null)
        .execute(),
      db
        .selectFrom("consents")
        .select(["customer_id", "contact_id", "state"])
        .where("customer_id", "in", customerIds)
        .where("channel", "=", consentChannel)
        .where(sql<boolean>`is_current = ${trueLiteral(db)}`)
        .execute(),
    ]);
    const company = new Map(customers.map((c) => [Number(c.id), c.kind === "company"]));
    const contactById = new Map(contacts.map((c) => [Number(c.id), c]));
    const channelKinds = new Map<number, Set<string>>();
    for (const ch of channels) {
      const id = Number(ch.customer_id);
      if (!channelKinds.has(id)) channelKinds.set(id, new Set());
      channelKinds.get(id)!.add(ch.kind);
    }
    const withAddress = new Set(addresses.map((a) => Number(a.customer_id)));
    const objected = new Set(
      objections.map((o) => key(Number(o.customer_id), o.contact_id === null ? null : Number(o.contact_id))),
    );
    const consentOf = new Map(
      consents.map((c) => [key(Number(c.customer_id), c.contact_id === null ? null : Number(c.contact_id)), c.state]),
    );
    for (const p of slice) {
      const kinds = channelKinds.get(p.customer_id) ?? new Set<string>();
      const contact = p.contact_id === null ? undefined : contactById.get(p.contact_id);
      out.set(key(p.customer_id, p.contact_id), {
        company: company.get(p.customer_id) ?? true,
        contactActive: p.contact_id === null || (contact !== undefined && flag(contact.active as number)),
        objection:
          objected.has(key(p.customer_id, null)) ||
          (p.contact_id !== null && objected.has(key(p.customer_id, p.contact_id))),
        consent: (consentOf.get(key(p.customer_id, p.contact_id)) as Facts["consent"] | undefined) ?? "none",
        hasEmail: p.contact_id === null ? kinds.has("email") : Boolean(contact?.email),
        hasPhone:
          p.contact_id === null
            ? kinds.has("phone") || kinds.has("mobile")
            : Boolean(contact?.phone || contact?.mobile),
        hasPostalAddress: withAddress.has(p.customer_id),
      });
    }
  }
  return out;
}

/** The exclusion reason of each person (null: may be contacted). */
export async function reasonsFor(
  db: Executor,
  channel: CampaignChannel,
  people: readonly Person[],
): Promise<(ExclusionReason | null)[]> {
  const facts = await factsOf(db, channel, people);
  return people.map((p) => exclusionReason(channel, facts.get(key(p.customer_id, p.contact_id))!));
}
