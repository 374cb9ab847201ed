import { TICKET_TRANSITIONS, type TicketStatus } from "@kundenakte/contract";
import { AppError } from "../../http/errors.js";

/** Refuses a status change the workflow does not allow (409 `illegal_transition`, naming from and to). */
export function assertTransition(number: string, from: TicketStatus, to: TicketStatus): void {
  if (from === to || TICKET_TRANSITIONS[from].includes(to)) return;
  const allowed = TICKET_TRANSITIONS[from];
  const message = `a ${from} ticket cannot become ${to}; ${allowed.length ? `it can become ${allowed.join(", ")}` : "it is final"}`;
  throw new AppError("illegal_transition", `Ticket ${number}: ${message}`, {
    errors: [{ field: "status", code: "illegal_transition", message }],
  });
}
