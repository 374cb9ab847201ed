import {
  CAMPAIGN_RESPONSES,
  type Campaign,
  type CampaignCreate,
  type CampaignMember,
  type CampaignMemberCreate,
  type CampaignMemberQuery,
  type CampaignMemberResponse,
  type CampaignMembersAdded,
  type CampaignQuery,
  type CampaignResults,
  type CampaignStatus,
  type CampaignUpdate,
  EXCLUSION_REASONS,
  type ExclusionReason,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { audit } from "../audit/audit.service.js";
import { findUserByEmail } from "../auth/auth.repository.js";
import { germanDate, personName } from "../consents/consents.presenter.js";
import { findContactOf } from "../consents/consents.repository.js";
import { appendConsent } from "../consents/consents.service.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import { findSegment } from "../segments/segments.repository.js";
import { presentSegment, segmentMemberIds } from "../segments/segments.service.js";
import { CHANNEL_NAMES, presentCampaign, presentMember, RESPONSE_NAMES } from "./campaigns.presenter.js";
import * as repo from "./campaigns.repository.js";
import { consentChannelOf, type Person, reasonsFor } from "./eligibility.js";

type Executor = repo.Executor;

/** planned → active → completed; planned or active → cancelled. */
const TRANSITIONS: Record<CampaignStatus, CampaignStatus[]> = {
  planned: ["active", "cancelled"],
  active: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

async function loadCampaign(db: Executor, id: number): Promise<Campaign> {
  const row = await repo.findCampaign(db, id);
  if (!row) throw notFound("Campaign", id);
  return presentCampaign(row);
}

async function checkFields(
  db: Executor,
  f: { owner?: string; segmentId?: number | null; startsOn: string; endsOn: string | null },
): Promise<void> {
  const errs = new FieldErrors();
  if (f.owner && !(await findUserByEmail(db, f.owner)))
    errs.add("owner", "unknown_user", `there is no user ${f.owner}`);
  if (f.segmentId && !(await findSegment(db, f.segmentId))) {
    errs.add("segmentId", "unknown_segment", `there is no segment ${f.segmentId}`);
  }
  if (f.endsOn !== null && f.endsOn < f.startsOn) errs.add("endsOn", "range", "must not be before startsOn");
  errs.throwIfAny();
}

export async function createCampaign(db: Database, ctx: RequestContext, input: CampaignCreate): Promise<Campaign> {
  return db.kysely.transaction().execute(async (trx) => {
    const owner = (input.owner ?? ctx.actor).trim().toLowerCase();
    await checkFields(trx, {
      owner,
      segmentId: input.segmentId,
      startsOn: input.startsOn,
      endsOn: input.endsOn ?? null,
    });
    const at = new Date().toISOString();
    const id = await repo.insertCampaign(trx, {
      name: input.name.trim(),
      description: input.description?.trim() || null,
      channel: input.channel,
      status: "planned",
      starts_on: input.startsOn,
      ends_on: input.endsOn ?? null,
      owner,
      segment_id: input.segmentId ?? null,
      launched_at: null,
      created_by: ctx.actor,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    const campaign = await loadCampaign(trx, id);
    await audit(trx, ctx, at, {
      customerId: null,
      entityType: "campaign",
      entityId: id,
      before: null,
      after: campaign as unknown as Record<string, unknown>,
    });
    return campaign;
  });
}

export async function getCampaign(db: Database, id: number): Promise<Campaign> {
  return loadCampaign(db.kysely, id);
}

export async function listCampaigns(db: Database, ctx: RequestContext, q: CampaignQuery) {
  const limit = q.limit ?? 50;
  const after = q.cursor ? decodeCursor(q.cursor, ["date", "id"]) : null;
  const owner = q.owner === "me" ? ctx.actor : q.owner?.trim().toLowerCase();
  const rows = await repo.listCampaigns(db.kysely, { status: q.status, channel: q.channel, owner }, limit + 1, after);
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(presentCampaign);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.startsOn, last.id]) : null };
}

/**
 * Notes in each member's journal that the campaign contacted them (kind `campaign`) and
 * stamps them as contacted.
 */
async function contact(
  trx: Executor,
  ctx: RequestContext,
  campaign: Campaign,
  at: string,
  onlyIds?: readonly number[],
): Promise<number> {
  const contacted = await repo.contactIncluded(trx, campaign.id, at, onlyIds);
  for (const m of contacted) {
    await addJournalEntry(trx, ctx, {
      customerId: m.customer_id,
      kind: "campaign",
      occurredAt: at,
      direction: "out",
      subject: `Kampagne: ${campaign.name}`,
      body: `${CHANNEL_NAMES[campaign.channel]} · ab ${germanDate(campaign.startsOn)}`,
      contactId: m.contact_id,
      link: { type: "campaign", id: campaign.id },
    });
  }
  return contacted.length;
}

/**
 * Checks every member again (consents and objections may have changed since they were
 * added) and contacts the included ones: the check that counts is the one at the time of contact.
 */
async function launch(trx: Executor, ctx: RequestContext, campaign: Campaign, at: string): Promise<void> {
  let after = 0;
  for (;;) {
    const slice = await repo.memberSlice(trx, campaign.id, after, 2000);
    if (slice.length === 0) break;
    after = Number(slice[slice.length - 1]!.id);
    const people = slice.map((m) => ({
      customer_id: Number(m.customer_id),
      contact_id: m.contact_id === null ? null : Number(m.contact_id),
    }));
    const reasons = await reasonsFor(trx, campaign.channel, people);
    const changed = new Map<string, number[]>();
    slice.forEach((m, i) => {
      const reason = reasons[i] ?? null;
      if ((reason === null && m.status === "included") || (reason !== null && m.exclusion_reason === reason)) return;
      const k = reason ?? "";
      if (!changed.has(k)) changed.set(k, []);
      changed.get(k)!.push(Number(m.id));
    });
    for (const [reason, ids] of changed) {
      await repo.setMemberStatus(trx, ids, reason ? "excluded" : "included", reason || null);
    }
  }
  await contact(trx, ctx, campaign, at);
}

/** Changes a campaign; a status change follows the workflow, `active` launches it. */
export async function updateCampaign(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  id: number,
  version: number,
  patch: CampaignUpdate,
): Promise<Campaign> {
  return db.kysely.transaction().execute(async (trx) => {
    const before = await loadCampaign(trx, id);
    if (before.version !== version) throw versionMismatch(before, before.version);
    const status = patch.status ?? before.status;
    if (status !== before.status && !TRANSITIONS[before.status].includes(status)) {
      throw new AppError(
        "illegal_transition",
        `A campaign that is ${before.status} cannot become ${status} (allowed: ${TRANSITIONS[before.status].join(", ") || "none"})`,
        { errors: [{ field: "status", code: "illegal_transition", message: `not allowed from ${before.status}` }] },
      );
    }
    const owner = patch.owner?.trim().toLowerCase();
    await checkFields(trx, {
      owner,
      segmentId: patch.segmentId,
      startsOn: patch.startsOn ?? before.startsOn,
      endsOn: patch.endsOn !== undefined ? patch.endsOn : before.endsOn,
    });
    const at = clock.toISOString();
    const launching = status === "active" && before.status === "planned";
    const ok = await repo.updateCampaign(trx, id, version, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.description !== undefined ? { description: patch.description?.trim() || null } : {}),
      ...(patch.startsOn !== undefined ? { starts_on: patch.startsOn } : {}),
      ...(patch.endsOn !== undefined ? { ends_on: patch.endsOn } : {}),
      ...(owner ? { owner } : {}),
      ...(patch.segmentId !== undefined ? { segment_id: patch.segmentId } : {}),
      ...(status !== before.status ? { status } : {}),
      ...(launching ? { launched_at: at } : {}),
      updated_at: at,
    });
    if (!ok) {
      const now = await loadCampaign(trx, id);
      throw versionMismatch(now, now.version);
    }
    const after = await loadCampaign(trx, id);
    if (launching) await launch(trx, ctx, after, at);
    await audit(trx, ctx, at, {
      customerId: null,
      entityType: "campaign",
      entityId: id,
      before: before as unknown as Record<string, unknown>,
      after: after as unknown as Record<string, unknown>,
    });
    return after;
  });
}

