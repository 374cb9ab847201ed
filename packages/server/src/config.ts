import path from "node:path";
import { DEFAULT_BUSINESS_TIME_ZONE, isTimeZone } from "./lib/clock.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; SQLite under `dataDir` when absent. */
  databaseUrl: string | null;
  logLevel: LogLevel;
  /** Largest accepted request body in bytes. */
  bodyLimit: number;
  /**
   * Trust X-Forwarded-* headers from a reverse proxy (for the client address and TLS): false,
   * true (any proxy), a hop count, or the proxies' addresses/CIDRs — Fastify's `trustProxy`.
   */
  trustProxy: TrustProxy;
  /** The external URL people use (https://crm.example.com); https turns on HSTS and secure cookies. */
  publicUrl: string | null;
  /** Bearer token Prometheus sends to GET /metrics; the endpoint does not exist without it. */
  metricsToken: string | null;
  /** How long SIGTERM/SIGINT waits for requests in flight before closing their connections. */
  shutdownTimeoutSeconds: number;
  /** A login session unused this long ends. */
  sessionIdleMinutes: number;
  /** A login session ends this long after login, however busy. */
  sessionMaxHours: number;
  /** Where attachments are stored, once per content (SHA-256). */
  attachmentDir: string;
  /** Largest accepted attachment or e-mail in bytes (larger: 413). */
  attachmentMaxBytes: number;
  /** The firm's IANA time zone: what day it is for due dates, days overdue, document dates. */
  businessTimeZone: string;
}

/** Fastify's `trustProxy`: all, none, a number of hops, or a list of addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

/** A configuration error: start-up stops with this one line, not a stack trace. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Reads the configuration from environment variables.
 * Every value is checked here so that a typo stops start-up with one clear line.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parseIntVar(env, "PORT", 3000, 0, 65535);
  const host = env.HOST?.trim() || "127.0.0.1";
  const dataDir = path.resolve(env.DATA_DIR?.trim() || "./data");
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite database)`,
    );
  }
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${env.LOG_LEVEL}")`);
  }
  const bodyLimit = parseIntVar(env, "BODY_LIMIT", 1024 * 1024, 1024, 1024 * 1024 * 1024);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  const publicUrl = parsePublicUrl(env.PUBLIC_URL);
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken !== null && !/^[\x21-\x7e]{16,}$/.test(metricsToken)) {
    throw new ConfigError("METRICS_TOKEN must be at least 16 printable characters without spaces");
  }
  const shutdownTimeoutSeconds = parseIntVar(env, "SHUTDOWN_TIMEOUT_SECONDS", 10, 1, 600);
  const sessionIdleMinutes = parseIntVar(env, "SESSION_IDLE_MINUTES", 120, 1, 7 * 24 * 60);
  const sessionMaxHours = parseIntVar(env, "SESSION_MAX_HOURS", 12, 1, 30 * 24);
  const attachmentDir = path.resolve(env.ATTACHMENT_DIR?.trim() || path.join(dataDir, "attachments"));
  const attachmentMaxBytes = parseIntVar(env, "ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024);
  const businessTimeZone = env.BUSINESS_TIME_ZONE?.trim() || DEFAULT_BUSINESS_TIME_ZONE;
  if (!isTimeZone(businessTimeZone)) {
    throw new ConfigError(
      `BUSINESS_TIME_ZONE must be an IANA time zone such as Europe/Berlin (got "${env.BUSINESS_TIME_ZONE}")`,
    );
  }
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    logLevel,
    bodyLimit,
    trustProxy,
    publicUrl,
    metricsToken,
    shutdownTimeoutSeconds,
    sessionIdleMinutes,
    sessionMaxHours,
    attachmentDir,
    attachmentMaxBytes,
    businessTimeZone,
  };
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*(\/\d{1,3})?$/i;

/**
 * TRUST_PROXY: true/false, a hop count (1 = the nearest proxy only), or a comma-separated list
 * of the proxies' addresses or CIDRs (also `loopback`, `linklocal`, `uniquelocal`).
 */
function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim().toLowerCase() || "false";
  if (value === "true") return true;
  if (value === "false" || value === "0") return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 100) throw new ConfigError(`TRUST_PROXY hop count must be between 0 and 100 (got ${hops})`);
    return hops;
  }
  const list = value.split(",").map((s) => s.trim());
  const bad = list.find((a) => !["loopback", "linklocal", "uniquelocal"].includes(a) && !IPV4.test(a) && !IPV6.test(a));
  if (bad !== undefined) {
    throw new ConfigError(
      `TRUST_PROXY must be true, false, a number of proxy hops, or comma-separated proxy addresses/CIDRs (got "${raw}")`,
    );
  }
  return list;
}

/** PUBLIC_URL: an absolute http(s) URL without query or fragment; its trailing slash is dropped. */
function parsePublicUrl(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL such as https://crm.example.com (got "${value}")`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash || url.username) {
    throw new ConfigError(
      `PUBLIC_URL must be an http:// or https:// URL without query, fragment or user (got "${value}")`,
    );
  }
  return url.toString().replace(/\/$/, "");
}

function parseIntVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number (got "${raw}")`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max} (got ${value})`);
  return value;
}

/** Redacts the password of a connection string for logs and `doctor`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
