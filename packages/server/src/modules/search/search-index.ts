/**
 * Keeps the search index in step with the data: the customer file's write transaction calls
 * `indexCustomers` with the rows it has just read (so indexing costs no extra reads of the
 * parts), and start-up builds the entries of every customer when the key rules changed.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import type { DB } from "../../db/schema.js";
import { formatNational } from "../../domain/phone.js";
import { nowIso } from "../../lib/time.js";
import { type FileRows, readFileRows } from "../customer-file/customer-file.repository.js";
import type { PartRow } from "../customer-parts/part.js";
import { customerIdsAfter, mergedNumbers, readIndexState, writeEntries, writeIndexState } from "./search.repository.js";
import {
  nationalNumberOf,
  SEARCH_SCHEME,
  type SearchDocument,
  type SearchFieldValue,
  searchDocument,
} from "./search-keys.js";

type Executor = Kysely<DB> | Transaction<DB>;

const PHONE_KINDS = new Set(["phone", "mobile", "fax"]);

function text(v: unknown): string | null {
  return typeof v === "string" && v.trim() !== "" ? v : null;
}

function phone(e164: string, contactId?: number): SearchFieldValue {
  return { field: "phone", value: formatNational(e164), key: nationalNumberOf(e164), contactId };
}

/** The displayed values of a customer that search looks at. */
export function searchFields(
  r: FileRows,
  merged: { customer_number: string; debtor_number: string | null }[],
): SearchFieldValue[] {
  const c = r.customer;
  const out: SearchFieldValue[] = [{ field: "customerNumber", value: c.customer_number }];
  const seen = new Set<string>();
  const add = (f: SearchFieldValue) => {
    const key = `${f.field}\u0000${f.value}\u0000${f.contactId ?? ""}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  };
  if (c.debtor_number) add({ field: "debtorNumber", value: c.debtor_number });
  for (const m of merged) {
    add({ field: "mergedNumber", value: m.customer_number });
    if (m.debtor_number) add({ field: "mergedNumber", value: m.debtor_number });
  }
  add({ field: "name", value: [c.name1, c.name2, c.name3].filter(Boolean).join(" ") });
  if (c.vat_id) add({ field: "vatId", value: c.vat_id });
  for (const t of r.tags) add({ field: "tag", value: t });
  for (const a of r.addresses as PartRow[]) {
    const street = text(a.street);
    if (street) add({ field: "street", value: street });
    add({ field: "postalCode", value: String(a.postal_code) });
    add({ field: "city", value: String(a.city) });
  }
  for (const ch of r.channels as PartRow[]) {
    const value = String(ch.value);
    if (PHONE_KINDS.has(String(ch.kind))) add(phone(value));
    else if (ch.kind === "email") add({ field: "email", value });
  }
  for (const p of r.contacts as PartRow[]) {
    const id = Number(p.id);
    add({ field: "contactName", value: [p.first_name, p.last_name].filter(Boolean).join(" "), contactId: id });
    const email = text(p.email);
    if (email) add({ field: "email", value: email, contactId: id });
    for (const col of ["phone", "mobile"] as const) {
      const v = text(p[col]);
      if (v) add(phone(v, id));
    }
  }
  return out;
}

/** Rewrites the search entries of the customers whose file rows were just read (same transaction). */
export async function indexCustomers(trx: Executor, rows: Map<number, FileRows>): Promise<void> {
  if (rows.size === 0) return;
  const merged = await mergedNumbers(trx, [...rows.keys()]);
  const docs = new Map<number, SearchDocument>();
  for (const [id, r] of rows) {
    const c = r.customer;
    docs.set(
      id,
      searchDocument(searchFields(r, merged.get(id) ?? []), { status: c.status, owner: c.owner, region: c.region }),
    );
  }
  await writeEntries(trx, docs);
}

/**
 * Builds the entries of every customer when the stored scheme is older than the code's (a
 * fresh upgrade, or changed key rules). Batches of 500 customers, one transaction each;
 * searches meanwhile find what is indexed so far.
 */
export async function ensureSearchIndex(db: Database, log: (msg: string) => void = () => {}): Promise<number> {
  const state = await readIndexState(db.kysely);
  if (state.scheme === SEARCH_SCHEME) return 0;
  log(`Building the search index (scheme ${state.scheme} → ${SEARCH_SCHEME})…`);
  let after = 0;
  let n = 0;
  for (;;) {
    const ids = await customerIdsAfter(db.kysely, after, 500);
    if (ids.length === 0) break;
    await db.kysely.transaction().execute(async (trx) => {
      await indexCustomers(trx, await readFileRows(trx, ids));
    });
    n += ids.length;
    after = ids[ids.length - 1]!;
  }
  await writeIndexState(db.kysely, SEARCH_SCHEME, nowIso());
  log(`Search index built for ${n} customers.`);
  return n;
}