/** Deletes a planned campaign with its members; one that ran is kept (cancel it instead). */
export async function deleteCampaign(db: Database, ctx: RequestContext, id: number, version: number): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    const before = await loadCampaign(trx, id);
    if (before.version !== version) throw versionMismatch(before, before.version);
    if (before.status !== "planned") {
      throw new AppError("conflict", `A campaign that is ${before.status} is kept for its results; cancel it instead`);
    }
    if (!(await repo.deleteCampaign(trx, id, version))) {
      const now = await loadCampaign(trx, id);
      throw versionMismatch(now, now.version);
    }
    await audit(trx, ctx, new Date().toISOString(), {
      customerId: null,
      entityType: "campaign",
      entityId: id,
      before: before as unknown as Record<string, unknown>,
      after: null,
    });
  });
}

function assertOpen(campaign: Campaign): void {
  if (campaign.status === "completed" || campaign.status === "cancelled") {
    throw new AppError("conflict", `The campaign is ${campaign.status}: its members no longer change`);
  }
}

const memberValues = (
  campaignId: number,
  p: Person,
  reason: ExclusionReason | null,
  source: "segment" | "manual",
  ctx: RequestContext,
  at: string,
): repo.MemberValues => ({
  campaign_id: campaignId,
  customer_id: p.customer_id,
  contact_id: p.contact_id,
  status: reason ? "excluded" : "included",
  exclusion_reason: reason,
  source,
  contacted_at: null,
  response: null,
  responded_at: null,
  response_note: null,
  added_by: ctx.actor,
  added_at: at,
  version: 1,
});

