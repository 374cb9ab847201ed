import { AppError } from "./errors.js";

/** The ETag of a record is its version. */
export const etag = (version: number): string => `"${version}"`;

/**
 * Reads the version a client claims to have from `If-Match`.
 * Missing → 428; unparseable or `*` → 400: the client must name the version it read.
 */
export function requireIfMatch(header: string | undefined): number {
  if (!header) {
    throw new AppError(
      "precondition_required",
      "This request needs an If-Match header with the ETag of the version you read",
    );
  }
  const m = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  if (!m) {
    throw new AppError("bad_request", 'If-Match must hold a single ETag as sent by GET, e.g. "3"', {
      errors: [{ field: "If-Match", code: "invalid_etag", message: "expected a quoted version number" }],
    });
  }
  return Number(m[1]);
}

/** The 412 for a stale `If-Match`, carrying the current representation. */
export function versionMismatch(current: unknown, version: number): AppError {
  return new AppError(
    "version_mismatch",
    "The record was changed by someone else since you read it; compare with the current version and try again",
    { current, headers: { etag: etag(version) } },
  );
}
