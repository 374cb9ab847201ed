import type { Problem } from "@kundenakte/contract";
import { ProblemError } from "../../lib/api";
import type { useUpdateTicket } from "./api";

/** The mutation that changes a ticket (fields, assignment or a workflow step). */
export type TicketChange = ReturnType<typeof useUpdateTicket>;

/** The problem document of a failed ticket request, if the server sent one. */
export const ticketProblem = (err: Error | null | undefined): Problem | null =>
  err instanceof ProblemError ? err.problem : null;
