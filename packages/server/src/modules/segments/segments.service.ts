import type {
  Segment,
  SegmentCreate,
  SegmentEvaluation,
  SegmentFilter,
  SegmentTarget,
  SegmentUpdate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { readJson, toJson } from "../../db/dialect.js";
import { foldText } from "../../domain/fold.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { nowIso } from "../../lib/time.js";
import { audit } from "../audit/audit.service.js";
import { countSegment, type MemberRow, resolveFilter, segmentIds, segmentPage } from "./segment-query.js";
import * as repo from "./segments.repository.js";

export function presentSegment(r: repo.SegmentRow): Segment {
  return {
    id: Number(r.id),
    name: r.name,
    description: r.description,
    target: r.target as SegmentTarget,
    filter: readJson<SegmentFilter>(r.filter),
    createdBy: r.created_by,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Checks what the schema cannot: ranges that are the wrong way round, unknown products, contact criteria. */
async function checkFilter(db: repo.Executor, target: SegmentTarget, f: SegmentFilter, field = "filter") {
  const errs = new FieldErrors();
  const r = f.revenue;
  if (r?.minCents !== undefined && r.maxCents !== undefined && r.minCents > r.maxCents) {
    errs.add(`${field}/revenue/maxCents`, "range", "must not be below minCents");
  }
  if (r?.fromMonth && r.toMonth && r.fromMonth > r.toMonth) {
    errs.add(`${field}/revenue/toMonth`, "range", "must not be before fromMonth");
  }
  const lp = f.lastPurchase;
  if (lp?.after && lp.before && lp.after >= lp.before) {
    errs.add(`${field}/lastPurchase/before`, "range", "must be after `after`");
  }
  if (f.contacts && target !== "contacts") {
    errs.add(`${field}/contacts`, "only_for_contacts", "contact criteria need target `contacts`");
  }
  if (f.productsBought) {
    const known = await repo.existingProducts(db, f.productsBought.productIds);
    f.productsBought.productIds.forEach((id, i) => {
      if (!known.has(id)) errs.add(`${field}/productsBought/productIds/${i}`, "unknown_product", `no product ${id}`);
    });
  }
  errs.throwIfAny();
}

async function checkName(db: repo.Executor, name: string, exceptId: number | null): Promise<string> {
  const key = foldText(name);
  const other = await repo.findSegmentByNameKey(db, key);
  if (other && Number(other.id) !== exceptId) {
    throw new AppError("unique_violation", `There is a segment "${other.name}" already`, {
      errors: [{ field: "name", code: "taken", message: "is already taken" }],
    });
  }
  return key;
}

export async function createSegment(db: Database, ctx: RequestContext, input: SegmentCreate): Promise<Segment> {
  return db.kysely.transaction().execute(async (trx) => {
    const target = input.target ?? "customers";
    await checkFilter(trx, target, input.filter);
    const name = input.name.trim();
    const nameKey = await checkName(trx, name, null);
    const at = nowIso();
    const id = await repo.insertSegment(trx, {
      name,
      name_key: nameKey,
      description: input.description?.trim() || null,
      target,
      filter: toJson(input.filter),
      created_by: ctx.actor,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    const segment = presentSegment((await repo.findSegment(trx, id))!);
    await audit(trx, ctx, at, {
      customerId: null,
      entityType: "segment",
      entityId: id,
      before: null,
      after: segment as unknown as Record<string, unknown>,
    });
    return segment;
  });
}

export async function getSegment(db: Database, id: number): Promise<Segment> {
  const row = await repo.findSegment(db.kysely, id);
  if (!row) throw notFound("Segment", id);
  return presentSegment(row);
}

export async function updateSegment(
  db: Database,
  ctx: RequestContext,
  id: number,
  version: number,
  patch: SegmentUpdate,
): Promise<Segment> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await repo.findSegment(trx, id);
    if (!row) throw notFound("Segment", id);
    const before = presentSegment(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    const target = patch.target ?? before.target;
    await checkFilter(trx, target, patch.filter ?? before.filter);
    const name = patch.name?.trim();
    const nameKey = name ? await checkName(trx, name, id) : undefined;
    const at = nowIso();
    const ok = await repo.updateSegment(trx, id, version, {
      ...(name ? { name, name_key: nameKey } : {}),
      ...(patch.description !== undefined ? { description: patch.description?.trim() || null } : {}),
      ...(patch.target ? { target } : {}),
      ...(patch.filter ? { filter: toJson(patch.filter) } : {}),
      updated_at: at,
    });
    if (!ok) {
      const now = presentSegment((await repo.findSegment(trx, id))!);
      throw versionMismatch(now, now.version);
    }
    const after = presentSegment((await repo.findSegment(trx, id))!);
    await audit(trx, ctx, at, {
      customerId: null,
      entityType: "segment",
      entityId: id,
      before: before as unknown as Record<string, unknown>,
      after: after as unknown as Record<string, unknown>,
    });
    return after;
  });
}

/** Deletes a segment no campaign targets (a targeted one is a 409 from the foreign key). */
export async function deleteSegment(db: Database, ctx: RequestContext, id: number, version: number): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    const row = await repo.findSegment(trx, id);
    if (!row) throw notFound("Segment", id);
    const before = presentSegment(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    if (!(await repo.deleteSegment(trx, id, version))) {
      const now = presentSegment((await repo.findSegment(trx, id))!);
      throw versionMismatch(now, now.version);
    }
    await audit(trx, ctx, nowIso(), {
      customerId: null,
      entityType: "segment",
      entityId: id,
      before: before as unknown as Record<string, unknown>,
      after: null,
    });
  });
}

export async function listSegments(db: Database, q: { limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const after = q.cursor ? decodeCursor(q.cursor, ["text", "id"]) : null;
  const rows = await repo.listSegments(db.kysely, limit + 1, after);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map(presentSegment),
    nextCursor: more && last ? encodeCursor([last.name_key, Number(last.id)]) : null,
  };
}

const presentMember = (r: MemberRow) => ({
  customerId: Number(r.customer_id),
  customerNumber: r.customer_number,
  customerName: r.name1,
  customerStatus: r.status,
  contactId: r.contact_id === null ? null : Number(r.contact_id),
  contactName: r.contact_id === null ? null : [r.first_name, r.last_name].filter(Boolean).join(" "),
});

/**
 * Evaluates a filter now: the exact count and a page of members by customer name — two
 * set-based statements (count, page) whatever the number of customers, no query per
 * customer; the row-level rule of the caller applies.
 */
export async function evaluate(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  target: SegmentTarget,
  filter: SegmentFilter,
  q: { limit?: number; cursor?: string },
): Promise<SegmentEvaluation> {
  const resolved = resolveFilter(filter, clockOf(ctx).dayOf(clock));
  const limit = q.limit ?? 50;
  const after = q.cursor ? decodeCursor(q.cursor, ["text", "id", "integer"]) : null;
  const visibleTo = ctx.visibility ?? null;
  const [count, rows] = await Promise.all([
    countSegment(db.kysely, target, resolved, visibleTo),
    segmentPage(db.kysely, target, resolved, visibleTo, limit + 1, after),
  ]);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    count,
    evaluatedAt: clock.toISOString(),
    items: page.map(presentMember),
    nextCursor:
      more && last ? encodeCursor([last.name_sort, Number(last.customer_id), Number(last.contact_id ?? 0)]) : null,
  };
}

export async function evaluateSegment(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  id: number,
  q: { limit?: number; cursor?: string },
): Promise<SegmentEvaluation> {
  const s = await getSegment(db, id);
  return evaluate(db, ctx, clock, s.target, s.filter, q);
}

export async function previewSegment(
  db: Database,
  ctx: RequestContext,
  clock: Date,
  input: { target?: SegmentTarget; filter: SegmentFilter },
  q: { limit?: number; cursor?: string },
): Promise<SegmentEvaluation> {
  const target = input.target ?? "customers";
  await checkFilter(db.kysely, target, input.filter);
  return evaluate(db, ctx, clock, target, input.filter, q);
}

/** Every member of a segment (ids only), for a campaign to add. */
export async function segmentMemberIds(
  db: repo.Executor,
  ctx: RequestContext,
  clock: Date,
  segment: Segment,
): Promise<{ customer_id: number; contact_id: number | null }[]> {
  return segmentIds(
    db,
    segment.target,
    resolveFilter(segment.filter, clockOf(ctx).dayOf(clock)),
    ctx.visibility ?? null,
  );
}