/** Adds one customer or contact by hand: checked at once, contacted at once if the campaign runs. */
export async function addMember(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  campaignId: number,
  input: CampaignMemberCreate,
): Promise<CampaignMember> {
  return db.kysely.transaction().execute(async (trx) => {
    const campaign = await loadCampaign(trx, campaignId);
    assertOpen(campaign);
    const errs = new FieldErrors();
    try {
      await visibleCustomer(trx, ctx, input.customerId);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== "not_found") throw e;
      errs.add("customerId", "unknown_customer", `there is no customer ${input.customerId}`);
    }
    const contactId = input.contactId ?? null;
    if (errs.errors.length === 0 && contactId !== null && !(await findContactOf(trx, input.customerId, contactId))) {
      errs.add("contactId", "unknown_contact", `contact ${contactId} is not a contact of customer ${input.customerId}`);
    }
    errs.throwIfAny();
    const person = { customer_id: input.customerId, contact_id: contactId };
    const [reason] = await reasonsFor(trx, campaign.channel, [person]);
    const at = clock.toISOString();
    const [id] = await repo.insertMembers(trx, [memberValues(campaignId, person, reason ?? null, "manual", ctx, at)]);
    if (id === undefined) {
      throw new AppError("unique_violation", "This customer or contact is a member of the campaign already", {
        errors: [{ field: contactId ? "contactId" : "customerId", code: "taken", message: "is a member already" }],
      });
    }
    if (campaign.status === "active") await contact(trx, ctx, campaign, at, [id]);
    const member = presentMember((await repo.findMember(trx, campaignId, id))!);
    await audit(trx, ctx, at, {
      customerId: input.customerId,
      entityType: "campaign_member",
      entityId: id,
      before: null,
      after: member as unknown as Record<string, unknown>,
    });
    return member;
  });
}

/**
 * Adds everyone a segment selects now (the campaign's own segment by default), checking each
 * for consent, objection and address in set-based slices; people who are members already
 * are skipped. In a running campaign the included ones are contacted at once.
 */
