import type { FollowUp, FollowUpCreate, User } from "@kundenakte/contract";
import {
  type QueryClient,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api } from "../../lib/api";
import { useCan, useSession } from "../auth/session";

export interface FollowUpPage {
  items: FollowUp[];
  nextCursor: string | null;
}

/** A customer's open follow-ups, by due date (the overdue ones first). */
export const customerFollowUpsQuery = (customerId: number) =>
  queryOptions({
    queryKey: ["customers", customerId, "follow-ups"],
    queryFn: () => api<FollowUpPage>(`/customers/${customerId}/follow-ups?status=open&limit=50`),
  });

export function useCustomerFollowUps(customerId: number, enabled = true) {
  return useQuery({ ...customerFollowUpsQuery(customerId), enabled });
}

/** A user's open follow-ups across customers (`me` by default), page by page, by due date. */
export function useUserFollowUps(owner: string) {
  return useInfiniteQuery({
    queryKey: ["follow-ups", owner],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ owner, status: "open", limit: "50" });
      if (pageParam) q.set("cursor", pageParam);
      return api<FollowUpPage>(`/follow-ups?${q}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * After a follow-up changed: the customer's list, the cross-customer lists, the customer file
 * (its key figures show the next follow-up), the journal (creating and completing write an
 * entry) and the change history.
 */
export function refreshAfterFollowUp(qc: QueryClient, customerId: number) {
  for (const key of [
    ["customers", customerId, "follow-ups"],
    ["customers", customerId, "file"],
    ["customers", customerId, "journal"],
    ["customers", customerId, "history"],
    ["follow-ups"],
  ]) {
    void qc.invalidateQueries({ queryKey: key });
  }
}

export function useCreateFollowUp(customerId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: FollowUpCreate) =>
      api<FollowUp>(`/customers/${customerId}/follow-ups`, { method: "POST", body }),
    onSuccess: () => refreshAfterFollowUp(qc, customerId),
  });
}

/** Marks a follow-up done against the version the user saw (If-Match); 412 when it changed meanwhile. */
export function useCompleteFollowUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (f: FollowUp) =>
      api<FollowUp>(`/customers/${f.customerId}/follow-ups/${f.id}`, {
        method: "PATCH",
        body: { status: "done" },
        headers: { "if-match": `"${f.version}"` },
      }),
    // On success and on failure (a 412 means the list is stale): load the current state.
    onSettled: (_data, _err, f) => refreshAfterFollowUp(qc, f.customerId),
  });
}

/**
 * The users one may assign a follow-up to, with their names — for those who may list users
 * (administrators). Others get an empty list and assign by e-mail.
 */
export function useUsers() {
  const canList = useCan("users.read");
  return useQuery({
    queryKey: ["users"],
    queryFn: () => api<{ items: User[] }>("/users"),
    enabled: canList,
    staleTime: 5 * 60_000,
    select: (d) => d.items.filter((u) => u.active),
  });
}

/** E-mail → name of the users known to this browser: the session's user, and all users for administrators. */
export function useUserNames(): (email: string) => string | undefined {
  const users = useUsers();
  const session = useSession();
  return (email: string) => {
    const e = email.toLowerCase();
    if (session.data?.user.email.toLowerCase() === e) return session.data.user.name;
    return users.data?.find((u) => u.email.toLowerCase() === e)?.name;
  };
}
