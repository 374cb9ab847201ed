import {
  type Customer,
  type CustomerCreate,
  type CustomerCreated,
  type CustomerListQuery,
  type CustomerPage,
  type CustomerUpdate,
  type HistoryEntry,
  TOTAL_CAP,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { foldText } from "../../domain/fold.js";
import { checkVatId } from "../../domain/vat-id.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { nowIso } from "../../lib/time.js";
import { changesWithoutFinance, FINANCE_ENTITIES } from "../audit/audit.finance.js";
import { listAuditByCustomer } from "../audit/audit.repository.js";
import { audit } from "../audit/audit.service.js";
import { isVisible } from "../auth/principal.js";
import { customerWrite, onCustomersChanged } from "../customer-file/customer-write.js";
import { addressSpec } from "../customer-parts/addresses.js";
import { bankAccountSpec } from "../customer-parts/bank-accounts.js";
import { channelSpec } from "../customer-parts/channels.js";
import { contactSpec } from "../customer-parts/contacts.js";
import type { PartContext } from "../customer-parts/part.js";
import { listParts } from "../customer-parts/part.repository.js";
import { insertPartIn } from "../customer-parts/part.service.js";
import { nextNumber } from "../number-ranges/number-ranges.service.js";
import { CUSTOMER_DERIVED, presentCustomer, presentListItem } from "./customers.presenter.js";
import * as repo from "./customers.repository.js";

type Executor = repo.Executor;

const trimOrNull = (v: string | null | undefined): string | null => {
  if (v === undefined || v === null) return null;
  const t = v.trim();
  return t === "" ? null : t;
};

/** Columns from customer input fields present in `input`; checks VAT ID and block. */
export function customerColumns(
  input: CustomerUpdate,
  errs: FieldErrors,
  ctx: RequestContext,
  at: string,
): Partial<repo.CustomerValues> {
  const out: Partial<repo.CustomerValues> = {};
  const text = {
    debtorNumber: "debtor_number",
    name2: "name2",
    name3: "name3",
    title: "title",
    firstName: "first_name",
    lastName: "last_name",
    legalForm: "legal_form",
    customerGroup: "customer_group",
    industry: "industry",
    region: "region",
    owner: "owner",
    taxNumber: "tax_number",
    notes: "notes",
  } as const;
  for (const [field, column] of Object.entries(text)) {
    const v = input[field as keyof typeof text];
    if (v !== undefined) out[column] = trimOrNull(v);
  }
  if (input.kind !== undefined) out.kind = input.kind;
  if (input.name1 !== undefined) {
    out.name1 = input.name1.trim();
    out.name_sort = foldText(input.name1);
    if (out.name1 === "") errs.add("name1", "required", "the name must not be empty");
  }
  if (input.salutation !== undefined) out.salutation = input.salutation;
  if (input.status !== undefined) out.status = input.status;
  if (input.abcRating !== undefined) out.abc_rating = input.abcRating;
  if (input.language !== undefined) out.language = input.language;
  if (input.vatId !== undefined) {
    const v = trimOrNull(input.vatId);
    if (v === null) out.vat_id = null;
    else {
      const r = checkVatId(v);
      if (r.ok) out.vat_id = r.value;
      else errs.add("vatId", "invalid_vat_id", r.reason);
    }
  }
  if (input.block !== undefined) {
    const reason = trimOrNull(input.block.reason);
    if (input.block.type === "none") {
      Object.assign(out, { block_type: "none", block_reason: null, block_set_by: null, block_set_at: null });
    } else if (!reason) {
      errs.add("block/reason", "required", "say why the customer is blocked");
    } else {
      Object.assign(out, {
        block_type: input.block.type,
        block_reason: reason,
        block_set_by: ctx.actor,
        block_set_at: at,
      });
    }
  }
  return out;
}

/**
 * The row-level rule on writes: what a restricted sales user saves must stay visible to them
 * (owned by them or of their region), so no write of theirs ends in a customer they cannot
 * reach. Handing a customer to someone else is for users the rule does not restrict.
 * `columns` are the changed columns, `before` the stored customer (none when creating).
 */
export function assertStaysVisible(
  ctx: RequestContext,
  errs: FieldErrors,
  columns: Partial<repo.CustomerValues>,
  before?: { owner: string | null; region: string | null },
): void {
  const v = ctx.visibility;
  if (!v) return;
  const owner = "owner" in columns ? columns.owner : before?.owner;
  const region = "region" in columns ? columns.region : before?.region;
  if (!isVisible(v, owner ?? null, region ?? null)) {
    const unless = v.region === null ? "" : ` unless the region is ${v.region}`;
    errs.add("owner", "not_visible", `under the row-level rule the owner must be you (${v.owner})${unless}`);
  }
}

export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))].sort();
}

