import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CreditCheck, CreditCheckRequest, CreditSettings, CreditSettingsUpdate, IdParams } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./credit.service.js";

const tags = ["Credit"];

export const creditRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/customers/:id/credit",
    {
      config: { access: "finance.read" },
      schema: {
        tags,
        summary: "Credit limit, default payment terms and dunning exclusion of a customer",
        params: IdParams,
        response: { 200: CreditSettings, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const r = await service.getCreditSettings(db, contextOf(req), req.params.id);
      reply.header("etag", etag(r.version));
      return r.settings;
    },
  );

  app.patch(
    "/customers/:id/credit",
    {
      config: { access: "finance.update" },
      schema: {
        tags,
        summary: "Change credit limit, default payment terms or dunning exclusion (limit changes go to the journal)",
        params: IdParams,
        headers: IfMatchHeader,
        body: CreditSettingsUpdate,
        response: { 200: CreditSettings, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const r = await service.updateCreditSettings(
        db,
        contextOf(req),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(r.version));
      return r.settings;
    },
  );

  app.post(
    "/customers/:id/credit-check",
    {
      config: { access: "documents.create" },
      schema: {
        tags,
        summary: "Credit check for an amount: ok, warning (≥ 90 % of the limit) or blocked",
        description:
          "Exposure = open items + open orders not yet invoiced + the amount, against the credit limit; a delivery block blocks. Allowed to whoever may create orders.",
        params: IdParams,
        body: CreditCheckRequest,
        response: { 200: CreditCheck, ...errorResponses("not_found") },
      },
    },
    async (req) => service.runCreditCheck(db, contextOf(req), req.params.id, req.body.amountCents),
  );
};
