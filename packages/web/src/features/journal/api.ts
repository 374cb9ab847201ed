import type { JournalEntry, JournalEntryCreate, JournalPage } from "@kundenakte/contract";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";

export interface JournalFilters {
  kinds: string[];
  q: string;
}

/** A customer's journal, newest first, page by page; the first page carries the counts per kind. */
export function useJournal(customerId: number, filters: JournalFilters, enabled = true) {
  return useInfiniteQuery({
    enabled,
    queryKey: ["customers", customerId, "journal", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ limit: "30" });
      if (filters.kinds.length) q.set("kinds", filters.kinds.join(","));
      if (filters.q.trim()) q.set("q", filters.q.trim());
      if (pageParam) q.set("cursor", pageParam);
      return api<JournalPage>(`/customers/${customerId}/journal?${q}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useLogEntry(customerId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: JournalEntryCreate) =>
      api<JournalEntry>(`/customers/${customerId}/journal`, { method: "POST", body: input }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ["customers", customerId, "journal"] });
      // "Last contact" in the info panel follows the journal.
      qc.invalidateQueries({ queryKey: ["customers", customerId, "file"] });
    },
  });
}
