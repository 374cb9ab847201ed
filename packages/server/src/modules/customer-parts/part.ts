import type { TSchema } from "@sinclair/typebox";
import type { FieldErrors } from "../../http/errors.js";

/** Tables of the records that belong to one customer and share the generic CRUD. */
export type PartTable = "addresses" | "channels" | "contacts" | "bank_accounts";

/** A stored row of a part: plain column values as the driver returns them. */
export type PartRow = Record<string, unknown> & { id: number; customer_id: number; version: number };

/**
 * One flag of which each customer has at most one set per scope, e.g. the default billing
 * address. `autoFirst`: the first record of a scope gets it, and deleting the flagged record
 * passes it to the oldest remaining one, so a customer with addresses always has a default.
 */
export interface ExclusiveFlag {
  column: "is_default" | "is_primary";
  field: "isDefault" | "isPrimary";
  /** Further columns that, with customer_id, form the scope (e.g. the address type). */
  scope: readonly string[];
  autoFirst: boolean;
}

/** Context a part's validation may need: the customer's language and country, for example. */
export interface PartContext {
  customerLanguage: string;
  defaultCountry: string;
  /** Today in the business time zone (birthdays may not be later); the system clock's when absent. */
  today?: string;
}

/**
 * Describes one kind of customer part (addresses, channels, contacts, bank accounts):
 * how input becomes columns (validated) and how a row becomes its API representation.
 */
export interface PartSpec<Api, Create, Update> {
  table: PartTable;
  entityType: "address" | "channel" | "contact" | "bank_account";
  /** For messages: "Address", "Contact", ... */
  label: string;
  /** URL segment under /customers/{id}/. */
  path: string;
  /** OpenAPI tag. */
  tag: string;
  /** The permission resource guarding it (bank accounts are finance data). */
  resource: "addresses" | "channels" | "contacts" | "finance";
  schemas: { item: TSchema; create: TSchema; update: TSchema };
  exclusive?: ExclusiveFlag;
  /** Derived fields of the representation that are not audited. */
  derived: readonly string[];
  present(row: PartRow): Api;
  /** Columns for a new record; field errors go to `errs` under `prefix`. */
  toInsert(input: Create, errs: FieldErrors, prefix: string, ctx: PartContext): Record<string, unknown>;
  /** Changed columns for an update, given the stored row. */
  toUpdate(patch: Update, errs: FieldErrors, row: PartRow, ctx: PartContext): Record<string, unknown>;
}

/** Turns `undefined` into "not given" and trims strings; empty strings become null. */
export function clean(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const t = value.trim();
  return t === "" ? null : t;
}