export const partContext = (language: string, today?: string): PartContext => ({
  customerLanguage: language,
  defaultCountry: "DE",
  today,
});

/** Stored values of a new customer: defaults overlaid with the checked input columns. */
export function newCustomerValues(
  input: CustomerCreate,
  columns: Partial<repo.CustomerValues>,
  customerNumber: string,
  at: string,
): repo.CustomerValues {
  return {
    customer_number: customerNumber,
    debtor_number: null,
    kind: input.kind,
    name1: input.name1.trim(),
    name2: null,
    name3: null,
    name_sort: foldText(input.name1),
    salutation: null,
    title: null,
    first_name: null,
    last_name: null,
    legal_form: null,
    status: "active",
    block_type: "none",
    block_reason: null,
    block_set_by: null,
    block_set_at: null,
    customer_group: null,
    industry: null,
    region: null,
    abc_rating: null,
    owner: null,
    language: "de",
    vat_id: null,
    tax_number: null,
    notes: null,
    // Set from the default billing address when the write commits (see customer-file).
    billing_city_key: null,
    billing_postal_code: null,
    ...columns,
    version: 1,
    created_at: at,
    updated_at: at,
  };
}

/** Creates a customer with its number and, in the same transaction, the parts given with it. */
export async function createCustomer(
  db: Database,
  ctx: RequestContext,
  input: CustomerCreate,
): Promise<Omit<CustomerCreated, "duplicateCandidates">> {
  if (input.bankAccounts?.length && ctx.financeCreate === false) {
    throw new AppError(
      "forbidden",
      "Bank accounts are finance data: your roles do not allow adding them (needs finance.create)",
    );
  }
  return customerWrite(db, async (trx) => {
    const at = nowIso();
    const errs = new FieldErrors();
    const columns = customerColumns(input, errs, ctx, at);
    // Under the row-level rule a sales user's new customer is theirs unless they name an owner.
    if (ctx.visibility && !columns.owner) columns.owner = ctx.visibility.owner;
    assertStaysVisible(ctx, errs, columns);
    const tags = normaliseTags(input.tags ?? []);
    const customerNumber =
      input.customerNumber?.trim() || (await nextNumber(trx, "customer", (n) => repo.customerNumberTaken(trx, n)));
    const values = newCustomerValues(input, columns, customerNumber, at);
    // Validate the parts before writing anything, so the client hears of every error at once.
    const pctx = partContext(values.language, clockOf(ctx).today());
    const parts = [
      [addressSpec, input.addresses ?? []],
      [channelSpec, input.channels ?? []],
      [contactSpec, input.contacts ?? []],
      [bankAccountSpec, input.bankAccounts ?? []],
    ] as const;
    const checked = parts.map(([spec, items]) =>
      items.map((item, i) => spec.toInsert(item as never, errs, `${fieldOf(spec.path)}/${i}/`, pctx)),
    );
    errs.throwIfAny();
    const id = await repo.insertCustomer(trx, values);
    await repo.replaceTags(trx, id, tags);
    const customer = presentCustomer({ id, ...values }, tags);
    await audit(trx, ctx, at, {
      customerId: id,
      entityType: "customer",
      entityId: id,
      before: null,
      after: customer,
      derived: CUSTOMER_DERIVED,
    });
    for (const [p, [spec, items]] of parts.entries()) {
      for (const [i, item] of items.entries()) {
        const requested = spec.exclusive ? (item as Record<string, unknown>)[spec.exclusive.field] : undefined;
        await insertPartIn(trx, db, ctx, spec, id, checked[p]![i]!, requested, at);
      }
    }
    const read = async <A>(spec: { table: Parameters<typeof listParts>[1]; present: (r: never) => A }) =>
      (await listParts(trx, spec.table, id)).map((r) => spec.present(r as never));
    return {
      customer,
      addresses: await read(addressSpec),
      channels: await read(channelSpec),
      contacts: await read(contactSpec),
      ...(ctx.finance === false ? {} : { bankAccounts: await read(bankAccountSpec) }),
    };
  });
}

