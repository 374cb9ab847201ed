import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ChildParams,
  IdParams,
  JournalDelete,
  JournalEntry,
  JournalEntryCreate,
  JournalEntryUpdate,
  JournalPage,
  JournalQuery,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import * as service from "./journal.service.js";

const tags = ["Journal"];

export const journalRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    "/customers/:id/journal",
    {
      config: { access: "journal.read" },
      schema: {
        tags,
        summary: "A customer's journal, newest first",
        description:
          "Filters by kinds, date range, contact, author and full text (`q`, prefix words; Müller finds Mueller). Cursor pagination never repeats or skips an entry when entries are added between pages. `counts` (first page only) has the entries per kind for the filter without its kinds.",
        params: IdParams,
        querystring: JournalQuery,
        response: { 200: JournalPage, ...errorResponses("not_found") },
      },
    },
    async (req) => service.listJournal(db, contextOf(req), req.params.id, req.query),
  );

  app.post(
    "/customers/:id/journal",
    {
      config: { access: "journal.create" },
      schema: {
        tags,
        summary: "Log a call, meeting, letter, e-mail or note",
        description:
          "Only the kind and a subject or text are needed. Time defaults to now; direction to `in` for calls and `out` for letters and e-mails.",
        params: IdParams,
        body: JournalEntryCreate,
        response: { 201: JournalEntry, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const entry = await service.logCommunication(db, contextOf(req), req.params.id, req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/customers/${req.params.id}/journal/${entry.id}`)
        .header("etag", etag(entry.version))
        .send(entry);
    },
  );

  app.get(
    "/customers/:id/journal/:childId",
    {
      config: { access: "journal.read" },
      schema: {
        tags,
        summary: "Get a journal entry",
        params: ChildParams,
        response: { 200: JournalEntry, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const entry = await service.getEntry(db, contextOf(req), req.params.id, req.params.childId);
      reply.header("etag", etag(entry.version));
      return entry;
    },
  );

  app.patch(
    "/customers/:id/journal/:childId",
    {
      config: { access: "journal.update" },
      schema: {
        tags,
        summary: "Correct a logged entry",
        description: "Only entries people logged; entries of other modules change through their object (409).",
        params: ChildParams,
        headers: IfMatchHeader,
        body: JournalEntryUpdate,
        response: { 200: JournalEntry, ...errorResponses(...VERSIONED_WRITE_ERRORS, "conflict") },
      },
    },
    async (req, reply) => {
      const entry = await service.updateEntry(
        db,
        contextOf(req),
        req.params.id,
        req.params.childId,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(entry.version));
      return entry;
    },
  );

  app.delete(
    "/customers/:id/journal/:childId",
    {
      config: { access: "journal.delete" },
      schema: {
        tags,
        summary: "Delete a logged entry (softly, with a reason)",
        description: "The entry stays in the journal's history (`includeDeleted=true`) with who, when and why.",
        params: ChildParams,
        headers: IfMatchHeader,
        body: JournalDelete,
        response: {
          204: { type: "null", description: "Deleted" },
          ...errorResponses(...VERSIONED_WRITE_ERRORS, "conflict"),
        },
      },
    },
    async (req, reply) => {
      await service.deleteEntry(
        db,
        contextOf(req),
        req.params.id,
        req.params.childId,
        requireIfMatch(req.headers["if-match"]),
        req.body.reason,
      );
      return reply.code(204).send();
    },
  );
};
