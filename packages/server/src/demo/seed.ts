import type { Database } from "../db/database.js";
import type { RequestContext } from "../http/context.js";
import { createCustomersInBulk } from "../modules/customers/customers.bulk.js";
import { hasAnyCustomer } from "../modules/customers/customers.repository.js";
import { ensureSearchIndex } from "../modules/search/search-index.js";
import { fakeCustomer } from "./factories.js";
import { Random } from "./random.js";

export interface SeedOptions {
  customers: number;
  /** Contacts per company customer. */
  contactsPerCustomer?: number;
  seed?: number | string;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Generates German demo customers with the test factories and writes them through the
 * bulk service (same checks as the API), one transaction per batch.
 */
export async function seedDemo(db: Database, ctx: RequestContext, opts: SeedOptions): Promise<number> {
  // Entries are written under the current key rules: the index must be current before (on an
  // empty database that only notes the rules), or the next start-up would walk every customer
  // seeded here to rebuild entries that are already right.
  await ensureSearchIndex(db);
  const rng = new Random(opts.seed ?? 1);
  const batch = opts.batchSize ?? 1000;
  let done = 0;
  while (done < opts.customers) {
    const n = Math.min(batch, opts.customers - done);
    const inputs = Array.from({ length: n }, () => fakeCustomer(rng, { contacts: opts.contactsPerCustomer ?? 3 }));
    done += await createCustomersInBulk(db, ctx, inputs);
    opts.onProgress?.(done, opts.customers);
  }
  return done;
}

/** True when the database holds no customer yet (start-up then offers demo data). */
export async function isEmpty(db: Database): Promise<boolean> {
  return !(await hasAnyCustomer(db.kysely));
}
