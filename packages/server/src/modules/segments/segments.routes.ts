import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  IdParams,
  Page,
  Segment,
  SegmentCreate,
  SegmentEvaluation,
  SegmentEvaluationQuery,
  SegmentPreview,
  SegmentQuery,
  SegmentUpdate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import type { BusinessClock } from "../../lib/clock.js";
import * as service from "./segments.service.js";

const tags = ["Segments"];

export const segmentRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: BusinessClock }> = async (
  app,
  { db, clock },
) => {
  app.get(
    "/segments",
    {
      config: { access: "segments.read" },
      schema: {
        tags,
        summary: "Saved segments by name",
        querystring: SegmentQuery,
        response: { 200: Page(Segment), ...errorResponses() },
      },
    },
    async (req) => service.listSegments(db, req.query),
  );

  app.post(
    "/segments",
    {
      config: { access: "segments.create" },
      schema: {
        tags,
        summary: "Save a segment (a customer or contact filter)",
        body: SegmentCreate,
        response: { 201: Segment, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const s = await service.createSegment(db, contextOf(req), req.body);
      return reply.code(201).header("location", `/api/v1/segments/${s.id}`).header("etag", etag(s.version)).send(s);
    },
  );

  app.post(
    "/segments/preview",
    {
      config: { access: "segments.read" },
      schema: {
        tags,
        summary: "Evaluate a filter without saving it: count and a page of members",
        body: SegmentPreview,
        querystring: SegmentEvaluationQuery,
        response: { 200: SegmentEvaluation, ...errorResponses("payload_too_large", "unsupported_media_type") },
      },
    },
    async (req) => service.previewSegment(db, contextOf(req), clock.now(), req.body, req.query),
  );

  app.get(
    "/segments/:id",
    {
      config: { access: "segments.read" },
      schema: {
        tags,
        summary: "Get a segment",
        params: IdParams,
        response: { 200: Segment, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const s = await service.getSegment(db, req.params.id);
      reply.header("etag", etag(s.version));
      return s;
    },
  );

  app.patch(
    "/segments/:id",
    {
      config: { access: "segments.update" },
      schema: {
        tags,
        summary: "Change a segment's name, description, target or filter",
        params: IdParams,
        headers: IfMatchHeader,
        body: SegmentUpdate,
        response: { 200: Segment, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const s = await service.updateSegment(
        db,
        contextOf(req),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(s.version));
      return s;
    },
  );

  app.delete(
    "/segments/:id",
    {
      config: { access: "segments.delete" },
      schema: {
        tags,
        summary: "Delete a segment (409 while a campaign targets it)",
        params: IdParams,
        headers: IfMatchHeader,
        response: { 204: { type: "null" }, ...errorResponses(...VERSIONED_WRITE_ERRORS, "reference_violation") },
      },
    },
    async (req, reply) => {
      await service.deleteSegment(db, contextOf(req), req.params.id, requireIfMatch(req.headers["if-match"]));
      return reply.code(204).send();
    },
  );

  app.post(
    "/segments/:id/evaluate",
    {
      config: { access: "segments.read" },
      schema: {
        tags,
        summary: "Evaluate a saved segment now: the exact count and a page of members by customer name",
        description: "One set-based query for the count and one for the page, whatever the number of customers.",
        params: IdParams,
        querystring: SegmentEvaluationQuery,
        response: { 200: SegmentEvaluation, ...errorResponses("not_found") },
      },
    },
    async (req) => service.evaluateSegment(db, contextOf(req), clock.now(), req.params.id, req.query),
  );
};
