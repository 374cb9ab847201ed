import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import cookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { REQUEST_AJV_OPTIONS } from "@kundenakte/contract";
import ajvFormats from "ajv-formats";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { TrustProxy } from "./config.js";
import type { Database } from "./db/database.js";
import { clientErrorHandler } from "./http/client-error.js";
import { inputRulesAjv, registerInputRules } from "./http/input-rules.js";
import { shareProblemSchema } from "./http/openapi-shared.js";
import { handleError, problem } from "./http/problem.js";
import { registerSecurityHeaders } from "./http/security-headers.js";
import { sharedSerializers } from "./http/serializers.js";
import { registerShuttingDown } from "./http/shutting-down.js";
import { type BusinessClock, systemClock } from "./lib/clock.js";
import { AttachmentStore } from "./modules/attachments/attachment-store.js";
import { attachmentRoutes } from "./modules/attachments/attachments.routes.js";
import { adminRoutes } from "./modules/auth/admin.routes.js";
import { type RouteEntry, registerAuth, SESSION_COOKIE } from "./modules/auth/auth.plugin.js";
import { authRoutes } from "./modules/auth/auth.routes.js";
import { Authenticator, type AuthOptions, DEFAULT_AUTH_OPTIONS } from "./modules/auth/auth.service.js";
import { businessTimeRoutes } from "./modules/business-time/business-time.routes.js";
import { campaignRoutes } from "./modules/campaigns/campaigns.routes.js";
import { consentRoutes } from "./modules/consents/consents.routes.js";
import { creditRoutes } from "./modules/credit/credit.routes.js";
import { partRoutes } from "./modules/customer-parts/part.routes.js";
import { customerRoutes } from "./modules/customers/customers.routes.js";
import { documentRoutes } from "./modules/documents/documents.routes.js";
import { dunningRoutes } from "./modules/dunning/dunning.routes.js";
import { figureRoutes } from "./modules/figures/figures.routes.js";
import { followUpRoutes } from "./modules/follow-ups/follow-ups.routes.js";
import { journalRoutes } from "./modules/journal/journal.routes.js";
import { mergeRoutes } from "./modules/merge/merge.routes.js";
import { numberRangeRoutes } from "./modules/number-ranges/number-ranges.routes.js";
import { healthRoutes } from "./modules/operations/health.routes.js";
import { opportunityRoutes } from "./modules/opportunities/opportunities.routes.js";
import { paymentTermsRoutes } from "./modules/payment-terms/payment-terms.routes.js";
import { paymentRoutes } from "./modules/payments/payments.routes.js";
import { preferenceRoutes } from "./modules/preferences/preferences.routes.js";
import { priceAgreementRoutes } from "./modules/price-agreements/price-agreements.routes.js";
import { productRoutes } from "./modules/products/products.routes.js";
import { searchRoutes } from "./modules/search/search.routes.js";
import { segmentRoutes } from "./modules/segments/segments.routes.js";
import { ticketRoutes } from "./modules/tickets/tickets.routes.js";

export const API_VERSION = "0.1.0";

export interface AppOptions {
  db: Database;
  /** Session, lockout and cache settings; defaults suit production. */
  auth?: Partial<AuthOptions>;
  /** Trust X-Forwarded-* headers (behind a TLS-terminating proxy): all, a hop count or the proxies' addresses. */
  trustProxy?: TrustProxy;
  /** The external URL (https://crm.example.com): https turns on HSTS and secure cookies for every request. */
  publicUrl?: string | null;
  /** Serve Prometheus metrics at /metrics to this bearer token; no /metrics without it. */
  metricsToken?: string | null;
  /** Where attachments are stored and how large one may be (default: a temporary directory, 25 MB). */
  attachments?: { dir: string; maxBytes: number };
  /** Directory of the built web UI, served at / (with the SPA's index.html for its routes). */
  webRoot?: string | null;
  /**
   * Only for `npm run bench`, to measure what authentication costs: every request runs as an
   * all-powerful system principal. No configuration or environment variable reaches it.
   */
  insecureNoAuthForBenchmarks?: boolean;
  logger?: FastifyServerOptions["logger"];
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /**
   * The business clock every module reads "now" and "today" from (tests pass one set to a fixed
   * instant); the system clock in Europe/Berlin by default.
   */
  clock?: BusinessClock;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route with the access it declares: the permission tests are generated from it. */
    routeTable: RouteEntry[];
    authenticator: Authenticator;
    attachmentStore: AttachmentStore;
    /** Session cookies carry `Secure` whatever the request's protocol (PUBLIC_URL is https). */
    secureCookies: boolean;
    /** The business clock, handed to every request's context. */
    clock: BusinessClock;
  }
}

