import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { IdParams, ItemList, PaymentTerms, PaymentTermsCreate, PaymentTermsUpdate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./payment-terms.service.js";

const tags = ["Payment terms"];

export const paymentTermsRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/payment-terms",
    {
      config: { access: "payment_terms.read" },
      schema: {
        tags,
        summary: "Payment terms with their printed text (“14 Tage 2 % Skonto, 30 Tage netto”)",
        response: { 200: ItemList(PaymentTerms), ...errorResponses() },
      },
    },
    async () => ({ items: await service.listPaymentTerms(db) }),
  );

  app.post(
    "/payment-terms",
    {
      config: { access: "payment_terms.create" },
      schema: {
        tags,
        summary: "Create payment terms: net days and up to two cash-discount stages",
        body: PaymentTermsCreate,
        response: { 201: PaymentTerms, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const t = await service.createPaymentTerms(db, contextOf(req), req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/payment-terms/${t.id}`)
        .header("etag", etag(t.version))
        .send(t);
    },
  );

  app.get(
    "/payment-terms/:id",
    {
      config: { access: "payment_terms.read" },
      schema: {
        tags,
        summary: "Get payment terms",
        params: IdParams,
        response: { 200: PaymentTerms, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const t = await service.getPaymentTerms(db, req.params.id);
      reply.header("etag", etag(t.version));
      return t;
    },
  );

  app.patch(
    "/payment-terms/:id",
    {
      config: { access: "payment_terms.update" },
      schema: {
        tags,
        summary: "Change payment terms (issued invoices keep theirs)",
        params: IdParams,
        headers: IfMatchHeader,
        body: PaymentTermsUpdate,
        response: { 200: PaymentTerms, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const t = await service.updatePaymentTerms(
        db,
        contextOf(req),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(t.version));
      return t;
    },
  );
};
