/**
 * The search keys of a customer: what the engines' full-text indexes hold for it.
 *
 * Every key carries its kind in front, so one index answers every kind of question and a
 * digit string typed as a phone number never matches a postal code by accident:
 *
 *   w_  a folded word of any text field ("w_mueller" for Müller, Mueller)
 *   k_  the Kölner Phonetik code of a name word ("k_67" for Meier, Meyer, Maier)
 *   s_  a suffix of a long name word, for substring matches ("s_baeckerei" in Landbäckerei)
 *   n_  a customer, debtor or former (merged) number, whole
 *   d_  a suffix of such a number, for partial numbers ("d_0815" in K-100815)
 *   p_  five digits in a row of a phone number's national significant number (any written
 *       format), the whole number when it is shorter: a typed part of a number is found as
 *       all of its five-digit pieces, a part of fewer digits as the beginning of one
 *   u_  the last five digits of a phone number (the whole number when it is shorter): with the
 *       pieces, a number that ends with what was typed
 *   e_  a whole e-mail address
 *   x_  the sound of a word of the customer's name in one of its places: Kölner Phonetik code
 *       and postal code or city word ("x_67_10115"), what the duplicate check looks for
 *   v_  a VAT ID
 *   o_  the owner, r_ the region: the row-level rule of restricted users is part of the query
 *
 * Pure functions: the same rules build the index and read the query (search-query.ts).
 */
import { foldText } from "../../domain/fold.js";
import { koelnerPhonetik } from "../../domain/koelner-phonetik.js";

export type SearchField =
  | "customerNumber"
  | "debtorNumber"
  | "mergedNumber"
  | "name"
  | "contactName"
  | "email"
  | "phone"
  | "street"
  | "postalCode"
  | "city"
  | "vatId"
  | "tag";

/** One displayed value of a customer (or one of its contacts) the search can match. */
export interface SearchFieldValue {
  field: SearchField;
  /** The value as the user sees it. */
  value: string;
  /** For phones: the national significant number the value was written from. */
  key?: string;
  /** The contact the value belongs to, if any. */
  contactId?: number;
}

/** What a result shows besides the matched fields, and what the row-level rule needs. */
export interface SearchMeta {
  status: string;
  owner: string | null;
  region: string | null;
}

/** A customer's entry as the ranking and the duplicate check read it (stored compactly: encodeEntry). */
export interface StoredEntry {
  s: string;
  f: SearchFieldValue[];
}

export interface SearchDocument {
  tokens: string;
  /** The StoredEntry as encodeEntry writes it (column `fields`). */
  stored: string;
  /** Words of names, streets and cities: the vocabulary spelling correction draws from. */
  vocabulary: string[];
}

/** Raised whenever the key rules change: entries built with an older scheme are rebuilt at start-up. */
export const SEARCH_SCHEME = 3;

const NON_WORD_RE = /[^a-z0-9]+/;

/** Words that say nothing about who a company is. */
const NOISE = new Set([
  "gmbh",
  "mbh",
  "co",
  "kg",
  "ag",
  "ohg",
  "gbr",
  "ug",
  "e",
  "k",
  "ek",
  "ev",
  "haftungsbeschraenkt",
  "und",
  "inh",
  "inhaber",
  "der",
  "die",
  "das",
  "von",
  "van",
  "de",
  "se",
  "kgaa",
  "ltd",
  "inc",
]);

/** The words of a name that say who it is (no legal forms, articles or single letters). */
export function significantWords(name: string): string[] {
  return wordsOf(name).filter((w) => !NOISE.has(w) && w.length > 1);
}

/** The places of a customer as its x_ keys name them: postal codes and the words of city names ("am" says nothing). */
export function placeKeys(postalCodes: string[], cities: string[]): string[] {
  const out = new Set<string>();
  for (const p of postalCodes) {
    const a = alnumOf(p);
    if (a) out.add(a);
  }
  for (const c of cities) for (const w of wordsOf(c)) if (w.length >= 3) out.add(w);
  return [...out];
}

/** The sounds of a name's significant words (Kölner Phonetik codes of two digits or more). */
export function nameSounds(words: string[]): string[] {
  return [...new Set(words.map(koelnerPhonetik).filter((c) => c.length >= 2))];
}

/** The key of one name sound in one place: "x_67_10115". */
export const soundPlaceKey = (code: string, place: string) => `x_${code}_${place}`;

/** Folded words of a text: "Bäckerei Müller & Söhne" → ["baeckerei", "mueller", "soehne"]. */
export function wordsOf(text: string): string[] {
  return foldText(text).split(NON_WORD_RE).filter(Boolean);
}

/** Letters and digits only, folded: "K-100815" → "k100815", "DE 123 456 789" → "de123456789". */
export function alnumOf(text: string): string {
  return foldText(text).replace(/[^a-z0-9]+/g, "");
}

