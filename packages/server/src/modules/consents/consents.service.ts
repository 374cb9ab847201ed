import {
  type AdvertisingObjection,
  type AdvertisingObjectionCreate,
  type AdvertisingObjectionLift,
  CONSENT_CHANNELS,
  type Consent,
  type ConsentChannel,
  type ConsentCreate,
  type ConsentHistoryQuery,
  type CustomerConsents,
  type Unsubscribe,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { engineOf, toFlag } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { nowIso } from "../../lib/time.js";
import { audit } from "../audit/audit.service.js";
import { customerWrite } from "../customer-file/customer-write.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import {
  CHANNEL_NAMES,
  germanDate,
  germanTime,
  personName,
  presentChannel,
  presentConsent,
  presentObjection,
  SOURCE_NAMES,
} from "./consents.presenter.js";
import * as repo from "./consents.repository.js";

type Executor = repo.Executor;

/** Clock skew we accept for "not in the future" (the client's clock may run a little ahead). */
const SKEW_MS = 60_000;

/** What `appendConsent` records: a consent or withdrawal of one person for one channel. */
export interface NewConsent {
  customerId: number;
  contactId: number | null;
  channel: ConsentChannel;
  state: "granted" | "withdrawn";
  source: Consent["source"];
  sourceDetail?: string | null;
  occurredAt: string;
  wordingVersion?: string | null;
  doubleOptIn?: { requestedAt: string; confirmedAt: string; reference?: string | null } | null;
  campaignId?: number | null;
  note?: string | null;
}

/**
 * Appends a record to the person's consent history, in the caller's transaction, with its
 * journal entry and audit record. It becomes the state in force unless a newer one exists
 * (a consent imported late does not override a withdrawal that happened after it).
 */
export async function appendConsent(
  trx: Executor,
  ctx: RequestContext,
  c: NewConsent,
  contactName: string | null,
): Promise<Consent> {
  const at = nowIso();
  const current = await repo.currentConsent(trx, c.customerId, c.contactId, c.channel);
  const inForce = !current || Date.parse(c.occurredAt) >= Date.parse(current.occurred_at);
  if (inForce && current) await repo.clearCurrent(trx, Number(current.id));
  const id = await repo.insertConsent(trx, {
    customer_id: c.customerId,
    contact_id: c.contactId,
    channel: c.channel,
    state: c.state,
    source: c.source,
    source_detail: c.sourceDetail?.trim() || null,
    occurred_at: c.occurredAt,
    wording_version: c.wordingVersion?.trim() || null,
    doi_requested_at: c.doubleOptIn ? new Date(c.doubleOptIn.requestedAt).toISOString() : null,
    doi_confirmed_at: c.doubleOptIn ? new Date(c.doubleOptIn.confirmedAt).toISOString() : null,
    doi_reference: c.doubleOptIn?.reference?.trim() || null,
    campaign_id: c.campaignId ?? null,
    note: c.note?.trim() || null,
    is_current: toFlag(engineOf(trx), inForce) as never,
    recorded_by: ctx.actor,
    recorded_at: at,
  });
  const consent = presentConsent((await repo.findConsent(trx, id))!);
  const verb =
    c.source === "unsubscribe"
      ? "Abmeldung"
      : c.state === "granted"
        ? "Einwilligung erteilt"
        : "Einwilligung widerrufen";
  await addJournalEntry(trx, ctx, {
    customerId: c.customerId,
    kind: "system",
    occurredAt: consent.occurredAt,
    subject: `${verb}: ${CHANNEL_NAMES[c.channel]}`,
    body: [
      contactName ? `Kontakt: ${contactName}` : null,
      `Quelle: ${SOURCE_NAMES[c.source]}${consent.sourceDetail ? ` (${consent.sourceDetail})` : ""}`,
      consent.doubleOptIn ? `Double-Opt-In bestätigt ${germanTime(consent.doubleOptIn.confirmedAt)}` : null,
      consent.wordingVersion ? `Text ${consent.wordingVersion}` : null,
      inForce ? null : "nachgetragen, gilt nicht (ein neuerer Stand liegt vor)",
    ]
      .filter(Boolean)
      .join(" · "),
    contactId: c.contactId,
    link: { type: "consent", id },
  });
  await audit(trx, ctx, at, {
    customerId: c.customerId,
    entityType: "consent",
    entityId: id,
    before: null,
    after: consent as unknown as Record<string, unknown>,
  });
  return consent;
}

/** The contact's name, or a 400 naming `field` when it is not a contact of this customer. */
async function contactName(
  db: Executor,
  customerId: number,
  contactId: number | null | undefined,
  errs: FieldErrors,
  field = "contactId",
): Promise<string | null> {
  if (!contactId) return null;
  const c = await repo.findContactOf(db, customerId, contactId);
  if (!c) {
    errs.add(field, "unknown_contact", `contact ${contactId} is not a contact of this customer`);
    return null;
  }
  return personName(c);
}

