import type { Opportunity, OpportunityStage, OpportunityStatus } from "@kundenakte/contract";
import { flag } from "../../db/dialect.js";
import type { OpportunityRow, StageRow } from "./opportunities.repository.js";

/** Value × probability in cents, rounded half up. */
export const weighted = (valueCents: number, probability: number) => Math.round((valueCents * probability) / 100);

export function presentOpportunity(r: OpportunityRow, quoteIds: number[]): Opportunity {
  const value = Number(r.value_cents);
  return {
    id: Number(r.id),
    customerId: Number(r.customer_id),
    customerName: r.customer_name,
    contactId: r.contact_id === null ? null : Number(r.contact_id),
    title: r.title,
    description: r.description,
    stageId: Number(r.stage_id),
    stageName: r.stage_name,
    probability: r.probability,
    status: r.status as OpportunityStatus,
    valueCents: value,
    weightedCents: weighted(value, r.probability),
    currency: "EUR",
    expectedCloseDate: r.expected_close_date,
    owner: r.owner,
    quoteIds,
    closeReason: r.close_reason,
    closedOn: r.closed_on,
    createdBy: r.created_by,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const presentStage = (r: StageRow): OpportunityStage => ({
  id: Number(r.id),
  name: r.name,
  probability: r.probability,
  position: r.position,
  active: flag(r.active),
  version: r.version,
  updatedAt: r.updated_at,
});
