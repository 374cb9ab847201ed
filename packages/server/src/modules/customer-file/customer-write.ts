import type { Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import type { DB } from "../../db/schema.js";
import { refreshCustomerFiles } from "./customer-file.service.js";

const changed = new WeakMap<Transaction<DB>, Set<number>>();

/**
 * Notes that a customer's data changed in this transaction. The audit trail calls it for
 * every change it records, so no write can forget it.
 */
export function noteCustomerChanged(trx: unknown, customerId: number | null): void {
  if (customerId === null) return;
  const set = changed.get(trx as Transaction<DB>);
  if (set) set.add(customerId);
}

/**
 * Runs a write in a transaction and, before it commits, refreshes the read models of every
 * customer it changed (the stored customer file documents), so they commit or roll back together.
 */
export async function customerWrite<T>(db: Database, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  let changedAny = false;
  const result = await db.kysely.transaction().execute(async (trx) => {
    const set = new Set<number>();
    changed.set(trx, set);
    const out = await fn(trx);
    if (set.size > 0) await refreshCustomerFiles(trx, [...set]);
    changedAny = set.size > 0;
    return out;
  });
  if (changedAny) for (const listener of afterCommit) listener(db);
  return result;
}

const afterCommit: ((db: Database) => void)[] = [];

/** Runs `listener` after every committed write that changed customers (e.g. to drop caches). */
export function onCustomersChanged(listener: (db: Database) => void): void {
  afterCommit.push(listener);
}
