import { TICKET_TRANSITIONS, type TicketStatus } from "@kundenakte/contract";

/** A step of the ticket workflow as the UI offers it: where it leads, and its name (`tickets.step.*`). */
export interface WorkflowStep {
  to: TicketStatus;
  step: "start" | "resume" | "reopen" | "wait" | "resolve" | "close";
}

/**
 * The steps a ticket in `from` may take — exactly the server's transitions (the contract's
 * table), named for what they mean from here: "in progress" is starting from new, resuming
 * after waiting, reopening after resolved. A closed ticket has none.
 */
export function stepsFrom(from: TicketStatus): WorkflowStep[] {
  return TICKET_TRANSITIONS[from].map((to) => {
    if (to === "in_progress") return { to, step: from === "new" ? "start" : from === "resolved" ? "reopen" : "resume" };
    if (to === "waiting_for_customer") return { to, step: "wait" };
    if (to === "resolved") return { to, step: "resolve" };
    return { to, step: "close" };
  });
}
