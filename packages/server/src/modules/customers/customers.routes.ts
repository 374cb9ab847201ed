import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  Customer,
  CustomerCreate,
  CustomerCreated,
  CustomerFile,
  CustomerListQuery,
  CustomerPage,
  CustomerUpdate,
  CustomerUpdated,
  HistoryEntry,
  HistoryQuery,
  IdParams,
  Page,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import { getCustomerFileJson } from "../customer-file/customer-file.service.js";
import { orSurvivor } from "../merge/merge.service.js";
import { duplicatesOfCustomer } from "../search/duplicates.service.js";
import * as service from "./customers.service.js";

const tags = ["Customers"];

export const customerRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/customers",
    {
      config: { access: "customers.read" },
      schema: {
        tags,
        summary: "List customers",
        description:
          "Filtered, sorted, cursor-paginated. `total` is counted up to 1,000 (`totalExact: false` beyond) so it stays cheap on large tables.",
        querystring: CustomerListQuery,
        response: { 200: CustomerPage, ...errorResponses() },
      },
    },
    async (req) => service.listCustomers(db, contextOf(req), req.query),
  );

  app.post(
    "/customers",
    {
      config: { access: "customers.create" },
      schema: {
        tags,
        summary: "Create a customer",
        description:
          "Draws the customer number from the number range unless one is given. Addresses, channels, contacts and bank accounts can be created in the same request (one transaction). " +
          "Under the row-level rule a sales user's new customer is theirs: `owner` defaults to them, and another owner is refused (400, `owner`: `not_visible`) unless the region is theirs.",
        body: CustomerCreate,
        response: { 201: CustomerCreated, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const ctx = contextOf(req);
      const created = await service.createCustomer(db, ctx, req.body);
      // Checked after the commit, against the stored entry: the customer is saved either way.
      const { candidates } = await duplicatesOfCustomer(db, ctx, created.customer.id);
      reply
        .code(201)
        .header("location", `/api/v1/customers/${created.customer.id}`)
        .header("etag", etag(created.customer.version));
      return { ...created, duplicateCandidates: candidates };
    },
  );

  app.get(
    "/customers/:id",
    {
      config: { access: "customers.read" },
      schema: {
        tags,
        summary: "Get a customer",
        params: IdParams,
        response: { 200: Customer, ...errorResponses("not_found", "customer_merged") },
      },
    },
    async (req, reply) => {
      const ctx = contextOf(req);
      const c = await orSurvivor(db, ctx, req.params.id, "", () => service.getCustomer(db, ctx, req.params.id));
      reply.header("etag", etag(c.version));
      return c;
    },
  );

  app.patch(
    "/customers/:id",
    {
      config: { access: "customers.update" },
      schema: {
        tags,
        summary: "Change a customer",
        description: "Send only the changed fields, with `If-Match` set to the ETag you read.",
        params: IdParams,
        headers: IfMatchHeader,
        body: CustomerUpdate,
        response: { 200: CustomerUpdated, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const ctx = contextOf(req);
      const c = await service.updateCustomer(db, ctx, req.params.id, requireIfMatch(req.headers["if-match"]), req.body);
      reply.header("etag", etag(c.version));
      const identityChanged = ["name1", "name2", "name3", "vatId"].some((f) => f in req.body);
      if (!identityChanged) return c;
      return { ...c, duplicateCandidates: (await duplicatesOfCustomer(db, ctx, c.id)).candidates };
    },
  );

  app.delete(
    "/customers/:id",
    {
      config: { access: "customers.delete" },
      schema: {
        tags,
        summary: "Delete a customer with everything that belongs to it",
        params: IdParams,
        headers: IfMatchHeader,
        response: { 204: { type: "null", description: "Deleted" }, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      await service.deleteCustomer(db, contextOf(req), req.params.id, requireIfMatch(req.headers["if-match"]));
      return reply.code(204).send();
    },
  );

  app.get(
    "/customers/:id/file",
    {
      config: { access: "customers.read" },
      schema: {
        tags,
        summary: "The customer file",
        description:
          "Info-panel data (master data, default addresses, primary contact, badges) and the contacts in one response.",
        params: IdParams,
        response: { 200: CustomerFile, ...errorResponses("not_found", "customer_merged") },
      },
    },
    async (req, reply) => {
      // Sent as stored: the document was serialised against the same schema when it was written.
      const ctx = contextOf(req);
      const file = await orSurvivor(db, ctx, req.params.id, "/file", () => getCustomerFileJson(db, ctx, req.params.id));
      return reply
        .header("etag", etag(file.version))
        .type("application/json; charset=utf-8")
        .send(file.body as never);
    },
  );

  app.get(
    "/customers/:id/history",
    {
      config: { access: "history.read" },
      schema: {
        tags,
        summary: "Change history of a customer and its parts",
        description: "Newest first. Stays readable after the customer was deleted.",
        params: IdParams,
        querystring: HistoryQuery,
        response: { 200: Page(HistoryEntry), ...errorResponses("not_found") },
      },
    },
    async (req) => service.getHistory(db, contextOf(req), req.params.id, req.query.limit ?? 50, req.query.cursor),
  );
};
