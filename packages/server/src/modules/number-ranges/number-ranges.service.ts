import type { NumberRange, NumberRangeUpdate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import type { RequestContext } from "../../http/context.js";
import { FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { nowIso } from "../../lib/time.js";
import { insertAudit } from "../audit/audit.repository.js";
import { diff } from "../audit/audit.service.js";
import * as repo from "./number-ranges.repository.js";

type Executor = Parameters<typeof repo.drawNext>[0];

export const present = (r: repo.NumberRangeRow): NumberRange => ({
  key: r.key,
  prefix: r.prefix,
  nextValue: Number(r.next_value),
  width: r.width,
  version: r.version,
});

/** Formats a drawn value: prefix and the number zero-padded to the range's width. */
export const formatNumber = (prefix: string, value: number, width: number) =>
  `${prefix}${String(value).padStart(width, "0")}`;

/**
 * The next number of a range, skipping numbers already taken by hand (imports may bring
 * their own customer numbers), so a drawn number never clashes.
 */
export async function nextNumber(trx: Executor, key: string, taken: (n: string) => Promise<boolean>): Promise<string> {
  for (let attempt = 0; attempt < 10000; attempt++) {
    const { value, prefix, width } = await repo.drawNext(trx, key);
    const number = formatNumber(prefix, value, width);
    if (!(await taken(number))) return number;
  }
  throw new Error(`number range ${key} has no free number in 10000 attempts`);
}

export async function listNumberRanges(db: Database): Promise<NumberRange[]> {
  return (await repo.listRanges(db.kysely)).map(present);
}

export async function getNumberRange(db: Database, key: string): Promise<NumberRange> {
  const r = await repo.findRange(db.kysely, key);
  if (!r) throw notFound("Number range", key);
  return present(r);
}

/**
 * Changes prefix, width or next value. The next value can only move forward: numbers once
 * issued are never issued again.
 */
export async function updateNumberRange(
  db: Database,
  ctx: RequestContext,
  key: string,
  version: number,
  patch: NumberRangeUpdate,
): Promise<NumberRange> {
  return db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findRange(trx, key);
    if (!before) throw notFound("Number range", key);
    if (before.version !== version) throw versionMismatch(present(before), before.version);
    const errs = new FieldErrors();
    if (patch.nextValue !== undefined && patch.nextValue < Number(before.next_value)) {
      errs.add("nextValue", "would_reuse", `must not be below ${before.next_value}: numbers are never reused`);
    }
    errs.throwIfAny();
    const at = nowIso();
    const after = await repo.updateRange(trx, key, version, {
      ...(patch.prefix !== undefined ? { prefix: patch.prefix } : {}),
      ...(patch.width !== undefined ? { width: patch.width } : {}),
      ...(patch.nextValue !== undefined ? { next_value: patch.nextValue } : {}),
      updated_at: at,
    });
    if (!after) {
      const now = (await repo.findRange(trx, key))!;
      throw versionMismatch(present(now), now.version);
    }
    const changes = diff(present(before), present(after));
    if (changes.length > 0) {
      await insertAudit(trx, {
        at,
        actor: ctx.actor,
        customerId: null,
        entityType: "number_range",
        entityId: 0,
        action: "update",
        changes,
        requestId: ctx.requestId,
      });
    }
    return present(after);
  });
}
