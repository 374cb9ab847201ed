import type {
  CreditCheck,
  CreditSettings,
  CreditSettingsUpdate,
  DunningNotice,
  OpenItems,
  Payment,
  PaymentCreate,
  PaymentTerms,
  ProductHistoryItem,
  RevenueReport,
  SalesDocument,
  SalesDocumentSummary,
} from "@kundenakte/contract";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, apiWithEtag, ProblemError } from "../../lib/api";

/** `GET /customers/{id}/documents`: a page of documents, newest first. */
export interface DocumentPage {
  items: SalesDocumentSummary[];
  nextCursor: string | null;
}

/** `GET /customers/{id}/payments`: a page of payments, newest first. */
export interface PaymentPage {
  items: Payment[];
  nextCursor: string | null;
}

/** Answers like 403 or 404 stay what they are; only failures of the network or the server are retried. */
function retryTransient(failures: number, error: Error): boolean {
  if (error instanceof ProblemError && error.status < 500) return false;
  return failures < 2;
}

/** Everything this feature reads about one customer lives under `["customers", id, …]`, the file included. */
export const financeKeys = {
  documents: (customerId: number) => ["customers", customerId, "documents"] as const,
  document: (customerId: number, documentId: number) => ["customers", customerId, "documents", documentId] as const,
  openItems: (customerId: number) => ["customers", customerId, "open-items"] as const,
  payments: (customerId: number) => ["customers", customerId, "payments"] as const,
  credit: (customerId: number) => ["customers", customerId, "credit"] as const,
  dunning: (customerId: number) => ["customers", customerId, "dunning-notices"] as const,
  revenue: (customerId: number) => ["customers", customerId, "revenue"] as const,
  history: (customerId: number) => ["customers", customerId, "product-history"] as const,
};

/** The customer's quotes, orders, delivery notes, invoices and credit notes, 50 at a time. */
export function useCustomerDocuments(customerId: number) {
  return useInfiniteQuery({
    queryKey: financeKeys.documents(customerId),
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

/** One document with its lines, VAT per rate and terms (loaded when its row is opened). */
export function useDocument(customerId: number, documentId: number) {
  return useQuery({
    queryKey: financeKeys.document(customerId, documentId),
    queryFn: () => api<SalesDocument>(`/customers/${customerId}/documents/${documentId}`),
    retry: retryTransient,
  });
}

/** What the customer buys: per product quantity, revenue, last date and price. */
export function useProductHistory(customerId: number) {
  return useQuery({
    queryKey: financeKeys.history(customerId),
    queryFn: () => api<{ items: ProductHistoryItem[] }>(`/customers/${customerId}/product-history`),
    retry: retryTransient,
  });
}

/** Net revenue (invoices minus credit notes) per month and per year, oldest first. */
export function useRevenue(customerId: number) {
  return useQuery({
    queryKey: financeKeys.revenue(customerId),
    queryFn: () => api<RevenueReport>(`/customers/${customerId}/revenue`),
    retry: retryTransient,
  });
}

/** Open invoices and credit notes with ageing, on today's date (finance and admin only). */
export function useOpenItems(customerId: number) {
  return useQuery({
    queryKey: financeKeys.openItems(customerId),
    queryFn: () => api<OpenItems>(`/customers/${customerId}/open-items`),
    retry: retryTransient,
  });
}

/** The customer's payments with their allocations, newest first, 20 at a time. */
export function usePayments(customerId: number) {
  return useInfiniteQuery({
    queryKey: financeKeys.payments(customerId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ limit: "20" });
      if (pageParam) q.set("cursor", pageParam);
      return api<PaymentPage>(`/customers/${customerId}/payments?${q}`);
    },
    getNextPageParam: (last) => last.nextCursor,
    retry: retryTransient,
  });
}

/**
 * Records a payment. Open items, payments, documents (their status), the journal and the file's
 * key figures all change with it: everything of this customer is read again.
 */
export function useRecordPayment(customerId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PaymentCreate) => api<Payment>(`/customers/${customerId}/payments`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["customers", customerId] }),
  });
}

/** Credit settings with the version they were read at (sent back as If-Match). */
export interface VersionedCredit {
  settings: CreditSettings;
  etag: string;
}

/** `GET /customers/{id}/credit`: its version travels only in the ETag header. */
async function fetchCredit(customerId: number): Promise<VersionedCredit> {
  const { body, etag } = await apiWithEtag<CreditSettings>(`/customers/${customerId}/credit`);
  return { settings: body, etag: etag ?? '"1"' };
}

export function useCreditSettings(customerId: number) {
  return useQuery({
    queryKey: financeKeys.credit(customerId),
    queryFn: () => fetchCredit(customerId),
    retry: retryTransient,
  });
}

/** Changes the credit settings against the version read; a 412 comes back as a ProblemError. */
export function useUpdateCredit(customerId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, etag }: { patch: CreditSettingsUpdate; etag: string }) =>
      api<CreditSettings>(`/customers/${customerId}/credit`, {
        method: "PATCH",
        body: patch,
        headers: { "if-match": etag },
      }),
    // The limit shows in the info panel's key figures and in the journal: the whole customer is read again.
    onSuccess: () => qc.invalidateQueries({ queryKey: ["customers", customerId] }),
  });
}

/** Credit check for an amount: ok, warning or blocked with the reasons. */
export function useCreditCheck(customerId: number) {
  return useMutation({
    mutationFn: (amountCents: number) =>
      api<CreditCheck>(`/customers/${customerId}/credit-check`, { method: "POST", body: { amountCents } }),
  });
}

/** The customer's dunning notices, newest first. */
export function useDunningNotices(customerId: number) {
  return useQuery({
    queryKey: financeKeys.dunning(customerId),
    queryFn: () => api<{ items: DunningNotice[] }>(`/customers/${customerId}/dunning-notices`),
    retry: retryTransient,
  });
}

/** All payment terms (with their printed text); they change rarely. */
export function usePaymentTerms(enabled = true) {
  return useQuery({
    queryKey: ["payment-terms"],
    queryFn: () => api<{ items: PaymentTerms[] }>("/payment-terms"),
    staleTime: 5 * 60_000,
    retry: retryTransient,
    enabled,
  });
}
