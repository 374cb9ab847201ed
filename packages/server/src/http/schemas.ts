import { type ErrorCode, ErrorStatus, Problem } from "@kundenakte/contract";

/**
 * Response schemas for the problem documents a route can answer with: always 400, 500 and 503
 * (`database_unavailable`: any route may meet a database that is down or restarting).
 */
export function errorResponses(...codes: ErrorCode[]): Record<number, typeof Problem> {
  const statuses = new Set<number>([400, 500, 503, ...codes.map((c) => ErrorStatus[c])]);
  return Object.fromEntries([...statuses].map((s) => [s, Problem]));
}

/** The errors every writing route can give. */
export const WRITE_ERRORS: ErrorCode[] = [
  "not_found",
  "unique_violation",
  "payload_too_large",
  "unsupported_media_type",
];
export const VERSIONED_WRITE_ERRORS: ErrorCode[] = [...WRITE_ERRORS, "version_mismatch", "precondition_required"];

export const IfMatchHeader = {
  type: "object",
  properties: { "if-match": { type: "string", description: 'ETag of the version you read, e.g. "3"' } },
} as const;
