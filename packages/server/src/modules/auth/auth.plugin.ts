import { PERMISSIONS, type Permission } from "@kundenakte/contract";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../../http/errors.js";
import type { Authenticator } from "./auth.service.js";
import { can, type Principal } from "./principal.js";
import { sameSecret } from "./secrets.js";
import { securityEvent } from "./security-events.js";

/** What a route requires: a permission, any logged-in user, or nothing. */
export type RouteAccess = Permission | "authenticated" | "public";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Every route declares it; a route without it answers 403 to everyone (default deny). */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = "kundenakte_session";
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

/**
 * Public without a declaration: the documentation UI (like the OpenAPI document) and
 * everything outside /api — the web UI's static files, which hold no data.
 */
const isDocs = (url: string) => url === "/api/docs" || url.startsWith("/api/docs/") || !url.startsWith("/api");

/**
 * Authentication and authorisation for every route: 401 without a valid session or token,
 * 403 without the route's permission, a write with a read-only token, or a cookie-session
 * write without the CSRF token. Records the route table so tests can check every route.
 */
export function registerAuth(app: FastifyInstance, auth: Authenticator, routes: RouteEntry[], disabled = false): void {
  app.decorateRequest("principal", null);

  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = route.config?.access ?? (isDocs(route.url) ? "public" : undefined);
    for (const method of methods) {
      if (method === "HEAD" || method === "OPTIONS") continue;
      routes.push({ method, url: route.url, access });
    }
    if (route.schema && !route.schema.hide && access) {
      const schema = route.schema as Record<string, unknown>;
      schema.security = access === "public" ? [] : [{ cookieAuth: [] }, { bearerAuth: [] }];
      const note =
        access === "public"
          ? "Public: no login needed."
          : access === "authenticated"
            ? "Needs a logged-in user."
            : `Needs the permission \`${access}\`.`;
      schema.description = schema.description ? `${schema.description}\n\n${note}` : note;
      schema["x-permission"] = access;
    }
  });

  if (disabled) {
    const everything: Principal = {
      userId: 0,
      email: "system",
      name: "system",
      roles: ["admin"],
      permissions: new Set(PERMISSIONS),
      scopes: null,
      csrfToken: null,
      sessionId: null,
      visibility: null,
    };
    app.addHook("onRequest", async (req) => {
      req.principal = everything;
    });
    return;
  }

  app.addHook("onRequest", async (req) => {
    const access = req.routeOptions.config?.access ?? (isDocs(req.routeOptions.url ?? req.url) ? "public" : undefined);
    if (access === "public") return;
    const principal = await authenticate(req, auth);
    if (!principal) throw new AppError("unauthenticated", "Log in first, or send a valid API token");
    req.principal = principal;
    if (req.is404) return;
    if (!access)
      throw deny(req, principal, "no_permission_declared", "This route declares no permission, so nobody may use it");
    if (access !== "authenticated" && !can(principal, access)) {
      throw deny(req, principal, "missing_permission", `Your roles do not allow this (needs ${access})`, access);
    }
    if (STATE_CHANGING.has(req.method)) {
      if (principal.scopes && !principal.scopes.includes("write")) {
        throw deny(req, principal, "read_only_token", "This API token may only read; create one with the write scope");
      }
      if (principal.csrfToken !== null) {
        const sent = req.headers["x-csrf-token"];
        if (typeof sent !== "string" || !sameSecret(sent, principal.csrfToken)) {
          throw deny(req, principal, "csrf", "Missing or wrong X-CSRF-Token header for this session");
        }
      }
    }
  });
}

/** The 403 of a refused request, logged as a security event. */
function deny(
  req: FastifyRequest,
  principal: Principal,
  reason: string,
  message: string,
  permission?: string,
): AppError {
  securityEvent(req.log, "auth.access_denied", {
    userId: principal.userId,
    method: req.method,
    url: req.routeOptions.url ?? req.url.split("?")[0],
    reason,
    ...(permission ? { permission } : {}),
  });
  return new AppError("forbidden", message);
}

/** Bearer token first (integrations), then the session cookie (people). */
async function authenticate(req: FastifyRequest, auth: Authenticator): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? auth.fromToken(m[1]!) : null;
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  return cookie ? auth.fromSession(cookie) : null;
}
