import type { Permission, TokenScope } from "@kundenakte/contract";

/**
 * Who is making a request and what they may do: resolved once per request from the session
 * cookie or the bearer token.
 */
export interface Principal {
  userId: number;
  email: string;
  name: string;
  roles: string[];
  permissions: ReadonlySet<string>;
  /** Set for API tokens: a read token cannot write, whatever the user's roles allow. */
  scopes: readonly TokenScope[] | null;
  /** Set for cookie sessions: the token state-changing requests must echo. */
  csrfToken: string | null;
  sessionId: string | null;
  /** The row-level rule for this user, when it applies: only these customers are visible. */
  visibility: Visibility | null;
}

/** Row-level restriction: customers the user owns, or of the user's region. */
export interface Visibility {
  owner: string;
  region: string | null;
}

export const can = (p: Principal, permission: Permission): boolean => p.permissions.has(permission);

/** Bank accounts, credit limit and payment data: finance and admin only. */
export const canSeeFinance = (p: Principal | null): boolean => p === null || p.permissions.has("finance.read");

/** Whether the rule lets the principal see a customer with this owner and region. */
export function isVisible(v: Visibility | null, owner: string | null, region: string | null): boolean {
  if (!v) return true;
  return owner === v.owner || (v.region !== null && region === v.region);
}
