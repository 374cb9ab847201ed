import type { Database } from "../../db/database.js";
import { AppError } from "../../http/errors.js";
import * as repo from "./auth.repository.js";
import { type SecurityLog, securityEvent } from "./security-events.js";

const MINUTE = 60_000;

export interface ThrottleLimits {
  /** Failed attempts on one account before it is locked. */
  accountFailures: number;
  /** Failed attempts from one address before it is locked. */
  addressFailures: number;
  /** How long a lock lasts, and the window failures are counted in (minutes). */
  lockMinutes: number;
}

/** The attempts one password check has claimed, to settle once the password is known right. */
export interface ClaimedAttempts {
  claims: { key: string; attempt: number; limit: number; lockedUntil: string | null }[];
}

function locked(lockedUntil: string, account: boolean, now: number): AppError {
  const minutes = Math.max(1, Math.ceil((Date.parse(lockedUntil) - now) / MINUTE));
  return new AppError(
    "too_many_requests",
    `Too many failed logins for ${account ? "this account" : "your address"}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    { headers: { "retry-after": String(minutes * 60) } },
  );
}

/**
 * Throttles password checks (logins and password changes) per account and per address.
 * Every check is counted in the database *before* the password is verified, so a wrong
 * password has already counted when its answer leaves, and parallel guesses — on one or on
 * several instances — cannot all pass a check that reads the counter first: only the first
 * `limit` attempts of a window are verified, the rest are refused as locked, right password
 * or not.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly limits: ThrottleLimits,
  ) {}

  /**
   * Claims one attempt on the account and the address, or throws 429 when either is locked.
   * `now` is the attempt's time (ms).
   */
  async claim(login: string, ip: string, now: number, log: SecurityLog): Promise<ClaimedAttempts> {
    const db = this.db.kysely;
    const keys = [
      { key: `account:${login}`, limit: this.limits.accountFailures, account: true },
      { key: `ip:${ip}`, limit: this.limits.addressFailures, account: false },
    ];
    // A running lock refuses without counting: an attacker cannot extend it by knocking.
    for (const t of await repo.findThrottles(
      db,
      keys.map((k) => k.key),
    )) {
      if (t.locked_until && Date.parse(t.locked_until) > now) {
        const account = t.key.startsWith("account:");
        securityEvent(log, "auth.login_refused_locked", { email: login, ip, lock: account ? "account" : "address" });
        throw locked(t.locked_until, account, now);
      }
    }
    const at = new Date(now).toISOString();
    const claims: ClaimedAttempts["claims"] = [];
    for (const k of keys) {
      const { attempt, lockedUntil } = await repo.claimAttempt(db, {
        key: k.key,
        now: at,
        windowStart: new Date(now - this.limits.lockMinutes * MINUTE).toISOString(),
        lockUntil: new Date(now + this.limits.lockMinutes * MINUTE).toISOString(),
        limit: k.limit,
      });
      if (attempt > k.limit && lockedUntil) {
        // Others used up the window while this one was on its way: locked, even if right.
        securityEvent(log, "auth.login_refused_locked", { email: login, ip, lock: k.account ? "account" : "address" });
        throw locked(lockedUntil, k.account, now);
      }
      claims.push({ key: k.key, attempt, limit: k.limit, lockedUntil });
    }
    return { claims };
  }

  /** The password was wrong: it has counted already; logs the lock it started, if any. */
  failed(claimed: ClaimedAttempts, login: string, ip: string, log: SecurityLog): void {
    for (const c of claimed.claims) {
      if (c.attempt !== c.limit || !c.lockedUntil) continue;
      const lock = c.key.startsWith("account:") ? "account" : "address";
      securityEvent(log, "auth.lockout", { lock, email: login, ip, lockedUntil: c.lockedUntil });
    }
  }

  /**
   * The password was right: the account forgets its failures (unless others were counted in
   * the meantime), and the address gets this attempt back — other accounts' failures from it
   * still count.
   */
  async succeeded(claimed: ClaimedAttempts): Promise<void> {
    const db = this.db.kysely;
    for (const c of claimed.claims) {
      if (c.key.startsWith("account:")) await repo.settleSuccess(db, c.key, c.attempt, c.limit);
      else await repo.releaseAttempt(db, c.key, c.limit);
    }
  }
}
