import { type Address, type Badge, BankAccount, type Contact, CustomerFile, KeyFigures } from "@kundenakte/contract";
import { Type } from "@sinclair/typebox";
import fastJson from "fast-json-stringify";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/database.js";
import { flag } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";
import type { RequestContext } from "../../http/context.js";
import { notFound } from "../../http/errors.js";
import { clockOf } from "../../lib/clock.js";
import { nowIso } from "../../lib/time.js";
import { isVisible } from "../auth/principal.js";
import { addressSpec } from "../customer-parts/addresses.js";
import { bankAccountSpec } from "../customer-parts/bank-accounts.js";
import { channelSpec } from "../customer-parts/channels.js";
import { contactSpec } from "../customer-parts/contacts.js";
import { presentCustomer } from "../customers/customers.presenter.js";
import { setBillingKeys } from "../customers/customers.repository.js";
import type { ActivityRow } from "../figures/figures.repository.js";
import { activityFigures, emptyKeyFigures, keyFiguresOf, noActivity } from "../figures/key-figures.js";
import { fileMarketingMembers } from "../preferences/file-members.js";
import { indexCustomers } from "../search/search-index.js";
import { type FileRows, readDocument, readFileRows, upsertDocuments } from "./customer-file.repository.js";

type Executor = Kysely<DB> | Transaction<DB>;

const STATUS_SEVERITY = { prospect: "info", active: "success", inactive: "warning" } as const;

/** The status badges of the info panel. Later features add theirs (overdue, credit, objection). */
function badges(status: string, blockType: string, blockReason: string | null): Badge[] {
  const out: Badge[] = [
    { code: status as Badge["code"], severity: STATUS_SEVERITY[status as keyof typeof STATUS_SEVERITY], detail: null },
  ];
  if (blockType !== "none")
    out.push({ code: `${blockType}_block` as Badge["code"], severity: "danger", detail: blockReason });
  return out;
}

/** Shapes the rows of one customer into the file: master data, default addresses, primary contact, badges. */
export function buildFile(rows: FileRows): CustomerFile {
  const customer = presentCustomer(rows.customer, rows.tags);
  const addresses: Address[] = rows.addresses.map((r) => addressSpec.present(r));
  const contacts: Contact[] = rows.contacts.map((r) => contactSpec.present(r));
  const defaultOf = (type: Address["type"]) => addresses.find((a) => a.type === type && a.isDefault) ?? null;
  return {
    customer,
    billingAddress: defaultOf("billing"),
    deliveryAddress: defaultOf("delivery") ?? defaultOf("billing"),
    addresses,
    channels: rows.channels.map((r) => channelSpec.present(r)),
    primaryContact: contacts.find((c) => c.isPrimary) ?? null,
    contacts,
    badges: badges(customer.status, customer.block.type, customer.block.reason),
    ...fileMarketingMembers(rows.marketing),
  };
}

/** Serialises a file exactly as the contract says (the same compiler Fastify uses for responses). */
export const serializeFile: (file: CustomerFile) => string = fastJson(CustomerFile as never);
const serializeBankAccounts: (items: BankAccount[]) => string = fastJson(Type.Array(BankAccount) as never);

const serializeKeyFigures: (f: KeyFigures) => string = fastJson(KeyFigures as never);

const EMPTY_FIGURES = {
  finance: `,"keyFigures":${serializeKeyFigures(emptyKeyFigures(true))}`,
  other: `,"keyFigures":${serializeKeyFigures(emptyKeyFigures(false))}`,
};

/**
 * Today's key figures as a member to splice in: they change with the date, not only with the
 * customer. A customer without finance records gets the zeros without a query (and its next
 * follow-up and last contact, read with the stored document, when it has any).
 */
