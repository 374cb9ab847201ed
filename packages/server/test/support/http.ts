import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";

type Method = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/**
 * A thin client over `app.inject` that goes through the whole HTTP layer, authenticated with
 * a bearer token (by default the suite's admin).
 */
export function client(app: () => FastifyInstance, token: () => string | null) {
  const call = (method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const t = token();
    return app().inject({
      method,
      url: `/api/v1${url}`,
      payload: body as never,
      headers: t ? { authorization: `Bearer ${t}`, ...headers } : headers,
    });
  };
  return {
    get: (url: string, headers?: Record<string, string>) => call("GET", url, undefined, headers),
    post: (url: string, body: unknown, headers?: Record<string, string>) => call("POST", url, body, headers),
    patch: (url: string, body: unknown, version?: number | string, headers: Record<string, string> = {}) =>
      call("PATCH", url, body, version === undefined ? headers : { ...headers, "if-match": `"${version}"` }),
    put: (url: string, body: unknown, version?: number | string, headers: Record<string, string> = {}) =>
      call("PUT", url, body, version === undefined ? headers : { ...headers, "if-match": `"${version}"` }),
    del: (url: string, version?: number) =>
      call("DELETE", url, undefined, version === undefined ? {} : { "if-match": `"${version}"` }),
  };
}

/** Asserts a problem document with the given status and code; returns it for more checks. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  expect(typeof body.detail).toBe("string");
  expect(body.requestId).toBe(res.headers["x-request-id"]);
  return body as { code: string; detail: string; errors?: { field: string; code: string }[]; current?: unknown };
}

/** The field errors of a 400, as "field:code" strings, for compact assertions. */
export const fieldCodes = (body: { errors?: { field: string; code: string }[] }) =>
  (body.errors ?? []).map((e) => `${e.field}:${e.code}`);
