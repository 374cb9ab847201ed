import type { CustomerCreate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { toJson } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { FieldErrors } from "../../http/errors.js";
import { nowIso } from "../../lib/time.js";
import { packChanges } from "../audit/audit.repository.js";
import { diff } from "../audit/audit.service.js";
import { customerWrite, noteCustomerChanged } from "../customer-file/customer-write.js";
import { addressSpec } from "../customer-parts/addresses.js";
import { bankAccountSpec } from "../customer-parts/bank-accounts.js";
import { channelSpec } from "../customer-parts/channels.js";
import { contactSpec } from "../customer-parts/contacts.js";
import type { PartSpec } from "../customer-parts/part.js";
import { toColumns } from "../customer-parts/part.repository.js";
import { formatNumber, nextNumber } from "../number-ranges/number-ranges.service.js";
import * as bulk from "./customers.bulk-repository.js";
import { CUSTOMER_DERIVED, presentCustomer } from "./customers.presenter.js";
import { customerNumberTaken } from "./customers.repository.js";
import { customerColumns, newCustomerValues, normaliseTags, partContext } from "./customers.service.js";

// biome-ignore lint/suspicious/noExplicitAny: specs of different types in one list
const PARTS: [PartSpec<any, any, any>, keyof CustomerCreate][] = [
  [addressSpec, "addresses"],
  [channelSpec, "channels"],
  [contactSpec, "contacts"],
  [bankAccountSpec, "bankAccounts"],
];

/**
 * Creates many customers with their parts in one transaction: all or nothing. Input is
 * checked exactly as for a single create (field errors are named `customers/<i>/<field>`);
 * rows are written with multi-row inserts. Each customer gets one audit record of its
 * creation (its parts are listed in it), which keeps large imports fast.
 */
export async function createCustomersInBulk(
  db: Database,
  ctx: RequestContext,
  inputs: CustomerCreate[],
): Promise<number> {
  if (inputs.length === 0) return 0;
  return customerWrite(db, async (trx) => {
    const at = nowIso();
    const errs = new FieldErrors();
    const needNumbers = inputs.filter((c) => !c.customerNumber?.trim()).length;
    const numbers: string[] = [];
    if (needNumbers > 0) {
      const { first, prefix, width } = await bulk.drawRange(trx, "customer", needNumbers);
      for (let i = 0; i < needNumbers; i++) numbers.push(formatNumber(prefix, first + i, width));
      const taken = await bulk.takenNumbers(trx, numbers);
      for (let i = 0; i < numbers.length; i++) {
        if (taken.has(numbers[i]!)) numbers[i] = await nextNumber(trx, "customer", (n) => customerNumberTaken(trx, n));
      }
    }
    let drawn = 0;
    const customers = inputs.map((input, i) => {
      const prefixErrs = new FieldErrors();
      const columns = customerColumns(input, prefixErrs, ctx, at);
      for (const e of prefixErrs.errors) errs.add(`customers/${i}/${e.field}`, e.code, e.message);
      const number = input.customerNumber?.trim() || numbers[drawn++]!;
      return newCustomerValues(input, columns, number, at);
    });
    const partRows: Record<string, Record<string, unknown>[]> = {};
    inputs.forEach((input, i) => {
      const pctx = partContext(customers[i]!.language);
      for (const [spec, field] of PARTS) {
        const items = (input[field] as Record<string, unknown>[] | undefined) ?? [];
        const seen = new Set<string>();
        partRows[spec.table] ??= [];
        const rows = partRows[spec.table]!;
        items.forEach((item, j) => {
          const cols = spec.toInsert(item, errs, `customers/${i}/${field}/${j}/`, pctx);
          const ex = spec.exclusive;
          if (ex) {
            // First of its scope gets the flag unless another asks for it explicitly.
            const scope = JSON.stringify(ex.scope.map((c) => cols[c]));
            const asked = items.some(
              (o) => o[ex.field] === true && JSON.stringify(ex.scope.map((c) => (o as never)[c])) === scope,
            );
            cols[ex.column] = asked ? item[ex.field] === true && !seen.has(scope) : ex.autoFirst && !seen.has(scope);
            if (cols[ex.column]) seen.add(scope);
          }
          rows.push({ ...cols, __customer: i, version: 1, created_at: at, updated_at: at });
        });
      }
    });
    errs.throwIfAny();
    // The list filters' copies of the default billing address, set now rather than by a
    // second write when the transaction commits.
    for (const a of partRows.addresses ?? []) {
      if (a.type === "billing" && a.is_default === true) {
        const c = customers[a.__customer as number]!;
        c.billing_city_key = a.city_key as string;
        c.billing_postal_code = a.postal_code as string;
      }
    }
    const ids = await bulk.insertCustomersReturningIds(trx, customers);
    const idOf = (i: number) => ids.get(customers[i]!.customer_number)!;
    const tags = inputs.flatMap((input, i) =>
      normaliseTags(input.tags ?? []).map((tag) => ({ customer_id: idOf(i), tag })),
    );
    await bulk.insertRows(trx, "customer_tags", tags);
    for (const [spec] of PARTS) {
      const rows = (partRows[spec.table] ?? []).map(({ __customer, ...cols }) =>
        toColumns(db.engine, { ...cols, customer_id: idOf(__customer as number) }),
      );
      await bulk.insertRows(trx, spec.table, rows);
    }
    const audits = customers.map((values, i) => {
      const id = idOf(i);
      const snapshot = presentCustomer({ id, ...values }, normaliseTags(inputs[i]!.tags ?? []));
      const changes = diff(null, snapshot, CUSTOMER_DERIVED);
      for (const [, field] of PARTS) {
        const n = (inputs[i]![field] as unknown[] | undefined)?.length ?? 0;
        if (n > 0) changes.push({ field, old: null, new: `${n} created` });
      }
      return {
        at,
        actor: ctx.actor,
        customer_id: id,
        entity_type: "customer",
        entity_id: id,
        action: "create",
        changes: toJson(packChanges("create", changes)),
        request_id: ctx.requestId,
      };
    });
    await bulk.insertRows(trx, "audit_log", audits);
    for (const a of audits) noteCustomerChanged(trx, a.customer_id);
    return customers.length;
  });
}
