import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ChildParams,
  DuplicateCheckResult,
  DuplicateProbe,
  IdParams,
  NotDuplicateRequest,
  SearchQuery,
  SearchResponse,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { errorResponses, WRITE_ERRORS } from "../../http/schemas.js";
import * as duplicates from "./duplicates.service.js";
import * as service from "./search.service.js";

const tags = ["Search"];

export const searchRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/search",
    {
      config: { access: "customers.read" },
      schema: {
        tags,
        summary: "Quick search over customers and contacts, ranked, with why each result matched",
        description:
          "Numbers (customer, debtor, former numbers of merged customers; whole or in part), names and contact " +
          "names (umlauts, ß, case and accents folded; prefixes, substrings, one or two letters wrong, Kölner " +
          "Phonetik), e-mail, phone numbers in any format, street, postal code, city, VAT ID and tags.",
        querystring: SearchQuery,
        response: { 200: SearchResponse, ...errorResponses() },
      },
    },
    async (req) => service.search(db, contextOf(req), req.query),
  );
  app.post(
    "/duplicates/check",
    {
      config: { access: "customers.read" },
      schema: {
        tags,
        summary: "Possible duplicates of customer data not saved yet (for a warning before saving)",
        description:
          "Candidates share the VAT ID, an e-mail address or a phone number, or have a name that looks or sounds " +
          "the same in the same postal code or city. Pairs marked “not a duplicate” are left out when " +
          "`excludeCustomerId` names the customer being edited.",
        body: DuplicateProbe,
        response: { 200: DuplicateCheckResult, ...errorResponses("validation_failed", "not_found") },
      },
    },
    async (req) => duplicates.checkDuplicates(db, contextOf(req), req.body),
  );

  app.get(
    "/customers/:id/duplicates",
    {
      config: { access: "customers.read" },
      schema: {
        tags,
        summary: "Possible duplicates of a stored customer, with score and reasons",
        params: IdParams,
        response: { 200: DuplicateCheckResult, ...errorResponses("not_found") },
      },
    },
    async (req) => duplicates.duplicatesOfCustomer(db, contextOf(req), req.params.id),
  );

  app.post(
    "/customers/:id/not-duplicates",
    {
      config: { access: "customers.update" },
      schema: {
        tags,
        summary: "Mark two customers as “not a duplicate”: the pair is never proposed again",
        params: IdParams,
        body: NotDuplicateRequest,
        response: { 204: { type: "null", description: "Marked" }, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      await duplicates.markNotDuplicate(db, contextOf(req), req.params.id, req.body.otherId);
      return reply.code(204).send();
    },
  );

  app.delete(
    "/customers/:id/not-duplicates/:childId",
    {
      config: { access: "customers.update" },
      schema: {
        tags,
        summary: "Withdraw a “not a duplicate” mark",
        params: ChildParams,
        response: { 204: { type: "null", description: "Withdrawn" }, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      await duplicates.unmarkNotDuplicate(db, contextOf(req), req.params.id, req.params.childId);
      return reply.code(204).send();
    },
  );
};
