import type { BusinessClock } from "../lib/clock.js";
import type { Visibility } from "../modules/auth/principal.js";

/**
 * Who is doing what: passed from the route into every service call, so the audit trail
 * records the actor and reads respect what the actor may see.
 */
export interface RequestContext {
  /** The logged-in user's e-mail (or the token's user); `system` for the server's own jobs. */
  actor: string;
  requestId: string | null;
  /** The row-level rule, when it applies to the actor. */
  visibility?: Visibility | null;
  /** Whether the actor may see finance data (bank accounts, credit, payment data). */
  finance?: boolean;
  /** Whether the actor may add finance data (e.g. bank accounts along with a new customer). */
  financeCreate?: boolean;
  /** Whether the actor may read sales documents (revenue and document figures in the file). */
  documents?: boolean;
  /** The app's business clock (what day it is for the firm); the system clock when absent. */
  clock?: BusinessClock;
}

export const SYSTEM_CONTEXT: RequestContext = {
  actor: "system",
  requestId: null,
  visibility: null,
  finance: true,
  financeCreate: true,
  documents: true,
};
