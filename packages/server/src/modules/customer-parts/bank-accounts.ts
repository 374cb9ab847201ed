import {
  BankAccount,
  type BankAccountCreate,
  type BankAccountUpdate,
  BankAccountCreate as CreateSchema,
  BankAccountUpdate as UpdateSchema,
} from "@kundenakte/contract";
import { flag } from "../../db/dialect.js";
import { checkBic, checkIban, formatIban } from "../../domain/iban.js";
import type { FieldErrors } from "../../http/errors.js";
import { clean, type PartRow, type PartSpec } from "./part.js";

function iban(value: string, errs: FieldErrors, field: string): string {
  const r = checkIban(value);
  if (!r.ok) errs.add(field, "invalid_iban", r.reason);
  return r.ok ? r.value : value;
}

function bic(value: string | null | undefined, errs: FieldErrors, field: string): string | null {
  const v = clean(value);
  if (!v) return null;
  const r = checkBic(v);
  if (!r.ok) errs.add(field, "invalid_bic", r.reason);
  return r.ok ? r.value : v;
}

export const bankAccountSpec: PartSpec<BankAccount, BankAccountCreate, BankAccountUpdate> = {
  table: "bank_accounts",
  entityType: "bank_account",
  label: "Bank account",
  path: "bank-accounts",
  tag: "Bank accounts",
  resource: "finance",
  schemas: { item: BankAccount, create: CreateSchema, update: UpdateSchema },
  exclusive: { column: "is_default", field: "isDefault", scope: [], autoFirst: true },
  derived: ["ibanDisplay"],
  present: (r: PartRow): BankAccount => ({
    id: r.id,
    customerId: r.customer_id,
    iban: r.iban as string,
    ibanDisplay: formatIban(r.iban as string),
    bic: r.bic as string | null,
    accountHolder: r.account_holder as string | null,
    bankName: r.bank_name as string | null,
    isDefault: flag(r.is_default as number),
    version: r.version,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  }),
  toInsert(input, errs, prefix) {
    return {
      iban: iban(input.iban, errs, `${prefix}iban`),
      bic: bic(input.bic, errs, `${prefix}bic`),
      account_holder: clean(input.accountHolder) ?? null,
      bank_name: clean(input.bankName) ?? null,
    };
  },
  toUpdate(patch, errs) {
    const out: Record<string, unknown> = {};
    if (patch.iban !== undefined) out.iban = iban(patch.iban, errs, "iban");
    if (patch.bic !== undefined) out.bic = bic(patch.bic, errs, "bic");
    if (patch.accountHolder !== undefined) out.account_holder = clean(patch.accountHolder);
    if (patch.bankName !== undefined) out.bank_name = clean(patch.bankName);
    return out;
  },
};
