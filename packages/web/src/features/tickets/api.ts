import type { Ticket, TicketCreate, TicketUpdate, UserDirectoryEntry } from "@kundenakte/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";

const ticketsKey = (customerId: number) => ["customers", customerId, "tickets"] as const;

/** The customer's newest tickets. */
export function useTickets(customerId: number) {
  return useQuery({
    queryKey: ticketsKey(customerId),
    queryFn: () => api<{ items: Ticket[]; nextCursor: string | null }>(`/customers/${customerId}/tickets?limit=20`),
  });
}

/**
 * The colleagues a ticket can be assigned to (name and e-mail), for everyone logged in — not
 * only administrators, who may list users.
 */
export function useUserDirectory() {
  return useQuery({
    queryKey: ["users", "directory"],
    queryFn: async () => (await api<{ items: UserDirectoryEntry[] }>("/users/directory")).items,
    staleTime: 5 * 60_000,
  });
}

/** A ticket change moves the file's key figures (open, overdue tickets) and writes the journal. */
function useRefresh(customerId: number) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ticketsKey(customerId) });
    void qc.invalidateQueries({ queryKey: ["customers", customerId, "journal"] });
    void qc.invalidateQueries({ queryKey: ["customers", customerId, "file"] });
  };
}

export function useCreateTicket(customerId: number) {
  const refresh = useRefresh(customerId);
  return useMutation({
    mutationFn: (body: TicketCreate) => api<Ticket>(`/customers/${customerId}/tickets`, { method: "POST", body }),
    onSuccess: refresh,
  });
}

/**
 * Changes a ticket against the version the user saw (If-Match). Fields and status are separate
 * requests in the UI: editing never sends a status, a workflow step sends only what it needs.
 */
export function useUpdateTicket(customerId: number) {
  const refresh = useRefresh(customerId);
  return useMutation({
    mutationFn: ({ ticket, patch }: { ticket: Ticket; patch: TicketUpdate }) =>
      api<Ticket>(`/customers/${customerId}/tickets/${ticket.id}`, {
        method: "PATCH",
        body: patch,
        headers: { "if-match": `"${ticket.version}"` },
      }),
    // Also after a 409 or 412: the list then shows the ticket as it is now.
    onSettled: refresh,
  });
}
