import type { ApiToken, Session, TokenScope, User } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { flag } from "../../db/dialect.js";
import { AppError } from "../../http/errors.js";
import { nowIso } from "../../lib/time.js";
import * as repo from "./auth.repository.js";
import { LoginThrottle } from "./login-throttle.js";
import type { Principal, Visibility } from "./principal.js";
import { decoyHash, digest, hashPassword, newSecret, verifyPassword } from "./secrets.js";
import { NO_SECURITY_LOG, type SecurityLog, securityEvent } from "./security-events.js";

/** The one answer to every failed login: it must not tell which part was wrong. */
export const WRONG_LOGIN = "E-mail or password is wrong";

export interface AuthOptions {
  /** A session unused this long ends (minutes). */
  sessionIdleMinutes: number;
  /** A session ends this long after login, used or not (hours). */
  sessionMaxHours: number;
  /** Failed logins of one account before it is locked for a while. */
  accountFailures: number;
  /** Failed logins from one address before it is locked for a while. */
  addressFailures: number;
  /** How long a lock lasts, and the window failures are counted in (minutes). */
  lockMinutes: number;
  /** How long a resolved principal may be reused before it is read again (ms). */
  principalCacheMs: number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  sessionIdleMinutes: 120,
  sessionMaxHours: 12,
  accountFailures: 5,
  addressFailures: 20,
  lockMinutes: 15,
  principalCacheMs: 2000,
};

const MINUTE = 60_000;

export function presentUser(u: repo.UserRow, roles: string[]): User {
  return {
    id: Number(u.id),
    email: u.email,
    name: u.name,
    active: flag(u.active),
    language: u.language,
    region: u.region,
    roles,
    lastLoginAt: u.last_login_at,
    version: u.version,
    createdAt: u.created_at,
    updatedAt: u.updated_at,
  };
}

/**
 * Resolves who is calling (session cookie or bearer token) and what they may do. Principals
 * are kept for `principalCacheMs`, so the hot paths pay for authentication once in a while,
 * not on every request; anything that changes a user, a role, a session or a setting on this
 * instance clears the cache at once (other instances follow within that time).
 */
