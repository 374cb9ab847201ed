import type { JournalEntry, JournalEntryCreate, JournalPage } from "@kundenakte/contract";
import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";

export interface JournalFilters {
  kinds: string[];
  q: string;
  /** Only entries with this contact. */
  contactId?: number;
  /** Dates (YYYY-MM-DD), both inclusive, in the browser's time zone. */
  from?: string;
  to?: string;
}

/** Start of a local day, or the start of the day after (for an inclusive "to"), as an ISO timestamp. */
function dayBoundary(date: string, next = false): string {
  const d = new Date(`${date}T00:00:00`);
  if (next) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

/** A customer's journal, newest first, page by page; the first page carries the counts per kind. */
export const journalQuery = (customerId: number, filters: JournalFilters) =>
  infiniteQueryOptions({
    queryKey: ["customers", customerId, "journal", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      // A screenful and then some; endless scrolling brings the rest.
      const q = new URLSearchParams({ limit: "20" });
      if (filters.kinds.length) q.set("kinds", filters.kinds.join(","));
      if (filters.q.trim()) q.set("q", filters.q.trim());
      if (filters.contactId) q.set("contactId", String(filters.contactId));
      if (filters.from) q.set("from", dayBoundary(filters.from));
      if (filters.to) q.set("to", dayBoundary(filters.to, true));
      if (pageParam) q.set("cursor", pageParam);
      return api<JournalPage>(`/customers/${customerId}/journal?${q}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });

/** The journal as the customer file first shows it: no filter. */
export const UNFILTERED: JournalFilters = { kinds: [], q: "" };

export function useJournal(customerId: number, filters: JournalFilters, enabled = true) {
  return useInfiniteQuery({ ...journalQuery(customerId, filters), enabled });
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