/** Builds the HTTP application without listening, so tests can inject requests. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    // A hop count works at run time (proxy-addr), though Fastify's types leave numbers out.
    trustProxy: (opts.trustProxy ?? false) as boolean | string[],
    schemaController: { compilersFactory: { buildSerializer: sharedSerializers() } },
    // Errors of Node's HTTP parser (431, a bad Content-Length) are problem documents too.
    clientErrorHandler,
    // Requests during shutdown get a problem document instead (http/shutting-down.ts).
    return503OnClosing: false,
    ajv: {
      // The contract's request options (unknown fields refused, all errors, safe numbers): the
      // web UI's validators are generated with the same, so a form and the server agree.
      customOptions: { ...REQUEST_AJV_OPTIONS },
      // Text, number and date rules for every request (http/input-rules.ts); after the
      // standard formats, whose date formats they tighten.
      plugins: [ajvFormats as unknown as typeof inputRulesAjv, inputRulesAjv],
    },
    // A URL that is not valid UTF-8 after decoding is a 400 problem document like any other.
    frameworkErrors: (err, req, reply) => handleError(err as never, req, reply.header("x-request-id", req.id)),
  }).withTypeProvider<TypeBoxTypeProvider>();
  registerInputRules(app);

  // The API speaks JSON only: anything else is a 415, not a string for the validator.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler(handleError);
  app.decorate("secureCookies", opts.publicUrl?.startsWith("https://") === true);
  registerSecurityHeaders(app, opts.publicUrl ?? null);
  registerShuttingDown(app);
  if (opts.webRoot) {
    await app.register(fastifyStatic, { root: opts.webRoot, wildcard: false, index: ["index.html"] });
  }
  app.setNotFoundHandler((req, reply) => {
    // The web UI's own routes (/customers/42...) are answered with its index.html.
    if (opts.webRoot && req.method === "GET" && !req.url.startsWith("/api")) {
      return reply.type("text/html; charset=utf-8").sendFile("index.html");
    }
    return reply
      .code(404)
      .type("application/problem+json")
      .send(problem("not_found", `No route ${req.method} ${req.url.split("?")[0]}`, req));
  });
  // A callback hook, not an async one: no promise per response on the hot path.
  app.addHook("onSend", (req, reply, payload, done) => {
    reply.header("x-request-id", req.id);
    done(null, payload);
  });

  const store = new AttachmentStore(
    opts.attachments?.dir ?? mkdtempSync(path.join(tmpdir(), "kundenakte-attachments-")),
    opts.attachments?.maxBytes ?? 25 * 1024 * 1024,
  );
  const auth = new Authenticator(opts.db, { ...DEFAULT_AUTH_OPTIONS, ...opts.auth });
  const routes: RouteEntry[] = [];
  app.decorate("routeTable", routes);
  app.decorate("authenticator", auth);
  app.decorate("attachmentStore", store);
  const clock = opts.clock ?? systemClock;
  app.decorate("clock", clock);
  await app.register(cookie);
  registerAuth(app, auth, routes, opts.insecureNoAuthForBenchmarks === true);

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
      components: {
        securitySchemes: {
          cookieAuth: {
            type: "apiKey",
            in: "cookie",
            name: SESSION_COOKIE,
            description:
              "Session of a person, from POST /api/v1/auth/login. State-changing requests also need X-CSRF-Token.",
          },
          bearerAuth: { type: "http", scheme: "bearer", description: "API token from POST /api/v1/auth/tokens" },
        },
      },
      security: [{ cookieAuth: [] }, { bearerAuth: [] }],
    },
    // The problem document once, as a component, instead of inlined per route and status.
    transformObject: (documentObject) =>
      shareProblemSchema((documentObject as { openapiObject: object }).openapiObject) as never,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", logLevel: "warn" });

  app.get("/api/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { db: opts.db, attachmentDir: store.dir });
  if (opts.metricsToken) {
    // Loaded only when wanted: prom-client costs start-up time every other instance need not pay.
    const { registerMetrics } = await import("./modules/operations/metrics.js");
    registerMetrics(app, opts.db, opts.metricsToken);
  }

  await app.register(
    async (v1) => {
      await v1.register(authRoutes, { db: opts.db, auth });
      await v1.register(businessTimeRoutes, { clock });
      await v1.register(adminRoutes, { db: opts.db, auth });
      await v1.register(customerRoutes, { db: opts.db });
      await v1.register(partRoutes, { db: opts.db });
      await v1.register(numberRangeRoutes, { db: opts.db });
      await v1.register(journalRoutes, { db: opts.db });
      await v1.register(followUpRoutes, { db: opts.db });
      await v1.register(attachmentRoutes, { db: opts.db, store });
      await v1.register(productRoutes, { db: opts.db });
      await v1.register(paymentTermsRoutes, { db: opts.db });
      await v1.register(documentRoutes, { db: opts.db });
      await v1.register(paymentRoutes, { db: opts.db });
      await v1.register(creditRoutes, { db: opts.db });
      await v1.register(figureRoutes, { db: opts.db });
      await v1.register(dunningRoutes, { db: opts.db });
      await v1.register(searchRoutes, { db: opts.db });
      await v1.register(mergeRoutes, { db: opts.db });
      await v1.register(priceAgreementRoutes, { db: opts.db, clock });
      await v1.register(ticketRoutes, { db: opts.db, clock });
      await v1.register(opportunityRoutes, { db: opts.db, clock });
      await v1.register(consentRoutes, { db: opts.db, clock });
      await v1.register(preferenceRoutes, { db: opts.db });
      await v1.register(segmentRoutes, { db: opts.db, clock });
      await v1.register(campaignRoutes, { db: opts.db, clock });
    },
    { prefix: "/api/v1" },
  );

  return app;
}
