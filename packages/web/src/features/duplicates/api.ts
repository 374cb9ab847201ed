import type {
  Customer,
  CustomerFile,
  CustomerMergeRequest,
  DuplicateCandidate,
  DuplicateCheckResult,
  MergeResult,
} from "@kundenakte/contract";
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";

const duplicatesKey = (customerId: number) => ["customers", customerId, "duplicates"] as const;

/** The stored customer's possible duplicates, most likely first. */
export function useDuplicates(customerId: number) {
  return useQuery({
    queryKey: duplicatesKey(customerId),
    queryFn: async () => (await api<DuplicateCheckResult>(`/customers/${customerId}/duplicates`)).candidates,
  });
}

/**
 * One customer's master data with its version. Under the customer's key, so a change to it
 * (and a reload after a 412) refreshes it; never retried, since a 404 or 308 answer is final.
 */
export function useCustomerRecord(customerId: number) {
  return useQuery({
    queryKey: ["customers", customerId, "record"],
    queryFn: () => api<Customer>(`/customers/${customerId}`),
    retry: false,
    // The merge is checked against the versions shown: always ask for the current ones on opening.
    staleTime: 0,
  });
}

/**
 * A customer's file (the same query and key as the file page's, so an open file is not asked
 * again): the merge dialog names the contacts, addresses and channels that move, and whether
 * wishes are left behind.
 */
export function useCustomerFileForMerge(customerId: number) {
  return useQuery({
    queryKey: ["customers", customerId, "file"],
    queryFn: () => api<CustomerFile>(`/customers/${customerId}/file`),
    retry: false,
  });
}

/** "Not a duplicate": the pair is never proposed again, from either side. */
export function useMarkNotDuplicate(customerId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (otherId: number) =>
      api<void>(`/customers/${customerId}/not-duplicates`, { method: "POST", body: { otherId } }),
    onSuccess: (_data, otherId) => {
      // The row goes at once; the list is asked again behind it.
      qc.setQueryData<DuplicateCandidate[]>(duplicatesKey(customerId), (list) =>
        list?.filter((c) => c.customerId !== otherId),
      );
      void qc.invalidateQueries({ queryKey: duplicatesKey(customerId) });
      void qc.invalidateQueries({ queryKey: duplicatesKey(otherId) });
    },
  });
}

export interface CustomerMerge {
  survivor: Customer;
  body: CustomerMergeRequest;
}

/**
 * Everything of the survivor changed (file, journal, contacts, duplicates, history…), the merged
 * customers are gone: their cached data is dropped so nothing shows them any more.
 */
export function refreshAfterMerge(qc: QueryClient, result: MergeResult): void {
  for (const m of result.merged) qc.removeQueries({ queryKey: ["customers", m.id] });
  void qc.invalidateQueries({ queryKey: ["customers", result.survivorId] });
  void qc.invalidateQueries({ queryKey: ["customers", "list"] });
  void qc.invalidateQueries({ queryKey: ["search"] });
}

/** Merges customers into the survivor, against the versions the user saw (If-Match and per record). */
export function useMergeCustomers() {
  return useMutation({
    mutationFn: ({ survivor, body }: CustomerMerge) =>
      api<MergeResult>(`/customers/${survivor.id}/merge`, {
        method: "POST",
        body,
        headers: { "if-match": `"${survivor.version}"` },
      }),
  });
}
