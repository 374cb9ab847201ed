/**
 * Deterministic German demo customers, shared by the tests and `seed --demo`.
 *
 * Every value is built to pass the server's own checks (VAT ID, IBAN, BIC, postal code, phone), so the same
 * objects can be posted through the API or inserted in bulk. Same seed, same data: the only source of
 * randomness is the Random passed in, and the order of draws is fixed.
 */
import type {
  AddressCreate,
  BankAccountCreate,
  BlockType,
  ChannelCreate,
  ContactCreate,
  CustomerCreate,
  CustomerKind,
  CustomerStatus,
  Salutation,
} from "@kundenakte/contract";
import { foldText } from "../domain/fold.js";
import { formatIban, makeGermanIban } from "../domain/iban.js";
import { germanVatCheckDigit } from "../domain/vat-id.js";
import {
  BANKS,
  CITIES,
  type City,
  COMPANY_GROUPS,
  COMPANY_PATTERNS,
  CUSTOMER_NOTES,
  DEMO_USERS,
  DEPARTMENTS,
  FEMALE_FIRST_NAMES,
  FREEMAIL_DOMAINS,
  LEGAL_FORMS,
  MALE_FIRST_NAMES,
  MOBILE_PREFIXES,
  PERSON_GROUPS,
  PERSON_TAGS,
  STREETS,
  SURNAME_ENDINGS,
  SURNAME_ROOTS,
  SURNAMES,
  TAGS,
  TAX_NUMBER_FORMATS,
} from "./data.js";
import type { Random } from "./random.js";

export { DEMO_USERS } from "./data.js";
export { Random } from "./random.js";

export interface FakeCustomerOptions {
  /** Contacts for a company customer; default 3. Private persons never get contacts: they are the contact. */
  contacts?: number;
  /** Force a company or a private person; by default about 80 % are companies. */
  kind?: CustomerKind;
}

type Gender = "f" | "m" | "d";
type Weighted<T> = readonly (readonly [T, number])[];

const GENDERS: Weighted<Gender> = [
  ["f", 48],
  ["m", 49],
  ["d", 3],
];

const STATUSES: Weighted<CustomerStatus> = [
  ["active", 78],
  ["prospect", 14],
  ["inactive", 8],
];

const ABC: Weighted<"A" | "B" | "C" | null> = [
  ["A", 15],
  ["B", 35],
  ["C", 40],
  [null, 10],
];

const TITLES: Weighted<string | null> = [
  [null, 91],
  ["Dr.", 7],
  ["Prof. Dr.", 1],
  ["Dipl.-Ing.", 1],
];

const BLOCKS: Weighted<{ type: BlockType; reason: string } | null> = [
  [null, 96],
  [{ type: "invoice", reason: "Offene Posten älter als 90 Tage" }, 2],
  [{ type: "delivery", reason: "Bonitätsprüfung ausstehend" }, 1.5],
  [{ type: "all", reason: "Insolvenzverfahren eröffnet" }, 0.5],
];

const DELIVERY_ADDITIONS = ["Wareneingang", "Tor 2", "Rampe 3", "Lager Halle 4", "Hintereingang"];

// Names come from finite tables, so caching their folded e-mail spelling is bounded and saves most of the
// normalisation work when generating 100,000 customers.
const emailPartCache = new Map<string, string>();

/** "Jürgen" → "juergen", "von Bülow" → "von-buelow": what people put into e-mail addresses. */
function emailPart(name: string): string {
  let part = emailPartCache.get(name);
  if (part === undefined) {
    part = slug(name);
    emailPartCache.set(name, part);
  }
  return part;
}

