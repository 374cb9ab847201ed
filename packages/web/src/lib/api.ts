import type { Problem } from "@kundenakte/contract";

/** An error answer of the API: the problem document, with the fields at fault. */
export class ProblemError extends Error {
  /** The seconds a 429 or 503 asks to wait (`Retry-After`), when it says. */
  constructor(
    readonly problem: Problem,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(problem.detail);
  }
  get status(): number {
    return this.problem.status;
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token, sent with every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

interface ApiInit {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Calls the API with the session cookie; answers the JSON body and the response's ETag (the
 * version of a resource that carries it only there, e.g. a customer's credit settings), or
 * throws a ProblemError.
 */
export async function apiWithEtag<T>(path: string, init: ApiInit = {}): Promise<{ body: T; etag: string | null }> {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json", ...init.headers };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const etag = res.headers.get("etag");
  if (res.status === 204) return { body: undefined as T, etag };
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ProblemError(
      body?.code
        ? body
        : {
            type: "about:blank",
            title: res.statusText,
            status: res.status,
            code: "internal_error",
            detail: res.statusText,
          },
      Number(res.headers.get("retry-after")) || null,
    );
  }
  return { body: body as T, etag };
}

/** Calls the API with the session cookie; answers JSON or throws a ProblemError. */
export async function api<T>(path: string, init: ApiInit = {}): Promise<T> {
  return (await apiWithEtag<T>(path, init)).body;
}
