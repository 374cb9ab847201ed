import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import { readJson, toJson } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";

export type Executor = Kysely<DB> | Transaction<DB>;

export interface AuditChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface AuditRecord {
  at: string;
  actor: string;
  customerId: number | null;
  entityType: string;
  entityId: number;
  action: "create" | "update" | "delete" | "merge";
  changes: AuditChange[];
  requestId: string | null;
}

export interface AuditRow extends AuditRecord {
  id: number;
}

/** How a stored change list is laid out: its first element (the layout before migration 018 has none). */
const CREATED = 1;
const DELETED = 2;
const CHANGED = 3;

/**
 * A change list as stored: one flat JSON array, `[layout, field, value, …]`. A creation holds
 * each field with its new value (the old one is null by definition), a deletion each field with
 * its old value, anything else field, old and new value. Every value is kept — who, when and
 * what changed stay provable — without `{"field":…,"old":null,"new":…}` around each of them,
 * which was half of a created customer's record.
 */
export function packChanges(action: AuditRecord["action"], changes: AuditChange[]): unknown[] {
  const layout =
    action === "create" && changes.every((c) => c.old === null)
      ? CREATED
      : action === "delete" && changes.every((c) => c.new === null)
        ? DELETED
        : CHANGED;
  const out: unknown[] = [layout];
  for (const c of changes) {
    out.push(c.field);
    if (layout !== CREATED) out.push(c.old);
    if (layout !== DELETED) out.push(c.new);
  }
  return out;
}

/** Reads a stored change list: the packed layout, or the list of objects written before migration 018. */
export function unpackChanges(stored: unknown[]): AuditChange[] {
  const layout = stored[0];
  if (typeof layout !== "number") return stored as AuditChange[];
  const out: AuditChange[] = [];
  const step = layout === CHANGED ? 3 : 2;
  for (let i = 1; i + step - 1 < stored.length; i += step) {
    const field = stored[i] as string;
    const a = stored[i + 1] ?? null;
    if (layout === CREATED) out.push({ field, old: null, new: a });
    else if (layout === DELETED) out.push({ field, old: a, new: null });
    else out.push({ field, old: a, new: stored[i + 2] ?? null });
  }
  return out;
}

export async function insertAudit(trx: Executor, record: AuditRecord): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      at: record.at,
      actor: record.actor,
      customer_id: record.customerId,
      entity_type: record.entityType,
      entity_id: record.entityId,
      action: record.action,
      changes: toJson(packChanges(record.action, record.changes)),
      request_id: record.requestId,
    })
    .execute();
}

/** A customer's trail, newest first, keyset-paginated by id. */
export async function listAuditByCustomer(
  db: Database,
  customerId: number,
  limit: number,
  beforeId: number | null,
  excludeTypes: readonly string[] = [],
): Promise<AuditRow[]> {
  let q = db.kysely.selectFrom("audit_log").selectAll().where("customer_id", "=", customerId);
  if (excludeTypes.length > 0) q = q.where("entity_type", "not in", [...excludeTypes]);
  if (beforeId !== null) q = q.where("id", "<", beforeId);
  const rows = await q.orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    customerId: r.customer_id,
    entityType: r.entity_type,
    entityId: r.entity_id,
    action: r.action as AuditRow["action"],
    changes: unpackChanges(readJson<unknown[]>(r.changes)),
    requestId: r.request_id,
  }));
}
