import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ChildParams,
  CustomerOpportunityQuery,
  IdParams,
  ItemList,
  Opportunity,
  OpportunityCreate,
  OpportunityQuery,
  OpportunityStage,
  OpportunityStageCreate,
  OpportunityStageUpdate,
  OpportunityUpdate,
  Page,
  Pipeline,
  PipelineQuery,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import type { BusinessClock } from "../../lib/clock.js";
import * as service from "./opportunities.service.js";
import * as stages from "./opportunity-stages.service.js";
import { pipeline } from "./pipeline.service.js";

const tags = ["Opportunities"];
const DELETED = { 204: { type: "null", description: "Deleted" } } as const;

export const opportunityRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: BusinessClock }> = async (
  app,
  { db, clock },
) => {
  app.get(
    "/opportunities",
    {
      config: { access: "opportunities.read" },
      schema: {
        tags,
        summary: "Opportunities across customers by expected close date (open ones by default)",
        querystring: OpportunityQuery,
        response: { 200: Page(Opportunity), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listOpportunities(db, contextOf(req), req.query),
  );

  app.get(
    "/opportunities/pipeline",
    {
      config: { access: "opportunities.read" },
      schema: {
        tags,
        summary: "The pipeline: open opportunities per stage with value and weighted value",
        querystring: PipelineQuery,
        response: { 200: Pipeline, ...errorResponses("not_found") },
      },
    },
    async (req) => pipeline(db, contextOf(req), req.query),
  );

  app.get(
    "/customers/:id/opportunities",
    {
      config: { access: "opportunities.read" },
      schema: {
        tags,
        summary: "A customer's opportunities by expected close date",
        params: IdParams,
        querystring: CustomerOpportunityQuery,
        response: { 200: Page(Opportunity), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listCustomerOpportunities(db, contextOf(req), req.params.id, req.query),
  );

  app.get(
    "/customers/:id/opportunities/pipeline",
    {
      config: { access: "opportunities.read" },
      schema: {
        tags,
        summary: "A customer's pipeline: open opportunities per stage with value and weighted value",
        params: IdParams,
        response: { 200: Pipeline, ...errorResponses("not_found") },
      },
    },
    async (req) => pipeline(db, contextOf(req), { customerId: req.params.id }),
  );

  app.post(
    "/customers/:id/opportunities",
    {
      config: { access: "opportunities.create" },
      schema: {
        tags,
        summary: "Create an opportunity (noted in the journal)",
        params: IdParams,
        body: OpportunityCreate,
        response: { 201: Opportunity, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const o = await service.createOpportunity(db, contextOf(req), clock.now(), req.params.id, req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/customers/${req.params.id}/opportunities/${o.id}`)
        .header("etag", etag(o.version))
        .send(o);
    },
  );

  app.get(
    "/customers/:id/opportunities/:childId",
    {
      config: { access: "opportunities.read" },
      schema: {
        tags,
        summary: "Get an opportunity",
        params: ChildParams,
        response: { 200: Opportunity, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const o = await service.getOpportunity(db, contextOf(req), req.params.id, req.params.childId);
      reply.header("etag", etag(o.version));
      return o;
    },
  );

  app.patch(
    "/customers/:id/opportunities/:childId",
    {
      config: { access: "opportunities.update" },
      schema: {
        tags,
        summary: "Change an opportunity: stage, value, quotes; win it, lose it (with a reason) or reopen it",
        description: "Stage changes, won, lost and reopened are noted in the journal.",
        params: ChildParams,
        headers: IfMatchHeader,
        body: OpportunityUpdate,
        response: { 200: Opportunity, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const o = await service.updateOpportunity(
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

  app.delete(
    "/customers/:id/opportunities/:childId",
    {
      config: { access: "opportunities.delete" },
      schema: {
        tags,
        summary: "Delete an opportunity entered by mistake (the journal keeps a note)",
        params: ChildParams,
        headers: IfMatchHeader,
        response: { ...DELETED, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      await service.deleteOpportunity(
        db,
        contextOf(req),
        clock.now(),
        req.params.id,
        req.params.childId,
        requireIfMatch(req.headers["if-match"]),
      );
      return reply.code(204).send();
    },
  );

  app.get(
    "/opportunity-stages",
    {
      config: { access: "opportunities.read" },
      schema: {
        tags,
        summary: "The stages of the pipeline with their probabilities, in order",
        response: { 200: ItemList(OpportunityStage), ...errorResponses() },
      },
    },
    async () => ({ items: await stages.listStages(db) }),
  );

  app.get(
    "/opportunity-stages/:id",
    {
      config: { access: "opportunities.read" },
      schema: {
        tags,
        summary: "Get a stage",
        params: IdParams,
        response: { 200: OpportunityStage, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const s = await stages.getStage(db, req.params.id);
      reply.header("etag", etag(s.version));
      return s;
    },
  );

  app.post(
    "/opportunity-stages",
    {
      config: { access: "settings.update" },
      schema: {
        tags,
        summary: "Add a stage",
        body: OpportunityStageCreate,
        response: { 201: OpportunityStage, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const s = await stages.createStage(db, contextOf(req), clock.now(), req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/opportunity-stages/${s.id}`)
        .header("etag", etag(s.version))
        .send(s);
    },
  );

  app.patch(
    "/opportunity-stages/:id",
    {
      config: { access: "settings.update" },
      schema: {
        tags,
        summary: "Rename, re-weight, move or deactivate a stage",
        params: IdParams,
        headers: IfMatchHeader,
        body: OpportunityStageUpdate,
        response: { 200: OpportunityStage, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const s = await stages.updateStage(
        db,
        contextOf(req),
        clock.now(),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(s.version));
      return s;
    },
  );

  app.delete(
    "/opportunity-stages/:id",
    {
      config: { access: "settings.update" },
      schema: {
        tags,
        summary: "Delete an unused stage (one that opportunities are in: 409 — deactivate it instead)",
        params: IdParams,
        headers: IfMatchHeader,
        response: { ...DELETED, ...errorResponses(...VERSIONED_WRITE_ERRORS, "reference_violation") },
      },
    },
    async (req, reply) => {
      await stages.deleteStage(db, contextOf(req), clock.now(), req.params.id, requireIfMatch(req.headers["if-match"]));
      return reply.code(204).send();
    },
  );
};
