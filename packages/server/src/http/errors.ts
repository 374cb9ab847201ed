import { type ErrorCode, ErrorStatus, type FieldError } from "@kundenakte/contract";

interface AppErrorExtras {
  errors?: FieldError[];
  /** For 412: the current representation, so the client can show it beside its change. */
  current?: unknown;
  headers?: Record<string, string>;
}

/**
 * The one error type services throw. `message` is written for the user of the API;
 * internal details never go into it.
 */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extras: AppErrorExtras = {},
  ) {
    super(message);
  }
  get status(): number {
    return ErrorStatus[this.code];
  }
}

export const notFound = (what: string, id: number | string) =>
  new AppError("not_found", `${what} ${id} does not exist`);

/** Collects field errors of one request, so the client learns about all of them at once. */
export class FieldErrors {
  readonly errors: FieldError[] = [];
  add(field: string, code: string, message: string): void {
    this.errors.push({ field, code, message });
  }
  /** Throws a 400 with every collected error, if there are any. */
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const first = this.errors[0]!;
    const detail =
      this.errors.length === 1 ? `${first.field}: ${first.message}` : `${this.errors.length} fields are invalid`;
    throw new AppError("validation_failed", detail, { errors: this.errors });
  }
}
