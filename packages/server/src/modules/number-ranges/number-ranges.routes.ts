import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { ItemList, NumberRange, NumberRangeUpdate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./number-ranges.service.js";

const tags = ["Number ranges"];
const KeyParams = Type.Object(
  { key: Type.String({ pattern: "^[a-z_]+$", maxLength: 40 }) },
  { additionalProperties: false },
);

export const numberRangeRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/number-ranges",
    {
      config: { access: "number_ranges.read" },
      schema: { tags, summary: "List number ranges", response: { 200: ItemList(NumberRange), ...errorResponses() } },
    },
    async () => ({ items: await service.listNumberRanges(db) }),
  );
  app.get(
    "/number-ranges/:key",
    {
      config: { access: "number_ranges.read" },
      schema: {
        tags,
        summary: "Get a number range",
        params: KeyParams,
        response: { 200: NumberRange, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const r = await service.getNumberRange(db, req.params.key);
      reply.header("etag", etag(r.version));
      return r;
    },
  );
  app.patch(
    "/number-ranges/:key",
    {
      config: { access: "number_ranges.update" },
      schema: {
        tags,
        summary: "Change prefix, width or next value of a number range",
        description: "The next value can only move forward: numbers are never reused.",
        params: KeyParams,
        headers: IfMatchHeader,
        body: NumberRangeUpdate,
        response: { 200: NumberRange, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const r = await service.updateNumberRange(
        db,
        contextOf(req),
        req.params.key,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(r.version));
      return r;
    },
  );
};
