import {
  OPEN_TICKET_STATUSES,
  type ResolutionCategory,
  type Ticket,
  type TicketPriority,
  type TicketStatus,
  type TicketType,
} from "@kundenakte/contract";
import type { TicketRow } from "./tickets.repository.js";

const OPEN = new Set<string>(OPEN_TICKET_STATUSES);

export const isOpenStatus = (status: string) => OPEN.has(status);

/** A stored ticket as the API shows it; `overdue` is judged against the caller's clock. */
export function presentTicket(r: TicketRow, now: Date): Ticket {
  return {
    id: Number(r.id),
    number: r.number,
    customerId: Number(r.customer_id),
    customerName: r.customer_name,
    contactId: r.contact_id === null ? null : Number(r.contact_id),
    type: r.type as TicketType,
    subject: r.subject,
    description: r.description,
    priority: r.priority as TicketPriority,
    status: r.status as TicketStatus,
    assignee: r.assignee,
    dueAt: r.due_at,
    overdue: OPEN.has(r.status) && Date.parse(r.due_at) < now.getTime(),
    documentId: r.document_id === null ? null : Number(r.document_id),
    productId: r.product_id === null ? null : Number(r.product_id),
    settlementDocumentId: r.settlement_document_id === null ? null : Number(r.settlement_document_id),
    resolution: r.resolution,
    resolutionCategory: r.resolution_category as ResolutionCategory | null,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    createdBy: r.created_by,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