/** "bank-accounts" → "bankAccounts": the field name of a part list in CustomerCreate. */
const fieldOf = (path: string) => path.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export async function loadCustomer(db: Executor, id: number): Promise<Customer | undefined> {
  const row = await repo.findCustomer(db, id);
  return row ? presentCustomer(row, await repo.findTags(db, id)) : undefined;
}

/** Throws 404 for a customer the row-level rule hides (its existence is not revealed). */
export function assertVisible(
  ctx: RequestContext,
  c: { id: number; owner: string | null; region: string | null },
): void {
  if (!isVisible(ctx.visibility ?? null, c.owner, c.region)) throw notFound("Customer", c.id);
}

/**
 * The stored customer, if it exists and the actor may see it; 404 otherwise (a hidden
 * customer's existence is not revealed). For features that hang off a customer.
 */
export async function visibleCustomer(db: Executor, ctx: RequestContext, id: number): Promise<repo.CustomerRow> {
  const c = await repo.findCustomer(db, id);
  if (!c) throw notFound("Customer", id);
  assertVisible(ctx, { id, owner: c.owner, region: c.region });
  return c;
}

export async function getCustomer(db: Database, ctx: RequestContext, id: number): Promise<Customer> {
  const c = await loadCustomer(db.kysely, id);
  if (!c) throw notFound("Customer", id);
  assertVisible(ctx, c);
  return c;
}

/** Applies the changed fields if the client read the current version; audited per field. */
export async function updateCustomer(
  db: Database,
  ctx: RequestContext,
  id: number,
  version: number,
  patch: CustomerUpdate,
): Promise<Customer> {
  return customerWrite(db, async (trx) => {
    const before = await loadCustomer(trx, id);
    if (!before) throw notFound("Customer", id);
    assertVisible(ctx, before);
    if (before.version !== version) throw versionMismatch(before, before.version);
    const at = nowIso();
    const errs = new FieldErrors();
    const columns = customerColumns(patch, errs, ctx, at);
    assertStaysVisible(ctx, errs, columns, before);
    errs.throwIfAny();
    // An unchanged block keeps who set it and when.
    if (patch.block && patch.block.type === before.block.type && (patch.block.reason ?? null) === before.block.reason) {
      delete columns.block_set_by;
      delete columns.block_set_at;
    }
    if (!(await repo.updateCustomer(trx, id, version, { ...columns, updated_at: at }))) {
      throw await stale(trx, id);
    }
    if (patch.tags !== undefined) await repo.replaceTags(trx, id, normaliseTags(patch.tags));
    const after = (await loadCustomer(trx, id))!;
    await audit(trx, ctx, at, {
      customerId: id,
      entityType: "customer",
      entityId: id,
      before,
      after,
      derived: CUSTOMER_DERIVED,
    });
    return after;
  });
}

/** Deletes a customer and everything that belongs to it; the audit trail keeps the record. */
export async function deleteCustomer(db: Database, ctx: RequestContext, id: number, version: number): Promise<void> {
  await customerWrite(db, async (trx) => {
    const before = await loadCustomer(trx, id);
    if (!before) throw notFound("Customer", id);
    assertVisible(ctx, before);
    if (before.version !== version) throw versionMismatch(before, before.version);
    if (!(await repo.deleteCustomer(trx, id, version))) throw await stale(trx, id);
    await audit(trx, ctx, nowIso(), {
      customerId: id,
      entityType: "customer",
      entityId: id,
      before,
      after: null,
      derived: CUSTOMER_DERIVED,
    });
  });
}

/** After a lost race: 404 when the customer is gone, else 412 with what is there now. */
export async function stale(trx: Executor, id: number): Promise<AppError> {
  const now = await loadCustomer(trx, id);
  return now ? versionMismatch(now, now.version) : notFound("Customer", id);
}

/**
 * Capped totals of list filters, kept for a few seconds: many users page through the same
 * filtered lists. Any committed change to customers on this instance drops them at once;
 * other instances' changes show within TOTALS_TTL_MS.
 */
const TOTALS_TTL_MS = 5000;
const totals = new WeakMap<Database, Map<string, { n: number; until: number }>>();
onCustomersChanged((db) => totals.get(db)?.clear());

