import type { BusinessTime, Session } from "@kundenakte/contract";
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ProblemError, setCsrfToken } from "../../lib/api";
import { setBusinessTime } from "../../lib/clock";

export const sessionKey = ["session"] as const;

/** Asks the server's business clock (what day it is for the firm); the browser's clock stays in use if it cannot. */
async function syncBusinessTime(): Promise<void> {
  try {
    setBusinessTime(await api<BusinessTime>("/business-time"));
  } catch {
    // Not fatal: dates then count from the browser's clock until the next session check.
  }
}

/** The logged-in user with permissions; null when nobody is logged in. */
export const sessionQuery = () =>
  queryOptions({
    queryKey: sessionKey,
    queryFn: async () => {
      try {
        const [s] = await Promise.all([api<Session>("/auth/session"), syncBusinessTime()]);
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
  await syncBusinessTime();
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
