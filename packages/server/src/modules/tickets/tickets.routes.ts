import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ChildParams,
  CustomerTicketQuery,
  IdParams,
  ItemList,
  Page,
  Ticket,
  TicketCreate,
  TicketQuery,
  TicketSla,
  TicketSlaParams,
  TicketSlaUpdate,
  TicketUpdate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import type { BusinessClock } from "../../lib/clock.js";
import * as slas from "./ticket-slas.service.js";
import * as service from "./tickets.service.js";

const tags = ["Tickets"];

export const ticketRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: BusinessClock }> = async (
  app,
  { db, clock },
) => {
  app.get(
    "/tickets",
    {
      config: { access: "tickets.read" },
      schema: {
        tags,
        summary: "Tickets across customers, newest first",
        description:
          "Filters combine: `assignee=me&open=true` (my open tickets), `overdue=true`, `type=complaint`, `status=new,in_progress`.",
        querystring: TicketQuery,
        response: { 200: Page(Ticket), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listTickets(db, contextOf(req), clock.now(), req.query),
  );

  app.get(
    "/customers/:id/tickets",
    {
      config: { access: "tickets.read" },
      schema: {
        tags,
        summary: "A customer's tickets, newest first",
        params: IdParams,
        querystring: CustomerTicketQuery,
        response: { 200: Page(Ticket), ...errorResponses("not_found") },
      },
    },
    async (req) => service.listCustomerTickets(db, contextOf(req), clock.now(), req.params.id, req.query),
  );

  app.post(
    "/customers/:id/tickets",
    {
      config: { access: "tickets.create" },
      schema: {
        tags,
        summary: "Open a ticket (number from the range `ticket`, due time from the SLA; noted in the journal)",
        params: IdParams,
        body: TicketCreate,
        response: { 201: Ticket, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const t = await service.createTicket(db, contextOf(req), clock.now(), req.params.id, req.body);
      return reply
        .code(201)
        .header("location", `/api/v1/customers/${req.params.id}/tickets/${t.id}`)
        .header("etag", etag(t.version))
        .send(t);
    },
  );

  app.get(
    "/customers/:id/tickets/:childId",
    {
      config: { access: "tickets.read" },
      schema: {
        tags,
        summary: "Get a ticket",
        params: ChildParams,
        response: { 200: Ticket, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const t = await service.getTicket(db, contextOf(req), clock.now(), req.params.id, req.params.childId);
      reply.header("etag", etag(t.version));
      return t;
    },
  );

  app.patch(
    "/customers/:id/tickets/:childId",
    {
      config: { access: "tickets.update" },
      schema: {
        tags,
        summary: "Change a ticket, assign it, or move it along the workflow",
        description:
          "new → in_progress → waiting_for_customer → resolved → closed; new → resolved; waiting_for_customer → in_progress; " +
          "resolved → in_progress (reopen). Other changes answer 409 `illegal_transition`; a closed ticket is final. " +
          "Status changes and assignments are noted in the journal.",
        params: ChildParams,
        headers: IfMatchHeader,
        body: TicketUpdate,
        response: { 200: Ticket, ...errorResponses(...VERSIONED_WRITE_ERRORS, "illegal_transition") },
      },
    },
    async (req, reply) => {
      const t = await service.updateTicket(
        db,
        contextOf(req),
        clock.now(),
        req.params.id,
        req.params.childId,
        requireIfMatch(req.headers["if-match"]),
        req.body,
      );
      reply.header("etag", etag(t.version));
      return t;
    },
  );

  app.get(
    "/ticket-slas",
    {
      config: { access: "tickets.read" },
      schema: {
        tags,
        summary: "The SLA: hours from creation to the due time per ticket type and priority",
        response: { 200: ItemList(TicketSla), ...errorResponses() },
      },
    },
    async () => ({ items: await slas.listSlas(db) }),
  );

  app.patch(
    "/ticket-slas/:type/:priority",
    {
      config: { access: "settings.update" },
      schema: {
        tags,
        summary: "Change the SLA of one type and priority (applies to tickets created from now on)",
        params: TicketSlaParams,
        headers: IfMatchHeader,
        body: TicketSlaUpdate,
        response: { 200: TicketSla, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const s = await slas.updateSla(
        db,
        contextOf(req),
        clock.now(),
        req.params.type,
        req.params.priority,
        requireIfMatch(req.headers["if-match"]),
        req.body.hours,
      );
      reply.header("etag", etag(s.version));
      return s;
    },
  );
};
