import {
  CUSTOMER_SORTS,
  type CustomerCreate,
  type CustomerCreated,
  type CustomerFile,
  type CustomerPage,
} from "@kundenakte/contract";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";

export const SORTS = CUSTOMER_SORTS;

export interface ListFilters {
  status?: string;
  group?: string;
  owner?: string;
  tag?: string;
  city?: string;
  blocked?: boolean;
  sort?: string;
}

/** The list's filters as they stand in the URL (so a view can be bookmarked and shared). */
export function filtersOf(params: URLSearchParams): ListFilters {
  const f: ListFilters = {};
  for (const key of ["status", "group", "owner", "tag", "city", "sort"] as const) {
    const v = params.get(key);
    if (v) f[key] = v;
  }
  const blocked = params.get("blocked");
  if (blocked === "true" || blocked === "false") f.blocked = blocked === "true";
  return f;
}

/** The customer list, page by page (cursor pagination), keyed by its filters. */
export function useCustomerList(filters: ListFilters) {
  return useInfiniteQuery({
    queryKey: ["customers", "list", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ sort: filters.sort ?? "name", limit: "50" });
      for (const key of ["status", "group", "owner", "tag", "city"] as const) {
        const v = filters[key];
        if (v) q.set(key, v);
      }
      if (filters.blocked !== undefined) q.set("blocked", String(filters.blocked));
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