/** Records a consent or a withdrawal given by the customer itself or one of its contacts. */
export async function recordConsent(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  customerId: number,
  input: ConsentCreate,
): Promise<Consent> {
  const now = clock.getTime();
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const errs = new FieldErrors();
    const name = await contactName(trx, customerId, input.contactId, errs);
    const doi = input.doubleOptIn ?? null;
    // With a double opt-in the consent is given by the confirmation: that is its default time.
    const occurredAt = new Date(input.occurredAt ?? doi?.confirmedAt ?? now).toISOString();
    if (Date.parse(occurredAt) > now + SKEW_MS) errs.add("occurredAt", "in_future", "must not be in the future");
    if (input.source === "unsubscribe" && input.state !== "withdrawn") {
      errs.add("source", "unsubscribe_withdraws", "an unsubscribe withdraws a consent; it cannot grant one");
    }
    if (doi) {
      if (input.state !== "granted") errs.add("doubleOptIn", "only_for_granted", "evidence belongs to a consent given");
      if (Date.parse(doi.confirmedAt) < Date.parse(doi.requestedAt)) {
        errs.add("doubleOptIn/confirmedAt", "before_request", "the confirmation cannot precede the request");
      }
      if (Date.parse(doi.confirmedAt) > now + SKEW_MS) {
        errs.add("doubleOptIn/confirmedAt", "in_future", "must not be in the future");
      }
      if (Date.parse(doi.confirmedAt) > Date.parse(occurredAt) + SKEW_MS) {
        errs.add("doubleOptIn/confirmedAt", "after_consent", "the consent is given by the confirmation, not before it");
      }
    } else if (input.channel === "email" && input.state === "granted" && input.source === "form") {
      // An e-mail address typed into a form proves nothing about who typed it: without the
      // confirmed double opt-in the consent could not be shown to have been given (UWG §7).
      errs.add("doubleOptIn", "required", "an e-mail consent from a form needs the double opt-in evidence");
    }
    errs.throwIfAny();
    return appendConsent(
      trx,
      ctx,
      {
        customerId,
        contactId: input.contactId ?? null,
        channel: input.channel,
        state: input.state,
        source: input.source,
        sourceDetail: input.sourceDetail,
        occurredAt,
        wordingVersion: input.wordingVersion,
        doubleOptIn: doi,
        note: input.note,
      },
      name,
    );
  });
}

/** Withdraws the consent for a channel at once (an unsubscribe link, a call "no more e-mails"). */
export async function unsubscribe(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  customerId: number,
  input: Unsubscribe,
): Promise<Consent> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const errs = new FieldErrors();
    const name = await contactName(trx, customerId, input.contactId, errs);
    errs.throwIfAny();
    return appendConsent(
      trx,
      ctx,
      {
        customerId,
        contactId: input.contactId ?? null,
        channel: input.channel,
        state: "withdrawn",
        source: "unsubscribe",
        sourceDetail: input.sourceDetail,
        occurredAt: clock.toISOString(),
      },
      name,
    );
  });
}

/** The consents in force of the customer itself and of each of its contacts, with the objections. */
export async function customerConsents(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  onlyContactId?: number,
): Promise<CustomerConsents> {
  const customer = await visibleCustomer(db.kysely, ctx, customerId);
  const [consents, objections, contacts] = await Promise.all([
    repo.currentConsentsOf(db.kysely, customerId),
    repo.activeObjectionsOf(db.kysely, customerId),
    repo.contactsOf(db.kysely, customerId),
  ]);
  if (onlyContactId !== undefined && !contacts.some((c) => Number(c.id) === onlyContactId)) {
    throw notFound("Contact", onlyContactId);
  }
  const objectionOf = (contactId: number | null) => {
    const o = objections.find((r) => (r.contact_id === null ? null : Number(r.contact_id)) === contactId);
    return o ? presentObjection(o) : null;
  };
  const customerObjection = objectionOf(null);
  const subject = (contactId: number | null, name: string) => {
    const objection = objectionOf(contactId);
    return {
      contactId,
      name,
      objection,
      advertisingBlocked: customerObjection !== null || objection !== null,
      channels: CONSENT_CHANNELS.map((ch) =>
        presentChannel(
          ch,
          consents.find((r) => r.channel === ch && (r.contact_id === null ? null : Number(r.contact_id)) === contactId),
        ),
      ),
    };
  };
  const subjects = [
    ...(onlyContactId === undefined ? [subject(null, customer.name1)] : []),
    ...contacts
      .filter((c) => onlyContactId === undefined || Number(c.id) === onlyContactId)
      .map((c) => subject(Number(c.id), personName(c))),
  ];
  return { customerId, objection: customerObjection, subjects };
}

/** A customer's consent records, newest first. */
export async function consentHistory(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  q: ConsentHistoryQuery,
): Promise<{ items: Consent[]; nextCursor: string | null }> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const limit = q.limit ?? 50;
  const before = q.cursor ? decodeCursor(q.cursor, ["id"])[0] : null;
  const rows = await repo.consentHistory(
    db.kysely,
    { customerId, contactId: q.contactId, customerLevel: q.customerLevel, channel: q.channel },
    limit + 1,
    before,
  );
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(presentConsent);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.id]) : null };
}

