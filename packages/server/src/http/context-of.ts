import type { FastifyRequest } from "fastify";
import { canSeeFinance } from "../modules/auth/principal.js";
import type { RequestContext } from "./context.js";

/** The request's context for services: the authenticated actor and what they may see. */
export function contextOf(req: FastifyRequest): RequestContext {
  const p = req.principal;
  return {
    actor: p?.email ?? "system",
    requestId: req.id,
    visibility: p?.visibility ?? null,
    finance: canSeeFinance(p ?? null),
    financeCreate: p ? p.permissions.has("finance.create") : true,
    documents: p ? p.permissions.has("documents.read") : true,
    clock: req.server.clock,
  };
}
