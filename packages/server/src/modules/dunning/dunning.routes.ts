import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@fastify/type-provider-typebox";
import {
  DunningLevel,
  DunningLevelUpdate,
  DunningNotice,
  DunningProposal,
  DunningProposalQuery,
  DunningRunRequest,
  IdParams,
  ItemList,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./dunning.service.js";

const tags = ["Dunning"];
const LevelParams = Type.Object({ level: Type.Integer({ minimum: 1, maximum: 3 }) }, { additionalProperties: false });

export const dunningRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/dunning/levels",
    {
      config: { access: "finance.read" },
      schema: {
        tags,
        summary: "The three dunning levels: days after the due date, fee, title",
        response: { 200: ItemList(DunningLevel), ...errorResponses() },
      },
    },
    async () => ({ items: await service.listLevels(db) }),
  );

  app.patch(
    "/dunning/levels/:level",
    {
      config: { access: "finance.update" },
      schema: {
        tags,
        summary: "Change a dunning level (days must rise from level to level)",
        params: LevelParams,
        headers: IfMatchHeader,
        body: DunningLevelUpdate,
        response: { 200: DunningLevel, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const l = await service.updateLevel(
        db,
        contextOf(req),
        req.params.level,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(l.version));
      return l;
    },
  );

  app.get(
    "/dunning/proposal",
    {
      config: { access: "finance.read" },
      schema: {
        tags,
        summary: "What a dunning run would send: overdue invoices per customer with their next level",
        description: `Customers excluded from dunning are left out; an invoice dunned less than ${service.MIN_DAYS_BETWEEN_NOTICES} days ago waits.`,
        querystring: DunningProposalQuery,
        response: { 200: DunningProposal, ...errorResponses() },
      },
    },
    async (req) => service.proposal(db, contextOf(req), req.query.onDate ?? req.server.clock.today()),
  );

  app.post(
    "/dunning/runs",
    {
      config: { access: "finance.create" },
      schema: {
        tags,
        summary: "Issue the proposal's dunning notices (all, or the customers given)",
        description:
          "One notice per customer with its items and fee, the invoices' levels raised, a journal entry each; level 3 sets a delivery block when the setting `dunning_block_at_level_3` is on.",
        body: DunningRunRequest,
        response: { 201: ItemList(DunningNotice), ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => reply.code(201).send({ items: await service.run(db, contextOf(req), req.body) }),
  );

  app.get(
    "/customers/:id/dunning-notices",
    {
      config: { access: "finance.read" },
      schema: {
        tags,
        summary: "A customer's dunning notices, newest first",
        params: IdParams,
        response: { 200: ItemList(DunningNotice), ...errorResponses("not_found") },
      },
    },
    async (req) => ({ items: await service.customerNotices(db, contextOf(req), req.params.id) }),
  );
};
