import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { LightMyRequestResponse } from "fastify";
import type { Schema } from "./values.js";

/** Says what is wrong with a response, or null when the document describes it. */
export type Oracle = (method: string, path: string, res: LightMyRequestResponse) => string | null;

/**
 * Checks responses against the OpenAPI document: no 5xx; every error a problem document
 * (application/problem+json with status, code, detail); every declared body as its schema says;
 * no success status the document does not declare. An error status the operation does not list
 * is accepted when it is a well-formed problem document (403/404/412… can answer anything).
 */
export function responseOracle(doc: Record<string, unknown>): Oracle {
  const ajv = new Ajv({ strict: false, allErrors: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  const components = doc.components;
  const cache = new Map<string, ValidateFunction | null>();
  const paths = doc.paths as Record<string, Record<string, Schema>>;

  const validatorFor = (method: string, path: string, status: number): ValidateFunction | null | undefined => {
    const key = `${method} ${path} ${status}`;
    if (cache.has(key)) return cache.get(key);
    const responses = (paths[path]?.[method.toLowerCase()]?.responses ?? {}) as Record<string, Schema>;
    const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
    if (!declared) return undefined;
    const content = (declared.content ?? {}) as Record<string, Schema>;
    const schema = Object.values(content)[0]?.schema as Schema | undefined;
    // The document's components ride along, so that its $refs resolve.
    const fn = schema ? ajv.compile({ ...schema, components }) : null;
    cache.set(key, fn);
    return fn;
  };

  return (method, path, res) => {
    const status = res.statusCode;
    const type = String(res.headers["content-type"] ?? "");
    if (status >= 500) return `server error ${res.body.slice(0, 300)}`;
    let body: unknown;
    if (type.includes("json")) {
      try {
        body = res.json();
      } catch {
        return "body is not JSON although the content type says so";
      }
    }
    if (status >= 400) {
      if (!type.startsWith("application/problem+json")) return `error is not application/problem+json but ${type}`;
      const p = body as Record<string, unknown>;
      if (p?.status !== status || typeof p.code !== "string" || typeof p.detail !== "string") {
        return `not a problem document: ${res.body.slice(0, 200)}`;
      }
    }
    const validate = validatorFor(method, path, status);
    if (validate === undefined) return status < 400 ? `status ${status} is not in the document` : null;
    if (validate && type.includes("json") && !validate(body)) {
      const e = validate.errors?.[0];
      return `body does not match the document: ${e?.instancePath || "/"} ${e?.message} (${JSON.stringify(e?.params)})`;
    }
    return null;
  };
}
