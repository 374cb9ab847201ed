import type { Database } from "../../db/database.js";
import { flag } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { type AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { nowIso } from "../../lib/time.js";
import { audit } from "../audit/audit.service.js";
import { customerWrite } from "../customer-file/customer-write.js";
import { visibleCustomer } from "../customers/customers.service.js";
import type { PartContext, PartRow, PartSpec } from "./part.js";
import * as repo from "./part.repository.js";

type Executor = repo.Executor;
// biome-ignore lint/suspicious/noExplicitAny: a registry of specs of different types
export type AnyPartSpec = PartSpec<any, any, any>;

async function partContext(db: Executor, ctx: RequestContext, customerId: number): Promise<PartContext> {
  const customer = await visibleCustomer(db, ctx, customerId);
  return { customerLanguage: customer.language, defaultCountry: "DE", today: clockOf(ctx).today() };
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
 * With `autoFirst`, a non-empty scope always has a flagged record (a customer with billing
 * addresses has a default billing address): gives the flag to the oldest when none has it.
 */
async function ensureHolder(
  trx: Executor,
  db: Database,
  ctx: RequestContext,
  spec: AnyPartSpec,
  customerId: number,
  scope: Record<string, unknown>,
  at: string,
): Promise<void> {
  const ex = spec.exclusive;
  if (!ex?.autoFirst) return;
  const rows = await repo.listScope(trx, spec.table, customerId, scope);
  const first = rows[0];
  if (first && !rows.some((r) => flag(r[ex.column] as number))) await changeFlag(trx, db, ctx, spec, first, true, at);
}

/** Takes the flag from whoever holds it in `scope`, except `keep`. */
async function clearHolder(
  trx: Executor,
  db: Database,
  ctx: RequestContext,
  spec: AnyPartSpec,
  customerId: number,
  scope: Record<string, unknown>,
  keep: number | null,
  at: string,
): Promise<void> {
  const ex = spec.exclusive!;
  for (const r of await repo.listScope(trx, spec.table, customerId, scope)) {
    if (r.id !== keep && flag(r[ex.column] as number)) await changeFlag(trx, db, ctx, spec, r, false, at);
  }
}

export async function listParts<Api>(
  db: Database,
  ctx: RequestContext,
  spec: PartSpec<Api, unknown, unknown>,
  customerId: number,
): Promise<Api[]> {
  await partContext(db.kysely, ctx, customerId);
  return (await repo.listParts(db.kysely, spec.table, customerId)).map((r) => spec.present(r));
}

export async function getPart<Api>(
  db: Database,
  ctx: RequestContext,
  spec: PartSpec<Api, unknown, unknown>,
  customerId: number,
  id: number,
): Promise<Api> {
  await partContext(db.kysely, ctx, customerId);
  const row = await repo.findPart(db.kysely, spec.table, customerId, id);
  if (!row) throw notFound(spec.label, id);
  return spec.present(row);
}

/**
 * Inserts a part whose columns were already checked (`spec.toInsert`), inside the caller's
 * transaction (used by customer create as well), and settles its exclusive flag.
 */
export async function insertPartIn(
  trx: Executor,
  db: Database,
  ctx: RequestContext,
  spec: AnyPartSpec,
  customerId: number,
  columns: Record<string, unknown>,
  requestedFlag: unknown,
  at: string,
): Promise<PartRow> {
  const ex = spec.exclusive;
  let flagged = false;
  if (ex) {
    // Decide the flag before inserting, so the new record is born with it (version 1).
    const scope = scopeOf(spec, columns);
    if (requestedFlag === true) {
      await clearHolder(trx, db, ctx, spec, customerId, scope, null, at);
      flagged = true;
    } else {
      const scopeRows = await repo.listScope(trx, spec.table, customerId, scope);
      flagged = ex.autoFirst && !scopeRows.some((r) => flag(r[ex.column] as number));
    }
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
  return customerWrite(db, async (trx) => {
    const partCtx = await partContext(trx, ctx, customerId);
    const errs = new FieldErrors();
    const columns = spec.toInsert(input, errs, "", partCtx);
    errs.throwIfAny();
    const ex = spec.exclusive;
    const row = await insertPartIn(trx, db, ctx, spec, customerId, columns, ex ? input[ex.field] : undefined, nowIso());
    return spec.present(row);
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
  return customerWrite(db, async (trx) => {
    const partCtx = await partContext(trx, ctx, customerId);
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
    const at = nowIso();
    const oldScope = scopeOf(spec, before);
    const newScope = scopeOf(spec, { ...before, ...columns });
    const scopeChanged = !sameScope(oldScope, newScope);
    if (ex) {
      // The flag is settled in the same UPDATE, after taking it from its holder, so the
      // unique index never sees two flagged rows and the record's version moves once.
      const wanted = patch[ex.field] as boolean | undefined;
      if (wanted === true) {
        await clearHolder(trx, db, ctx, spec, customerId, newScope, id, at);
        columns[ex.column] = true;
      } else if (wanted === false || (scopeChanged && flag(before[ex.column] as number))) {
        columns[ex.column] = false;
      }
    }
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
    await ensureHolder(trx, db, ctx, spec, customerId, newScope, at);
    if (scopeChanged) await ensureHolder(trx, db, ctx, spec, customerId, oldScope, at);
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
  await customerWrite(db, async (trx) => {
    await partContext(trx, ctx, customerId);
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
    await ensureHolder(trx, db, ctx, spec, customerId, scopeOf(spec, before), at);
  });
}

/** After a lost race: 404 when the row is gone, else 412 with what is there now. */
async function stale(trx: Executor, spec: AnyPartSpec, customerId: number, id: number): Promise<AppError> {
  const now = await repo.findPart(trx, spec.table, customerId, id);
  return now ? versionMismatch(spec.present(now), now.version) : notFound(spec.label, id);
}
