import {
  composeIBAN,
  electronicFormatIBAN,
  friendlyFormatIBAN,
  isValidBIC,
  ValidationErrorsIBAN,
  validateIBAN,
} from "ibantools";

export type BankCheck = { ok: true; value: string } | { ok: false; reason: string };

// One reason per ibantools error; when several apply we report the first in this order, which puts the
// cause a user can act on (wrong country, wrong length) before its consequence (checksum mismatch).
const IBAN_REASONS: ReadonlyArray<[ValidationErrorsIBAN, string]> = [
  [ValidationErrorsIBAN.NoIBANProvided, "IBAN must not be empty"],
  [ValidationErrorsIBAN.NoIBANCountry, "IBAN must start with a known country code"],
  [ValidationErrorsIBAN.ChecksumNotNumber, "IBAN check digits (characters 3 and 4) must be digits"],
  [ValidationErrorsIBAN.WrongBBANLength, "IBAN has the wrong length for its country"],
  [ValidationErrorsIBAN.WrongBBANFormat, "IBAN does not match the format of its country"],
  [ValidationErrorsIBAN.WrongIBANChecksum, "IBAN check digits do not match"],
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum, "account or bank code check digit does not match"],
  [ValidationErrorsIBAN.QRIBANNotAllowed, "QR-IBANs are not allowed"],
];

/** Accepts the printed form with spaces (or dashes) and returns the electronic form. */
export function checkIban(input: string): BankCheck {
  // electronicFormatIBAN drops everything but letters and digits and upper-cases.
  const value = electronicFormatIBAN(input) ?? "";
  if (value === "") return { ok: false, reason: "IBAN must not be empty" };
  const result = validateIBAN(value);
  if (result.valid) return { ok: true, value };
  for (const [code, reason] of IBAN_REASONS) {
    if (result.errorCodes.includes(code)) return { ok: false, reason };
  }
  return { ok: false, reason: "IBAN is not valid" };
}

/** "DE89370400440532013000" → "DE89 3704 0044 0532 0130 00", the way IBANs are printed. */
export function formatIban(electronic: string): string {
  return friendlyFormatIBAN(electronic, " ") ?? electronic;
}

// 4 letters bank, 2 letters country, 2 characters location, optional 3 characters branch.
const BIC_RE = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

export function checkBic(input: string): BankCheck {
  const value = input.replace(/\s+/g, "").toUpperCase();
  if (value === "") return { ok: false, reason: "BIC must not be empty" };
  if (value.length !== 8 && value.length !== 11) return { ok: false, reason: "BIC must be 8 or 11 characters long" };
  if (!BIC_RE.test(value)) {
    return { ok: false, reason: "BIC must be 4 letters, a country code and 2 or 5 letters or digits" };
  }
  // The regex cannot know the country list; ibantools does.
  if (!isValidBIC(value)) return { ok: false, reason: "BIC contains an unknown country code" };
  return { ok: true, value };
}

/** A German IBAN (electronic form) from a bank code (BLZ) and an account number; for demo data. */
export function makeGermanIban(blz8: string, account10: string): string {
  if (!/^\d{8}$/.test(blz8) || !/^\d{10}$/.test(account10)) {
    throw new Error(`makeGermanIban needs an 8-digit BLZ and a 10-digit account number, got "${blz8}", "${account10}"`);
  }
  const iban = composeIBAN({ countryCode: "DE", bban: blz8 + account10 });
  if (iban === null) throw new Error(`could not compose an IBAN from "${blz8}", "${account10}"`);
  return iban;
}
