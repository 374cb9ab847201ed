import {
  TICKET_PRIORITIES,
  TICKET_TYPES,
  type TicketPriority,
  type TicketSla,
  type TicketType,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import type { RequestContext } from "../../http/context.js";
import { notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { audit } from "../audit/audit.service.js";
import * as repo from "./tickets.repository.js";

const present = (r: repo.SlaRow): TicketSla => ({
  type: r.type as TicketType,
  priority: r.priority as TicketPriority,
  hours: r.hours,
  version: r.version,
  updatedAt: r.updated_at,
});

/** Position in the type × priority matrix (1–12): the order of the list, and the audit's entity id. */
const rank = (r: { type: TicketType; priority: TicketPriority }) =>
  1 + TICKET_TYPES.indexOf(r.type) * TICKET_PRIORITIES.length + TICKET_PRIORITIES.indexOf(r.priority);

/** The SLA matrix, by type and then priority from low to urgent. */
export async function listSlas(db: Database): Promise<TicketSla[]> {
  return (await repo.listSlas(db.kysely)).map(present).sort((a, b) => rank(a) - rank(b));
}

/** Changes the hours of one type and priority; tickets already created keep their due time. */
export async function updateSla(
  db: Database,
  ctx: RequestContext,
  now: Date,
  type: TicketType,
  priority: TicketPriority,
  version: number,
  hours: number,
): Promise<TicketSla> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await repo.findSla(trx, type, priority);
    if (!row) throw notFound("SLA", `${type}/${priority}`);
    const before = present(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    const at = now.toISOString();
    const updated = await repo.updateSla(trx, type, priority, version, { hours, updated_at: at });
    if (!updated) {
      const current = present((await repo.findSla(trx, type, priority))!);
      throw versionMismatch(current, current.version);
    }
    const after = present(updated);
    await audit(trx, ctx, at, { customerId: null, entityType: "ticket_sla", entityId: rank(after), before, after });
    return after;
  });
}
