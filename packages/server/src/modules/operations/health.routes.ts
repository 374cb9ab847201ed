import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Problem } from "@kundenakte/contract";
import { Type } from "@sinclair/typebox";
import { sql } from "kysely";
import type { Database } from "../../db/database.js";
import { AppError } from "../../http/errors.js";
import { problem } from "../../http/problem.js";
import { errorResponses } from "../../http/schemas.js";
import { readiness } from "./readiness.js";

const tags = ["Operations"];
const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Checks = Type.Object({ database: Check, migrations: Check, attachments: Check });

/** Seconds a load balancer should wait before asking a not-ready instance again. */
const NOT_READY_RETRY_AFTER_SECONDS = 5;

/**
 * Health for load balancers and orchestrators: `live` (the process answers; restart it when
 * not), `ready` (send it traffic: database, migrations, attachment store) and the older
 * `/api/health` (the database answers).
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Database; attachmentDir: string }> = async (
  app,
  { db, attachmentDir },
) => {
  app.get(
    "/api/health",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Health check",
        description: "The database answers. Prefer `/api/health/ready`, which checks everything an instance needs.",
        response: {
          200: Type.Object({ status: Type.Literal("ok"), database: Type.String() }),
          ...errorResponses("service_unavailable"),
        },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(db.kysely);
      } catch {
        throw new AppError("service_unavailable", "The database does not answer", {
          headers: { "retry-after": String(NOT_READY_RETRY_AFTER_SECONDS) },
        });
      }
      return { status: "ok" as const, database: db.engine };
    },
  );

  app.get(
    "/api/health/live",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Liveness",
        description: "The process runs and answers; touches no database. Restart the instance when this fails.",
        response: { 200: Type.Object({ status: Type.Literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/api/health/ready",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Readiness",
        description:
          "The instance can serve: the database answers, its migrations are current and the attachment store is " +
          "writable. 503 (`service_unavailable`, with `Retry-After`) names the failed check in `checks`.",
        response: {
          200: Type.Object({ status: Type.Literal("ready"), database: Type.String(), checks: Checks }),
          400: Problem,
          500: Problem,
          503: Type.Composite([Problem, Type.Object({ checks: Checks })]),
        },
      },
    },
    async (req, reply) => {
      const result = await readiness(db, attachmentDir);
      if (result.ready) return { status: "ready" as const, database: db.engine, checks: result.checks };
      const failed = Object.entries(result.checks)
        .filter(([, c]) => !c.ok)
        .map(([name]) => name);
      req.log.warn({ checks: result.checks }, "not ready");
      return reply
        .code(503)
        .header("retry-after", String(NOT_READY_RETRY_AFTER_SECONDS))
        .type("application/problem+json")
        .send({
          ...problem("service_unavailable", `Not ready: ${failed.join(", ")} failed`, req),
          checks: result.checks,
        });
    },
  );
};
