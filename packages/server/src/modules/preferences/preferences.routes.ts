import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CustomerPreferences, CustomerPreferencesUpdate, IdParams } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./preferences.service.js";

const tags = ["Preferences"];

export const preferenceRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/customers/:id/preferences",
    {
      config: { access: "preferences.read" },
      schema: {
        tags,
        summary: "A customer's preferences and special wishes (the defaults, version 1, until someone sets them)",
        params: IdParams,
        response: { 200: CustomerPreferences, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const p = await service.getPreferences(db, contextOf(req), req.params.id);
      reply.header("etag", etag(p.version));
      return p;
    },
  );

  app.put(
    "/customers/:id/preferences",
    {
      config: { access: "preferences.update" },
      schema: {
        tags,
        summary: "Replace a customer's preferences (fields left out return to their defaults)",
        description:
          "Invoices as pdf_email, xrechnung or zugferd need `invoiceEmail`; a Leitweg-ID is checked for its format " +
          "and check digits. Audited; shown in the customer file.",
        params: IdParams,
        headers: IfMatchHeader,
        body: CustomerPreferencesUpdate,
        response: { 200: CustomerPreferences, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const p = await service.replacePreferences(
        db,
        contextOf(req),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(p.version));
      return p;
    },
  );
};