/** An e-mail address as its e_ key holds it: folded, every run of other characters one "_". */
export function emailKeyOf(address: string): string {
  return foldText(address).replace(/[^a-z0-9]+/g, "_");
}

/** The digits of a phone number after the country code: +49 30 1234567 → "301234567". */
export function nationalNumberOf(e164: string): string {
  const digits = e164.replace(/\D+/g, "");
  return e164.startsWith("+49") ? digits.slice(2) : digits;
}

/** Digits of a phone number's pieces (p_ keys). */
const PHONE_PIECE = 5;
const NUMBER_SUFFIX_MIN = 3;
const WORD_SUFFIX_MIN_WORD = 7;
const WORD_SUFFIX_MIN = 4;
const VOCABULARY_MIN = 4;

function addSuffixes(out: Set<string>, prefix: string, s: string, from: number, minLength: number): void {
  for (let i = from; i <= s.length - minLength; i++) out.add(prefix + s.slice(i));
}

function addNameWord(out: Set<string>, vocabulary: Set<string>, w: string): void {
  out.add(`w_${w}`);
  const code = koelnerPhonetik(w);
  if (code.length > 0 && /[a-z]/.test(w)) out.add(`k_${code}`);
  if (w.length >= WORD_SUFFIX_MIN_WORD) addSuffixes(out, "s_", w, 2, WORD_SUFFIX_MIN);
  if (w.length >= VOCABULARY_MIN && /^[a-z]+$/.test(w)) vocabulary.add(w);
}

/** Builds the search document of a customer from its displayed values. */
export function searchDocument(fields: SearchFieldValue[], meta: SearchMeta): SearchDocument {
  const tokens = new Set<string>();
  if (meta.owner) tokens.add(ownerKey(meta.owner));
  if (meta.region) tokens.add(regionKey(meta.region));
  const vocabulary = new Set<string>();
  const postalCodes: string[] = [];
  const cities: string[] = [];
  let sounds: string[] = [];
  for (const f of fields) {
    switch (f.field) {
      case "customerNumber":
      case "debtorNumber":
      case "mergedNumber": {
        const a = alnumOf(f.value);
        if (!a) break;
        tokens.add(`n_${a}`);
        addSuffixes(tokens, "d_", a, 1, NUMBER_SUFFIX_MIN);
        const digits = a.replace(/\D+/g, "");
        if (digits && digits !== a) {
          tokens.add(`n_${digits}`);
          addSuffixes(tokens, "d_", digits, 1, NUMBER_SUFFIX_MIN);
        }
        break;
      }
      case "phone": {
        const nsn = f.key ?? f.value.replace(/\D+/g, "");
        if (nsn) {
          // Every piece, not every suffix: the suffixes (one key per digit, nearly all of them
          // keys no other customer has) were half of both engines' index; the pieces repeat.
          if (nsn.length <= PHONE_PIECE) tokens.add(`p_${nsn}`);
          else for (let i = 0; i + PHONE_PIECE <= nsn.length; i++) tokens.add(`p_${nsn.slice(i, i + PHONE_PIECE)}`);
          tokens.add(`u_${nsn.slice(-PHONE_PIECE)}`);
        }
        break;
      }
      case "email": {
        tokens.add(`e_${emailKeyOf(f.value)}`);
        for (const w of wordsOf(f.value)) tokens.add(`w_${w}`);
        break;
      }
      case "vatId": {
        const a = alnumOf(f.value);
        if (a) {
          tokens.add(`v_${a}`);
          tokens.add(`w_${a}`);
        }
        break;
      }
      case "name":
      case "contactName":
      case "street":
      case "city":
        for (const w of wordsOf(f.value)) addNameWord(tokens, vocabulary, w);
        if (f.field === "name") sounds = nameSounds(significantWords(f.value));
        if (f.field === "city") cities.push(f.value);
        break;
      case "postalCode":
        postalCodes.push(f.value);
        for (const w of wordsOf(f.value)) tokens.add(`w_${w}`);
        break;
      case "tag":
        for (const w of wordsOf(f.value)) tokens.add(`w_${w}`);
        break;
    }
  }
  // The duplicate check's "similar name in the same place" as one key per sound and place:
  // an AND of a common sound and a postal code read two long lists (~25 ms at 1,000,000 customers).
  for (const place of placeKeys(postalCodes, cities)) for (const code of sounds) tokens.add(soundPlaceKey(code, place));
  return {
    tokens: [...tokens].join(" "),
    stored: encodeEntry({ s: meta.status, f: fields }),
    vocabulary: [...vocabulary],
  };
}

/**
 * The index keys of a typed part of a phone number (digits of its national significant
 * number): all of them must match. Five digits or more: pieces that cover it (the ranking
 * checks that they stand in a row); fewer: the beginning of a piece — a number with those
 * digits followed by at least five in all, or a short number that begins with them. The same
 * matches as the suffix keys of scheme 2 gave, with far fewer distinct keys in the index.
 */