export async function addMembersFromSegment(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  campaignId: number,
  input: { segmentId?: number },
): Promise<CampaignMembersAdded> {
  return db.kysely.transaction().execute(async (trx) => {
    const campaign = await loadCampaign(trx, campaignId);
    assertOpen(campaign);
    const segmentId = input.segmentId ?? campaign.segmentId;
    if (!segmentId) {
      throw new AppError("validation_failed", "segmentId: the campaign has no segment; name one", {
        errors: [{ field: "segmentId", code: "required", message: "the campaign has no segment of its own" }],
      });
    }
    const segmentRow = await findSegment(trx, segmentId);
    if (!segmentRow) {
      throw new AppError("validation_failed", `segmentId: there is no segment ${segmentId}`, {
        errors: [{ field: "segmentId", code: "unknown_segment", message: `there is no segment ${segmentId}` }],
      });
    }
    const segment = presentSegment(segmentRow);
    const people = await segmentMemberIds(trx, ctx, clock, segment);
    const reasons = await reasonsFor(trx, campaign.channel, people);
    const at = clock.toISOString();
    const ids = await repo.insertMembers(
      trx,
      people.map((p, i) => memberValues(campaignId, p, reasons[i] ?? null, "segment", ctx, at)),
    );
    const summary: CampaignMembersAdded = {
      added: ids.length,
      included: 0,
      excluded: Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as CampaignMembersAdded["excluded"],
      alreadyMembers: people.length - ids.length,
    };
    // Count what was inserted (not what matched): members already there keep their state.
    const inserted = new Set(ids);
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await trx
        .selectFrom("campaign_members")
        .select(["status", "exclusion_reason"])
        .where("id", "in", ids.slice(i, i + 1000))
        .execute();
      for (const r of rows) {
        if (r.status === "included") summary.included++;
        else summary.excluded[r.exclusion_reason as ExclusionReason]++;
      }
    }
    if (campaign.status === "active" && inserted.size > 0) await contact(trx, ctx, campaign, at, ids);
    await audit(trx, ctx, at, {
      customerId: null,
      entityType: "campaign",
      entityId: campaignId,
      before: { members: null },
      after: { members: { segmentId, ...summary } },
    });
    return summary;
  });
}

/** A member; one whose customer the row-level rule hides answers as if it did not exist. */
export async function getMember(
  db: Database,
  ctx: RequestContext,
  campaignId: number,
  memberId: number,
): Promise<CampaignMember> {
  await loadCampaign(db.kysely, campaignId);
  const row = await repo.findMember(db.kysely, campaignId, memberId, ctx.visibility ?? null);
  if (!row) throw notFound("Campaign member", memberId);
  return presentMember(row);
}

/** The members, without those whose customers the row-level rule hides. */
export async function listMembers(db: Database, ctx: RequestContext, campaignId: number, q: CampaignMemberQuery) {
  await loadCampaign(db.kysely, campaignId);
  const limit = q.limit ?? 50;
  const after = q.cursor ? decodeCursor(q.cursor, ["id"])[0] : null;
  const rows = await repo.listMembers(
    db.kysely,
    campaignId,
    { status: q.status, reason: q.reason, response: q.response },
    limit + 1,
    after,
    ctx.visibility ?? null,
  );
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(presentMember);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.id]) : null };
}

/**
 * Records a member's response, in their journal. `unsubscribed` withdraws their consent for
 * the campaign's channel at once, so later campaigns exclude them.
 */
