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
      changes: toJson(record.changes),
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
    changes: readJson<AuditChange[]>(r.changes),
    requestId: r.request_id,
  }));
}
