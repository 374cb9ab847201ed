import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { IdParams, Page, ProductHistoryItem, ProductHistoryQuery, RevenueReport } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { errorResponses } from "../../http/schemas.js";
import * as service from "./figures.service.js";

const tags = ["Sales documents"];

export const figureRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/customers/:id/product-history",
    {
      config: { access: "documents.read" },
      schema: {
        tags,
        summary: "What the customer buys: per product quantity, revenue, first and last date, last price",
        description: "Best-selling first (net revenue), 100 per page unless `limit` says otherwise.",
        params: IdParams,
        querystring: ProductHistoryQuery,
        response: { 200: Page(ProductHistoryItem), ...errorResponses("not_found") },
      },
    },
    async (req) => service.productHistory(db, contextOf(req), req.params.id, req.query),
  );

  app.get(
    "/customers/:id/revenue",
    {
      config: { access: "documents.read" },
      schema: {
        tags,
        summary: "Net revenue per month and year (invoices minus credit notes)",
        params: IdParams,
        response: { 200: RevenueReport, ...errorResponses("not_found") },
      },
    },
    async (req) => service.revenue(db, contextOf(req), req.params.id),
  );
};
