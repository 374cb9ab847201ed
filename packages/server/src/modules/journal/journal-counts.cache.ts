/**
 * Counts per kind of filtered journals (full text over a long journal counts thousands of
 * matches), kept a few seconds per filter. Every journal write for a customer drops that
 * customer's entries at once (in this process); other instances' writes show within the TTL.
 */
const TTL_MS = 5000;
const cache = new Map<string, { counts: Record<string, number>; until: number }>();
const databases = new WeakMap<object, number>();
let nextDb = 1;

function keyOf(db: object, customerId: number, filter: string): string {
  let id = databases.get(db);
  if (id === undefined) {
    id = nextDb++;
    databases.set(db, id);
  }
  return `${customerId}:${id}:${filter}`;
}

export async function cachedCounts(
  db: object,
  customerId: number,
  filter: string,
  count: () => Promise<Record<string, number>>,
): Promise<Record<string, number>> {
  const key = keyOf(db, customerId, filter);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.counts;
  const counts = await count();
  if (cache.size > 5000) cache.clear();
  cache.set(key, { counts, until: now + TTL_MS });
  return counts;
}

/** A customer's journal changed: forget its cached counts. */
export function forgetCounts(customerId: number): void {
  const prefix = `${customerId}:`;
  for (const key of cache.keys()) if (key.startsWith(prefix)) cache.delete(key);
}