async function keyFiguresMember(
  db: Database,
  ctx: RequestContext,
  id: number,
  hasFinance: boolean,
  activity?: ActivityRow,
): Promise<string> {
  if (ctx.documents === false) return "";
  const finance = ctx.finance !== false;
  if (!hasFinance) {
    if (!activity || noActivity(activity)) return finance ? EMPTY_FIGURES.finance : EMPTY_FIGURES.other;
    return `,"keyFigures":${serializeKeyFigures({ ...emptyKeyFigures(finance), ...activityFigures(activity, clockOf(ctx).nowIso()) })}`;
  }
  return `,"keyFigures":${serializeKeyFigures(await keyFiguresOf(db, id, finance, clockOf(ctx).today(), clockOf(ctx).nowIso(), activity))}`;
}

/**
 * The stored body with the per-request members (bank accounts for finance users, key
 * figures) spliced in with one copy: every extra copy of a ~6 kB body per request showed in
 * the file endpoint's throughput (ratio 0.40 with two splices, 0.55 with one). Bytes stay
 * bytes: the stored document is sent without decoding it into a string and encoding it again.
 */
function splice(body: Buffer, members: string): Buffer {
  if (!members) return body;
  const tail = Buffer.from(`${members}}`, "utf8");
  const out = Buffer.allocUnsafe(body.length - 1 + tail.length);
  body.copy(out, 0, 0, body.length - 1);
  tail.copy(out, body.length - 1);
  return out;
}

/**
 * Rebuilds the read models of the given customers inside the caller's transaction, so they
 * are never older than the data they show: the stored file document, the search entries, and the copies of the
 * default billing address's city and postal code the customer list filters on. Deleted
 * customers' documents go with them (foreign key cascade).
 */
export async function refreshCustomerFiles(trx: Executor, ids: readonly number[]): Promise<void> {
  const rows = await readFileRows(trx, ids);
  await indexCustomers(trx, rows);
  const at = nowIso();
  for (const r of rows.values()) {
    const billing = r.addresses.find((a) => a.type === "billing" && flag(a.is_default as number));
    const cityKey = (billing?.city_key as string | undefined) ?? null;
    const postalCode = (billing?.postal_code as string | undefined) ?? null;
    if (r.customer.billing_city_key !== cityKey || r.customer.billing_postal_code !== postalCode) {
      await setBillingKeys(trx, Number(r.customer.id), cityKey, postalCode);
    }
  }
  await upsertDocuments(
    trx,
    [...rows.values()].map((r) => ({
      customer_id: Number(r.customer.id),
      customer_version: r.customer.version,
      body: serializeFile(buildFile(r)),
      finance: serializeBankAccounts(r.bankAccounts.map((b) => bankAccountSpec.present(b))),
      owner: r.customer.owner,
      region: r.customer.region,
      updated_at: at,
    })),
  );
}

/**
 * The customer file as JSON text, with the customer's version for the ETag. Served from the
 * stored document (one indexed read); built live if a document is missing.
 */
export async function getCustomerFileJson(
  db: Database,
  ctx: RequestContext,
  id: number,
): Promise<{ version: number; body: Buffer }> {
  const doc = await readDocument(db, id, ctx.documents !== false);
  if (doc) {
    // A document the row-level rule hides is a 404 without building the file again.
    if (!isVisible(ctx.visibility ?? null, doc.owner, doc.region)) throw notFound("Customer", id);
    return {
      version: doc.customer_version,
      body: splice(
        doc.body,
        (ctx.finance && doc.finance ? `,"bankAccounts":${doc.finance}` : "") +
          (await keyFiguresMember(db, ctx, id, flag(doc.has_finance), doc.activity)),
      ),
    };
  }
  const rows = (await readFileRows(db.kysely, [id])).get(id);
  if (!rows || !isVisible(ctx.visibility ?? null, rows.customer.owner, rows.customer.region))
    throw notFound("Customer", id);
  const file = buildFile(rows);
  if (ctx.finance) file.bankAccounts = rows.bankAccounts.map((b) => bankAccountSpec.present(b));
  return {
    version: rows.customer.version,
    body: splice(Buffer.from(serializeFile(file), "utf8"), await keyFiguresMember(db, ctx, id, true)),
  };
}
