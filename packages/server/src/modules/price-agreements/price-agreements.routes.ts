import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  CustomerPriceAgreementCreate,
  CustomerPriceAgreementQuery,
  IdParams,
  Page,
  PriceAgreement,
  PriceAgreementCreate,
  PriceAgreementQuery,
  PriceAgreementUpdate,
  PriceQuery,
  ResolvedPrice,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import type { BusinessClock } from "../../lib/clock.js";
import * as service from "./price-agreements.service.js";

const tags = ["Price agreements"];
const PRECEDENCE =
  "The most specific agreement valid on the date applies: customer + product, then customer + product group, then customer group + product, then customer group + product group, else the list price; within a level the highest minimum quantity reached.";

export const priceAgreementRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: BusinessClock }> = async (
  app,
  { db, clock },
) => {
  app.get(
    "/price-agreements",
    {
      config: { access: "price_agreements.read" },
      schema: {
        tags,
        summary: "Price agreements, newest first: all, a customer's or a customer group's (`customerGroup=`)",
        querystring: PriceAgreementQuery,
        response: { 200: Page(PriceAgreement), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listAgreements(db, contextOf(req), req.query),
  );

  app.post(
    "/price-agreements",
    {
      config: { access: "price_agreements.create" },
      schema: {
        tags,
        summary: "Create a price agreement for a customer or a customer group",
        description: `${PRECEDENCE} Overlapping periods for the same customer (or group), target and minimum quantity: 409 \`price_agreement_overlap\`.`,
        body: PriceAgreementCreate,
        response: { 201: PriceAgreement, ...errorResponses(...WRITE_ERRORS, "price_agreement_overlap") },
      },
    },
    async (req, reply) => {
      const a = await service.createAgreement(db, contextOf(req), req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/price-agreements/${a.id}`)
        .header("etag", etag(a.version))
        .send(a);
    },
  );

  app.get(
    "/price-agreements/:id",
    {
      config: { access: "price_agreements.read" },
      schema: {
        tags,
        summary: "Get a price agreement",
        params: IdParams,
        response: { 200: PriceAgreement, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const a = await service.getAgreement(db, contextOf(req), req.params.id);
      reply.header("etag", etag(a.version));
      return a;
    },
  );

  app.patch(
    "/price-agreements/:id",
    {
      config: { access: "price_agreements.update" },
      schema: {
        tags,
        summary: "Change a price agreement's price, validity, minimum quantity or note",
        description: "Documents keep the prices they were written with.",
        params: IdParams,
        headers: IfMatchHeader,
        body: PriceAgreementUpdate,
        response: { 200: PriceAgreement, ...errorResponses(...VERSIONED_WRITE_ERRORS, "price_agreement_overlap") },
      },
    },
    async (req, reply) => {
      const a = await service.updateAgreement(
        db,
        contextOf(req),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(a.version));
      return a;
    },
  );

  app.delete(
    "/price-agreements/:id",
    {
      config: { access: "price_agreements.delete" },
      schema: {
        tags,
        summary: "Delete a price agreement no document line used (else 409: end it with validTo)",
        params: IdParams,
        headers: IfMatchHeader,
        response: {
          204: { type: "null", description: "Deleted" },
          ...errorResponses(...VERSIONED_WRITE_ERRORS, "reference_violation"),
        },
      },
    },
    async (req, reply) => {
      await service.deleteAgreement(db, contextOf(req), req.params.id, requireIfMatch(req.headers["if-match"]));
      return reply.code(204).send();
    },
  );

  app.get(
    "/customers/:id/price-agreements",
    {
      config: { access: "price_agreements.read" },
      schema: {
        tags,
        summary: "A customer's own price agreements, newest first (its group's: GET /price-agreements?customerGroup=)",
        params: IdParams,
        querystring: CustomerPriceAgreementQuery,
        response: { 200: Page(PriceAgreement), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listCustomerAgreements(db, contextOf(req), req.params.id, req.query),
  );

  app.post(
    "/customers/:id/price-agreements",
    {
      config: { access: "price_agreements.create" },
      schema: {
        tags,
        summary: "Create a price agreement for this customer (noted in its journal)",
        description: PRECEDENCE,
        params: IdParams,
        body: CustomerPriceAgreementCreate,
        response: { 201: PriceAgreement, ...errorResponses(...WRITE_ERRORS, "price_agreement_overlap") },
      },
    },
    async (req, reply) => {
      const a = await service.createAgreement(db, contextOf(req), req.body, req.params.id);
      return reply
        .code(201)
        .header("location", `/api/v1/price-agreements/${a.id}`)
        .header("etag", etag(a.version))
        .send(a);
    },
  );

  app.get(
    "/customers/:id/price",
    {
      config: { access: "price_agreements.read" },
      schema: {
        tags,
        summary: "The price of a product for this customer, quantity and date, and where it comes from",
        description: `What a new document line without a price would get. ${PRECEDENCE}`,
        params: IdParams,
        querystring: PriceQuery,
        response: { 200: ResolvedPrice, ...errorResponses("not_found") },
      },
    },
    async (req) => service.priceFor(db, contextOf(req), clock.now(), req.params.id, req.query),
  );
};
