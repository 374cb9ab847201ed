import { CUSTOMER_SORTS, type CustomerPage, type CustomerSort } from "@kundenakte/contract";
import { type InfiniteData, useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../../../lib/api";
import type { ListFilters } from "../api";

/** Rows per request: a few screens' worth, so scrolling rarely waits. */
export const PAGE_SIZE = 100;
/** Pages kept when the list is left, so coming back neither refetches nor holds thousands of rows. */
const PAGES_KEPT = 10;

export type SortedFilters = Omit<ListFilters, "sort"> & { sort: CustomerSort };

/** The URL's sort if the API knows it (an old bookmark may say "city"), else by name. */
export function sortOf(value: string | undefined): CustomerSort {
  return (CUSTOMER_SORTS as readonly string[]).includes(value ?? "") ? (value as CustomerSort) : "name";
}

/**
 * The whole customer list for the virtual table, page by page through the cursor. Its key starts
 * with ["customers", "list"], so creating or editing a customer refreshes it.
 */
export function useCustomerPages(filters: SortedFilters) {
  const qc = useQueryClient();
  const queryKey = ["customers", "list", "scroll", filters] as const;
  const query = useInfiniteQuery({
    queryKey,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ sort: filters.sort, limit: String(PAGE_SIZE) });
      for (const key of ["status", "group", "owner", "tag", "city"] as const) {
        const v = filters[key];
        if (v) q.set(key, v);
      }
      if (filters.blocked !== undefined) q.set("blocked", String(filters.blocked));
      if (pageParam) {
        q.set("cursor", pageParam);
        // The total comes with the first page; later pages need not count again.
        q.set("count", "false");
      }
      return api<CustomerPage>(`/customers?${q}`);
    },
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 30_000,
    retry: 1,
  });

  const key = JSON.stringify(queryKey);
  useEffect(
    () => () => {
      const k = JSON.parse(key) as typeof queryKey;
      qc.setQueryData<InfiniteData<CustomerPage, string | null>>(k, (d) =>
        d && d.pages.length > PAGES_KEPT
          ? { pages: d.pages.slice(0, PAGES_KEPT), pageParams: d.pageParams.slice(0, PAGES_KEPT) }
          : d,
      );
    },
    [key, qc],
  );
  return query;
}
