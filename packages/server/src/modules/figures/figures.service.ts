import type { ProductHistoryItem, RevenueReport } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import type { RequestContext } from "../../http/context.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { milliToQuantity } from "../../lib/units.js";
import { visibleCustomer } from "../customers/customers.service.js";
import * as repo from "./figures.repository.js";

export async function productHistory(
  db: Database,
  ctx: RequestContext,
  customerId: number,
  q: { limit?: number; cursor?: string },
): Promise<{ items: ProductHistoryItem[]; nextCursor: string | null }> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const limit = q.limit ?? 100;
  const after = q.cursor ? decodeCursor(q.cursor, ["integer", "id"]) : null;
  const rows = await repo.productHistory(db, customerId, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      productId: Number(r.product_id),
      articleNumber: r.article_number,
      name: r.name,
      unit: r.unit,
      quantity: milliToQuantity(r.quantity_milli),
      revenueCents: Number(r.revenue_cents),
      invoices: Number(r.invoices),
      firstDate: r.first_date,
      lastDate: r.last_date,
      lastPriceCents: Number(r.last_price_cents),
    })),
    nextCursor:
      rows.length > limit && last ? encodeCursor([Number(last.revenue_cents), Number(last.product_id)]) : null,
  };
}

export async function revenue(db: Database, ctx: RequestContext, customerId: number): Promise<RevenueReport> {
  await visibleCustomer(db.kysely, ctx, customerId);
  const months = (await repo.revenueByMonth(db, customerId)).map((r) => ({
    month: r.month,
    netCents: Number(r.net_cents),
    invoices: Number(r.invoices),
  }));
  const years = new Map<number, { year: number; netCents: number; invoices: number }>();
  for (const m of months) {
    const y = Number(m.month.slice(0, 4));
    const acc = years.get(y) ?? { year: y, netCents: 0, invoices: 0 };
    acc.netCents += m.netCents;
    acc.invoices += m.invoices;
    years.set(y, acc);
  }
  return { months, years: [...years.values()] };
}
