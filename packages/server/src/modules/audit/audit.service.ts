import type { RequestContext } from "../../http/context.js";
import { noteCustomerChanged } from "../customer-file/customer-write.js";
import { journalFromAudit } from "../journal/journal.writer.js";
import { type AuditChange, type Executor, insertAudit } from "./audit.repository.js";

/** Fields that change on every write or are derived; they are not "changes" a user made. */
const NOT_AUDITED = new Set(["id", "customerId", "version", "createdAt", "updatedAt"]);

/**
 * Per-field differences between two representations of a record (old → new).
 * `null` on one side stands for "did not exist" (create, delete).
 */
export function diff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  derived: readonly string[] = [],
): AuditChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: AuditChange[] = [];
  for (const field of keys) {
    if (NOT_AUDITED.has(field) || derived.includes(field)) continue;
    const o = before ? (before[field] ?? null) : null;
    const n = after ? (after[field] ?? null) : null;
    if (JSON.stringify(o) !== JSON.stringify(n)) changes.push({ field, old: o, new: n });
  }
  return changes;
}

export interface AuditInput {
  customerId: number | null;
  entityType: string;
  entityId: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  derived?: readonly string[];
}

/** Writes one audit record in the caller's transaction. Updates without changes write nothing. */
export async function audit(trx: Executor, ctx: RequestContext, at: string, input: AuditInput): Promise<void> {
  if (FILE_ENTITIES.has(input.entityType)) noteCustomerChanged(trx, input.customerId);
  const action = input.before === null ? "create" : input.after === null ? "delete" : "update";
  const changes = diff(input.before, input.after, input.derived);
  if (action === "update" && changes.length === 0) return;
  const record = {
    at,
    actor: ctx.actor,
    customerId: input.customerId,
    entityType: input.entityType,
    entityId: input.entityId,
    action,
    changes,
    requestId: ctx.requestId,
  } as const;
  await insertAudit(trx, record);
  await journalFromAudit(trx, ctx, record);
}

/** Records whose changes the customer file shows: their writes rebuild its document. */
const FILE_ENTITIES = new Set([
  "customer",
  "address",
  "channel",
  "contact",
  "bank_account",
  "customer_preferences",
  "advertising_objection",
]);
