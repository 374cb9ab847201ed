import type { DuplicateCheckResult, DuplicateProbe } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors } from "../../http/errors.js";
import { nowIso } from "../../lib/time.js";
import { visibleCustomer } from "../customers/customers.service.js";
import {
  candidateQuery,
  type Identity,
  identityOfEntry,
  identityOfProbe,
  looseCandidateQuery,
  scoreCandidate,
} from "./duplicates.js";
import * as repo from "./search.repository.js";
import { decodeEntry } from "./search-keys.js";
import { anyOf, visibilityKeys } from "./search-query.js";

const CANDIDATES = 50;
const SHOWN = 10;

async function candidates(
  db: Database,
  ctx: RequestContext,
  identity: Identity,
  exclude: number | null,
): Promise<DuplicateCheckResult> {
  const alternatives = candidateQuery(identity);
  if (alternatives.length === 0) return { candidates: [] };
  const visibility = visibilityKeys(ctx);
  const [rows, notDuplicates] = await Promise.all([
    repo.findCandidates(db, anyOf(db.engine, alternatives, visibility), CANDIDATES),
    exclude === null ? Promise.resolve(new Set<number>()) : repo.notDuplicatesOf(db, exclude),
  ]);
  const score = (found: repo.EntryRow[]) => {
    const out = [];
    for (const r of found) {
      if (r.customer_id === exclude || notDuplicates.has(r.customer_id)) continue;
      const c = scoreCandidate(identity, r.customer_id, decodeEntry(r.fields));
      if (c) out.push(c);
    }
    return out;
  };
  let out = score(rows);
  if (out.length === 0) {
    const loose = looseCandidateQuery(identity);
    if (loose.length > 0) out = score(await repo.findCandidates(db, anyOf(db.engine, loose, visibility), CANDIDATES));
  }
  out.sort((a, b) => b.score - a.score || a.customerId - b.customerId);
  return { candidates: out.slice(0, SHOWN) };
}

/** Candidates for data not yet saved (the form before "save"), or for a customer being edited. */
export async function checkDuplicates(
  db: Database,
  ctx: RequestContext,
  probe: DuplicateProbe,
): Promise<DuplicateCheckResult> {
  if (probe.excludeCustomerId !== undefined) await visibleCustomer(db.kysely, ctx, probe.excludeCustomerId);
  return candidates(db, ctx, identityOfProbe(probe), probe.excludeCustomerId ?? null);
}

/** Candidates for a stored customer (after create or update, and on request). */
export async function duplicatesOfCustomer(
  db: Database,
  ctx: RequestContext,
  id: number,
): Promise<DuplicateCheckResult> {
  await visibleCustomer(db.kysely, ctx, id);
  const entry = await repo.storedEntry(db, id);
  if (!entry) return { candidates: [] };
  return candidates(db, ctx, identityOfEntry(entry), id);
}

/** Marks a pair "not a duplicate": it is never proposed again (either way round). */
export async function markNotDuplicate(db: Database, ctx: RequestContext, id: number, otherId: number): Promise<void> {
  if (id === otherId) {
    const errs = new FieldErrors();
    errs.add("otherId", "same_customer", "a customer cannot be a duplicate of itself");
    errs.throwIfAny();
  }
  await visibleCustomer(db.kysely, ctx, id);
  await visibleCustomer(db.kysely, ctx, otherId);
  await repo.insertNotDuplicate(db.kysely, Math.min(id, otherId), Math.max(id, otherId), ctx.actor, nowIso());
}

export async function unmarkNotDuplicate(
  db: Database,
  ctx: RequestContext,
  id: number,
  otherId: number,
): Promise<void> {
  await visibleCustomer(db.kysely, ctx, id);
  const notMarked = () =>
    new AppError("not_found", `Customers ${id} and ${otherId} are not marked as "not a duplicate"`);
  // A pair with a customer the row-level rule hides answers as if it were not marked.
  const otherVisible = await visibleCustomer(db.kysely, ctx, otherId).then(
    () => true,
    () => false,
  );
  if (!otherVisible) throw notMarked();
  const removed = await repo.deleteNotDuplicate(db.kysely, Math.min(id, otherId), Math.max(id, otherId));
  if (!removed) throw notMarked();
}