export class Authenticator {
  private cache = new Map<string, { principal: Principal; until: number }>();
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly db: Database,
    readonly options: AuthOptions = DEFAULT_AUTH_OPTIONS,
  ) {
    this.throttle = new LoginThrottle(db, options);
  }

  /** Forgets every cached principal (after changes to users, roles or settings). */
  invalidate(): void {
    this.cache.clear();
  }

  private cached(key: string): Principal | undefined {
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.principal;
    if (hit) this.cache.delete(key);
    return undefined;
  }

  private remember(key: string, principal: Principal): Principal {
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { principal, until: Date.now() + this.options.principalCacheMs });
    return principal;
  }

  /** The principal of a session cookie, or null when it is unknown, expired or idle too long. */
  async fromSession(cookie: string): Promise<Principal | null> {
    // Keyed by the cookie itself, so a cache hit costs no hashing.
    const key = `s:${cookie}`;
    const hit = this.cached(key);
    if (hit) return hit;
    const id = digest(cookie);
    const session = await repo.findSession(this.db, id);
    if (!session) return null;
    const now = Date.now();
    const idleSince = Date.parse(session.last_seen_at);
    if (Date.parse(session.expires_at) <= now || idleSince + this.options.sessionIdleMinutes * MINUTE <= now) {
      await repo.deleteSession(this.db.kysely, id);
      return null;
    }
    // Idle time is tracked to the minute: one write a minute per session, not one per request.
    if (now - idleSince > MINUTE) await repo.touchSession(this.db.kysely, id, new Date(now).toISOString());
    const principal = await this.load(Number(session.user_id), {
      sessionId: id,
      csrfToken: session.csrf_token,
      scopes: null,
    });
    return principal ? this.remember(key, principal) : null;
  }

  /** The principal of an API token, or null when it is unknown, revoked or expired. */
  async fromToken(token: string): Promise<Principal | null> {
    const key = `t:${token}`;
    const hit = this.cached(key);
    if (hit) return hit;
    const hash = digest(token);
    const row = await repo.findTokenByHash(this.db.kysely, hash);
    if (!row || row.revoked_at || Date.parse(row.expires_at) <= Date.now()) return null;
    await repo.touchToken(this.db.kysely, Number(row.id), nowIso());
    const scopes = row.scopes.split(",") as TokenScope[];
    const principal = await this.load(Number(row.user_id), { sessionId: null, csrfToken: null, scopes });
    return principal ? this.remember(key, principal) : null;
  }

  /** Loads an active user with the union of their roles' permissions and the row-level rule. */
  async load(userId: number, via: Pick<Principal, "sessionId" | "csrfToken" | "scopes">): Promise<Principal | null> {
    const user = await repo.findUser(this.db.kysely, userId);
    if (!user || !flag(user.active)) return null;
    const roles = (await repo.rolesOf(this.db.kysely, [userId])).get(userId) ?? [];
    const all = await repo.listRoles(this.db.kysely);
    const permissions = new Set(all.filter((r) => roles.includes(r.key)).flatMap((r) => r.permissions));
    let visibility: Visibility | null = null;
    if (roles.includes("sales") && !roles.includes("admin")) {
      const rule = await repo.readSetting<boolean>(this.db.kysely, "row_level_sales");
      if (rule?.value === true) visibility = { owner: user.email, region: user.region };
    }
    return {
      userId,
      email: user.email,
      name: user.name,
      roles,
      permissions,
      visibility,
      ...via,
    };
  }

  // -------------------------------------------------------------- login and logout

  /**
   * Checks e-mail and password, throttling repeated failures per account and per address
   * (`LoginThrottle`: counted atomically before the check). An unknown e-mail, a wrong password
   * and a deactivated account get the same answer after the same work (one password check),
   * so the answer never tells which it was — nor that a deactivated account's password was right.
   */
  async login(
    email: string,
    password: string,
    ip: string,
    userAgent: string | null,
    log: SecurityLog = NO_SECURITY_LOG,
  ): Promise<{ cookie: string; session: Session }> {
    const db = this.db.kysely;
    const login = email.trim().toLowerCase();
    const now = Date.now();
    const claimed = await this.throttle.claim(login, ip, now, log);
    const user = await repo.findUserByEmail(db, login);
    const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), password);
    if (!user || !ok || !flag(user.active)) {
      this.throttle.failed(claimed, login, ip, log);
      const reason = !user ? "unknown_user" : !ok ? "wrong_password" : "deactivated";
      securityEvent(log, "auth.login_failed", { email: login, ip, reason });
      throw new AppError("unauthenticated", WRONG_LOGIN);
    }
    await this.throttle.succeeded(claimed);
    const cookie = newSecret();
    const at = new Date(now).toISOString();
    const expiresAt = new Date(now + this.options.sessionMaxHours * 60 * MINUTE).toISOString();
    const csrfToken = newSecret();
    await repo.insertSession(db, {
      id: digest(cookie),
      user_id: Number(user.id),
      csrf_token: csrfToken,
      created_at: at,
      last_seen_at: at,
      expires_at: expiresAt,
      ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
    });
    await repo.setLastLogin(db, Number(user.id), at);
    await repo.deleteExpiredSessions(db, at, new Date(now - this.options.sessionIdleMinutes * MINUTE).toISOString());
    const principal = (await this.load(Number(user.id), { sessionId: digest(cookie), csrfToken, scopes: null }))!;
    securityEvent(log, "auth.login_succeeded", { userId: Number(user.id), email: login, ip });
    return { cookie, session: await this.sessionOf(principal, expiresAt) };
  }

  /**
   * Checks a logged-in user's current password under the same throttle as logins: a wrong one
   * counts as a failed login of the account, and a locked account is refused (429) before
   * the check — so the password form cannot be used to guess at leisure.
   */
  async checkCurrentPassword(principal: Principal, password: string, ip: string, log: SecurityLog): Promise<void> {
    const user = await repo.findUser(this.db.kysely, principal.userId);
    const login = user?.email ?? principal.email;
    const claimed = await this.throttle.claim(login, ip, Date.now(), log);
    if (!user || !(await verifyPassword(user.password_hash, password))) {
      this.throttle.failed(claimed, login, ip, log);
      securityEvent(log, "auth.password_check_failed", { userId: principal.userId, ip });
      throw new AppError("validation_failed", "currentPassword: is wrong", {
        errors: [{ field: "currentPassword", code: "wrong_password", message: "is wrong" }],
      });
    }
    await this.throttle.succeeded(claimed);
  }

  /**
   * Changes one's own password after checking the current one (throttled like a login).
   * What the old password opened ends: the user's other sessions always (the one making the
   * change stays), and their API tokens unless `revokeTokens` is false — a token made with a
   * password that may have leaked is not trusted by default. Revocation is stored, and this
   * instance's principal cache is cleared, so a revoked token stops working at once.
   */
  async changePassword(
    principal: Principal,
    current: string,
    next: string,
    opts: { revokeTokens: boolean; ip: string; log: SecurityLog },
  ): Promise<void> {
    await this.checkCurrentPassword(principal, current, opts.ip, opts.log);
    const hash = await hashPassword(next);
    const ended = await this.db.kysely.transaction().execute((trx) =>
      repo.setPassword(trx, principal.userId, hash, nowIso(), {
        keepSession: principal.sessionId,
        revokeTokens: opts.revokeTokens,
      }),
    );
    this.invalidate();
    securityEvent(opts.log, "auth.password_changed", { userId: principal.userId, ...ended });
  }

  async logout(principal: Principal, log: SecurityLog = NO_SECURITY_LOG): Promise<void> {
    if (principal.sessionId) await repo.deleteSession(this.db.kysely, principal.sessionId);
    this.invalidate();
    securityEvent(log, "auth.logout", { userId: principal.userId });
  }

  async sessionOf(principal: Principal, expiresAt: string | null = null): Promise<Session> {
    const user = (await repo.findUser(this.db.kysely, principal.userId))!;
    return {
      user: presentUser(user, principal.roles),
      permissions: [...principal.permissions].sort(),
      csrfToken: principal.csrfToken,
      expiresAt,
    };
  }

  // -------------------------------------------------------------- API tokens

  async createToken(
    principal: Principal,
    name: string,
    scopes: TokenScope[],
    expiresInDays: number,
    log: SecurityLog = NO_SECURITY_LOG,
  ): Promise<{ token: string; apiToken: ApiToken }> {
    const token = newSecret("ka_");
    const row = await repo.insertToken(this.db.kysely, {
      user_id: principal.userId,
      name: name.trim(),
      token_hash: digest(token),
      scopes: [...scopes].sort().join(","),
      expires_at: new Date(Date.now() + expiresInDays * 24 * 60 * MINUTE).toISOString(),
      created_at: nowIso(),
      last_used_at: null,
      revoked_at: null,
    });
    securityEvent(log, "auth.token_created", {
      userId: principal.userId,
      tokenId: Number(row.id),
      scopes: row.scopes,
      expiresAt: row.expires_at,
    });
    return { token, apiToken: presentToken(row) };
  }

  async listTokens(principal: Principal): Promise<ApiToken[]> {
    return (await repo.listTokens(this.db.kysely, principal.userId)).map(presentToken);
  }

  async revokeToken(principal: Principal, id: number, log: SecurityLog = NO_SECURITY_LOG): Promise<void> {
    if (!(await repo.revokeToken(this.db.kysely, principal.userId, id, nowIso()))) {
      throw new AppError("not_found", `API token ${id} does not exist or is revoked already`);
    }
    this.invalidate();
    securityEvent(log, "auth.token_revoked", { userId: principal.userId, tokenId: id });
  }
}

export const presentToken = (r: repo.TokenRow): ApiToken => ({
  id: Number(r.id),
  name: r.name,
  scopes: r.scopes.split(",") as TokenScope[],
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});
