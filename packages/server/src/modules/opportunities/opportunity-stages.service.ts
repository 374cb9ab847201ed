import type { OpportunityStage, OpportunityStageCreate, OpportunityStageUpdate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { engineOf, toFlag } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { type AppError, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { audit } from "../audit/audit.service.js";
import { presentStage } from "./opportunities.presenter.js";
import * as repo from "./opportunities.repository.js";

/** The error for a lost compare-and-set: 412 with the current stage, or 404 when it is gone. */
async function stale(db: Parameters<typeof repo.findStage>[0], id: number): Promise<AppError> {
  const current = await repo.findStage(db, id);
  return current ? versionMismatch(presentStage(current), current.version) : notFound("Stage", id);
}

/** The stages in pipeline order. */
export async function listStages(db: Database): Promise<OpportunityStage[]> {
  return (await repo.listStages(db.kysely)).map(presentStage);
}

export async function getStage(db: Database, id: number): Promise<OpportunityStage> {
  const r = await repo.findStage(db.kysely, id);
  if (!r) throw notFound("Stage", id);
  return presentStage(r);
}

/** Adds a stage (after the last one unless a position is given); a taken name is a 409. */
export async function createStage(
  db: Database,
  ctx: RequestContext,
  now: Date,
  input: OpportunityStageCreate,
): Promise<OpportunityStage> {
  return db.kysely.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const id = await repo.insertStage(trx, {
      name: input.name.trim(),
      probability: input.probability,
      position: input.position ?? (await repo.lastPosition(trx)) + 1,
      active: toFlag(engineOf(trx), input.active ?? true),
      version: 1,
      updated_at: at,
    });
    const stage = presentStage((await repo.findStage(trx, id))!);
    await audit(trx, ctx, at, {
      customerId: null,
      entityType: "opportunity_stage",
      entityId: id,
      before: null,
      after: stage,
    });
    return stage;
  });
}

/** Renames, re-weights, moves or (de)activates a stage; opportunities in it show the new probability. */
export async function updateStage(
  db: Database,
  ctx: RequestContext,
  now: Date,
  id: number,
  version: number,
  patch: OpportunityStageUpdate,
): Promise<OpportunityStage> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await repo.findStage(trx, id);
    if (!row) throw notFound("Stage", id);
    const before = presentStage(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    const at = now.toISOString();
    const ok = await repo.updateStage(trx, id, version, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.probability !== undefined ? { probability: patch.probability } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
      ...(patch.active !== undefined ? { active: toFlag(engineOf(trx), patch.active) } : {}),
      updated_at: at,
    });
    if (!ok) throw await stale(trx, id);
    const after = presentStage((await repo.findStage(trx, id))!);
    await audit(trx, ctx, at, { customerId: null, entityType: "opportunity_stage", entityId: id, before, after });
    return after;
  });
}

/** Deletes an unused stage; one that opportunities are in is refused by the foreign key (409). */
export async function deleteStage(db: Database, ctx: RequestContext, now: Date, id: number, version: number) {
  await db.kysely.transaction().execute(async (trx) => {
    const row = await repo.findStage(trx, id);
    if (!row) throw notFound("Stage", id);
    const before = presentStage(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    if (!(await repo.deleteStage(trx, id, version))) throw await stale(trx, id);
    await audit(trx, ctx, now.toISOString(), {
      customerId: null,
      entityType: "opportunity_stage",
      entityId: id,
      before,
      after: null,
    });
  });
}
