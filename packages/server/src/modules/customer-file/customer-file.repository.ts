import type { Kysely, Transaction } from "kysely";
import { sql } from "kysely";
import { compiledOnce, type Database } from "../../db/database.js";
import type { DB } from "../../db/schema.js";
import type { PartRow } from "../customer-parts/part.js";
import type { CustomerRow } from "../customers/customers.repository.js";
import { type ActivityColumns, type ActivityRow, activityOf, activitySql } from "../figures/figures.repository.js";
import { type MarketingRows, NO_MARKETING_ROWS, readMarketingRows } from "../preferences/file-members.js";
import { decodeDocumentBytes, encodeDocument } from "./document-codec.js";

type Executor = Kysely<DB> | Transaction<DB>;

export interface StoredDocument {
  customer_version: number;
  /** The file's JSON as UTF-8 bytes. */
  body: Buffer;
  finance: string | null;
  owner: string | null;
  region: string | null;
  has_finance: boolean | number;
}

/** A document's row as stored: the body compressed (see document-codec.ts). */
type StoredRow = Omit<StoredDocument, "body"> & { body: Uint8Array | string };

/**
 * The stored customer file document: one primary-key lookup, run as a prepared statement.
 * This is the hot path of the screen users open dozens of times a day. With `activity` (for
 * users who see the key figures) the same statement also reads the next follow-up and the last
 * contact — a few index point reads (see `activitySql`), no second round trip.
 */
export async function readDocument(
  db: Database,
  customerId: number,
  activity = false,
): Promise<(StoredDocument & { activity?: ActivityRow }) | undefined> {
  const q = activity
    ? compiledOnce(db, "customerFile.readDocument.activity", () =>
        sql<StoredRow & ActivityColumns>`select d.customer_version, d.body, d.finance, d.owner, d.region, d.has_finance,
          ${activitySql(sql.ref("d.customer_id"), db.engine)}
          from customer_file_documents d where d.customer_id = ${0}`.compile(db.kysely),
      )
    : compiledOnce(db, "customerFile.readDocument", () =>
        db.kysely
          .selectFrom("customer_file_documents")
          .select(["customer_version", "body", "finance", "owner", "region", "has_finance"])
          .where("customer_id", "=", 0)
          .compile(),
      );
  const [row] = await db.read<StoredRow & Partial<ActivityColumns>>(q, [customerId]);
  if (!row) return undefined;
  return {
    customer_version: row.customer_version,
    body: decodeDocumentBytes(row.body),
    finance: row.finance,
    owner: row.owner,
    region: row.region,
    has_finance: row.has_finance,
    ...(activity ? { activity: activityOf(row as ActivityColumns) } : {}),
  };
}

/** Rows of the given customers and their parts, in the order the file shows them. */
export interface FileRows {
  customer: CustomerRow;
  tags: string[];
  addresses: PartRow[];
  channels: PartRow[];
  contacts: PartRow[];
  bankAccounts: PartRow[];
  /** Preferences and active advertising objections. */
  marketing: MarketingRows;
}

/** Reads everything the file shows for several customers with eight queries in all (two for preferences and objections). */
export async function readFileRows(db: Executor, ids: readonly number[]): Promise<Map<number, FileRows>> {
  const out = new Map<number, FileRows>();
  if (ids.length === 0) return out;
  const list = [...ids];
  const [customers, tags, addresses, channels, contacts, bankAccounts] = await Promise.all([
    db.selectFrom("customers").selectAll().where("id", "in", list).execute(),
    db.selectFrom("customer_tags").selectAll().where("customer_id", "in", list).orderBy("tag").execute(),
    db.selectFrom("addresses").selectAll().where("customer_id", "in", list).orderBy("type").orderBy("id").execute(),
    db.selectFrom("channels").selectAll().where("customer_id", "in", list).orderBy("kind").orderBy("id").execute(),
    db.selectFrom("contacts").selectAll().where("customer_id", "in", list).orderBy("last_name").orderBy("id").execute(),
    db.selectFrom("bank_accounts").selectAll().where("customer_id", "in", list).orderBy("id").execute(),
  ]);
  for (const c of customers) {
    out.set(Number(c.id), {
      customer: c,
      tags: [],
      addresses: [],
      channels: [],
      contacts: [],
      bankAccounts: [],
      marketing: NO_MARKETING_ROWS,
    });
  }
  for (const t of tags) out.get(Number(t.customer_id))?.tags.push(t.tag);
  for (const [rows, key] of [
    [addresses, "addresses"],
    [channels, "channels"],
    [contacts, "contacts"],
    [bankAccounts, "bankAccounts"],
  ] as const) {
    for (const r of rows) out.get(Number(r.customer_id))?.[key].push(r as unknown as PartRow);
  }
  for (const [id, m] of await readMarketingRows(db, list)) {
    const r = out.get(id);
    if (r) r.marketing = m;
  }
  return out;
}

/** The customer has finance records now: its file computes key figures (see migration 008). */
export async function markHasFinance(trx: Executor, customerId: number): Promise<void> {
  await trx
    .updateTable("customer_file_documents")
    .set({ has_finance: sql`${sql.lit(true)}` })
    .where("customer_id", "=", customerId)
    .execute();
}

export interface DocumentRow {
  customer_id: number;
  customer_version: number;
  /** The file's JSON text: stored compressed. */
  body: string;
  finance: string;
  owner: string | null;
  region: string | null;
  updated_at: string;
}

/** Writes (or replaces) the documents of several customers. */
export async function upsertDocuments(trx: Executor, docs: DocumentRow[]): Promise<void> {
  // Bodies are a few kB each; 200 per statement keeps statements reasonable on both engines.
  for (let i = 0; i < docs.length; i += 200) {
    await trx
      .insertInto("customer_file_documents")
      .values(docs.slice(i, i + 200).map((d) => ({ ...d, body: encodeDocument(d.body) })))
      .onConflict((oc) =>
        oc.column("customer_id").doUpdateSet((eb) => ({
          customer_version: eb.ref("excluded.customer_version"),
          body: eb.ref("excluded.body"),
          finance: eb.ref("excluded.finance"),
          owner: eb.ref("excluded.owner"),
          region: eb.ref("excluded.region"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
}
