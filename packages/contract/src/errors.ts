import { type Static, Type } from "@sinclair/typebox";

/**
 * Stable error codes. Clients switch on these, never on messages.
 * Each code has exactly one HTTP status.
 */
export const ErrorStatus = {
  validation_failed: 400,
  malformed_json: 400,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  unique_violation: 409,
  reference_violation: 409,
  version_mismatch: 412,
  precondition_required: 428,
  payload_too_large: 413,
  no_match: 422,
  credit_blocked: 422,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal_error: 500,
  service_unavailable: 503,
  illegal_transition: 409,
  price_agreement_overlap: 409,
  customer_merged: 308,
  database_unavailable: 503,
  /** The server is stopping (graceful shutdown): retry, on another instance or after its restart. */
  shutting_down: 503,
  header_too_large: 431,
  request_timeout: 408,
  /** The attachment's record exists but its file is gone from the attachment store (restore it from a backup). */
  attachment_missing: 410,
} as const;

export type ErrorCode = keyof typeof ErrorStatus;

export const ErrorCodes = Object.keys(ErrorStatus) as ErrorCode[];

export const FieldError = Type.Object({
  field: Type.String({ description: "JSON pointer-like path of the field at fault, e.g. `addresses/0/postalCode`" }),
  code: Type.String({ description: "Stable reason code, e.g. `invalid_iban`, `required`, `unknown_field`" }),
  message: Type.String(),
});
export type FieldError = Static<typeof FieldError>;

/** RFC 9457 problem document, extended with a stable code, the request id and field errors. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: "URI reference naming the problem type" }),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.Union(ErrorCodes.map((c) => Type.Literal(c))),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldError)),
    current: Type.Optional(Type.Unknown({ description: "For 412: the current representation of the record" })),
  },
  { additionalProperties: true },
);
export type Problem = Static<typeof Problem>;
