import type { Pipeline } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { flag } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { weighted } from "./opportunities.presenter.js";
import * as repo from "./opportunities.repository.js";
import { ownerOf } from "./opportunities.service.js";

/**
 * The pipeline: open opportunities per stage with their number, value and weighted value
 * (value × the stage's probability, rounded per stage), and the totals. Every active stage is
 * listed, empty ones with zeros; an inactive stage only while it still holds open opportunities.
 */
export async function pipeline(
  db: Database,
  ctx: RequestContext,
  q: { owner?: string; customerId?: number },
): Promise<Pipeline> {
  if (q.customerId !== undefined) await visibleCustomer(db.kysely, ctx, q.customerId);
  const [stages, sums] = await Promise.all([
    repo.listStages(db.kysely),
    repo.pipelineSums(db.kysely, {
      owner: ownerOf(ctx, q.owner),
      customerId: q.customerId,
      // Within one visible customer the rule has been checked already.
      visibleTo: q.customerId === undefined ? (ctx.visibility ?? undefined) : undefined,
    }),
  ]);
  const byStage = new Map(sums.map((s) => [Number(s.stage_id), s]));
  const rows = stages
    .map((s) => {
      const sum = byStage.get(Number(s.id));
      const value = Number(sum?.value_cents ?? 0);
      return {
        stageId: Number(s.id),
        name: s.name,
        probability: s.probability,
        position: s.position,
        count: Number(sum?.count ?? 0),
        valueCents: value,
        weightedCents: weighted(value, s.probability),
        active: flag(s.active),
      };
    })
    .filter((r) => r.active || r.count > 0)
    .map(({ active: _, ...r }) => r);
  return {
    currency: "EUR",
    stages: rows,
    total: {
      count: rows.reduce((a, r) => a + r.count, 0),
      valueCents: rows.reduce((a, r) => a + r.valueCents, 0),
      weightedCents: rows.reduce((a, r) => a + r.weightedCents, 0),
    },
  };
}
