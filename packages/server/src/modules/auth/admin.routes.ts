import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import {
  IdParams,
  ItemList,
  Role,
  RoleUpdate,
  Settings,
  SettingsUpdate,
  User,
  UserCreate,
  UserDirectoryEntry,
  UserUpdate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { etag, requireIfMatch } from "../../http/etag.js";
import { errorResponses, IfMatchHeader, VERSIONED_WRITE_ERRORS, WRITE_ERRORS } from "../../http/schemas.js";
import type { Authenticator } from "./auth.service.js";
import * as users from "./users.service.js";

const KeyParams = Type.Object(
  { key: Type.String({ pattern: "^[a-z_]+$", maxLength: 50 }) },
  { additionalProperties: false },
);

/** Users, roles and settings: administration. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ db: Database; auth: Authenticator }> = async (
  app,
  { db, auth },
) => {
  const tags = ["Users and roles"];

  app.get(
    "/users",
    {
      config: { access: "users.read" },
      schema: { tags, summary: "List users", response: { 200: ItemList(User), ...errorResponses() } },
    },
    async () => ({ items: await users.listUsers(db) }),
  );

  app.get(
    "/users/directory",
    {
      // Everyone who works on tickets or follow-ups assigns them to colleagues, not only admins.
      config: { access: "authenticated" },
      schema: {
        tags,
        summary: "The active users to assign work to (name and e-mail)",
        description:
          "For every logged-in user: the colleagues a ticket or follow-up can be assigned to, by name. " +
          "Nothing else of a user (roles, logins, region) — that is `GET /users`, for `users.read`.",
        response: { 200: ItemList(UserDirectoryEntry), ...errorResponses() },
      },
    },
    async () => ({ items: await users.userDirectory(db) }),
  );

  app.post(
    "/users",
    {
      config: { access: "users.create" },
      schema: {
        tags,
        summary: "Create a user",
        body: UserCreate,
        response: { 201: User, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const user = await users.createUser(db, contextOf(req), req.body, req.log);
      return reply
        .code(201)
        .header("location", `/api/v1/users/${user.id}`)
        .header("etag", etag(user.version))
        .send(user);
    },
  );

  app.get(
    "/users/:id",
    {
      config: { access: "users.read" },
      schema: {
        tags,
        summary: "Get a user",
        params: IdParams,
        response: { 200: User, ...errorResponses("not_found") },
      },
    },
    async (req, reply) => {
      const user = await users.getUser(db, req.params.id);
      reply.header("etag", etag(user.version));
      return user;
    },
  );

  app.patch(
    "/users/:id",
    {
      config: { access: "users.update" },
      schema: {
        tags,
        summary: "Change a user: name, roles, language, region, active",
        description: "Users are never deleted (the audit trail keeps their name): deactivate them instead.",
        params: IdParams,
        headers: IfMatchHeader,
        body: UserUpdate,
        response: { 200: User, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const user = await users.updateUser(
        db,
        contextOf(req),
        req.params.id,
        requireIfMatch(req.headers["if-match"]),
        req.body,
        req.log,
      );
      auth.invalidate();
      reply.header("etag", etag(user.version));
      return user;
    },
  );

  app.get(
    "/roles",
    {
      config: { access: "roles.read" },
      schema: {
        tags,
        summary: "List roles with their permissions",
        response: { 200: ItemList(Role), ...errorResponses() },
      },
    },
    async () => ({ items: await users.listRoles(db) }),
  );

  app.patch(
    "/roles/:key",
    {
      config: { access: "roles.update" },
      schema: {
        tags,
        summary: "Change a role's name or permissions",
        params: KeyParams,
        headers: IfMatchHeader,
        body: RoleUpdate,
        response: { 200: Role, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const role = await users.updateRole(
        db,
        contextOf(req),
        req.params.key,
        requireIfMatch(req.headers["if-match"]),
        req.body,
        req.log,
      );
      auth.invalidate();
      reply.header("etag", etag(role.version));
      return role;
    },
  );

  app.get(
    "/settings",
    {
      config: { access: "settings.read" },
      schema: { tags, summary: "Settings", response: { 200: Settings, ...errorResponses() } },
    },
    async (_req, reply) => {
      const s = await users.getSettings(db);
      reply.header("etag", etag(s.version));
      return s;
    },
  );

  app.patch(
    "/settings",
    {
      config: { access: "settings.update" },
      schema: {
        tags,
        summary: "Change settings (e.g. the row-level rule for sales)",
        headers: IfMatchHeader,
        body: SettingsUpdate,
        response: { 200: Settings, ...errorResponses(...VERSIONED_WRITE_ERRORS) },
      },
    },
    async (req, reply) => {
      const s = await users.updateSettings(
        db,
        contextOf(req),
        requireIfMatch(req.headers["if-match"]),
        req.body,
        req.log,
      );
      auth.invalidate();
      reply.header("etag", etag(s.version));
      return s;
    },
  );
};
