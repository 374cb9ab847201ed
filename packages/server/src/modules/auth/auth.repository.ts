import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { compiledOnce, type Database } from "../../db/database.js";
import { readJson, toJson } from "../../db/dialect.js";
import type { ApiTokensTable, DB, RolesTable, UsersTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type UserRow = Selectable<UsersTable>;
export type RoleRow = Selectable<RolesTable>;
export type TokenRow = Selectable<ApiTokensTable>;

// ------------------------------------------------------------------ users

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

export async function findUser(db: Executor, id: number): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listUsers(db: Executor): Promise<UserRow[]> {
  return db.selectFrom("users").selectAll().orderBy("name").orderBy("id").execute();
}

export async function insertUser(trx: Executor, values: Omit<UserRow, "id">): Promise<number> {
  const r = await trx.insertInto("users").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateUser(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<Omit<UserRow, "id" | "version">>,
): Promise<boolean> {
  const r = await trx
    .updateTable("users")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setLastLogin(trx: Executor, id: number, at: string): Promise<void> {
  await trx.updateTable("users").set({ last_login_at: at }).where("id", "=", id).execute();
}

/**
 * Stores a new password hash and ends what the old password opened: the user's sessions (but
 * `keepSession`, the one that made the change) and, with `revokeTokens`, their API tokens.
 */
export async function setPassword(
  trx: Executor,
  userId: number,
  hash: string,
  at: string,
  opts: { keepSession: string | null; revokeTokens: boolean },
): Promise<{ endedSessions: number; revokedTokens: number }> {
  await trx.updateTable("users").set({ password_hash: hash, updated_at: at }).where("id", "=", userId).execute();
  const endedSessions = await deleteSessionsOfUser(trx, userId, opts.keepSession);
  const revokedTokens = opts.revokeTokens ? await revokeTokensOfUser(trx, userId, at) : 0;
  return { endedSessions, revokedTokens };
}

export async function rolesOf(db: Executor, userIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom("user_roles")
    .selectAll()
    .where("user_id", "in", [...userIds])
    .orderBy("role_key")
    .execute();
  for (const r of rows) {
    const id = Number(r.user_id);
    out.set(id, [...(out.get(id) ?? []), r.role_key]);
  }
  return out;
}

export async function replaceRoles(trx: Executor, userId: number, roles: readonly string[]): Promise<void> {
  await trx.deleteFrom("user_roles").where("user_id", "=", userId).execute();
  if (roles.length > 0) {
    await trx
      .insertInto("user_roles")
      .values(roles.map((role_key) => ({ user_id: userId, role_key })))
      .execute();
  }
}

/** Whether an active user holds the admin role: the one-time setup is closed once one does. */
export async function activeAdminExists(db: Executor): Promise<boolean> {
  const r = await db
    .selectFrom("users as u")
    .innerJoin("user_roles as r", "r.user_id", "u.id")
    .select("u.id")
    .where("r.role_key", "=", "admin")
    .executeTakeFirst();
  return r !== undefined;
}

// ------------------------------------------------------------------ roles

export interface RoleRecord {
  key: string;
  name: string;
  builtIn: boolean;
  permissions: string[];
  version: number;
}

const toRole = (r: RoleRow): RoleRecord => ({
  key: r.key,
  name: r.name,
  builtIn: r.built_in === true || r.built_in === 1,
  permissions: readJson<string[]>(r.permissions),
  version: r.version,
});

export async function listRoles(db: Executor): Promise<RoleRecord[]> {
  return (await db.selectFrom("roles").selectAll().orderBy("key").execute()).map(toRole);
}

export async function updateRole(
  trx: Executor,
  key: string,
  version: number,
  values: { name?: string; permissions?: string[]; updated_at: string },
): Promise<boolean> {
  const r = await trx
    .updateTable("roles")
    .set({
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.permissions !== undefined ? { permissions: toJson(values.permissions) } : {}),
      updated_at: values.updated_at,
      version: version + 1,
    })
    .where("key", "=", key)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ------------------------------------------------------------------ sessions

export interface SessionRow {
  id: string;
  user_id: number;
  csrf_token: string;
  last_seen_at: string;
  expires_at: string;
}

export async function insertSession(
  trx: Executor,
  values: SessionRow & { created_at: string; ip: string | null; user_agent: string | null },
): Promise<void> {
  await trx.insertInto("sessions").values(values).execute();
}

/** A session by the digest of its cookie, through a prepared statement (every request asks). */
export async function findSession(db: Database, id: string): Promise<SessionRow | undefined> {
  const q = compiledOnce(db, "auth.findSession", () =>
    db.kysely
      .selectFrom("sessions")
      .select(["id", "user_id", "csrf_token", "last_seen_at", "expires_at"])
      .where("id", "=", "")
      .compile(),
  );
  const [row] = await db.read(q, [id]);
  return row;
}

export async function touchSession(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: at }).where("id", "=", id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: number, except: string | null): Promise<number> {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (except) q = q.where("id", "<>", except);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

export async function deleteExpiredSessions(db: Executor, now: string, idleBefore: string): Promise<void> {
  await db
    .deleteFrom("sessions")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", idleBefore)]))
    .execute();
}

// ------------------------------------------------------------------ API tokens

export async function insertToken(trx: Executor, values: Omit<TokenRow, "id">): Promise<TokenRow> {
  return trx.insertInto("api_tokens").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findTokenByHash(db: Executor, tokenHash: string): Promise<TokenRow | undefined> {
  return db.selectFrom("api_tokens").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

export async function listTokens(db: Executor, userId: number): Promise<TokenRow[]> {
  return db.selectFrom("api_tokens").selectAll().where("user_id", "=", userId).orderBy("id", "desc").execute();
}

export async function revokeToken(db: Executor, userId: number, id: number, at: string): Promise<boolean> {
  const r = await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Revokes every live token of a user (password change or reset, deactivation): stored, so reactivation revives none. */
export async function revokeTokensOfUser(db: Executor, userId: number, at: string): Promise<number> {
  const r = await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function touchToken(db: Executor, id: number, at: string): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
}

// ------------------------------------------------------------------ login throttling

export interface ThrottleRow {
  key: string;
  failures: number;
  first_failure_at: string;
  locked_until: string | null;
}

export async function findThrottles(db: Executor, keys: string[]): Promise<ThrottleRow[]> {
  return db.selectFrom("login_throttle").selectAll().where("key", "in", keys).execute();
}

/** What one attempt claims: the counting window and the lock it starts when it reaches the limit. */
export interface AttemptClaim {
  key: string;
  /** ISO time of the attempt. */
  now: string;
  /** Failures before this time no longer count (the window restarts). */
  windowStart: string;
  /** Until when the lock lasts if this attempt reaches the limit. */
  lockUntil: string;
  limit: number;
}

/**
 * Counts an attempt before its password is checked, in one atomic statement (an upsert that
 * increments in the database, not in this process): parallel attempts on any instance each
 * get a number of their own, so no more than `limit` of them are ever checked in a window.
 * Returns the attempt's number in the window and the lock in force after it.
 */
export async function claimAttempt(
  db: Executor,
  c: AttemptClaim,
): Promise<{ attempt: number; lockedUntil: string | null }> {
  const open = sql<boolean>`login_throttle.first_failure_at > ${c.windowStart}`;
  const next = sql<number>`case when ${open} then login_throttle.failures + 1 else 1 end`;
  const r = await db
    .insertInto("login_throttle")
    .values({ key: c.key, failures: 1, first_failure_at: c.now, locked_until: c.limit <= 1 ? c.lockUntil : null })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        failures: next,
        first_failure_at: sql<string>`case when ${open} then login_throttle.first_failure_at else ${c.now} end`,
        // A running lock keeps its end; the attempt that reaches the limit starts one.
        locked_until: sql<
          string | null
        >`case when login_throttle.locked_until > ${c.now} then login_throttle.locked_until when ${next} >= ${c.limit} then ${c.lockUntil} else null end`,
      }),
    )
    .returning(["failures", "locked_until"])
    .executeTakeFirstOrThrow();
  return { attempt: Number(r.failures), lockedUntil: r.locked_until };
}

/**
 * A successful attempt forgets the failures before it — but only when no other attempt was
 * counted since its own (compare-and-set on its number); otherwise it only gives back its own
 * count, so failures made in parallel with a success still count and keep their lock.
 */
export async function settleSuccess(db: Executor, key: string, attempt: number, limit: number): Promise<void> {
  const forgotten = await db
    .deleteFrom("login_throttle")
    .where("key", "=", key)
    .where("failures", "=", attempt)
    .executeTakeFirst();
  if (Number(forgotten.numDeletedRows) === 1) return;
  await releaseAttempt(db, key, limit);
}

/** Gives back one counted attempt (a success that must not forgive others' failures). */
export async function releaseAttempt(db: Executor, key: string, limit: number): Promise<void> {
  await db
    .updateTable("login_throttle")
    .set({
      failures: sql<number>`case when failures > 0 then failures - 1 else 0 end`,
      locked_until: sql<string | null>`case when failures - 1 >= ${limit} then locked_until else null end`,
    })
    .where("key", "=", key)
    .execute();
}

// ------------------------------------------------------------------ settings

export async function readSetting<T>(db: Executor, key: string): Promise<{ value: T; version: number } | undefined> {
  const r = await db.selectFrom("settings").select(["value", "version"]).where("key", "=", key).executeTakeFirst();
  return r ? { value: readJson<T>(r.value), version: r.version } : undefined;
}

export async function writeSetting(
  trx: Executor,
  key: string,
  version: number,
  value: unknown,
  at: string,
): Promise<boolean> {
  const r = await trx
    .updateTable("settings")
    .set({ value: toJson(value), version: version + 1, updated_at: at })
    .where("key", "=", key)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
