import { useSyncExternalStore } from "react";

export interface RecentCustomer {
  id: number;
  name: string;
  number: string;
}

const KEY = "kundenakte.recentCustomers";
const MAX = 8;
const listeners = new Set<() => void>();
let cache: RecentCustomer[] | null = null;

function read(): RecentCustomer[] {
  if (cache) return cache;
  try {
    cache = JSON.parse(localStorage.getItem(KEY) ?? "[]") as RecentCustomer[];
  } catch {
    cache = [];
  }
  return cache;
}

/** Notes an opened customer file: the quick search offers it first next time (kept in this browser only). */
export function rememberCustomer(c: RecentCustomer): void {
  const list = [c, ...read().filter((x) => x.id !== c.id)].slice(0, MAX);
  cache = list;
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full or disabled: the list lives for this page only.
  }
  for (const l of listeners) l();
}

export function useRecentCustomers(): RecentCustomer[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    read,
    () => [],
  );
}
