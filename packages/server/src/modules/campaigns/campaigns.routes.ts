import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  Campaign,
  CampaignCreate,
  CampaignMember,
  CampaignMemberCreate,
  CampaignMemberParams,
  CampaignMemberQuery,
  CampaignMemberResponse,
  CampaignMembersAdded,
  CampaignMembersFromSegment,
  CampaignQuery,
  CampaignResults,
  CampaignUpdate,
  IdParams,
  Page,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import type { BusinessClock } from "../../lib/clock.js";
import * as service from "./campaigns.service.js";

const tags = ["Campaigns"];

export const campaignRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: BusinessClock }> = async (
  app,
  { db, clock },
) => {
  app.get(
    "/campaigns",
    {
      config: { access: "campaigns.read" },
      schema: {
        tags,
        summary: "Campaigns, newest start first",
        querystring: CampaignQuery,
        response: { 200: Page(Campaign), ...errorResponses() },
      },
    },
    async (req) => service.listCampaigns(db, contextOf(req), req.query),
  );

  app.post(
    "/campaigns",
    {
      config: { access: "campaigns.create" },
      schema: {
        tags,
        summary: "Plan a campaign",
        body: CampaignCreate,
        response: { 201: Campaign, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const c = await service.createCampaign(db, contextOf(req), req.body);
      return reply.code(201).header("location", `/api/v1/campaigns/${c.id}`).header("etag", etag(c.version)).send(c);
    },
  );

  app.get(
    "/campaigns/:id",
    {
      config: { access: "campaigns.read" },
      schema: {
        tags,
        summary: "Get a campaign",
        params: IdParams,
        response: { 200: Campaign, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const c = await service.getCampaign(db, req.params.id);
      reply.header("etag", etag(c.version));
      return c;
    },
  );

  app.patch(
    "/campaigns/:id",
    {
      config: { access: "campaigns.update" },
      schema: {
        tags,
        summary: "Change a campaign, or move it on: launch (`active`), complete or cancel",
        description:
          "planned → active → completed; planned or active → cancelled; anything else is 409 `illegal_transition`. " +
          "Launching checks every member again and notes the contact in each included member's journal.",
        params: IdParams,
        headers: IfMatchHeader,
        body: CampaignUpdate,
        response: { 200: Campaign, ...errorResponses(...VERSIONED_WRITE_ERRORS, "illegal_transition") },
      },
    },
    async (req, reply) => {
      const c = await service.updateCampaign(
        db,
        contextOf(req),
        clock.now(),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(c.version));
      return c;
    },
  );

  app.delete(
    "/campaigns/:id",
    {
      config: { access: "campaigns.delete" },
      schema: {
        tags,
        summary: "Delete a planned campaign with its members (409 once launched: cancel it instead)",
        params: IdParams,
        headers: IfMatchHeader,
        response: { 204: { type: "null" }, ...errorResponses(...VERSIONED_WRITE_ERRORS, "conflict") },
      },
    },
    async (req, reply) => {
      await service.deleteCampaign(db, contextOf(req), req.params.id, requireIfMatch(req.headers["if-match"]));
      return reply.code(204).send();
    },
  );

  app.get(
    "/campaigns/:id/members",
    {
      config: { access: "campaigns.read" },
      schema: {
        tags,
        summary: "A campaign's members in the order they were added, with exclusion reasons and responses",
        params: IdParams,
        querystring: CampaignMemberQuery,
        response: { 200: Page(CampaignMember), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listMembers(db, contextOf(req), req.params.id, req.query),
  );

  app.post(
    "/campaigns/:id/members",
    {
      config: { access: "campaigns.update" },
      schema: {
        tags,
        summary: "Add a customer or contact by hand (checked for consent, objection and address at once)",
        params: IdParams,
        body: CampaignMemberCreate,
        response: { 201: CampaignMember, ...errorResponses(...WRITE_ERRORS, "conflict") },
      },
    },
    async (req, reply) => {
      const m = await service.addMember(db, contextOf(req), clock.now(), req.params.id, req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/campaigns/${req.params.id}/members/${m.id}`)
        .header("etag", etag(m.version))
        .send(m);
    },
  );

  app.post(
    "/campaigns/:id/members/from-segment",
    {
      config: { access: "campaigns.update" },
      schema: {
        tags,
        summary: "Add everyone a segment selects now (the campaign's segment by default)",
        description:
          "Each is checked for the consent the channel needs, advertising objections and an address; excluded " +
          "members are kept with their reason. People who are members already are skipped.",
        params: IdParams,
        body: CampaignMembersFromSegment,
        response: { 200: CampaignMembersAdded, ...errorResponses(...WRITE_ERRORS, "conflict") },
      },
    },
    async (req) => service.addMembersFromSegment(db, contextOf(req), clock.now(), req.params.id, req.body),
  );

  app.get(
    "/campaigns/:id/members/:memberId",
    {
      config: { access: "campaigns.read" },
      schema: {
        tags,
        summary: "Get a campaign member",
        params: CampaignMemberParams,
        response: { 200: CampaignMember, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const m = await service.getMember(db, contextOf(req), req.params.id, req.params.memberId);
      reply.header("etag", etag(m.version));
      return m;
    },
  );

  app.post(
    "/campaigns/:id/members/:memberId/response",
    {
      config: { access: "campaigns.update" },
      schema: {
        tags,
        summary: "Record a member's response (in their journal); `unsubscribed` withdraws their consent at once",
        params: CampaignMemberParams,
        headers: IfMatchHeader,
        body: CampaignMemberResponse,
        response: { 200: CampaignMember, ...errorResponses(...VERSIONED_WRITE_ERRORS, "conflict") },
      },
    },
    async (req, reply) => {
      const m = await service.recordResponse(
        db,
        contextOf(req),
        clock.now(),
        req.params.id,
        req.params.memberId,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(m.version));
      return m;
    },
  );

  app.get(
    "/campaigns/:id/results",
    {
      config: { access: "campaigns.read" },
      schema: {
        tags,
        summary: "Reached, excluded by reason, responses and response rate, orders and revenue since the start",
        params: IdParams,
        response: { 200: CampaignResults, ...errorResponses("not_found") },
      },
    },
    async (req) => service.campaignResults(db, contextOf(req), req.params.id),
  );
};
