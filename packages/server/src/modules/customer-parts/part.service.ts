import type { Database } from "../../db/database.js";
import { flag } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { nowIso } from "../../lib/time.js";
import { audit } from "../audit/audit.service.js";
import { findCustomer } from "../customers/customers.repository.js";
import type { PartContext, PartRow, PartSpec } from "./part.js";
import * as repo from "./part.repository.js";

type Executor = repo.Executor;
// biome-ignore lint/suspicious/noExplicitAny: a registry of specs of different types
export type AnyPartSpec = PartSpec<any, any, any>;

async function partContext(db: Executor, customerId: number): Promise<PartContext> {
  const customer = await findCustomer(db, customerId);
  if (!customer) throw notFound("Customer", customerId);
  return { customerLanguage: customer.language, defaultCountry: "DE" };
}

function scopeOf(spec: AnyPartSpec, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries((spec.exclusive?.scope ?? []).map((c) => [c, row[c]]));
}

const sameScope = (a: Record<string, unknown>, b: Record<string, unknown>) => JSON.stringify(a) === JSON.stringify(b);

/** Sets or clears the exclusive flag of one record, audited as a change of that record. */
async function changeFlag(
  trx: Executor,
  db: Database,
  ctx: RequestContext,
  spec: AnyPartSpec,
  target: PartRow,
  value: boolean,
  at: string,
): Promise<void> {
  const after = await repo.setFlag(trx, db.engine, spec.table, target.id, spec.exclusive!.column, value, at);
  await audit(trx, ctx, at, {
    customerId: target.customer_id,
    entityType: spec.entityType,
    entityId: target.id,
    before: spec.present(target),
    after: spec.present(after),
    derived: spec.derived,
  });
}

/**
 * Keeps an exclusive flag (default address per type, primary contact...) consistent after
 * `row` was written: a requested flag moves to `row`; with `autoFirst` every non-empty scope
 * keeps exactly one flagged row. Rows changed on the way are audited like any other change.
 */
async function settleFlag(
  trx: Executor,
  db: Database,
  ctx: RequestContext,
  spec: AnyPartSpec,
  row: PartRow,
  requested: boolean | undefined,
  oldScope: Record<string, unknown> | null,
  at: string,
): Promise<void> {
  const ex = spec.exclusive;
  if (!ex) return;
  const change = (target: PartRow, value: boolean) => changeFlag(trx, db, ctx, spec, target, value, at);
  const scope = scopeOf(spec, row);
  const inScope = await repo.listScope(trx, spec.table, row.customer_id, scope);
  const self = inScope.find((r) => r.id === row.id);
  if (requested === true) {
    for (const other of inScope) if (other.id !== row.id && flag(other[ex.column] as number)) await change(other, false);
    if (self && !flag(self[ex.column] as number)) await change(self, true);
  } else if (self && flag(self[ex.column] as number) && oldScope && !sameScope(oldScope, scope)) {
    // Moved into a scope that already has its flagged row: that one stays flagged.
    if (inScope.some((r) => r.id !== row.id && flag(r[ex.column] as number))) await change(self, false);
  }
  if (!ex.autoFirst) return;
  const scopes = [scope, ...(oldScope && !sameScope(oldScope, scope) ? [oldScope] : [])];
  for (const s of scopes) {
    const rows = await repo.listScope(trx, spec.table, row.customer_id, s);
    const first = rows[0];
    if (first && !rows.some((r) => flag(r[ex.column] as number))) await change(first, true);
  }
}

export async function listParts<Api>(db: Database, spec: PartSpec<Api, unknown, unknown>, customerId: number): Promise<Api[]> {
  await partContext(db.kysely, customerId);
  return (await repo.listParts(db.kysely, spec.table, customerId)).map((r) => spec.present(r));
}

export async function getPart<Api>(
  db: Database,
  spec: PartSpec<Api, unknown, unknown>,
  customerId: number,
  id: number,
): Promise<Api> {
  const row = await repo.findPart(db.kysely, spec.table, customerId, id);
  if (!row) {
    await partContext(db.kysely, customerId);
    throw notFound(spec.label, id);
  }
  return spec.present(row);
}

/**
 * Creates a part inside the caller's transaction (used by customer create as well).
 * Field errors are collected in `errs` under `prefix`; the caller throws them.
 */
