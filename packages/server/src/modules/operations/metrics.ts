import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../../db/database.js";
import { AppError } from "../../http/errors.js";

/** Latency buckets in seconds: the file endpoint answers in about a millisecond, a large export in seconds. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

function sameToken(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus metrics at GET /metrics, for scrapers that send `Authorization: Bearer <token>`.
 * Per request the hot path does one histogram observation (count and latency per route
 * pattern, method and status); everything else is read when Prometheus scrapes: database
 * query time, the PostgreSQL pool, and Node's defaults (event-loop lag, RSS, heap, CPU, GC).
 */
export function registerMetrics(app: FastifyInstance, db: Database, token: string): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP requests by method, route pattern and status: count and time to the response",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const queries = new Histogram({
    name: "db_query_duration_seconds",
    help: "Database queries: count and time",
    labelNames: ["engine"] as const,
    buckets: DB_BUCKETS,
    registers: [registry],
  });
  const engineQueries = queries.labels(db.engine);
  db.observeQueries((ms) => engineQueries.observe(ms / 1000));
  new Gauge({
    name: "db_pool_connections",
    help: "PostgreSQL pool connections by state (total, idle) and requests waiting for one",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const stats = db.poolStats();
      if (!stats) return;
      this.set({ state: "total" }, stats.total);
      this.set({ state: "idle" }, stats.idle);
      this.set({ state: "waiting" }, stats.waiting);
    },
  });

  app.addHook("onResponse", async (req: FastifyRequest, reply: FastifyReply) => {
    // The route pattern, never the URL: ids and random paths must not make new series.
    requests.observe(
      { method: req.method, route: req.routeOptions.url ?? "unmatched", status_code: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });
  app.addHook("onClose", async () => db.observeQueries(null));

  app.get(
    "/metrics",
    { config: { access: "public" }, schema: { hide: true }, logLevel: "warn" },
    async (req, reply) => {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
      if (!m || !sameToken(m[1]!, token)) {
        throw new AppError("unauthenticated", "Send the METRICS_TOKEN as a bearer token", {
          headers: { "www-authenticate": 'Bearer realm="metrics"' },
        });
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}
