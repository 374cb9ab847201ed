import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import {
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  IdParams,
  ItemList,
  LoginRequest,
  PasswordChange,
  Session,
  SetupRequest,
  User,
} from "@kundenakte/contract";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Database } from "../../db/database.js";
import { errorResponses } from "../../http/schemas.js";
import { SESSION_COOKIE } from "./auth.plugin.js";
import type { Authenticator } from "./auth.service.js";
import { securityEvent } from "./security-events.js";
import * as users from "./users.service.js";

const tags = ["Login and tokens"];

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, value: string, maxAgeSeconds: number) {
  reply.setCookie(SESSION_COOKIE, value, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    // Behind TLS (directly, via a proxy with TRUST_PROXY, or PUBLIC_URL https) the cookie is never sent in clear.
    secure: req.server.secureCookies || req.protocol === "https",
    maxAge: maxAgeSeconds,
  });
}

export const authRoutes: FastifyPluginAsyncTypebox<{ db: Database; auth: Authenticator }> = async (
  app,
  { db, auth },
) => {
  app.post(
    "/auth/login",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Log in with e-mail and password",
        description:
          "Sets the HttpOnly session cookie and returns the session with its CSRF token. Repeated failures lock the account and the address for a while (429).",
        body: LoginRequest,
        response: { 200: Session, ...errorResponses("unauthenticated", "too_many_requests") },
      },
    },
    async (req, reply) => {
      const { cookie, session } = await auth.login(
        req.body.email,
        req.body.password,
        req.ip,
        req.headers["user-agent"] ?? null,
        req.log,
      );
      setSessionCookie(req, reply, cookie, auth.options.sessionMaxHours * 3600);
      return session;
    },
  );

  app.post(
    "/auth/logout",
    {
      config: { access: "authenticated" },
      schema: {
        tags,
        summary: "Log out: ends the session",
        response: { 204: { type: "null", description: "Done" }, ...errorResponses("unauthenticated") },
      },
    },
    async (req, reply) => {
      await auth.logout(req.principal!, req.log);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send();
    },
  );

  app.get(
    "/auth/session",
    {
      config: { access: "authenticated" },
      schema: {
        tags,
        summary: "Who is logged in, with permissions and the CSRF token",
        response: { 200: Session, ...errorResponses("unauthenticated") },
      },
    },
    async (req) => auth.sessionOf(req.principal!),
  );

  app.get(
    "/auth/setup",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Whether the one-time setup (first administrator) is still open",
        response: { 200: Type.Object({ setupRequired: Type.Boolean() }) },
      },
    },
    async () => ({ setupRequired: await users.setupRequired(db) }),
  );

  app.post(
    "/auth/setup",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Create the first administrator of a fresh installation",
        description: "Works once: as soon as an administrator exists it answers 409.",
        body: SetupRequest,
        response: { 201: User, ...errorResponses("conflict") },
      },
    },
    async (req, reply) => {
      const user = await users.setupFirstAdmin(db, { actor: "setup", requestId: req.id }, req.body);
      auth.invalidate();
      securityEvent(req.log, "admin.setup_completed", { userId: user.id, email: user.email });
      return reply.code(201).send(user);
    },
  );

  app.post(
    "/auth/password",
    {
      config: { access: "authenticated" },
      schema: {
        tags,
        summary: "Change your own password",
        description:
          "Ends your other sessions (the one making the change stays) and revokes your API tokens unless `revokeTokens` is false. A wrong current password counts as a failed login of the account: when the account is locked the answer is 429, as for a login.",
        body: PasswordChange,
        response: {
          204: { type: "null", description: "Done" },
          ...errorResponses("unauthenticated", "too_many_requests"),
        },
      },
    },
    async (req, reply) => {
      await auth.changePassword(req.principal!, req.body.currentPassword, req.body.newPassword, {
        revokeTokens: req.body.revokeTokens ?? true,
        ip: req.ip,
        log: req.log,
      });
      return reply.code(204).send();
    },
  );

  app.get(
    "/auth/tokens",
    {
      config: { access: "authenticated" },
      schema: {
        tags,
        summary: "Your API tokens",
        response: { 200: ItemList(ApiToken), ...errorResponses("unauthenticated") },
      },
    },
    async (req) => ({ items: await auth.listTokens(req.principal!) }),
  );

  app.post(
    "/auth/tokens",
    {
      config: { access: "authenticated" },
      schema: {
        tags,
        summary: "Create an API token for yourself",
        description:
          "The token is shown once; send it as `Authorization: Bearer <token>`. A `read` token cannot write.",
        body: ApiTokenCreate,
        response: { 201: ApiTokenCreated, ...errorResponses("unauthenticated") },
      },
    },
    async (req, reply) => {
      const created = await auth.createToken(
        req.principal!,
        req.body.name,
        req.body.scopes,
        req.body.expiresInDays,
        req.log,
      );
      return reply.code(201).send(created);
    },
  );

  app.delete(
    "/auth/tokens/:id",
    {
      config: { access: "authenticated" },
      schema: {
        tags,
        summary: "Revoke one of your API tokens",
        params: IdParams,
        response: { 204: { type: "null", description: "Done" }, ...errorResponses("unauthenticated", "not_found") },
      },
    },
    async (req, reply) => {
      await auth.revokeToken(req.principal!, req.params.id, req.log);
      return reply.code(204).send();
    },
  );
};
