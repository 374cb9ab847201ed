import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

export type PhoneCheck = { ok: true; value: string } | { ok: false; reason: string };

// libphonenumber happily extracts a number from surrounding text ("call 030 1234567 today"), which would let
// typos into a field into the database unnoticed; so we admit only the characters people write numbers with.
const PHONE_CHARS_RE = /^[\d\s+()/.\-\u2010-\u2015]+$/;

/**
 * Any common way of writing a number ("030/1234567", "+49 (0)30 123 45 67", "0049 30 1234567") → E.164.
 * Numbers without an international prefix are read as numbers of `defaultCountry`.
 * Uses the "max" metadata so that isValid() checks the number ranges, not only the length.
 */
export function toE164(input: string, defaultCountry: CountryCode = "DE"): PhoneCheck {
  const trimmed = input.trim();
  if (trimmed === "") return { ok: false, reason: "phone number must not be empty" };
  if (!PHONE_CHARS_RE.test(trimmed)) {
    return { ok: false, reason: "phone number may only contain digits, spaces and + ( ) / - ." };
  }
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed) return { ok: false, reason: "not a phone number" };
  if (!parsed.isValid()) return { ok: false, reason: "not a valid phone number" };
  return { ok: true, value: parsed.number };
}

// Every phone in every list and customer file is formatted on the way out and parsing costs microseconds
// each, while the set of numbers on screen at a time is small; a bounded cache absorbs that.
const FORMAT_CACHE_LIMIT = 10_000;
const formatCache = new Map<string, string>();

/**
 * The way a number is written for our (German) users: German numbers in national format ("030 1234567"),
 * all others in international format ("+43 1 234567"). Input that does not parse is returned unchanged.
 */
export function formatNational(e164: string): string {
  const cached = formatCache.get(e164);
  if (cached !== undefined) return cached;
  const parsed = parsePhoneNumberFromString(e164);
  let formatted = e164;
  if (parsed) formatted = parsed.countryCallingCode === "49" ? parsed.formatNational() : parsed.formatInternational();
  if (formatCache.size >= FORMAT_CACHE_LIMIT) {
    // Maps iterate in insertion order, so this evicts the oldest entry: cheap FIFO, good enough for a cache
    // whose only job is to keep repeated numbers from being parsed again.
    const oldest = formatCache.keys().next();
    if (!oldest.done) formatCache.delete(oldest.value);
  }
  formatCache.set(e164, formatted);
  return formatted;
}
