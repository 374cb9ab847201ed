import type { OpenItems, ProductHistoryItem, SalesDocumentSummary } from "@kundenakte/contract";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, ProblemError } from "../../lib/api";

/** `GET /customers/{id}/documents`: a page of documents, newest first. */
export interface DocumentPage {
  items: SalesDocumentSummary[];
  nextCursor: string | null;
}

/** Answers like 403 or 404 stay what they are; only failures of the network or the server are retried. */
function retryTransient(failures: number, error: Error): boolean {
  if (error instanceof ProblemError && error.status < 500) return false;
  return failures < 2;
}

/** The customer's quotes, orders, delivery notes, invoices and credit notes, 50 at a time. */
export function useCustomerDocuments(customerId: number) {
  return useInfiniteQuery({
    queryKey: ["customers", customerId, "documents"],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ limit: "50" });
      if (pageParam) q.set("cursor", pageParam);
      return api<DocumentPage>(`/customers/${customerId}/documents?${q}`);
    },
    getNextPageParam: (last) => last.nextCursor,
    retry: retryTransient,
  });
}

/** What the customer buys: per product quantity, revenue, last date and price. */
export function useProductHistory(customerId: number) {
  return useQuery({
    queryKey: ["customers", customerId, "product-history"],
    queryFn: () => api<{ items: ProductHistoryItem[] }>(`/customers/${customerId}/product-history`),
    retry: retryTransient,
  });
}

/** Open invoices and credit notes with ageing, on today's date (finance and admin only). */
export function useOpenItems(customerId: number) {
  return useQuery({
    queryKey: ["customers", customerId, "open-items"],
    queryFn: () => api<OpenItems>(`/customers/${customerId}/open-items`),
    retry: retryTransient,
  });
}
