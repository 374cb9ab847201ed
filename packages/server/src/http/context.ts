/**
 * Who is doing what: passed from the route into every service call, so the audit trail
 * records the actor. Until logins exist the actor is `system`.
 */
export interface RequestContext {
  actor: string;
  requestId: string | null;
}

export const SYSTEM_CONTEXT: RequestContext = { actor: "system", requestId: null };
