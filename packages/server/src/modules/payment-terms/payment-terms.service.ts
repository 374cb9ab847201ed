import type { PaymentTerms, PaymentTermsCreate, PaymentTermsUpdate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { engineOf, flag, toFlag } from "../../db/dialect.js";
import { checkPaymentTerms, paymentTermsText, type PaymentTerms as Terms } from "../../domain/finance/payment-terms.js";
import type { RequestContext } from "../../http/context.js";
import { FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { nowIso } from "../../lib/time.js";
import { bpToPercent, percentToBp } from "../../lib/units.js";
import { audit } from "../audit/audit.service.js";
import * as repo from "./payment-terms.repository.js";

type Executor = Parameters<typeof repo.findTerms>[0];

/** The terms as the finance arithmetic takes them. */
export function termsOf(r: repo.PaymentTermsRow): Terms {
  const discounts = [];
  if (r.discount1_days !== null && r.discount1_bp !== null)
    discounts.push({ days: r.discount1_days, percentBp: r.discount1_bp });
  if (r.discount2_days !== null && r.discount2_bp !== null)
    discounts.push({ days: r.discount2_days, percentBp: r.discount2_bp });
  return { netDays: r.net_days, discounts };
}

export function presentTerms(r: repo.PaymentTermsRow): PaymentTerms {
  const t = termsOf(r);
  return {
    id: Number(r.id),
    code: r.code,
    netDays: t.netDays,
    discounts: t.discounts.map((d) => ({ days: d.days, percent: bpToPercent(d.percentBp) })),
    text: paymentTermsText(t, "de"),
    textEn: paymentTermsText(t, "en"),
    active: flag(r.active),
    version: r.version,
  };
}

/** Checks the terms; problems name the request's fields. */
function checked(input: { netDays: number; discounts?: { days: number; percent: number }[] }): Terms {
  const terms: Terms = {
    netDays: input.netDays,
    discounts: (input.discounts ?? []).map((d) => ({ days: d.days, percentBp: percentToBp(d.percent) })),
  };
  const errs = new FieldErrors();
  for (const p of checkPaymentTerms(terms)) errs.add(p.field.replace(/percentBp$/, "percent"), p.code, p.message);
  errs.throwIfAny();
  return terms;
}

const columns = (t: Terms) => ({
  net_days: t.netDays,
  discount1_days: t.discounts[0]?.days ?? null,
  discount1_bp: t.discounts[0]?.percentBp ?? null,
  discount2_days: t.discounts[1]?.days ?? null,
  discount2_bp: t.discounts[1]?.percentBp ?? null,
});

export async function listPaymentTerms(db: Database): Promise<PaymentTerms[]> {
  return (await repo.listTerms(db.kysely)).map(presentTerms);
}

export async function findPaymentTerms(db: Executor, id: number): Promise<repo.PaymentTermsRow> {
  const r = await repo.findTerms(db, id);
  if (!r) throw notFound("Payment terms", id);
  return r;
}

export async function getPaymentTerms(db: Database, id: number): Promise<PaymentTerms> {
  return presentTerms(await findPaymentTerms(db.kysely, id));
}

export async function createPaymentTerms(
  db: Database,
  ctx: RequestContext,
  input: PaymentTermsCreate,
): Promise<PaymentTerms> {
  const terms = checked(input);
  return db.kysely.transaction().execute(async (trx) => {
    const at = nowIso();
    const row = await repo.insertTerms(trx, {
      code: input.code,
      ...columns(terms),
      active: toFlag(engineOf(trx), input.active ?? true),
      version: 1,
      created_at: at,
      updated_at: at,
    });
    const after = presentTerms(row);
    await audit(trx, ctx, at, {
      customerId: null,
      entityType: "payment_terms",
      entityId: after.id,
      before: null,
      after,
    });
    return after;
  });
}

/** Invoices keep the terms they were issued with; a change applies to new invoices. */
export async function updatePaymentTerms(
  db: Database,
  ctx: RequestContext,
  id: number,
  version: number,
  patch: PaymentTermsUpdate,
): Promise<PaymentTerms> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await findPaymentTerms(trx, id);
    const before = presentTerms(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    const current = termsOf(row);
    const terms = checked({
      netDays: patch.netDays ?? current.netDays,
      discounts: patch.discounts ?? current.discounts.map((d) => ({ days: d.days, percent: bpToPercent(d.percentBp) })),
    });
    const at = nowIso();
    const updated = await repo.updateTerms(trx, id, version, {
      ...(patch.code !== undefined ? { code: patch.code } : {}),
      ...columns(terms),
      ...(patch.active !== undefined ? { active: toFlag(engineOf(trx), patch.active) } : {}),
      updated_at: at,
    });
    if (!updated) throw versionMismatch(before, row.version);
    const after = presentTerms(updated);
    await audit(trx, ctx, at, { customerId: null, entityType: "payment_terms", entityId: id, before, after });
    return after;
  });
}
