import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { IdParams, Page, Product, ProductCreate, ProductQuery, ProductUpdate } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./products.service.js";

const tags = ["Products"];

export const productRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/products",
    {
      config: { access: "products.read" },
      schema: {
        tags,
        summary: "Products by name; `q` finds an article number or name by its beginning",
        querystring: ProductQuery,
        response: { 200: Page(Product), ...errorResponses() },
      },
    },
    async (req) => service.listProducts(db, req.query),
  );

  app.post(
    "/products",
    {
      config: { access: "products.create" },
      schema: {
        tags,
        summary: "Create a product",
        body: ProductCreate,
        response: { 201: Product, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const p = await service.createProduct(db, contextOf(req), req.body);
      return reply.code(201).header("location", `/api/v1/products/${p.id}`).header("etag", etag(p.version)).send(p);
    },
  );

  app.get(
    "/products/:id",
    {
      config: { access: "products.read" },
      schema: {
        tags,
        summary: "Get a product",
        params: IdParams,
        response: { 200: Product, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const p = await service.getProduct(db, req.params.id);
      reply.header("etag", etag(p.version));
      return p;
    },
  );

  app.patch(
    "/products/:id",
    {
      config: { access: "products.update" },
      schema: {
        tags,
        summary: "Change a product (documents keep the prices they were written with)",
        params: IdParams,
        headers: IfMatchHeader,
        body: ProductUpdate,
        response: { 200: Product, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const p = await service.updateProduct(
        db,
        contextOf(req),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(p.version));
      return p;
    },
  );

  app.delete(
    "/products/:id",
    {
      config: { access: "products.delete" },
      schema: {
        tags,
        summary: "Delete a product that no document uses (else 409: deactivate it)",
        params: IdParams,
        headers: IfMatchHeader,
        response: { 204: { type: "null", description: "Deleted" }, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      await service.deleteProduct(db, contextOf(req), req.params.id, requireIfMatch(req.headers["if-match"]));
      return reply.code(204).send();
    },
  );
};
