import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;

export interface AddressMatch {
  customerId: number;
  contactId: number | null;
  address: string;
}

/** Contacts whose e-mail is one of the addresses. */
export async function contactsByEmail(db: Executor, addresses: string[]): Promise<AddressMatch[]> {
  if (addresses.length === 0) return [];
  const rows = await db
    .selectFrom("contacts")
    .select(["id", "customer_id", "email"])
    .where("email", "in", addresses)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ customerId: Number(r.customer_id), contactId: Number(r.id), address: r.email! }));
}

/** Customers with one of the addresses as an e-mail channel. */
export async function customersByEmailChannel(db: Executor, addresses: string[]): Promise<AddressMatch[]> {
  if (addresses.length === 0) return [];
  const rows = await db
    .selectFrom("channels")
    .select(["customer_id", "value"])
    .where("kind", "=", "email")
    .where("value", "in", addresses)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ customerId: Number(r.customer_id), contactId: null, address: r.value }));
}

/** Customers whose e-mail channels or contacts use the domain. */
export async function customersByDomain(db: Executor, domain: string): Promise<number[]> {
  const pattern = `%@${domain.replace(/[%_\\]/g, "")}`;
  const channels = await db
    .selectFrom("channels")
    .select("customer_id")
    .where("kind", "=", "email")
    .where("value", "like", pattern)
    .execute();
  const contacts = await db.selectFrom("contacts").select("customer_id").where("email", "like", pattern).execute();
  return [...new Set([...channels, ...contacts].map((r) => Number(r.customer_id)))];
}

export async function entryByMessageKey(
  db: Executor,
  key: string,
): Promise<{ id: number; customer_id: number } | undefined> {
  return db
    .selectFrom("journal_entries")
    .select(["id", "customer_id"])
    .where("message_key", "=", key)
    .executeTakeFirst();
}
