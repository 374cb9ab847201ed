import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { sql } from "kysely";
import type { Database } from "./db/database.js";
import { AppError } from "./http/errors.js";
import { handleError, problem } from "./http/problem.js";
import { errorResponses } from "./http/schemas.js";
import { partRoutes } from "./modules/customer-parts/part.routes.js";
import { customerRoutes } from "./modules/customers/customers.routes.js";
import { numberRangeRoutes } from "./modules/number-ranges/number-ranges.routes.js";

export const API_VERSION = "0.1.0";

export interface AppOptions {
  db: Database;
  logger?: FastifyServerOptions["logger"];
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
}

/** Builds the HTTP application without listening, so tests can inject requests. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    ajv: {
      customOptions: {
        // Unknown fields are an error, not silently dropped: a typo must not lose data.
        removeAdditional: false,
        allErrors: true,
        allowUnionTypes: true,
        coerceTypes: "array",
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The API speaks JSON only: anything else is a 415, not a string for the validator.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type("application/problem+json")
      .send(problem("not_found", `No route ${req.method} ${req.url.split("?")[0]}`, req)),
  );
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Kundenakte API",
        version: API_VERSION,
        description:
          "The customer file: customers, their addresses, communication channels, contacts and bank accounts. " +
          "Errors are RFC 9457 problem documents with a stable `code`. Writes to existing records need `If-Match`.",
      },
      servers: [{ url: "/" }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", logLevel: "warn" });

  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  app.get(
    "/api/health",
    {
      schema: {
        tags: ["Operations"],
        summary: "Health check",
        response: {
          200: Type.Object({ status: Type.Literal("ok"), database: Type.String() }),
          ...errorResponses("service_unavailable"),
        },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(opts.db.kysely);
      } catch {
        throw new AppError("service_unavailable", "The database does not answer");
      }
      return { status: "ok" as const, database: opts.db.engine };
    },
  );

  await app.register(
    async (v1) => {
      await v1.register(customerRoutes, { db: opts.db });
      await v1.register(partRoutes, { db: opts.db });
      await v1.register(numberRangeRoutes, { db: opts.db });
    },
    { prefix: "/api/v1" },
  );

  return app;
}
