import type { CustomerCreate, CustomerCreated, CustomerFile, CustomerPage } from "@kundenakte/contract";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";

export interface ListFilters {
  status?: string;
}

/** The customer list, page by page (cursor pagination), keyed by its filters. */
export function useCustomerList(filters: ListFilters) {
  return useInfiniteQuery({
    queryKey: ["customers", "list", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ sort: "name", limit: "50" });
      if (filters.status) q.set("status", filters.status);
      if (pageParam) q.set("cursor", pageParam);
      return api<CustomerPage>(`/customers?${q}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useCustomerFile(id: number) {
  return useQuery({
    queryKey: ["customers", id, "file"],
    queryFn: () => api<CustomerFile>(`/customers/${id}/file`),
    retry: false,
  });
}

export function useCreateCustomer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CustomerCreate) => api<CustomerCreated>("/customers", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["customers", "list"] }),
  });
}
