import type { FastifyInstance } from "fastify";
import { problem } from "./problem.js";

/** Seconds a client is asked to wait when this instance is stopping (another one, or its restart, takes over). */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/**
 * While the server shuts down (app.close(): SIGTERM, Ctrl+C), a request that still arrives on an
 * open keep-alive connection is answered 503 `shutting_down` with Retry-After and
 * `Connection: close`, as a problem document like every other error. Fastify's own answer
 * (`return503OnClosing`, turned off in buildApp) is plain JSON without a code.
 * Registered before authentication: an unauthenticated request gets the same answer.
 */
export function registerShuttingDown(app: FastifyInstance): void {
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  // A callback hook, not an async one: no promise per request on the hot path. Answering
  // without calling `done` ends the request here.
  app.addHook("onRequest", (req, reply, done) => {
    if (!closing) return done();
    reply
      .code(503)
      .header("retry-after", String(SHUTDOWN_RETRY_AFTER_SECONDS))
      .header("connection", "close")
      .type("application/problem+json")
      .send(problem("shutting_down", "The server is shutting down; try again in a few seconds", req));
  });
}
