import type { ApiToken, Session, TokenScope, User } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { flag } from "../../db/dialect.js";
import { AppError } from "../../http/errors.js";
import { nowIso } from "../../lib/time.js";
import * as repo from "./auth.repository.js";
import type { Principal, Visibility } from "./principal.js";
import { decoyHash, digest, newSecret, verifyPassword } from "./secrets.js";

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

  constructor(
    private readonly db: Database,
    readonly options: AuthOptions = DEFAULT_AUTH_OPTIONS,
  ) {}

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
   * Checks e-mail and password, throttling repeated failures per account and per address.
   * Answers the same for an unknown e-mail and a wrong password (and spends the same time).
   */
  async login(
    email: string,
    password: string,
    ip: string,
    userAgent: string | null,
  ): Promise<{ cookie: string; session: Session }> {
    const db = this.db.kysely;
    const login = email.trim().toLowerCase();
    const keys = [`account:${login}`, `ip:${ip}`];
    const now = Date.now();
    for (const t of await repo.findThrottles(db, keys)) {
      if (t.locked_until && Date.parse(t.locked_until) > now) {
        const minutes = Math.ceil((Date.parse(t.locked_until) - now) / MINUTE);
        const what = t.key.startsWith("account:") ? "this account" : "your address";
        throw new AppError(
          "too_many_requests",
          `Too many failed logins for ${what}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
          { headers: { "retry-after": String(minutes * 60) } },
        );
      }
    }
    const user = await repo.findUserByEmail(db, login);
    const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), password);
    if (!user || !ok) {
      await this.recordFailure(keys, now);
      throw new AppError("unauthenticated", "E-mail or password is wrong");
    }
    if (!flag(user.active)) throw new AppError("unauthenticated", "This account is deactivated; ask an administrator");
    await repo.clearThrottle(db, keys[0]!);
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
    return { cookie, session: await this.sessionOf(principal, expiresAt) };
  }

  private async recordFailure(keys: string[], now: number): Promise<void> {
    const db = this.db.kysely;
    const existing = new Map((await repo.findThrottles(db, keys)).map((t) => [t.key, t]));
    for (const key of keys) {
      const t = existing.get(key);
      const windowOpen = t && Date.parse(t.first_failure_at) + this.options.lockMinutes * MINUTE > now;
      const failures = windowOpen ? t.failures + 1 : 1;
      const limit = key.startsWith("account:") ? this.options.accountFailures : this.options.addressFailures;
      await repo.saveThrottle(db, {
        key,
        failures,
        first_failure_at: windowOpen ? t.first_failure_at : new Date(now).toISOString(),
        locked_until: failures >= limit ? new Date(now + this.options.lockMinutes * MINUTE).toISOString() : null,
      });
    }
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.sessionId) await repo.deleteSession(this.db.kysely, principal.sessionId);
    this.invalidate();
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
    return { token, apiToken: presentToken(row) };
  }

  async listTokens(principal: Principal): Promise<ApiToken[]> {
    return (await repo.listTokens(this.db.kysely, principal.userId)).map(presentToken);
  }

  async revokeToken(principal: Principal, id: number): Promise<void> {
    if (!(await repo.revokeToken(this.db.kysely, principal.userId, id, nowIso()))) {
      throw new AppError("not_found", `API token ${id} does not exist or is revoked already`);
    }
    this.invalidate();
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
