import { businessClock, migrateToLatest, optimizeDatabase, SYSTEM_CONTEXT } from "@kundenakte/server";
import { seedFinanceDemo } from "@kundenakte/server/demo/finance";
import { seedDemo } from "@kundenakte/server/demo/seed";

/** Customers that get invoices, payments, quotes and orders: enough to see, quick to write. */
const FINANCE_CUSTOMERS = 100;

import { open, run, say } from "../runtime.js";

export interface SeedCommandOptions {
  demo?: boolean;
  customers: string;
  contacts: string;
  seed: string;
}

/** `seed --demo`: German demo customers, acting as `system` (generated data has no human author). */
export function seed(opts: SeedCommandOptions): Promise<void> {
  return run(async (config) => {
    if (!opts.demo) {
      say("Nothing to do: say --demo to load generated demo data.");
      return 2;
    }
    const customers = Number(opts.customers);
    const contacts = Number(opts.contacts);
    if (!Number.isInteger(customers) || customers < 1) throw new Error("--customers must be a positive whole number");
    if (!Number.isInteger(contacts) || contacts < 0) throw new Error("--contacts must be a whole number");
    const db = open(config);
    try {
      await migrateToLatest(db);
      say(`Seeding ${customers} demo customers into ${db.describe()}, acting as system`);
      const started = performance.now();
      let lastShown = 0;
      const done = await seedDemo(db, SYSTEM_CONTEXT, {
        customers,
        contactsPerCustomer: contacts,
        seed: opts.seed,
        onProgress: (n, total) => {
          const now = performance.now();
          if (n === total || now - lastShown > 1000) {
            lastShown = now;
            const rate = Math.round(n / ((now - started) / 1000));
            const line = `  ${n.toLocaleString("en")} / ${total.toLocaleString("en")} customers (${rate}/s)`;
            if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
            else say(line);
          }
        },
      });
      if (process.stderr.isTTY) process.stderr.write("\n");
      const seconds = (performance.now() - started) / 1000;
      say(`Done: ${done} customers in ${seconds.toFixed(1)} s (${Math.round(done / seconds)} customers/s)`);
      const withFinance = await db.kysely
        .selectFrom("customers")
        .select("id")
        .orderBy("id", "desc")
        .limit(Math.min(done, FINANCE_CUSTOMERS))
        .execute();
      const f = await seedFinanceDemo(
        db,
        // The firm's "today": invoices dated and overdue as the server will judge them.
        { ...SYSTEM_CONTEXT, clock: businessClock(config.businessTimeZone) },
        withFinance.map((r) => Number(r.id)),
        opts.seed,
      );
      say(`Finance: ${f.documents} documents and ${f.payments} payments for ${withFinance.length} of them`);
      // A large load leaves the search index in many segments: merged, queries read one.
      for (const s of await optimizeDatabase(db)) say(`Optimized: ${s.step} (${(s.ms / 1000).toFixed(1)} s)`);
      return 0;
    } finally {
      await db.close();
    }
  });
}
