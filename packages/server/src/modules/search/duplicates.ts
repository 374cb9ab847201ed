/**
 * Duplicate check: customers that are probably the same as a new or changed one. Candidates
 * come from the search index in one query (same VAT ID, e-mail or phone, or a name that sounds
 * the same in the same postal code or city); each is scored with the reasons a user can check.
 */
import type { DuplicateCandidate, DuplicateProbe } from "@kundenakte/contract";
import { boundedEditDistance } from "../../domain/edit-distance.js";
import { foldText } from "../../domain/fold.js";
import { koelnerPhonetik } from "../../domain/koelner-phonetik.js";
import { toE164 } from "../../domain/phone.js";
import {
  alnumOf,
  nameSounds,
  nationalNumberOf,
  phoneEndKey,
  placeKeys,
  type StoredEntry,
  significantWords,
  soundPlaceKey,
} from "./search-keys.js";
import type { Key } from "./search-query.js";

/** A customer to compare, reduced to what identifies it. */
export interface Identity {
  nameWords: string[];
  vatId: string | null;
  postalCodes: string[];
  cities: string[];
  emails: string[];
  phones: string[];
}

export function identityOfProbe(p: DuplicateProbe): Identity {
  const phones: string[] = [];
  for (const raw of p.phones ?? []) {
    const e = toE164(raw);
    if (e.ok) phones.push(nationalNumberOf(e.value));
  }
  return {
    nameWords: significantWords([p.name1, p.name2 ?? ""].join(" ")),
    vatId: p.vatId ? alnumOf(p.vatId) : null,
    postalCodes: p.postalCode ? [p.postalCode.trim()] : [],
    cities: p.city ? [foldText(p.city)] : [],
    emails: (p.emails ?? []).map((e) => foldText(e.trim())),
    phones,
  };
}

export function identityOfEntry(e: StoredEntry): Identity {
  const id: Identity = { nameWords: [], vatId: null, postalCodes: [], cities: [], emails: [], phones: [] };
  for (const f of e.f) {
    if (f.field === "name") id.nameWords = significantWords(f.value);
    else if (f.field === "vatId") id.vatId = alnumOf(f.value);
    else if (f.field === "postalCode") id.postalCodes.push(f.value);
    else if (f.field === "city") id.cities.push(foldText(f.value));
    else if (f.field === "email") id.emails.push(foldText(f.value));
    else if (f.field === "phone" && f.key) id.phones.push(f.key);
  }
  return id;
}

/** The name's (up to) three most telling sounds: the longest codes, the rarest in the index. */
function telltaleSounds(id: Identity): string[] {
  return nameSounds(id.nameWords)
    .sort((a, b) => b.length - a.length)
    .slice(0, 3);
}

const exact = (key: string): Key => ({ key, prefix: false });

/** The index query as alternatives (OR) of AND-groups: any shared identifier, or the name's sounds in the same place. */
export function candidateQuery(id: Identity): Key[][][] {
  const alternatives: Key[][][] = [];
  if (id.vatId) alternatives.push([[exact(`v_${id.vatId}`)]]);
  for (const e of id.emails) alternatives.push([[exact(`e_${e.replace(/[^a-z0-9]+/g, "_")}`)]]);
  // The same national number, or one that ends with it (as the suffix keys of scheme 2 found).
  for (const p of id.phones) alternatives.push([[phoneEndKey(p)]]);
  const codes = telltaleSounds(id);
  // Two of the name's (up to three) sounds in the same place; one, if the name has only one.
  for (const place of placeKeys(id.postalCodes, id.cities)) {
    const at = (code: string) => [exact(soundPlaceKey(code, place))];
    if (codes.length === 1) alternatives.push([at(codes[0]!)]);
    for (let i = 0; i < codes.length; i++) {
      for (let j = i + 1; j < codes.length; j++) alternatives.push([at(codes[i]!), at(codes[j]!)]);
    }
  }
  return alternatives;
}

/**
 * The second try when the first finds no duplicate: each of the name's sounds alone in the same
 * place, so a name with one word misspelt ("Kaisr Chemie": its sound changed) still finds the
 * original through its other words. Longer lists, read only when the precise query found nothing.
 */
export function looseCandidateQuery(id: Identity): Key[][][] {
  const codes = telltaleSounds(id);
  if (codes.length < 2) return [];
  const alternatives: Key[][][] = [];
  for (const place of placeKeys(id.postalCodes, id.cities)) {
    for (const code of codes) alternatives.push([[exact(soundPlaceKey(code, place))]]);
  }
  return alternatives;
}

function wordsAlike(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length >= 4 && b.length >= 4 && boundedEditDistance(a, b, 2) <= (Math.max(a.length, b.length) >= 7 ? 2 : 1)) {
    return true;
  }
  return a.length >= 3 && koelnerPhonetik(a) === koelnerPhonetik(b);
}

/** Share of the two names' significant words that have a look- or sound-alike in the other (0…1). */
export function nameSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const matched = a.filter((w) => b.some((x) => wordsAlike(w, x))).length;
  const back = b.filter((w) => a.some((x) => wordsAlike(w, x))).length;
  return (matched + back) / (a.length + b.length);
}

/** Scores a candidate against the probe; null below the threshold worth showing. */
export function scoreCandidate(probe: Identity, customerId: number, entry: StoredEntry): DuplicateCandidate | null {
  const other = identityOfEntry(entry);
  const reasons: DuplicateCandidate["reasons"] = [];
  const scores: number[] = [];
  if (probe.vatId && probe.vatId === other.vatId) {
    reasons.push({ code: "same_vat_id", value: entry.f.find((f) => f.field === "vatId")!.value });
    scores.push(0.95);
  }
  const email = probe.emails.find((e) => other.emails.includes(e));
  if (email) {
    reasons.push({ code: "same_email", value: email });
    scores.push(0.85);
  }
  const phone = probe.phones.find((p) => other.phones.includes(p));
  if (phone) {
    const shown = entry.f.find((f) => f.field === "phone" && f.key === phone)?.value ?? phone;
    reasons.push({ code: "same_phone", value: shown });
    scores.push(0.8);
  }
  const similarity = nameSimilarity(probe.nameWords, other.nameWords);
  const name = entry.f.find((f) => f.field === "name")?.value ?? "";
  if (similarity >= 0.5) {
    if (probe.postalCodes.some((p) => other.postalCodes.includes(p))) {
      reasons.push({ code: "similar_name_same_postal_code", value: name });
      scores.push(0.5 + 0.4 * similarity);
    } else if (probe.cities.some((c) => other.cities.includes(c))) {
      reasons.push({ code: "similar_name_same_city", value: name });
      scores.push(0.4 + 0.35 * similarity);
    }
  }
  if (scores.length === 0) return null;
  // Independent hints add up: 1 − Π(1 − p).
  const score = Math.round(100 * (1 - scores.reduce((acc, p) => acc * (1 - p), 1)));
  if (score < 50) return null;
  return {
    customerId,
    customerNumber: entry.f.find((f) => f.field === "customerNumber")?.value ?? "",
    name,
    city: entry.f.find((f) => f.field === "city")?.value ?? null,
    score,
    reasons,
  };
}
