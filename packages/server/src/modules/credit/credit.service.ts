import type { CreditCheck, CreditSettings, CreditSettingsUpdate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { engineOf, flag, toFlag } from "../../db/dialect.js";
import { type CustomerBlock, creditCheck } from "../../domain/finance/credit-check.js";
import { formatMoney } from "../../domain/finance/money.js";
import type { RequestContext } from "../../http/context.js";
import { FieldErrors } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { nowIso } from "../../lib/time.js";
import { audit } from "../audit/audit.service.js";
import { markHasFinance } from "../customer-file/customer-file.repository.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { exposureParts } from "../documents/documents.repository.js";
import { CREDIT_LIMIT_SUBJECT } from "../journal/journal.finance.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import { findTerms } from "../payment-terms/payment-terms.repository.js";
import * as repo from "./credit.repository.js";

type Executor = Parameters<typeof repo.findFinance>[0];

export interface VersionedCreditSettings {
  settings: CreditSettings;
  version: number;
}

function present(r: repo.CustomerFinanceRow | undefined): VersionedCreditSettings {
  return {
    settings: {
      creditLimitCents: r?.credit_limit_cents === null || r === undefined ? null : Number(r.credit_limit_cents),
      paymentTermsId: r?.payment_terms_id === null || r === undefined ? null : Number(r.payment_terms_id),
      dunningExcluded: r ? flag(r.dunning_excluded) : false,
    },
    version: r?.version ?? 1,
  };
}

export async function getCreditSettings(
  db: Database,
  ctx: RequestContext,
  customerId: number,
): Promise<VersionedCreditSettings> {
  await visibleCustomer(db.kysely, ctx, customerId);
  return present(await repo.findFinance(db.kysely, customerId));
}

const limitText = (cents: number | null) => (cents === null ? "kein Limit" : formatMoney(cents));

/** Credit limit, default payment terms and dunning exclusion; a limit change is noted in the journal. */
export async function updateCreditSettings(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  version: number,
  patch: CreditSettingsUpdate,
): Promise<VersionedCreditSettings> {
  return db.kysely.transaction().execute(async (trx) => {
    await visibleCustomer(trx, ctx, customerId);
    const current = present(await repo.findFinance(trx, customerId));
    if (current.version !== version) throw versionMismatch(current.settings, current.version);
    const errs = new FieldErrors();
    if (patch.paymentTermsId) {
      if (!(await findTerms(trx, patch.paymentTermsId))) {
        errs.add("paymentTermsId", "unknown_payment_terms", `there are no payment terms ${patch.paymentTermsId}`);
      }
    }
    errs.throwIfAny();
    const next = { ...current.settings, ...patch };
    const at = nowIso();
    const ok = await repo.saveFinance(trx, customerId, version, {
      credit_limit_cents: next.creditLimitCents,
      payment_terms_id: next.paymentTermsId,
      dunning_excluded: toFlag(engineOf(trx), next.dunningExcluded),
      updated_at: at,
    });
    if (!ok) throw versionMismatch(current.settings, current.version);
    await markHasFinance(trx, customerId);
    if (next.creditLimitCents !== current.settings.creditLimitCents) {
      await addJournalEntry(trx, ctx, {
        customerId,
        kind: "system",
        subject: CREDIT_LIMIT_SUBJECT,
        body: `${limitText(current.settings.creditLimitCents)} → ${limitText(next.creditLimitCents)}`,
        link: { type: "customer", id: customerId },
      });
    }
    await audit(trx, ctx, at, {
      customerId,
      entityType: "credit_settings",
      entityId: customerId,
      before: current.settings as unknown as Record<string, unknown>,
      after: next as unknown as Record<string, unknown>,
    });
    return { settings: next, version: version + 1 };
  });
}

/** Exposure (open items + open orders not yet invoiced + amount) against the limit, and the blocks. */
export async function checkCredit(db: Executor, customerId: number, amountCents: number): Promise<CreditCheck> {
  const [finance, parts, customer] = await Promise.all([
    repo.findFinance(db, customerId),
    exposureParts(db, customerId),
    db.selectFrom("customers").select("block_type").where("id", "=", customerId).executeTakeFirstOrThrow(),
  ]);
  const limit =
    finance?.credit_limit_cents === null || finance === undefined ? null : Number(finance.credit_limit_cents);
  const r = creditCheck({
    limitCents: limit,
    openItemsCents: parts.openItems,
    openOrdersCents: parts.openOrders,
    amountCents,
    block: customer.block_type as CustomerBlock,
  });
  return {
    result: r.result,
    reasons: r.reasons,
    exposureCents: r.exposureCents,
    openItemsCents: parts.openItems,
    openOrdersCents: parts.openOrders,
    amountCents,
    creditLimitCents: limit,
    availableCents: r.availableCents,
  };
}

export async function runCreditCheck(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  amountCents: number,
): Promise<CreditCheck> {
  await visibleCustomer(db.kysely, ctx, customerId);
  return creditCheckFor(ctx, await checkCredit(db.kysely, customerId, amountCents));
}

/**
 * The check as the caller may see it: whoever may create orders learns the result and its
 * reasons; the figures (open items, limit, what is left) are finance data, for finance only.
 */
export function creditCheckFor(ctx: RequestContext, check: CreditCheck): CreditCheck {
  if (ctx.finance !== false) return check;
  return { result: check.result, reasons: check.reasons, amountCents: check.amountCents };
}