export function phonePartKeys(digits: string): { key: string; prefix: boolean }[] {
  if (digits.length < PHONE_PIECE) return [{ key: `p_${digits}`, prefix: true }];
  const starts = new Set<number>();
  for (let i = 0; i + PHONE_PIECE <= digits.length; i += PHONE_PIECE) starts.add(i);
  starts.add(digits.length - PHONE_PIECE);
  return [...starts].map((i) => ({ key: `p_${digits.slice(i, i + PHONE_PIECE)}`, prefix: false }));
}

/**
 * The keys of the phone numbers that end with the given digits (a whole number typed, with or
 * without its area code): its last five digits and all of its pieces (the number as a whole
 * key, one per phone, was a key almost no other customer has — a large part of the index for
 * a lookup the pieces narrow as well). Fewer than five digits: the number that is exactly those.
 */
export function phoneEndKey(digits: string): { key: string; prefix: boolean; with?: string[] } {
  const end = { key: `u_${digits.slice(-PHONE_PIECE)}`, prefix: false };
  if (digits.length <= PHONE_PIECE) return end;
  return { ...end, with: phonePartKeys(digits).map((k) => k.key) };
}

/** One-letter codes of the fields in a stored entry. */
const FIELD_CODE: Record<SearchField, string> = {
  customerNumber: "c",
  debtorNumber: "d",
  mergedNumber: "m",
  name: "n",
  contactName: "a",
  email: "e",
  phone: "p",
  street: "s",
  postalCode: "z",
  city: "o",
  vatId: "v",
  tag: "t",
};
const CODE_FIELD = new Map(Object.entries(FIELD_CODE).map(([f, c]) => [c, f as SearchField]));

/** The national significant number a displayed phone number was written from, as far as its text tells. */
function phoneKeyOf(value: string): string {
  const digits = value.replace(/\D+/g, "");
  if (value.startsWith("+")) return digits.startsWith("49") ? digits.slice(2) : digits;
  return digits.replace(/^0/, "");
}

/**
 * A stored entry as compact JSON: `[status, item…]`, each item a field's one-letter code and
 * its value ("nMüller GmbH"), or a number: the contact the following items belong to (0: the
 * customer's own). A phone's number key is left out when its displayed value tells it ("P" +
 * key + "|" + value when not). A third of the objects' size ({"field":…,"value":…} per value).
 */
export function encodeEntry(e: StoredEntry): string {
  const out: (string | number)[] = [e.s];
  let contact = 0;
  for (const f of e.f) {
    const c = f.contactId ?? 0;
    if (c !== contact) {
      out.push(c);
      contact = c;
    }
    if (f.field === "phone" && f.key !== undefined && f.key !== phoneKeyOf(f.value)) out.push(`P${f.key}|${f.value}`);
    else out.push(FIELD_CODE[f.field] + f.value);
  }
  return JSON.stringify(out);
}

/** Reads what encodeEntry wrote. */
export function decodeEntry(text: string): StoredEntry {
  const items = JSON.parse(text) as (string | number)[];
  const f: SearchFieldValue[] = [];
  let contact = 0;
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    if (typeof item === "number") {
      contact = item;
      continue;
    }
    const code = item[0]!;
    let v: SearchFieldValue;
    if (code === "P") {
      const bar = item.indexOf("|");
      v = { field: "phone", value: item.slice(bar + 1), key: item.slice(1, bar) };
    } else {
      const field = CODE_FIELD.get(code)!;
      const value = item.slice(1);
      v = field === "phone" ? { field, value, key: phoneKeyOf(value) } : { field, value };
    }
    if (contact !== 0) v.contactId = contact;
    f.push(v);
  }
  return { s: items[0] as string, f };
}

/** Owners are e-mail addresses, regions free text: both folded to one key. */
export const ownerKey = (owner: string) => `o_${foldText(owner).replace(/[^a-z0-9]+/g, "_")}`;
export const regionKey = (region: string) => `r_${foldText(region).replace(/[^a-z0-9]+/g, "_")}`;

/**
 * Symmetric-delete keys of a word: the word itself and every spelling with one letter (words
 * of 7+ letters: up to two letters) left out. Two words within one (two) edits share a key,
 * so a misspelt query word finds the right word by index lookups alone.
 */
export function deletionKeys(word: string): string[] {
  const keys = new Set<string>([word]);
  if (word.length < VOCABULARY_MIN) return [...keys];
  const d1 = new Set<string>();
  for (let i = 0; i < word.length; i++) d1.add(word.slice(0, i) + word.slice(i + 1));
  for (const k of d1) keys.add(k);
  if (word.length >= 7) {
    for (const k of d1) for (let i = 0; i < k.length; i++) keys.add(k.slice(0, i) + k.slice(i + 1));
  }
  return [...keys];
}

/** Most edits a query word may be away from a word it finds: none for short words, one, or two from 7 letters. */
export function maxEdits(word: string): number {
  if (word.length < VOCABULARY_MIN) return 0;
  return word.length >= 7 ? 2 : 1;
}
