import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@fastify/type-provider-typebox";
import {
  ChildParams,
  CreditCheck,
  IdParams,
  Page,
  SalesDocument,
  SalesDocumentCreate,
  SalesDocumentQuery,
  SalesDocumentSummary,
  SalesDocumentUpdate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./documents.service.js";

const tags = ["Sales documents"];
const Created = Type.Intersect([SalesDocument, Type.Object({ creditCheck: Type.Optional(CreditCheck) })]);

export const documentRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/customers/:id/documents",
    {
      config: { access: "documents.read" },
      schema: {
        tags,
        summary: "A customer's quotes, orders, delivery notes, invoices and credit notes, newest first",
        params: IdParams,
        querystring: SalesDocumentQuery,
        response: { 200: Page(SalesDocumentSummary), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listDocuments(db, contextOf(req), req.params.id, req.query),
  );

  app.post(
    "/customers/:id/documents",
    {
      config: { access: "documents.create" },
      schema: {
        tags,
        summary: "Create a quote, order, delivery note, invoice or credit note",
        description:
          "Numbers come from the type's number range; totals are computed (per-line rounding, VAT per rate). An order runs the credit check: `credit_blocked` (422) refuses it when the setting says so, else the result comes back as `creditCheck`. A credit note names its invoice and lowers what is open on it.",
        params: IdParams,
        body: SalesDocumentCreate,
        response: { 201: Created, ...errorResponses(...WRITE_ERRORS, "credit_blocked") },
      },
    },
    async (req, reply) => {
      const d = await service.createDocument(db, contextOf(req), req.params.id, req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/customers/${req.params.id}/documents/${d.id}`)
        .header("etag", etag(d.version))
        .send(d);
    },
  );

  app.get(
    "/customers/:id/documents/:childId",
    {
      config: { access: "documents.read" },
      schema: {
        tags,
        summary: "A document with its lines",
        params: ChildParams,
        response: { 200: SalesDocument, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const d = await service.getDocument(db, contextOf(req), req.params.id, req.params.childId);
      reply.header("etag", etag(d.version));
      return d;
    },
  );

  app.patch(
    "/customers/:id/documents/:childId",
    {
      config: { access: "documents.update" },
      schema: {
        tags,
        summary: "Change a quote, order or delivery note (invoices and credit notes never change: 409)",
        params: ChildParams,
        headers: IfMatchHeader,
        body: SalesDocumentUpdate,
        response: { 200: SalesDocument, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const d = await service.updateDocument(
        db,
        contextOf(req),
        req.params.id,
        req.params.childId,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(d.version));
      return d;
    },
  );
};