// ---------------------------------------------------------------- advertising objections

/**
 * Records an advertising objection (Art. 21 GDPR) of the customer or of one contact. It
 * blocks all marketing until lifted; the customer file shows it ("keine Werbung").
 */
export async function createObjection(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  customerId: number,
  input: AdvertisingObjectionCreate,
): Promise<AdvertisingObjection> {
  const today = clockOf(ctx).dayOf(clock);
  return customerWrite(db, async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const errs = new FieldErrors();
    const name = await contactName(trx, customerId, input.contactId, errs);
    const objectedOn = input.objectedOn ?? today;
    if (objectedOn > today) errs.add("objectedOn", "in_future", "must not be in the future");
    errs.throwIfAny();
    const contactId = input.contactId ?? null;
    const active = (await repo.activeObjectionsOf(trx, customerId)).find(
      (o) => (o.contact_id === null ? null : Number(o.contact_id)) === contactId,
    );
    if (active) {
      throw new AppError(
        "conflict",
        `${contactId ? "This contact" : "This customer"} already objected on ${active.objected_on} (objection ${active.id}); lift it first`,
      );
    }
    const at = nowIso();
    const id = await repo.insertObjection(trx, {
      customer_id: customerId,
      contact_id: contactId,
      objected_on: objectedOn,
      source: input.source,
      note: input.note?.trim() || null,
      recorded_by: ctx.actor,
      lifted_on: null,
      lift_reason: null,
      lifted_by: null,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    const objection = presentObjection((await repo.findObjection(trx, customerId, id))!);
    await addJournalEntry(trx, ctx, {
      customerId,
      kind: "system",
      subject: name ? `Werbewiderspruch eingelegt: ${name}` : "Werbewiderspruch eingelegt",
      body: `Seit ${germanDate(objectedOn)} · Quelle: ${SOURCE_NAMES[input.source]} · keine Werbung bis zur Aufhebung`,
      contactId,
      link: { type: "advertising_objection", id },
    });
    await audit(trx, ctx, at, {
      customerId,
      entityType: "advertising_objection",
      entityId: id,
      before: null,
      after: objection as unknown as Record<string, unknown>,
    });
    return objection;
  });
}

/** Lifts an active objection (the customer agreed to advertising again). */
export async function liftObjection(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  customerId: number,
  id: number,
  version: number,
  input: AdvertisingObjectionLift,
): Promise<AdvertisingObjection> {
  const today = clockOf(ctx).dayOf(clock);
  return customerWrite(db, async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const row = await repo.findObjection(trx, customerId, id);
    if (!row) throw notFound("Advertising objection", id);
    const before = presentObjection(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    if (row.lifted_on !== null) throw new AppError("conflict", `The objection was lifted on ${row.lifted_on} already`);
    const errs = new FieldErrors();
    const liftedOn = input.liftedOn ?? today;
    if (liftedOn > today) errs.add("liftedOn", "in_future", "must not be in the future");
    if (liftedOn < row.objected_on) errs.add("liftedOn", "before_objection", "must not precede the objection");
    errs.throwIfAny();
    const at = nowIso();
    const ok = await repo.liftObjection(trx, id, version, {
      lifted_on: liftedOn,
      lift_reason: input.reason.trim(),
      lifted_by: ctx.actor,
      updated_at: at,
    });
    if (!ok) {
      const now = presentObjection((await repo.findObjection(trx, customerId, id))!);
      throw versionMismatch(now, now.version);
    }
    const after = presentObjection((await repo.findObjection(trx, customerId, id))!);
    const contact = row.contact_id === null ? null : await repo.findContactOf(trx, customerId, Number(row.contact_id));
    await addJournalEntry(trx, ctx, {
      customerId,
      kind: "system",
      subject: contact ? `Werbewiderspruch aufgehoben: ${personName(contact)}` : "Werbewiderspruch aufgehoben",
      body: `Zum ${germanDate(liftedOn)} · ${after.liftReason}`,
      contactId: after.contactId,
      link: { type: "advertising_objection", id },
    });
    await audit(trx, ctx, at, {
      customerId,
      entityType: "advertising_objection",
      entityId: id,
      before: before as unknown as Record<string, unknown>,
      after: after as unknown as Record<string, unknown>,
    });
    return after;
  });
}

export async function getObjection(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  id: number,
): Promise<AdvertisingObjection> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const row = await repo.findObjection(db.kysely, customerId, id);
  if (!row) throw notFound("Advertising objection", id);
  return presentObjection(row);
}

/** A customer's objections (active and lifted), newest first. */
export async function listObjections(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  q: { active?: boolean; limit?: number; cursor?: string },
): Promise<{ items: AdvertisingObjection[]; nextCursor: string | null }> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const limit = q.limit ?? 50;
  const before = q.cursor ? decodeCursor(q.cursor, ["id"])[0] : null;
  const rows = await repo.listObjections(db.kysely, customerId, q.active, limit + 1, before);
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(presentObjection);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.id]) : null };
}
