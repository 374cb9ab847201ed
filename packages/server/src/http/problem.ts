import { type ErrorCode, ErrorStatus, type FieldError, type Problem, TEXT_KEYWORD } from "@kundenakte/contract";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { classifyConstraintViolation, isDatabaseUnavailable } from "../db/dialect.js";
import { AppError } from "./errors.js";

const TITLES: Record<ErrorCode, string> = {
  validation_failed: "Invalid input",
  malformed_json: "Malformed JSON",
  bad_request: "Bad request",
  unauthenticated: "Not logged in",
  forbidden: "Not allowed",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  unique_violation: "Already exists",
  reference_violation: "Still referenced",
  version_mismatch: "Changed by someone else",
  precondition_required: "If-Match required",
  payload_too_large: "Request too large",
  no_match: "Nothing matches",
  credit_blocked: "Credit check blocks it",
  unsupported_media_type: "Unsupported media type",
  too_many_requests: "Too many requests",
  internal_error: "Internal error",
  service_unavailable: "Service unavailable",
  illegal_transition: "Status change not allowed",
  price_agreement_overlap: "Overlapping price agreement",
  customer_merged: "Customer merged into another",
  database_unavailable: "Database unavailable",
  shutting_down: "Shutting down",
  header_too_large: "Request header too large",
  request_timeout: "Request timeout",
  attachment_missing: "Attachment file missing",
};

export const titleOf = (code: ErrorCode): string => TITLES[code];

export function problem(
  code: ErrorCode,
  detail: string,
  req: FastifyRequest,
  extra: Partial<Pick<Problem, "errors" | "current">> = {},
): Problem {
  return {
    type: `https://kundenakte.dev/problems/${code.replace(/_/g, "-")}`,
    title: TITLES[code],
    status: ErrorStatus[code],
    code,
    detail,
    instance: req.url,
    requestId: req.id,
    ...extra,
  };
}

/** snake_case column → the camelCase field of the API. */
const fieldOf = (column: string) => column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/** Turns Ajv's errors into field errors: a path, a stable reason and a message. */
function fieldErrors(err: FastifyError): FieldError[] {
  const where = err.validationContext === "body" ? "" : (err.validationContext ?? "");
  const path = (...parts: string[]) => parts.filter(Boolean).join("/") || "body";
  return (err.validation ?? []).map((v) => {
    const base = v.instancePath.replace(/^\//, "");
    const params = v.params as Record<string, unknown>;
    if (v.keyword === "additionalProperties") {
      return {
        field: path(where, base, String(params.additionalProperty)),
        code: "unknown_field",
        message: "unknown field",
      };
    }
    if (v.keyword === "required") {
      return { field: path(where, base, String(params.missingProperty)), code: "required", message: "is required" };
    }
    if (v.keyword === TEXT_KEYWORD) {
      return { field: path(where, base), code: String(params.code), message: v.message ?? "is invalid" };
    }
    const code = v.keyword === "format" ? `invalid_${String(params.format).replace(/-/g, "_")}` : v.keyword;
    return { field: path(where, base), code, message: v.message ?? "is invalid" };
  });
}

/** Seconds a client is asked to wait when the database is unavailable (a restart or failover takes a few). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Maps every error to a problem document; a 500 tells nothing internal. */
export function handleError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const send = (p: Problem, headers: Record<string, string> = {}) =>
    reply.code(p.status).headers(headers).type("application/problem+json").send(p);

  if (err instanceof AppError) {
    return send(
      problem(err.code, err.message, req, { errors: err.extras.errors, current: err.extras.current }),
      err.extras.headers,
    );
  }
  if (err.validation) {
    const errors = fieldErrors(err);
    const first = errors[0];
    const detail =
      errors.length === 1 && first ? `${first.field}: ${first.message}` : `${errors.length} fields are invalid`;
    return send(problem("validation_failed", detail, req, { errors }));
  }
  const violation = classifyConstraintViolation(err);
  if (violation) {
    const fields = violation.columns.filter((c) => c !== "customer_id").map(fieldOf);
    if (violation.kind === "unique") {
      const what = fields.length ? fields.join(", ") : "a unique value";
      const value = violation.values.length ? ` (${violation.values.join(", ")})` : "";
      return send(
        problem("unique_violation", `Another record already has this ${what}${value}`, req, {
          errors: fields.map((f) => ({ field: f, code: "taken", message: "is already taken" })),
        }),
      );
    }
    return send(problem("reference_violation", "The record refers to, or is referred to by, another record", req));
  }
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return send(problem("payload_too_large", "The request body is larger than the server accepts", req));
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return send(problem("unsupported_media_type", "Send the request body as application/json", req));
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return send(problem("bad_request", "The request body is empty; send a JSON document", req));
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return send(problem("bad_request", "The Content-Length does not match the body", req));
  }
  // Only the body parser's SyntaxError (it carries 400): one from our own code is a 500.
  if ((err instanceof SyntaxError && err.statusCode === 400) || err.code === "FST_ERR_CTP_INVALID_JSON_BODY") {
    return send(problem("malformed_json", "The request body is not valid JSON", req));
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return send({ ...problem("bad_request", err.message, req), status: err.statusCode });
  }
  if (isDatabaseUnavailable(err)) {
    // Not a bug, and nothing the client did: tell it to come back (monitoring sees the warning).
    req.log.warn({ err }, "database unavailable");
    return send(
      problem("database_unavailable", "The database is not available right now; try again in a few seconds", req),
      { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
    );
  }
  req.log.error({ err }, "unhandled error");
  return send(
    problem("internal_error", `Something went wrong on our side. Quote request id ${req.id} when reporting it.`, req),
  );
}
