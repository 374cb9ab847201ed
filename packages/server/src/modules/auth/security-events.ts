import type { FastifyBaseLogger } from "fastify";

/**
 * The security events the server logs, with what each means. Every event is one JSON log line
 * (through the request's logger, so it carries the request id) with a stable `event` field
 * and `security: true`, so operations can ship them by filter. docs/OPERATIONS.md lists them
 * ("Security events"); a test keeps that list and this one equal.
 */
export const SECURITY_EVENTS = {
  "auth.login_succeeded": "a user logged in (`userId`, `email`, `ip`)",
  "auth.login_failed":
    "a login was refused: wrong password, unknown e-mail or deactivated account (`email`, `ip`, `reason`: `wrong_password`, `unknown_user`, `deactivated`)",
  "auth.login_refused_locked": "a login attempt while the account or the address is locked (`email`, `ip`, `lock`)",
  "auth.lockout":
    "an account or address reached its limit of failed attempts and is locked (`lock`: `account` or `address`, `email`, `ip`, `lockedUntil`)",
  "auth.logout": "a user ended their session (`userId`)",
  "auth.password_changed":
    "a user changed their own password (`userId`, `endedSessions`, `revokedTokens`: their other sessions end, their API tokens unless they chose to keep them)",
  "auth.password_check_failed":
    "a password change gave a wrong current password; it counts like a failed login (`userId`, `ip`)",
  "auth.password_reset":
    "a password was set without the old one (`kundenakte user password`); all sessions and API tokens of the user ended (`userId`)",
  "auth.token_created": "an API token was created (`userId`, `tokenId`, `scopes`, `expiresAt`)",
  "auth.token_revoked": "an API token was revoked by its owner (`userId`, `tokenId`)",
  "auth.access_denied":
    "a request was refused for missing rights, a read-only token or a missing CSRF token (`userId`, `method`, `url`, `reason`)",
  "admin.user_created": "a user was created (`userId`, `email`, `roles`, `actor`)",
  "admin.user_roles_changed": "a user's roles changed (`userId`, `from`, `to`, `actor`)",
  "admin.user_deactivated":
    "a user was deactivated: their sessions ended and their API tokens were revoked (`userId`, `revokedTokens`, `actor`)",
  "admin.user_reactivated": "a deactivated user was made active again; revoked tokens stay revoked (`userId`, `actor`)",
  "admin.role_changed": "a role's permissions changed (`role`, `added`, `removed`, `actor`)",
  "admin.settings_changed": "settings changed, e.g. the row-level rule (`changes`, `actor`)",
  "admin.setup_completed": "the one-time setup created the first administrator (`userId`, `email`)",
} as const;

export type SecurityEvent = keyof typeof SECURITY_EVENTS;

/** Events that mean something was refused or went wrong: logged at `warn`, the rest at `info`. */
const WARNINGS = new Set<SecurityEvent>([
  "auth.login_failed",
  "auth.login_refused_locked",
  "auth.lockout",
  "auth.password_check_failed",
  "auth.access_denied",
]);

/** Where security events go: the request's logger (or any pino-like logger). */
export type SecurityLog = Pick<FastifyBaseLogger, "info" | "warn">;

/** Logs one security event as a structured line. Never pass passwords or tokens in `fields`. */
export function securityEvent(log: SecurityLog, event: SecurityEvent, fields: Record<string, unknown> = {}): void {
  const line = { event, security: true, ...fields };
  if (WARNINGS.has(event)) log.warn(line, event);
  else log.info(line, event);
}

/** A logger that drops everything: for callers without a request (CLI, tests of services). */
export const NO_SECURITY_LOG: SecurityLog = { info: () => undefined, warn: () => undefined };