function slug(s: string): string {
  return foldText(s.replace(/&/g, " und "))
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Half the common surnames, half the long tail (root and ending, without doubled sounds like "Bachbach"). */
function surname(rng: Random): string {
  if (rng.chance(0.5)) return rng.pick(SURNAMES);
  const root = rng.pick(SURNAME_ROOTS);
  const ending = rng.pick(SURNAME_ENDINGS);
  return root.toLowerCase().endsWith(ending.slice(0, 3)) ? root + (root.endsWith("er") ? "t" : "er") : root + ending;
}

function genderedFirstName(rng: Random, gender: Gender): string {
  if (gender === "f") return rng.pick(FEMALE_FIRST_NAMES);
  if (gender === "m") return rng.pick(MALE_FIRST_NAMES);
  return rng.pick(rng.chance(0.5) ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
}

function salutationOf(gender: Gender): Salutation {
  return gender === "f" ? "ms" : gender === "m" ? "mr" : "diverse";
}

/** "030" → "30": the area code as written after +49. */
const areaWithoutPrefix = (areaCode: string) => areaCode.slice(1);

/** A subscriber number of n digits that does not start with 0 or 1 (those are trunk and service prefixes). */
const subscriber = (rng: Random, n: number) => String(rng.int(2, 9)) + rng.digits(n - 1);

/**
 * A private landline in one of the ways Germans write it. The national significant number (area code without
 * the 0, plus subscriber) has 9 or 10 digits, which is what real German landlines have and what
 * libphonenumber accepts for every area code in our table.
 */
function landline(rng: Random, areaCode: string): string {
  const area = areaWithoutPrefix(areaCode);
  const number = subscriber(rng, rng.int(9, 10) - area.length);
  const style = rng.int(0, 9);
  if (style < 6) return `${areaCode} ${number}`;
  if (style < 7) return `${areaCode}/${number}`;
  if (style < 8) return `(${areaCode}) ${number}`;
  return `+49 ${area} ${number}`;
}

/**
 * The base of a company's switchboard ("0221 45678"), to which extensions are appended ("-0" for the
 * switchboard, "-217" for a direct line). Sized so that base plus a 3-digit extension stays within 11 digits.
 */
function switchboardBase(rng: Random, areaCode: string): string {
  const areaLength = areaWithoutPrefix(areaCode).length;
  const length = rng.int(Math.max(4, 7 - areaLength), 8 - areaLength);
  return `${areaCode} ${subscriber(rng, length)}`;
}

function mobile(rng: Random): string {
  const [prefix, lengths] = rng.pick(MOBILE_PREFIXES);
  const number = rng.digits(rng.pick(lengths));
  const style = rng.int(0, 9);
  if (style < 7) return `${prefix} ${number}`;
  if (style < 8) return `${prefix}/${number}`;
  return `+49 ${prefix.slice(1)} ${number}`;
}

function birthday(rng: Random): string {
  const year = rng.int(1958, 2002);
  const month = rng.int(1, 12);
  // Day 0 of the next month is the last day of this one.
  const day = rng.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function houseNumber(rng: Random): string {
  const n = rng.int(1, 180);
  return rng.chance(0.08) ? `${n}${rng.pick(["a", "b", "c"])}` : String(n);
}

function germanVatId(rng: Random): string {
  // Real German VAT IDs start with 1, 2, 3 or 8; any digit would pass the check, this just looks right.
  const first8 = rng.pick(["1", "2", "3", "8"]) + rng.digits(7);
  return `DE${first8}${germanVatCheckDigit(first8)}`;
}

function taxNumber(rng: Random, state: string): string {
  const format = TAX_NUMBER_FORMATS[state] ?? "###/###/#####";
  return format.replace(/#/g, () => rng.digits(1));
}

function billingAddress(rng: Random, city: City): AddressCreate {
  return {
    type: "billing",
    isDefault: true,
    street: `${rng.pick(STREETS)} ${houseNumber(rng)}`,
    postalCode: rng.pick(city.postalCodes),
    city: city.name,
    country: "DE",
  };
}

function deliveryAddress(rng: Random, home: City, name1: string): AddressCreate {
  // Half of the delivery addresses are a warehouse elsewhere, the rest a different gate in the same city.
  const city = rng.chance(0.5) ? rng.pick(CITIES) : home;
  const address: AddressCreate = {
    type: "delivery",
    isDefault: true,
    name1,
    street: `${rng.pick(STREETS)} ${houseNumber(rng)}`,
    postalCode: rng.pick(city.postalCodes),
    city: city.name,
    country: "DE",
  };
  if (rng.chance(0.6)) address.addition = rng.pick(DELIVERY_ADDITIONS);
  return address;
}

function bankAccount(rng: Random, holder: string): BankAccountCreate {
  const bank = rng.pick(BANKS);
  const account = String(rng.int(100_000, 9_999_999_999)).padStart(10, "0");
  const iban = makeGermanIban(bank.blz, account);
  const result: BankAccountCreate = {
    // Half in the printed form, so that whoever consumes this also exercises the normalisation.
    iban: rng.chance(0.5) ? formatIban(iban) : iban,
    accountHolder: holder,
    bankName: bank.name,
    isDefault: true,
  };
  if (rng.chance(0.7)) result.bic = bank.bic;
  return result;
}

/**
 * A contact person. With a companyDomain the e-mail is firstname.lastname@domain, otherwise at a freemail
 * provider. With a switchboard base ("0221 45678") the phone is a direct line on it ("0221 45678-217"),
 * otherwise a landline in a random city.
 */
export function fakeContact(rng: Random, companyDomain?: string, switchboard?: string): ContactCreate {
  const gender = rng.weighted(GENDERS);
  const firstName = genderedFirstName(rng, gender);
  const lastName = surname(rng);
  const department = rng.pick(DEPARTMENTS);
  const [male, female] = rng.pick(department.positions);
  const contact: ContactCreate = {
    salutation: salutationOf(gender),
    firstName,
    lastName,
    position: gender === "f" || (gender === "d" && rng.chance(0.5)) ? female : male,
    department: department.name,
    formal: rng.chance(0.85),
    language: "de",
    active: rng.chance(0.95),
  };
  const title = rng.weighted(TITLES);
  if (title) contact.title = title;

  const hasPhone = rng.chance(0.75);
  // Everybody is reachable somehow: no phone means a mobile.
  const hasMobile = !hasPhone || rng.chance(0.45);
  if (hasPhone) {
    contact.phone = switchboard ? `${switchboard}-${rng.int(10, 999)}` : landline(rng, rng.pick(CITIES).areaCode);
  }
  if (hasMobile) contact.mobile = mobile(rng);
  if (rng.chance(0.85)) {
    contact.email = `${emailPart(firstName)}.${emailPart(lastName)}@${companyDomain ?? rng.pick(FREEMAIL_DOMAINS)}`;
  }
  if (rng.chance(0.3)) {
    const options: ("phone" | "mobile" | "email")[] = [];
    if (contact.phone) options.push("phone");
    if (contact.mobile) options.push("mobile");
    if (contact.email) options.push("email");
    contact.preferredChannel = rng.pick(options);
  }
  if (rng.chance(0.2)) contact.birthday = birthday(rng);
  return contact;
}

/** A customer with its addresses, channels, bank account and (for companies) contacts. */
export function fakeCustomer(rng: Random, opts: FakeCustomerOptions = {}): CustomerCreate {
  const kind: CustomerKind = opts.kind ?? (rng.chance(0.8) ? "company" : "person");
  const city = rng.pick(CITIES);
  const company = kind === "company" ? fakeCompanyName(rng, city) : null;
  const customer = company ? companyFields(rng, city, company) : personFields(rng);

  customer.status = rng.weighted(STATUSES);
  const block = rng.weighted(BLOCKS);
  if (block) customer.block = { ...block };
  const abc = rng.weighted(ABC);
  if (abc) customer.abcRating = abc;
  customer.region = city.state;
  customer.tags = rng.sample(company ? TAGS : PERSON_TAGS, rng.int(0, 3));
  if (rng.chance(0.9)) customer.owner = rng.pick(DEMO_USERS);
  customer.language = rng.chance(0.05) ? "en" : "de";
  if (rng.chance(0.1)) customer.notes = rng.pick(CUSTOMER_NOTES);

  customer.addresses = [billingAddress(rng, city)];
  if (rng.chance(company ? 0.3 : 0.08)) customer.addresses.push(deliveryAddress(rng, city, customer.name1));

  if (company) {
    const domain = `${slug(company.core)}.de`;
    const switchboard = switchboardBase(rng, city.areaCode);
    customer.channels = companyChannels(rng, domain, switchboard);
    customer.contacts = [];
    for (let i = 0; i < (opts.contacts ?? 3); i++) {
      const contact = fakeContact(rng, domain, switchboard);
      contact.isPrimary = i === 0;
      customer.contacts.push(contact);
    }
  } else {
    customer.channels = personChannels(rng, city, customer.firstName ?? "", customer.lastName ?? "");
  }
  customer.bankAccounts = [bankAccount(rng, customer.name1)];
  return customer;
}

interface CompanyName {
  /** The name without legal form ("Müller Metallbau"); the web domain is made from it. */
  core: string;
  legalForm: string;
  industry: string;
}

function fakeCompanyName(rng: Random, city: City): CompanyName {
  const { pattern, industry } = rng.pick(COMPANY_PATTERNS);
  const first = surname(rng);
  let partner = surname(rng);
  // "Müller & Müller" exists, but reads like a bug in demo data.
  if (partner === first) partner = surname(rng);
  const core = pattern.replace("{s}", first).replace("{t}", partner).replace("{c}", city.name);
  return { core, legalForm: rng.weighted(LEGAL_FORMS), industry };
}

function companyFields(rng: Random, city: City, name: CompanyName): CustomerCreate {
  const customer: CustomerCreate = {
    kind: "company",
    name1: `${name.core} ${name.legalForm}`,
    legalForm: name.legalForm,
    customerGroup: rng.weighted(COMPANY_GROUPS),
    industry: name.industry,
    vatId: germanVatId(rng),
  };
  if (rng.chance(0.6)) customer.taxNumber = taxNumber(rng, city.state);
  return customer;
}

function personFields(rng: Random): CustomerCreate {
  const gender = rng.weighted(GENDERS);
  const firstName = genderedFirstName(rng, gender);
  const lastName = surname(rng);
  const customer: CustomerCreate = {
    kind: "person",
    name1: `${firstName} ${lastName}`,
    salutation: salutationOf(gender),
    firstName,
    lastName,
    customerGroup: rng.weighted(PERSON_GROUPS),
  };
  const title = rng.weighted(TITLES);
  if (title) customer.title = title;
  return customer;
}

function companyChannels(rng: Random, domain: string, switchboard: string): ChannelCreate[] {
  const channels: ChannelCreate[] = [{ kind: "phone", value: `${switchboard}-0`, label: "Zentrale", isPrimary: true }];
  if (rng.chance(0.3)) channels.push({ kind: "fax", value: `${switchboard}-${rng.int(10, 99)}`, isPrimary: true });
  if (rng.chance(0.8)) {
    channels.push({ kind: "email", value: `${rng.chance(0.8) ? "info" : "kontakt"}@${domain}`, isPrimary: true });
  }
  if (rng.chance(0.6)) channels.push({ kind: "web", value: `https://www.${domain}`, isPrimary: true });
  return channels;
}

function personChannels(rng: Random, city: City, firstName: string, lastName: string): ChannelCreate[] {
  const channels: ChannelCreate[] = [];
  const hasPhone = rng.chance(0.7);
  if (hasPhone) channels.push({ kind: "phone", value: landline(rng, city.areaCode), isPrimary: true });
  // Everybody is reachable somehow: no landline means a mobile.
  if (!hasPhone || rng.chance(0.5)) channels.push({ kind: "mobile", value: mobile(rng), isPrimary: true });
  if (rng.chance(0.7)) {
    // Freemail addresses are taken quickly; many people add a number (often their birth year).
    const suffix = rng.chance(0.3) ? String(rng.int(50, 99)) : "";
    const local = `${emailPart(firstName)}.${emailPart(lastName)}${suffix}`;
    channels.push({ kind: "email", value: `${local}@${rng.pick(FREEMAIL_DOMAINS)}`, isPrimary: true });
  }
  return channels;
}
