import type { FastifyRequest } from "fastify";
import type { RequestContext } from "./context.js";

/**
 * The request's context for services. The actor is `system` until logins exist; the login
 * feature fills it in here and nowhere else.
 */
export function contextOf(req: FastifyRequest): RequestContext {
  return { actor: "system", requestId: req.id };
}
