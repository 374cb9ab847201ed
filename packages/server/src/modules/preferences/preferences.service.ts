import {
  type CustomerPreferences,
  type CustomerPreferencesUpdate,
  INVOICE_DELIVERIES_BY_EMAIL,
  WEEKDAYS,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { toJson } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { FieldErrors } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { nowIso } from "../../lib/time.js";
import { audit } from "../audit/audit.service.js";
import { customerWrite } from "../customer-file/customer-write.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { checkLeitwegId, normalizeLeitwegId } from "./leitweg-id.js";
import { defaultPreferences, presentPreferences } from "./preferences.presenter.js";
import * as repo from "./preferences.repository.js";

type Executor = Parameters<typeof repo.findPreferences>[0];

async function load(db: Executor, customerId: number): Promise<CustomerPreferences> {
  const row = await repo.findPreferences(db, customerId);
  return row ? presentPreferences(row) : defaultPreferences(customerId);
}

export async function getPreferences(db: Database, ctx: RequestContext, customerId: number) {
  await visibleCustomer(db.kysely, ctx, customerId);
  return load(db.kysely, customerId);
}

const LEITWEG_MESSAGES = {
  format: "expected Grobadressierung-Feinadressierung-Prüfziffer, e.g. 04011000-1234512345-06",
  state: "the first two digits name a state (01–16) or the Federation (99)",
  check_digits: "the check digits do not match (ISO 7064 MOD 97-10)",
} as const;

/** Checks what the schema cannot: time windows, the invoice address, the Leitweg-ID. */
function check(input: CustomerPreferencesUpdate): void {
  const errs = new FieldErrors();
  const windows = input.deliveryWindows ?? [];
  windows.forEach((w, i) => {
    if (w.from >= w.to) errs.add(`deliveryWindows/${i}/to`, "window_order", "must be after `from`");
  });
  const sorted = windows.map((w, i) => ({ ...w, i })).sort((a, b) => a.from.localeCompare(b.from));
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k]!.from < sorted[k - 1]!.to) {
      errs.add(`deliveryWindows/${sorted[k]!.i}`, "window_overlap", "overlaps another window");
    }
  }
  const delivery = input.invoiceDelivery ?? "paper";
  if (INVOICE_DELIVERIES_BY_EMAIL.includes(delivery) && !input.invoiceEmail) {
    errs.add("invoiceEmail", "required", `invoices sent as ${delivery} need an e-mail address`);
  }
  if (input.leitwegId) {
    const problem = checkLeitwegId(input.leitwegId);
    if (problem) errs.add("leitwegId", "invalid_leitweg_id", LEITWEG_MESSAGES[problem]);
  }
  errs.throwIfAny();
}

/**
 * Replaces a customer's preferences if the client read the current version (the defaults are
 * version 1). Audited; the customer file shows them, so its document is rebuilt in the same
 * transaction.
 */
export async function replacePreferences(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  version: number,
  input: CustomerPreferencesUpdate,
): Promise<CustomerPreferences> {
  return customerWrite(db, async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const row = await repo.findPreferences(trx, customerId);
    const before = row ? presentPreferences(row) : defaultPreferences(customerId);
    if (before.version !== version) throw versionMismatch(before, before.version);
    check(input);
    const at = nowIso();
    const days = new Set(input.deliveryDays ?? []);
    const values: repo.PreferencesValues = {
      delivery_days: toJson(WEEKDAYS.filter((d) => days.has(d))),
      delivery_windows: toJson([...(input.deliveryWindows ?? [])].sort((a, b) => a.from.localeCompare(b.from))),
      preferred_channel: input.preferredChannel ?? null,
      correspondence_language: input.correspondenceLanguage ?? null,
      invoice_delivery: input.invoiceDelivery ?? "paper",
      invoice_email: input.invoiceEmail?.trim().toLowerCase() || null,
      leitweg_id: input.leitwegId ? normalizeLeitwegId(input.leitwegId) : null,
      shipping_instructions: input.shippingInstructions?.trim() || null,
      service_requirements: toJson(
        (input.serviceRequirements ?? []).map((s) => ({ category: s.category, text: s.text.trim() })),
      ),
      updated_at: at,
      updated_by: ctx.actor,
    };
    const ok = row
      ? await repo.updatePreferences(trx, customerId, version, values)
      : await repo.insertPreferences(trx, customerId, values);
    if (!ok) {
      const now = await load(trx, customerId);
      throw versionMismatch(now, now.version);
    }
    const after = await load(trx, customerId);
    await audit(trx, ctx, at, {
      customerId,
      entityType: "customer_preferences",
      entityId: customerId,
      before: before as unknown as Record<string, unknown>,
      after: after as unknown as Record<string, unknown>,
      derived: ["updatedBy"],
    });
    return after;
  });
}
