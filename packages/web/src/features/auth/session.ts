import type { Session } from "@kundenakte/contract";
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ProblemError, setCsrfToken } from "../../lib/api";

export const sessionKey = ["session"] as const;

/** The logged-in user with permissions; null when nobody is logged in. */
export const sessionQuery = () =>
  queryOptions({
    queryKey: sessionKey,
    queryFn: async () => {
      try {
        const s = await api<Session>("/auth/session");
        setCsrfToken(s.csrfToken);
        return s;
      } catch (e) {
        if (e instanceof ProblemError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });

export function useSession() {
  return useQuery(sessionQuery());
}

/** Whether the session allows an action: the UI shows only what the user may do. */
export function useCan(permission: string): boolean {
  const { data } = useSession();
  return data?.permissions.includes(permission) ?? false;
}

/** The whole minutes a lock (429) asks to wait, from its Retry-After: what the lock messages say. */
export const lockMinutes = (err: ProblemError): number => Math.max(1, Math.ceil((err.retryAfterSeconds ?? 60) / 60));

export async function login(email: string, password: string): Promise<Session> {
  const s = await api<Session>("/auth/login", { method: "POST", body: { email, password } });
  setCsrfToken(s.csrfToken);
  return s;
}

export function useLogout() {
  const qc = useQueryClient();
  return async () => {
    await api("/auth/logout", { method: "POST" }).catch(() => undefined);
    setCsrfToken(null);
    // The session query is set, not removed: its observers (the app shell) must see the change.
    qc.setQueryData(sessionKey, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  };
}
