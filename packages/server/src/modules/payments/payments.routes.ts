import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@fastify/type-provider-typebox";
import {
  ChildParams,
  IdParams,
  OpenItems,
  OpenItemsQuery,
  Page,
  PageQuery,
  Payment,
  PaymentCreate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { errorResponses, WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./payments.service.js";

const tags = ["Payments and open items"];
const PaymentQuery = Type.Object(PageQuery, { additionalProperties: false });

export const paymentRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/customers/:id/payments",
    {
      config: { access: "finance.read" },
      schema: {
        tags,
        summary: "A customer's payments with their allocations, newest first",
        params: IdParams,
        querystring: PaymentQuery,
        response: { 200: Page(Payment), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listPayments(db, contextOf(req), req.params.id, req.query),
  );

  app.post(
    "/customers/:id/payments",
    {
      config: { access: "finance.create" },
      schema: {
        tags,
        summary: "Record a payment and apply it to invoices",
        description:
          "With `allocations` the payment goes to those invoices (each at most what is open); without, to the open invoices oldest first. A payment within a cash-discount period that settles the whole invoice books the discount. What is left over is kept as credit.",
        params: IdParams,
        body: PaymentCreate,
        response: { 201: Payment, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const p = await service.createPayment(db, contextOf(req), req.params.id, req.body);
      return reply.code(201).header("location", `/api/v1/customers/${req.params.id}/payments/${p.id}`).send(p);
    },
  );

  app.get(
    "/customers/:id/payments/:childId",
    {
      config: { access: "finance.read" },
      schema: {
        tags,
        summary: "Get a payment",
        params: ChildParams,
        response: { 200: Payment, ...errorResponses("not_found") },
      },
    },
    async (req) => service.getPayment(db, contextOf(req), req.params.id, req.params.childId),
  );

  app.get(
    "/customers/:id/open-items",
    {
      config: { access: "finance.read" },
      schema: {
        tags,
        summary: "Open items with days overdue and ageing (not due, 1–30, 31–60, 61–90, over 90 days)",
        params: IdParams,
        querystring: OpenItemsQuery,
        response: { 200: OpenItems, ...errorResponses("not_found") },
      },
    },
    async (req) => service.openItems(db, contextOf(req), req.params.id, req.query.onDate),
  );
};
