import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ChildParams, IdParams, ItemList } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import { addressSpec } from "./addresses.js";
import { bankAccountSpec } from "./bank-accounts.js";
import { channelSpec } from "./channels.js";
import { contactSpec } from "./contacts.js";
import * as service from "./part.service.js";

export const PART_SPECS: service.AnyPartSpec[] = [addressSpec, channelSpec, contactSpec, bankAccountSpec];

type Versioned = { id: number; version: number };

/** The same five routes for every kind of customer part, under /customers/{id}/<path>. */
export const partRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  for (const spec of PART_SPECS) {
    const base = `/customers/:id/${spec.path}`;
    const tags = [spec.tag];
    const label = spec.label.toLowerCase();

    app.get(
      base,
      {
        config: { access: `${spec.resource}.read` },
        schema: {
          tags,
          summary: `List a customer's ${spec.path.replace("-", " ")}`,
          params: IdParams,
          response: { 200: ItemList(spec.schemas.item), ...errorResponses("not_found") },
        },
      },
      async (req) => ({ items: await service.listParts(db, contextOf(req), spec, req.params.id) }),
    );

    app.post(
      base,
      {
        config: { access: `${spec.resource}.create` },
        schema: {
          tags,
          summary: `Add a ${label}`,
          params: IdParams,
          body: spec.schemas.create,
          response: { 201: spec.schemas.item, ...errorResponses(...WRITE_ERRORS) },
        },
      },
      async (req, reply) => {
        const item = (await service.createPart(
          db,
          contextOf(req),
          spec,
          req.params.id,
          req.body as never,
        )) as Versioned;
        reply
          .code(201)
          .header("location", `/api/v1/customers/${req.params.id}/${spec.path}/${item.id}`)
          .header("etag", etag(item.version));
        return item;
      },
    );

    app.get(
      `${base}/:childId`,
      {
        config: { access: `${spec.resource}.read` },
        schema: {
          tags,
          summary: `Get a ${label}`,
          params: ChildParams,
          response: { 200: spec.schemas.item, ...errorResponses("not_found") },
        },
      },
      async (req, reply) => {
        const item = (await service.getPart(db, contextOf(req), spec, req.params.id, req.params.childId)) as Versioned;
        reply.header("etag", etag(item.version));
        return item;
      },
    );

    app.patch(
      `${base}/:childId`,
      {
        config: { access: `${spec.resource}.update` },
        schema: {
          tags,
          summary: `Change a ${label}`,
          description: "Send only the changed fields, with `If-Match` set to the ETag you read.",
          params: ChildParams,
          headers: IfMatchHeader,
          body: spec.schemas.update,
          response: { 200: spec.schemas.item, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
        },
      },
      async (req, reply) => {
        const version = requireIfMatch(req.headers["if-match"]);
        const item = (await service.updatePart(
          db,
          contextOf(req),
          spec,
          req.params.id,
          req.params.childId,
          version,
          req.body as Record<string, unknown>,
        )) as Versioned;
        reply.header("etag", etag(item.version));
        return item;
      },
    );

    app.delete(
      `${base}/:childId`,
      {
        config: { access: `${spec.resource}.delete` },
        schema: {
          tags,
          summary: `Delete a ${label}`,
          params: ChildParams,
          headers: IfMatchHeader,
          response: { 204: { type: "null", description: "Deleted" }, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
        },
      },
      async (req, reply) => {
        const version = requireIfMatch(req.headers["if-match"]);
        await service.deletePart(db, contextOf(req), spec, req.params.id, req.params.childId, version);
        return reply.code(204).send();
      },
    );
  }
};