export async function insertPartIn(
  trx: Executor,
  db: Database,
  ctx: RequestContext,
  spec: AnyPartSpec,
  customerId: number,
  partCtx: PartContext,
  input: Record<string, unknown>,
  errs: FieldErrors,
  prefix: string,
  at: string,
): Promise<PartRow | null> {
  const columns = spec.toInsert(input, errs, prefix, partCtx);
  if (errs.errors.length > 0) return null;
  const ex = spec.exclusive;
  let flagged = false;
  if (ex) {
    // Decide the flag before inserting, so the new record is born with it (version 1).
    const scopeRows = await repo.listScope(trx, spec.table, customerId, scopeOf(spec, columns));
    const holder = scopeRows.find((r) => flag(r[ex.column] as number));
    if (input[ex.field] === true) {
      if (holder) await changeFlag(trx, db, ctx, spec, holder, false, at);
      flagged = true;
    } else flagged = ex.autoFirst && !holder;
  }
  const row = await repo.insertPart(trx, db.engine, spec.table, {
    ...columns,
    ...(ex ? { [ex.column]: flagged } : {}),
    customer_id: customerId,
    version: 1,
    created_at: at,
    updated_at: at,
  });
  await audit(trx, ctx, at, {
    customerId,
    entityType: spec.entityType,
    entityId: row.id,
    before: null,
    after: spec.present(row),
    derived: spec.derived,
  });
  return row;
}

export async function createPart<Api>(
  db: Database,
  ctx: RequestContext,
  spec: PartSpec<Api, unknown, unknown>,
  customerId: number,
  input: Record<string, unknown>,
): Promise<Api> {
  return db.kysely.transaction().execute(async (trx) => {
    const partCtx = await partContext(trx, customerId);
    const errs = new FieldErrors();
    const at = nowIso();
    const row = await insertPartIn(trx, db, ctx, spec, customerId, partCtx, input, errs, "", at);
    errs.throwIfAny();
    return spec.present((await repo.findPart(trx, spec.table, customerId, row!.id))!);
  });
}

export async function updatePart<Api>(
  db: Database,
  ctx: RequestContext,
  spec: PartSpec<Api, unknown, unknown>,
  customerId: number,
  id: number,
  version: number,
  patch: Record<string, unknown>,
): Promise<Api> {
  return db.kysely.transaction().execute(async (trx) => {
    const partCtx = await partContext(trx, customerId);
    const before = await repo.findPart(trx, spec.table, customerId, id);
    if (!before) throw notFound(spec.label, id);
    if (before.version !== version) throw versionMismatch(spec.present(before), before.version);
    const ex = spec.exclusive;
    const errs = new FieldErrors();
    if (ex?.autoFirst && patch[ex.field] === false && flag(before[ex.column] as number)) {
      errs.add(
        ex.field,
        "flag_required",
        `every customer keeps one ${ex.field === "isDefault" ? "default" : "primary"} record of a kind: set it on another record instead`,
      );
    }
    const columns = spec.toUpdate(patch, errs, before, partCtx);
    errs.throwIfAny();
    if (ex && patch[ex.field] === false) columns[ex.column] = false;
    const at = nowIso();
    const after = await repo.updatePart(trx, db.engine, spec.table, id, version, { ...columns, updated_at: at });
    if (!after) throw await stale(trx, spec, customerId, id);
    await audit(trx, ctx, at, {
      customerId,
      entityType: spec.entityType,
      entityId: id,
      before: spec.present(before) as Record<string, unknown>,
      after: spec.present(after) as Record<string, unknown>,
      derived: spec.derived,
    });
    if (ex) await settleFlag(trx, db, ctx, spec, after, patch[ex.field] as boolean | undefined, scopeOf(spec, before), at);
    return spec.present((await repo.findPart(trx, spec.table, customerId, id))!);
  });
}

export async function deletePart(
  db: Database,
  ctx: RequestContext,
  spec: AnyPartSpec,
  customerId: number,
  id: number,
  version: number,
): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    await partContext(trx, customerId);
    const before = await repo.findPart(trx, spec.table, customerId, id);
    if (!before) throw notFound(spec.label, id);
    if (before.version !== version) throw versionMismatch(spec.present(before), before.version);
    if (!(await repo.deletePart(trx, spec.table, id, version))) throw await stale(trx, spec, customerId, id);
    const at = nowIso();
    await audit(trx, ctx, at, {
      customerId,
      entityType: spec.entityType,
      entityId: id,
      before: spec.present(before),
      after: null,
      derived: spec.derived,
    });
    const ex = spec.exclusive;
    if (ex?.autoFirst && flag(before[ex.column] as number)) {
      const rest = await repo.listScope(trx, spec.table, customerId, scopeOf(spec, before));
      const first = rest[0];
      if (first) await settleFlag(trx, db, ctx, spec, first, undefined, null, at);
    }
  });
}

/** After a lost race: 404 when the row is gone, else 412 with what is there now. */
async function stale(trx: Executor, spec: AnyPartSpec, customerId: number, id: number): Promise<AppError> {
  const now = await repo.findPart(trx, spec.table, customerId, id);
  return now ? versionMismatch(spec.present(now), now.version) : notFound(spec.label, id);
}