export async function recordResponse(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  campaignId: number,
  memberId: number,
  version: number,
  input: CampaignMemberResponse,
): Promise<CampaignMember> {
  return db.kysely.transaction().execute(async (trx) => {
    const campaign = await loadCampaign(trx, campaignId);
    // A member whose customer the row-level rule hides does not exist for this actor.
    const row = await repo.findMember(trx, campaignId, memberId, ctx.visibility ?? null);
    if (!row) throw notFound("Campaign member", memberId);
    const before = presentMember(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    if (campaign.status !== "active" && campaign.status !== "completed") {
      throw new AppError("conflict", `The campaign is ${campaign.status}: it has no responses`);
    }
    if (before.status !== "included" || before.contactedAt === null) {
      throw new AppError("conflict", "This member was not contacted (excluded): there is nothing to respond to");
    }
    const consentChannel = consentChannelOf(campaign.channel);
    if (input.response === "unsubscribed" && consentChannel === null) {
      throw new AppError("validation_failed", "response: an event invitation has no consent to withdraw", {
        errors: [{ field: "response", code: "not_for_channel", message: "not for event campaigns" }],
      });
    }
    const at = clock.toISOString();
    const ok = await repo.updateMember(trx, memberId, version, {
      response: input.response,
      responded_at: at,
      response_note: input.note?.trim() || null,
    });
    if (!ok) {
      const now = presentMember((await repo.findMember(trx, campaignId, memberId))!);
      throw versionMismatch(now, now.version);
    }
    await addJournalEntry(trx, ctx, {
      customerId: before.customerId,
      kind: "campaign",
      occurredAt: at,
      direction: "in",
      subject: `Kampagnenantwort: ${RESPONSE_NAMES[input.response]}`,
      body: [`Kampagne: ${campaign.name}`, input.note?.trim() || null].filter(Boolean).join(" · "),
      contactId: before.contactId,
      link: { type: "campaign", id: campaignId },
    });
    if (input.response === "unsubscribed" && consentChannel !== null) {
      const contact =
        before.contactId === null ? undefined : await findContactOf(trx, before.customerId, before.contactId);
      await appendConsent(
        trx,
        ctx,
        {
          customerId: before.customerId,
          contactId: before.contactId,
          channel: consentChannel,
          state: "withdrawn",
          source: "unsubscribe",
          sourceDetail: `Kampagne: ${campaign.name}`,
          occurredAt: at,
          campaignId,
        },
        contact ? personName(contact) : null,
      );
    }
    const after = presentMember((await repo.findMember(trx, campaignId, memberId))!);
    await audit(trx, ctx, at, {
      customerId: before.customerId,
      entityType: "campaign_member",
      entityId: memberId,
      before: before as unknown as Record<string, unknown>,
      after: after as unknown as Record<string, unknown>,
    });
    return after;
  });
}

/**
 * Reached, excluded by reason, responses, response rate, and orders and revenue since the
 * start — over the members whose customers the actor may see (the row-level rule).
 */
export async function campaignResults(db: Database, ctx: RequestContext, campaignId: number): Promise<CampaignResults> {
  const campaign = await loadCampaign(db.kysely, campaignId);
  const visibleTo = ctx.visibility ?? null;
  const [counts, sales] = await Promise.all([
    repo.memberCounts(db.kysely, campaignId, visibleTo),
    repo.campaignSales(db.kysely, campaignId, campaign.startsOn, visibleTo),
  ]);
  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as CampaignResults["excluded"];
  const responses = Object.fromEntries(CAMPAIGN_RESPONSES.map((r) => [r, 0])) as CampaignResults["responses"];
  let members = 0;
  let included = 0;
  let reached = 0;
  for (const c of counts) {
    members += c.n;
    if (c.status === "included") {
      included += c.n;
      if (c.contacted) reached += c.n;
      if (c.response) responses[c.response as keyof typeof responses] += c.n;
    } else if (c.reason) {
      excluded[c.reason as ExclusionReason] += c.n;
    }
  }
  const answered = CAMPAIGN_RESPONSES.filter((r) => r !== "bounced").reduce((s, r) => s + responses[r], 0);
  return {
    campaignId,
    members,
    included,
    reached,
    excluded,
    responses,
    responseRate: reached === 0 ? 0 : Math.round((answered / reached) * 10_000) / 10_000,
    orders: sales.orders,
    revenueCents: sales.revenueCents,
    customers: sales.customers,
  };
}
