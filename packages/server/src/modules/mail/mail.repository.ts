import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import { type RowVisibility, visibleCustomerIds } from "../../db/visible-to.js";

type Executor = Kysely<DB> | Transaction<DB>;

export interface AddressMatch {
  customerId: number;
  contactId: number | null;
  address: string;
}

/** Contacts whose e-mail is one of the addresses (of customers the row-level rule, when given, shows). */
export async function contactsByEmail(
  db: Executor,
  addresses: string[],
  visibleTo: RowVisibility | null = null,
): Promise<AddressMatch[]> {
  if (addresses.length === 0) return [];
  let q = db.selectFrom("contacts").select(["id", "customer_id", "email"]).where("email", "in", addresses);
  if (visibleTo) q = q.where("customer_id", "in", visibleCustomerIds(db, visibleTo));
  const rows = await q.orderBy("id").execute();
  return rows.map((r) => ({ customerId: Number(r.customer_id), contactId: Number(r.id), address: r.email! }));
}

/** Customers with one of the addresses as an e-mail channel (that the row-level rule, when given, shows). */
export async function customersByEmailChannel(
  db: Executor,
  addresses: string[],
  visibleTo: RowVisibility | null = null,
): Promise<AddressMatch[]> {
  if (addresses.length === 0) return [];
  let q = db
    .selectFrom("channels")
    .select(["customer_id", "value"])
    .where("kind", "=", "email")
    .where("value", "in", addresses);
  if (visibleTo) q = q.where("customer_id", "in", visibleCustomerIds(db, visibleTo));
  const rows = await q.orderBy("id").execute();
  return rows.map((r) => ({ customerId: Number(r.customer_id), contactId: null, address: r.value }));
}

/** Customers whose e-mail channels or contacts use the domain (that the row-level rule, when given, shows). */
export async function customersByDomain(
  db: Executor,
  domain: string,
  visibleTo: RowVisibility | null = null,
): Promise<number[]> {
  const pattern = `%@${domain.replace(/[%_\\]/g, "")}`;
  let channels = db
    .selectFrom("channels")
    .select("customer_id")
    .where("kind", "=", "email")
    .where("value", "like", pattern);
  let contacts = db.selectFrom("contacts").select("customer_id").where("email", "like", pattern);
  if (visibleTo) {
    channels = channels.where("customer_id", "in", visibleCustomerIds(db, visibleTo));
    contacts = contacts.where("customer_id", "in", visibleCustomerIds(db, visibleTo));
  }
  const rows = [...(await channels.execute()), ...(await contacts.execute())];
  return [...new Set(rows.map((r) => Number(r.customer_id)))];
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
