import type { Product, ProductCreate, ProductQuery, ProductUpdate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { engineOf, flag, toFlag } from "../../db/dialect.js";
import { foldText } from "../../domain/fold.js";
import type { RequestContext } from "../../http/context.js";
import { notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { nowIso } from "../../lib/time.js";
import { bpToPercent, percentToBp } from "../../lib/units.js";
import { audit } from "../audit/audit.service.js";
import * as repo from "./products.repository.js";

export function presentProduct(r: repo.ProductRow): Product {
  return {
    id: Number(r.id),
    articleNumber: r.article_number,
    name: r.name,
    unit: r.unit,
    listPriceCents: Number(r.list_price_cents),
    vatRatePercent: bpToPercent(r.vat_rate_bp),
    productGroup: r.product_group,
    active: flag(r.active),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function getProduct(db: Database, id: number): Promise<Product> {
  const r = await repo.findProduct(db.kysely, id);
  if (!r) throw notFound("Product", id);
  return presentProduct(r);
}

export async function listProducts(
  db: Database,
  q: ProductQuery,
): Promise<{ items: Product[]; nextCursor: string | null }> {
  const limit = q.limit ?? 50;
  const after = q.cursor ? decodeCursor(q.cursor, ["text", "id"]) : null;
  const prefix = q.q?.trim();
  const rows = await repo.listProducts(
    db.kysely,
    {
      prefix: prefix ? { article: prefix, name: foldText(prefix) } : undefined,
      productGroup: q.productGroup,
      active: q.active,
    },
    limit + 1,
    after,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(presentProduct),
    nextCursor: rows.length > limit && last ? encodeCursor([last.name_key, Number(last.id)]) : null,
  };
}

/** An article number is unique (409 otherwise, from the database's constraint). */
export async function createProduct(db: Database, ctx: RequestContext, input: ProductCreate): Promise<Product> {
  return db.kysely.transaction().execute(async (trx) => {
    const at = nowIso();
    const name = input.name.trim();
    const row = await repo.insertProduct(trx, {
      article_number: input.articleNumber,
      name,
      name_key: foldText(name),
      unit: input.unit?.trim() || "Stk",
      list_price_cents: input.listPriceCents,
      vat_rate_bp: percentToBp(input.vatRatePercent ?? 19),
      product_group: input.productGroup?.trim() || null,
      active: toFlag(engineOf(trx), input.active ?? true),
      version: 1,
      created_at: at,
      updated_at: at,
    });
    const product = presentProduct(row);
    await audit(trx, ctx, at, {
      customerId: null,
      entityType: "product",
      entityId: product.id,
      before: null,
      after: product,
    });
    return product;
  });
}

export async function updateProduct(
  db: Database,
  ctx: RequestContext,
  id: number,
  version: number,
  patch: ProductUpdate,
): Promise<Product> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await repo.findProduct(trx, id);
    if (!row) throw notFound("Product", id);
    const before = presentProduct(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    const at = nowIso();
    const name = patch.name?.trim();
    const after = await repo.updateProduct(trx, id, version, {
      ...(patch.articleNumber !== undefined ? { article_number: patch.articleNumber } : {}),
      ...(name ? { name, name_key: foldText(name) } : {}),
      ...(patch.unit !== undefined ? { unit: patch.unit.trim() } : {}),
      ...(patch.listPriceCents !== undefined ? { list_price_cents: patch.listPriceCents } : {}),
      ...(patch.vatRatePercent !== undefined ? { vat_rate_bp: percentToBp(patch.vatRatePercent) } : {}),
      ...(patch.productGroup !== undefined ? { product_group: patch.productGroup?.trim() || null } : {}),
      ...(patch.active !== undefined ? { active: toFlag(engineOf(trx), patch.active) } : {}),
      updated_at: at,
    });
    if (!after) throw versionMismatch(before, row.version);
    const product = presentProduct(after);
    await audit(trx, ctx, at, { customerId: null, entityType: "product", entityId: id, before, after: product });
    return product;
  });
}

/** Products on documents cannot be deleted (409 from the foreign key): deactivate them instead. */
export async function deleteProduct(db: Database, ctx: RequestContext, id: number, version: number): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    const row = await repo.findProduct(trx, id);
    if (!row) throw notFound("Product", id);
    const before = presentProduct(row);
    if (!(await repo.deleteProduct(trx, id, version))) throw versionMismatch(before, row.version);
    await audit(trx, ctx, nowIso(), { customerId: null, entityType: "product", entityId: id, before, after: null });
  });
}
