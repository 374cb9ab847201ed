import {
  PERMISSIONS,
  type Role,
  type RoleUpdate,
  type Settings,
  type User,
  type UserCreate,
  type UserDirectoryEntry,
  type UserUpdate,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { flag, toFlag } from "../../db/dialect.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { nowIso } from "../../lib/time.js";
import { insertAudit } from "../audit/audit.repository.js";
import { diff } from "../audit/audit.service.js";
import * as repo from "./auth.repository.js";
import { presentUser } from "./auth.service.js";
import { hashPassword } from "./secrets.js";
import { NO_SECURITY_LOG, type SecurityLog, securityEvent } from "./security-events.js";

type Executor = Parameters<typeof repo.findUser>[0];

async function auditAdmin(
  trx: Executor,
  ctx: RequestContext,
  entityType: string,
  entityId: number,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<void> {
  const changes = diff(before, after, ["lastLoginAt"]);
  if (before && after && changes.length === 0) return;
  await insertAudit(trx, {
    at: nowIso(),
    actor: ctx.actor,
    customerId: null,
    entityType,
    entityId,
    action: before === null ? "create" : after === null ? "delete" : "update",
    changes,
    requestId: ctx.requestId,
  });
}

async function checkRoles(db: Executor, roles: readonly string[], errs: FieldErrors): Promise<void> {
  const known = new Set((await repo.listRoles(db)).map((r) => r.key));
  for (const r of roles) if (!known.has(r)) errs.add("roles", "unknown_role", `there is no role "${r}"`);
}

async function loadUser(db: Executor, id: number): Promise<User | undefined> {
  const u = await repo.findUser(db, id);
  return u ? presentUser(u, (await repo.rolesOf(db, [id])).get(id) ?? []) : undefined;
}

/** Creates a user. Used by admins, by the one-time setup and by `kundenakte user create`. */
export async function createUser(
  db: Database,
  ctx: RequestContext,
  input: UserCreate,
  log: SecurityLog = NO_SECURITY_LOG,
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const user = await db.kysely.transaction().execute(async (trx) => {
    const errs = new FieldErrors();
    await checkRoles(trx, input.roles, errs);
    errs.throwIfAny();
    const at = nowIso();
    const id = await repo.insertUser(trx, {
      email: input.email.trim().toLowerCase(),
      name: input.name.trim(),
      password_hash: passwordHash,
      active: toFlag(db.engine, true) as never,
      language: input.language ?? "de",
      region: input.region ?? null,
      last_login_at: null,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    await repo.replaceRoles(trx, id, input.roles);
    const user = (await loadUser(trx, id))!;
    await auditAdmin(trx, ctx, "user", id, null, user);
    return user;
  });
  securityEvent(log, "admin.user_created", { userId: user.id, email: user.email, roles: user.roles, actor: ctx.actor });
  return user;
}

/**
 * The one-time setup of a fresh installation: creates the first admin. Refused (409) as soon
 * as an admin exists, so it cannot be used to take over an installation.
 */
export async function setupFirstAdmin(
  db: Database,
  ctx: RequestContext,
  input: { email: string; name: string; password: string },
): Promise<User> {
  if (await repo.activeAdminExists(db.kysely)) {
    throw new AppError("conflict", "Setup is done already: an administrator exists. Log in instead.");
  }
  return createUser(db, ctx, { ...input, roles: ["admin"] });
}

export async function setupRequired(db: Database): Promise<boolean> {
  return !(await repo.activeAdminExists(db.kysely));
}

export async function listUsers(db: Database): Promise<User[]> {
  const users = await repo.listUsers(db.kysely);
  const roles = await repo.rolesOf(
    db.kysely,
    users.map((u) => Number(u.id)),
  );
  return users.map((u) => presentUser(u, roles.get(Number(u.id)) ?? []));
}

const NAME_ORDER = new Intl.Collator("de");

/**
 * The active users, by name, as anyone logged in may see them to assign work (tickets,
 * follow-ups): name and e-mail, nothing about roles, logins or regions.
 */
export async function userDirectory(db: Database): Promise<UserDirectoryEntry[]> {
  // Sorted here, not by the database: the engines collate names differently.
  return (await repo.listUsers(db.kysely))
    .filter((u) => flag(u.active))
    .map((u) => ({ email: u.email, name: u.name }))
    .sort((a, b) => NAME_ORDER.compare(a.name, b.name) || NAME_ORDER.compare(a.email, b.email));
}

export async function getUser(db: Database, id: number): Promise<User> {
  const u = await loadUser(db.kysely, id);
  if (!u) throw notFound("User", id);
  return u;
}

/**
 * Changes name, roles, language, region or the active flag. Deactivating ends the user's
 * sessions and revokes their API tokens — stored, so reactivating revives none of them.
 */
export async function updateUser(
  db: Database,
  ctx: RequestContext,
  id: number,
  version: number,
  patch: UserUpdate,
  log: SecurityLog = NO_SECURITY_LOG,
): Promise<User> {
  let revokedTokens = 0;
  const { before, after } = await db.kysely.transaction().execute(async (trx) => {
    const before = await loadUser(trx, id);
    if (!before) throw notFound("User", id);
    if (before.version !== version) throw versionMismatch(before, before.version);
    const errs = new FieldErrors();
    if (patch.roles) await checkRoles(trx, patch.roles, errs);
    if (before.email === ctx.actor && (patch.active === false || (patch.roles && !patch.roles.includes("admin")))) {
      if (before.roles.includes("admin"))
        errs.add(
          patch.active === false ? "active" : "roles",
          "self_lockout",
          "you cannot remove your own administration rights",
        );
    }
    errs.throwIfAny();
    const ok = await repo.updateUser(trx, id, version, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.active !== undefined ? { active: toFlag(db.engine, patch.active) as never } : {}),
      ...(patch.language !== undefined ? { language: patch.language } : {}),
      ...(patch.region !== undefined ? { region: patch.region } : {}),
      updated_at: nowIso(),
    });
    if (!ok) {
      const now = (await loadUser(trx, id))!;
      throw versionMismatch(now, now.version);
    }
    if (patch.roles) await repo.replaceRoles(trx, id, patch.roles);
    if (patch.active === false) {
      await repo.deleteSessionsOfUser(trx, id, null);
      revokedTokens = await repo.revokeTokensOfUser(trx, id, nowIso());
    }
    const after = (await loadUser(trx, id))!;
    await auditAdmin(trx, ctx, "user", id, before, after);
    return { before, after };
  });
  logUserChange(log, ctx, before, after, revokedTokens);
  return after;
}

function logUserChange(log: SecurityLog, ctx: RequestContext, before: User, after: User, revokedTokens: number): void {
  if (before.roles.join() !== after.roles.join()) {
    securityEvent(log, "admin.user_roles_changed", {
      userId: after.id,
      from: before.roles,
      to: after.roles,
      actor: ctx.actor,
    });
  }
  if (before.active && !after.active) {
    securityEvent(log, "admin.user_deactivated", { userId: after.id, revokedTokens, actor: ctx.actor });
  }
  if (!before.active && after.active)
    securityEvent(log, "admin.user_reactivated", { userId: after.id, actor: ctx.actor });
}

/**
 * Sets a new password without the old one (`kundenakte user password`, for a user who lost
 * theirs, or whose password may have leaked): ends all their sessions and revokes all their
 * API tokens.
 */
export async function resetPassword(
  db: Database,
  ctx: RequestContext,
  email: string,
  password: string,
  log: SecurityLog = NO_SECURITY_LOG,
): Promise<{ endedSessions: number; revokedTokens: number }> {
  const user = await repo.findUserByEmail(db.kysely, email.trim().toLowerCase());
  if (!user) throw notFound("User", email);
  const hash = await hashPassword(password);
  const ended = await db.kysely.transaction().execute(async (trx) => {
    const at = nowIso();
    const ended = await repo.setPassword(trx, Number(user.id), hash, at, { keepSession: null, revokeTokens: true });
    await insertAudit(trx, {
      at,
      actor: ctx.actor,
      customerId: null,
      entityType: "user",
      entityId: Number(user.id),
      action: "update",
      changes: [{ field: "password", old: null, new: "(reset)" }],
      requestId: ctx.requestId,
    });
    return ended;
  });
  securityEvent(log, "auth.password_reset", { userId: Number(user.id), actor: ctx.actor, ...ended });
  return ended;
}

// ------------------------------------------------------------------ roles

const presentRole = (r: repo.RoleRecord): Role => ({ ...r, permissions: [...r.permissions].sort() });

export async function listRoles(db: Database): Promise<Role[]> {
  return (await repo.listRoles(db.kysely)).map(presentRole);
}

/** Admins edit a role's name and permissions; the admin role keeps the rights to manage roles and users. */
export async function updateRole(
  db: Database,
  ctx: RequestContext,
  key: string,
  version: number,
  patch: RoleUpdate,
  log: SecurityLog = NO_SECURITY_LOG,
): Promise<Role> {
  const { before, after } = await db.kysely.transaction().execute(async (trx) => {
    const before = (await repo.listRoles(trx)).find((r) => r.key === key);
    if (!before) throw notFound("Role", key);
    if (before.version !== version) throw versionMismatch(presentRole(before), before.version);
    const errs = new FieldErrors();
    for (const p of patch.permissions ?? []) {
      if (!PERMISSIONS.includes(p as never)) errs.add("permissions", "unknown_permission", `no permission "${p}"`);
    }
    if (key === "admin" && patch.permissions) {
      for (const p of ["roles.read", "roles.update", "users.read", "users.update"]) {
        if (!patch.permissions.includes(p as never))
          errs.add("permissions", "admin_lockout", `the admin role keeps ${p}`);
      }
    }
    errs.throwIfAny();
    if (!(await repo.updateRole(trx, key, version, { ...patch, updated_at: nowIso() }))) {
      const now = (await repo.listRoles(trx)).find((r) => r.key === key)!;
      throw versionMismatch(presentRole(now), now.version);
    }
    const after = presentRole((await repo.listRoles(trx)).find((r) => r.key === key)!);
    await auditAdmin(trx, ctx, "role", 0, presentRole(before), after);
    return { before, after };
  });
  const added = after.permissions.filter((p) => !before.permissions.includes(p));
  const removed = before.permissions.filter((p) => !after.permissions.includes(p));
  if (added.length + removed.length > 0) {
    securityEvent(log, "admin.role_changed", { role: key, added, removed, actor: ctx.actor });
  }
  return after;
}

// ------------------------------------------------------------------ settings

/**
 * The settings as one record. Each is a row of its own; the record's version is their sum,
 * so a change to any of them makes a stale If-Match fail.
 */
const SETTING_KEYS = {
  rowLevelSales: ["row_level_sales", false],
  creditCheckRefusesOrders: ["credit_check_refuses_orders", true],
  dunningBlockAtLevel3: ["dunning_block_at_level_3", true],
} as const;

async function readSettings(db: Executor): Promise<Settings> {
  const out: Record<string, boolean | number> = { version: 0 };
  for (const [field, [key, fallback]] of Object.entries(SETTING_KEYS)) {
    const r = await repo.readSetting<boolean>(db, key);
    out[field] = r ? r.value === true : fallback;
    out.version = Number(out.version) + (r?.version ?? 1);
  }
  return out as unknown as Settings;
}

export const getSettings = (db: Database): Promise<Settings> => readSettings(db.kysely);

export async function updateSettings(
  db: Database,
  ctx: RequestContext,
  version: number,
  patch: { rowLevelSales?: boolean; creditCheckRefusesOrders?: boolean; dunningBlockAtLevel3?: boolean },
  log: SecurityLog = NO_SECURITY_LOG,
): Promise<Settings> {
  const after = await db.kysely.transaction().execute(async (trx) => {
    const before = await readSettings(trx);
    if (before.version !== version) throw versionMismatch(before, before.version);
    for (const [field, [key]] of Object.entries(SETTING_KEYS)) {
      const value = patch[field as keyof typeof patch];
      if (value === undefined) continue;
      const current = await repo.readSetting<boolean>(trx, key);
      if (!current || !(await repo.writeSetting(trx, key, current.version, value, nowIso()))) {
        throw versionMismatch(before, before.version);
      }
    }
    const after = await readSettings(trx);
    await auditAdmin(trx, ctx, "settings", 0, before, after);
    return after;
  });
  securityEvent(log, "admin.settings_changed", { changes: patch, actor: ctx.actor });
  return after;
}
