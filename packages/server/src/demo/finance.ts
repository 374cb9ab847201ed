import type { Database } from "../db/database.js";
import { addDays } from "../domain/finance/calendar-date.js";
import type { RequestContext } from "../http/context.js";
import { clockOf } from "../lib/clock.js";
import { updateCreditSettings } from "../modules/credit/credit.service.js";
import { createDocument } from "../modules/documents/documents.service.js";
import { listPaymentTerms } from "../modules/payment-terms/payment-terms.service.js";
import { createPayment } from "../modules/payments/payments.service.js";
import { createProduct } from "../modules/products/products.service.js";
import { Random } from "./random.js";

const PRODUCTS: [string, string, string, number, number, string][] = [
  ["SCH-1001", "Schraubendreher-Set 6-tlg.", "Stk", 1999, 19, "Werkzeug"],
  ["BOH-2040", "Akku-Bohrschrauber 18 V", "Stk", 12900, 19, "Werkzeug"],
  ["HAN-0310", "Arbeitshandschuhe Gr. 10", "Paar", 349, 19, "Arbeitsschutz"],
  ["HEL-0500", "Schutzhelm weiß", "Stk", 1450, 19, "Arbeitsschutz"],
  ["KAB-1525", "Mantelleitung NYM-J 3x1,5", "m", 89, 19, "Elektro"],
  ["LED-0900", "LED-Panel 60x60 40 W", "Stk", 5990, 19, "Elektro"],
  ["KAF-0001", "Kaffeebohnen Crema", "kg", 1890, 7, "Verpflegung"],
  ["WAS-0015", "Mineralwasser 12x0,7 l", "Kiste", 699, 7, "Verpflegung"],
  ["SER-0100", "Montage vor Ort", "h", 6500, 19, "Dienstleistung"],
  ["SER-0200", "Wartungsvertrag jährlich", "Stk", 48000, 19, "Dienstleistung"],
];

/**
 * Demo finance data through the real services (same checks, journal entries and figures as
 * the API): products, and for the first customers two years of invoices — most paid, some
 * with Skonto, some late, a few still open or overdue — plus quotes, orders and credit limits.
 */
export async function seedFinanceDemo(
  db: Database,
  ctx: RequestContext,
  customerIds: number[],
  seed: number | string = 1,
): Promise<{ documents: number; payments: number }> {
  const rng = new Random(`finance-${seed}`);
  const products: number[] = [];
  for (const [articleNumber, name, unit, listPriceCents, vatRatePercent, productGroup] of PRODUCTS) {
    // A second demo seed reuses the products of the first.
    const existing = await db.kysely
      .selectFrom("products")
      .select("id")
      .where("article_number", "=", articleNumber)
      .executeTakeFirst();
    products.push(
      existing
        ? Number(existing.id)
        : (await createProduct(db, ctx, { articleNumber, name, unit, listPriceCents, vatRatePercent, productGroup }))
            .id,
    );
  }
  const terms = await listPaymentTerms(db);
  const termIds = terms.filter((t) => t.code !== "sofort").map((t) => t.id);
  const today = clockOf(ctx).today();
  // A customer generated with an invoice block gets no invoices (the service refuses them, as it
  // would a clerk's); it still gets a quote and perhaps an order.
  const blocked = new Set(
    customerIds.length === 0
      ? []
      : (
          await db.kysely
            .selectFrom("customers")
            .select("id")
            .where("id", "in", customerIds)
            .where("block_type", "in", ["invoice", "all"])
            .execute()
        ).map((r) => Number(r.id)),
  );
  let documents = 0;
  let payments = 0;
  for (const customerId of customerIds) {
    const paymentTermsId = rng.pick(termIds);
    await updateCreditSettings(db, ctx, customerId, 1, {
      creditLimitCents: rng.pick([null, 500_000, 1_000_000, 2_500_000]),
      paymentTermsId,
    });
    const lines = () =>
      Array.from({ length: rng.int(1, 4) }, () => ({ productId: rng.pick(products), quantity: rng.int(1, 12) }));
    const invoiceBlocked = blocked.has(customerId);
    const invoices = rng.int(2, 8);
    for (let i = 0; i < invoices && !invoiceBlocked; i++) {
      const documentDate = addDays(today, -rng.int(5, 720));
      const invoice = await createDocument(db, ctx, customerId, {
        type: "invoice",
        documentDate,
        paymentTermsId,
        lines: lines(),
      });
      documents++;
      const roll = rng.next();
      if (roll < 0.15 || documentDate > addDays(today, -20)) continue; // open, perhaps overdue
      const discount = invoice.terms?.discounts[0];
      const late = roll > 0.85;
      const paymentDate =
        discount && !late
          ? discount.until
          : addDays(invoice.terms?.dueDate ?? documentDate, late ? rng.int(3, 40) : -rng.int(0, 5));
      if (paymentDate > today) continue;
      const amountCents = discount && !late ? invoice.grossCents - discount.amountCents : invoice.grossCents;
      await createPayment(db, ctx, customerId, {
        amountCents,
        paymentDate,
        reference: invoice.number,
        allocations: [{ documentId: invoice.id, amountCents }],
      });
      payments++;
    }
    if (rng.chance(0.5)) {
      await createDocument(db, ctx, customerId, { type: "quote", validUntil: addDays(today, 30), lines: lines() });
      documents++;
    }
    if (rng.chance(0.3)) {
      // The credit check may refuse it, as it would for a clerk.
      const order = await createDocument(db, ctx, customerId, { type: "order", lines: lines() }).catch(() => null);
      if (order) documents++;
    }
  }
  return { documents, payments };
}
