import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ChildParams, ContactMergeRequest, CustomerMergeRequest, IdParams, MergeResult } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./merge.service.js";

const tags = ["Merge"];

export const mergeRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.post(
    "/customers/:id/merge",
    {
      config: { access: "customers.delete" },
      schema: {
        tags,
        summary: "Merge customers into this one (the survivor)",
        description:
          "In one transaction: per field the chosen customer's value wins (not chosen: the survivor's, or where " +
          "that is empty the first merged customer's — no value is lost by default); contacts, " +
          "addresses, channels, bank accounts, journal, follow-ups, documents, payments, tickets, consents and " +
          "everything else linked move to the survivor; the merged customers are deleted, their numbers stay " +
          "findable (search, and `GET /customers/{old id}` answers 308 to the survivor). `If-Match` is the " +
          "survivor's version, each merged customer carries the version the user saw.",
        params: IdParams,
        headers: IfMatchHeader,
        body: CustomerMergeRequest,
        response: { 200: MergeResult, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const result = await service.mergeCustomers(
        db,
        contextOf(req),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(result.version));
      return result;
    },
  );

  app.post(
    "/customers/:id/contacts/:childId/merge",
    {
      config: { access: "contacts.delete" },
      schema: {
        tags,
        summary: "Merge contacts of this customer into this contact (the survivor)",
        description:
          "Per field the chosen contact's value wins (not chosen: the survivor's, or where that is empty the first merged contact's); everything naming a merged contact (journal, follow-ups, " +
          "documents, tickets, consents, campaign members…) names the survivor; the merged contacts are deleted.",
        params: ChildParams,
        headers: IfMatchHeader,
        body: ContactMergeRequest,
        response: { 200: MergeResult, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const result = await service.mergeContacts(
        db,
        contextOf(req),
        req.params.id,
        req.params.childId,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(result.version));
      return result;
    },
  );
};
