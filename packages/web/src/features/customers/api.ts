import { CUSTOMER_SORTS, type CustomerCreate, type CustomerCreated, type CustomerFile } from "@kundenakte/contract";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
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

/** The customer file (`GET /customers/{id}/file`); also prefetched by the route before the page renders. */
export const customerFileQuery = (id: number) =>
  queryOptions({
    queryKey: ["customers", id, "file"],
    queryFn: () => api<CustomerFile>(`/customers/${id}/file`),
    retry: false,
  });

export function useCustomerFile(id: number) {
  return useQuery(customerFileQuery(id));
}

export function useCreateCustomer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CustomerCreate) => api<CustomerCreated>("/customers", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["customers", "list"] }),
  });
}
