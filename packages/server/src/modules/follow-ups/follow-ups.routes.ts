import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ChildParams,
  CustomerFollowUpQuery,
  FollowUp,
  FollowUpCreate,
  FollowUpQuery,
  FollowUpUpdate,
  IdParams,
  Page,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./follow-ups.service.js";

const tags = ["Follow-ups"];

export const followUpRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/follow-ups",
    {
      config: { access: "follow_ups.read" },
      schema: {
        tags,
        summary: "Your follow-ups (or a colleague's) by due date, overdue first",
        querystring: FollowUpQuery,
        response: { 200: Page(FollowUp), ...errorResponses() },
      },
    },
    async (req) => service.listUserFollowUps(db, contextOf(req), req.query),
  );

  app.get(
    "/customers/:id/follow-ups",
    {
      config: { access: "follow_ups.read" },
      schema: {
        tags,
        summary: "A customer's follow-ups by due date",
        params: IdParams,
        querystring: CustomerFollowUpQuery,
        response: { 200: Page(FollowUp), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listCustomerFollowUps(db, contextOf(req), req.params.id, req.query),
  );

  app.post(
    "/customers/:id/follow-ups",
    {
      config: { access: "follow_ups.create" },
      schema: {
        tags,
        summary: "Create a follow-up (noted in the journal)",
        params: IdParams,
        body: FollowUpCreate,
        response: { 201: FollowUp, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const f = await service.createFollowUp(db, contextOf(req), req.params.id, req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/customers/${req.params.id}/follow-ups/${f.id}`)
        .header("etag", etag(f.version))
        .send(f);
    },
  );

  app.get(
    "/customers/:id/follow-ups/:childId",
    {
      config: { access: "follow_ups.read" },
      schema: {
        tags,
        summary: "Get a follow-up",
        params: ChildParams,
        response: { 200: FollowUp, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const f = await service.getFollowUp(db, contextOf(req), req.params.id, req.params.childId);
      reply.header("etag", etag(f.version));
      return f;
    },
  );

  app.patch(
    "/customers/:id/follow-ups/:childId",
    {
      config: { access: "follow_ups.update" },
      schema: {
        tags,
        summary: "Change, complete (`status: done`) or cancel a follow-up",
        description: "Completing or cancelling writes a journal entry.",
        params: ChildParams,
        headers: IfMatchHeader,
        body: FollowUpUpdate,
        response: { 200: FollowUp, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const f = await service.updateFollowUp(
        db,
        contextOf(req),
        req.params.id,
        req.params.childId,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(f.version));
      return f;
    },
  );
};
