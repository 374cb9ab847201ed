import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  AdvertisingObjection,
  AdvertisingObjectionCreate,
  AdvertisingObjectionLift,
  AdvertisingObjectionQuery,
  ChildParams,
  Consent,
  ConsentCreate,
  ConsentHistoryQuery,
  CustomerConsents,
  CustomerConsentsQuery,
  IdParams,
  Page,
  Unsubscribe,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import type { BusinessClock } from "../../lib/clock.js";
import * as service from "./consents.service.js";

const tags = ["Consents"];

export const consentRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: BusinessClock }> = async (
  app,
  { db, clock },
) => {
  app.get(
    "/customers/:id/consents",
    {
      config: { access: "consents.read" },
      schema: {
        tags,
        summary: "Consents in force per channel, of the customer itself and of each contact, with objections",
        params: IdParams,
        querystring: CustomerConsentsQuery,
        response: { 200: CustomerConsents, ...errorResponses("not_found") },
      },
    },
    async (req) => service.customerConsents(db, contextOf(req), req.params.id, req.query.contactId),
  );

  app.get(
    "/customers/:id/consents/history",
    {
      config: { access: "consents.read" },
      schema: {
        tags,
        summary: "Every consent and withdrawal recorded, newest first",
        params: IdParams,
        querystring: ConsentHistoryQuery,
        response: { 200: Page(Consent), ...errorResponses("not_found") },
      },
    },
    async (req) => service.consentHistory(db, contextOf(req), req.params.id, req.query),
  );

  app.post(
    "/customers/:id/consents",
    {
      config: { access: "consents.create" },
      schema: {
        tags,
        summary: "Record a consent or its withdrawal (noted in the journal)",
        description:
          "Records are never changed: the newest one (by `occurredAt`) per person and channel is in force. " +
          "An e-mail consent from a form needs the double opt-in evidence.",
        params: IdParams,
        body: ConsentCreate,
        response: { 201: Consent, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const c = await service.recordConsent(db, contextOf(req), clock.now(), req.params.id, req.body);
      return reply.code(201).send(c);
    },
  );

  app.post(
    "/customers/:id/consents/unsubscribe",
    {
      config: { access: "consents.create" },
      schema: {
        tags,
        summary: "Unsubscribe: withdraws the consent for a channel at once",
        params: IdParams,
        body: Unsubscribe,
        response: { 201: Consent, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const c = await service.unsubscribe(db, contextOf(req), clock.now(), req.params.id, req.body);
      return reply.code(201).send(c);
    },
  );

  app.get(
    "/customers/:id/advertising-objections",
    {
      config: { access: "consents.read" },
      schema: {
        tags,
        summary: "Advertising objections of the customer and its contacts, active and lifted, newest first",
        params: IdParams,
        querystring: AdvertisingObjectionQuery,
        response: { 200: Page(AdvertisingObjection), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listObjections(db, contextOf(req), req.params.id, req.query),
  );

  app.post(
    "/customers/:id/advertising-objections",
    {
      config: { access: "consents.create" },
      schema: {
        tags,
        summary: "Record an advertising objection (Werbewiderspruch, Art. 21 GDPR)",
        description:
          "Blocks all marketing to the customer and its contacts (or to the contact) until lifted. " +
          "A second active objection for the same person is a 409.",
        params: IdParams,
        body: AdvertisingObjectionCreate,
        response: { 201: AdvertisingObjection, ...errorResponses(...WRITE_ERRORS, "conflict") },
      },
    },
    async (req, reply) => {
      const o = await service.createObjection(db, contextOf(req), clock.now(), req.params.id, req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/customers/${req.params.id}/advertising-objections/${o.id}`)
        .header("etag", etag(o.version))
        .send(o);
    },
  );

  app.get(
    "/customers/:id/advertising-objections/:childId",
    {
      config: { access: "consents.read" },
      schema: {
        tags,
        summary: "Get an advertising objection",
        params: ChildParams,
        response: { 200: AdvertisingObjection, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const o = await service.getObjection(db, contextOf(req), req.params.id, req.params.childId);
      reply.header("etag", etag(o.version));
      return o;
    },
  );

  app.post(
    "/customers/:id/advertising-objections/:childId/lift",
    {
      config: { access: "consents.update" },
      schema: {
        tags,
        summary: "Lift an advertising objection (noted in the journal)",
        params: ChildParams,
        headers: IfMatchHeader,
        body: AdvertisingObjectionLift,
        response: { 200: AdvertisingObjection, ...errorResponses(...VERSIONED_WRITE_ERRORS, "conflict") },
      },
    },
    async (req, reply) => {
      const o = await service.liftObjection(
        db,
        contextOf(req),
        clock.now(),
        req.params.id,
        req.params.childId,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(o.version));
      return o;
    },
  );
};