async function cachedTotal(db: Database, filters: repo.ListFilters): Promise<number> {
  let cache = totals.get(db);
  if (!cache) {
    cache = new Map();
    totals.set(db, cache);
  }
  const key = JSON.stringify(filters);
  const hit = cache.get(key);
  const now = Date.now();
  if (hit && hit.until > now) return hit.n;
  const n = await repo.countCustomers(db, filters, TOTAL_CAP);
  if (cache.size > 1000) cache.clear();
  cache.set(key, { n, until: now + TOTALS_TTL_MS });
  return n;
}

/** What a customer-list cursor holds first, per sort column. */
const CURSOR_SORT_FIELD = {
  name_sort: "text",
  customer_number: "text",
  created_at: "timestamp",
  updated_at: "timestamp",
} as const;

/** One page of the customer list with a capped total. */
export async function listCustomers(db: Database, ctx: RequestContext, q: CustomerListQuery): Promise<CustomerPage> {
  const sort = q.sort ?? "name";
  const limit = q.limit ?? 50;
  const filters: repo.ListFilters = {
    status: q.status,
    group: q.group,
    owner: q.owner,
    tag: q.tag,
    cityKey: q.city ? foldText(q.city) : undefined,
    postalCode: q.postalCode?.replace(/\*$/, ""),
    postalCodePrefix: q.postalCode?.endsWith("*"),
    blocked: q.blocked,
    visibleTo: ctx.visibility ?? undefined,
  };
  const after = q.cursor ? decodeCursor(q.cursor, [CURSOR_SORT_FIELD[repo.sortColumn(sort)], "id"]) : null;
  const rows = await repo.listCustomers(db, filters, sort, limit + 1, after);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const col = repo.sortColumn(sort);
  let total: number | null = null;
  if (q.count !== false) {
    total = !after && !more ? page.length : await cachedTotal(db, filters);
  }
  return {
    items: page.map(presentListItem),
    nextCursor: more && last ? encodeCursor([last[col], Number(last.id)]) : null,
    total: total === null ? null : Math.min(total, TOTAL_CAP),
    totalExact: total !== null && total <= TOTAL_CAP,
  };
}

/** The customer's change history, newest first. */
export async function getHistory(
  db: Database,
  ctx: RequestContext,
  id: number,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: HistoryEntry[]; nextCursor: string | null }> {
  const exists = await repo.findCustomer(db.kysely, id);
  if (exists) assertVisible(ctx, { id, owner: exists.owner, region: exists.region });
  // The trail of a deleted customer stays readable, but not past the row-level rule.
  else if (ctx.visibility) throw notFound("Customer", id);
  const beforeId = cursor ? decodeCursor(cursor, ["id"])[0] : null;
  // Finance records are left out (not just emptied) for other roles; merges lose their counts.
  const rows = await listAuditByCustomer(db, id, limit + 1, beforeId, ctx.finance ? [] : FINANCE_ENTITIES);
  if (!exists && rows.length === 0) throw notFound("Customer", id);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const shown = page.map((r) => (ctx.finance ? r : { ...r, changes: changesWithoutFinance(r.changes) }));
  return {
    // An update that changed finance fields only did not happen, as far as this reader can tell.
    items: shown
      .filter((r) => r.action !== "update" || r.changes.length > 0)
      .map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        action: r.action,
        entityType: r.entityType as HistoryEntry["entityType"],
        entityId: r.entityId,
        changes: r.changes,
        requestId: r.requestId,
      })),
    nextCursor: more ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}

/**
 * Sets a block from another module's transaction (a level-3 dunning notice), audited like a
 * user's change, so the journal shows "Sperre gesetzt". An existing block is left as it is.
 * The caller runs inside customerWrite(), which refreshes the customer file.
 */
export async function setBlock(
  trx: Executor,
  ctx: RequestContext,
  id: number,
  type: "delivery" | "invoice" | "all",
  reason: string,
): Promise<boolean> {
  const before = await loadCustomer(trx, id);
  if (before?.block.type !== "none") return false;
  const at = nowIso();
  const ok = await repo.updateCustomer(trx, id, before.version, {
    block_type: type,
    block_reason: reason,
    block_set_by: ctx.actor,
    block_set_at: at,
    updated_at: at,
  });
  if (!ok) throw await stale(trx, id);
  const after = (await loadCustomer(trx, id))!;
  await audit(trx, ctx, at, {
    customerId: id,
    entityType: "customer",
    entityId: id,
    before,
    after,
    derived: CUSTOMER_DERIVED,
  });
  return true;
}
