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
  /** Trust X-Forwarded-* headers from a reverse proxy (for the client address and TLS). */
  trustProxy: boolean;
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
  const trustProxyRaw = env.TRUST_PROXY?.trim().toLowerCase() || "false";
  if (!["true", "false", "1", "0"].includes(trustProxyRaw)) {
    throw new ConfigError(`TRUST_PROXY must be true or false (got "${env.TRUST_PROXY}")`);
  }
  const trustProxy = trustProxyRaw === "true" || trustProxyRaw === "1";
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
    sessionIdleMinutes,
    sessionMaxHours,
    attachmentDir,
    attachmentMaxBytes,
    businessTimeZone,
  };
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
