import { CustomerCreate } from "@kundenakte/contract";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { foldText } from "../domain/fold.js";
import { checkBic, checkIban } from "../domain/iban.js";
import { toE164 } from "../domain/phone.js";
import { checkPostalCode } from "../domain/postal-code.js";
import { checkVatId } from "../domain/vat-id.js";
import { CITIES, DEPARTMENTS, FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, PERSON_TAGS, TAGS } from "./data.js";
import { DEMO_USERS, fakeContact, fakeCustomer } from "./factories.js";
import { Random } from "./random.js";

// Fastify validates request bodies with Ajv and ajv-formats; checking against the same engine (and without
// coercion) proves the demo objects would be accepted by POST /customers as they are.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
addFormats(ajv);
const validateCustomerCreate = ajv.compile(CustomerCreate);

const EMAIL_RE = /^[a-z0-9][a-z0-9.-]*@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const cityByName = new Map(CITIES.map((c) => [c.name, c]));

const generate = (seed: number, n: number) => {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => fakeCustomer(rng));
};

describe("fakeCustomer", () => {
  const customers = generate(2026, 2_000);

  it("is deterministic for a seed and differs between seeds", () => {
    expect(generate(2026, 50)).toEqual(customers.slice(0, 50));
    expect(generate(2027, 50)).not.toEqual(customers.slice(0, 50));
  });

  it("produces objects that match the CustomerCreate contract", () => {
    for (const c of customers) {
      if (!validateCustomerCreate(c))
        expect.fail(`${ajv.errorsText(validateCustomerCreate.errors)} in ${JSON.stringify(c)}`);
    }
  });

  it("passes every domain validator", () => {
    const failures: string[] = [];
    const check = (what: string, value: string, result: { ok: boolean }) => {
      if (!result.ok) failures.push(`${what}: ${value}`);
    };
    for (const c of customers) {
      if (c.vatId) check("vatId", c.vatId, checkVatId(c.vatId));
      for (const a of c.addresses ?? []) {
        check("postalCode", a.postalCode, checkPostalCode(a.country ?? "DE", a.postalCode));
      }
      for (const b of c.bankAccounts ?? []) {
        check("iban", b.iban, checkIban(b.iban));
        if (b.bic) check("bic", b.bic, checkBic(b.bic));
      }
      for (const ch of c.channels ?? []) {
        if (ch.kind === "phone" || ch.kind === "mobile" || ch.kind === "fax") {
          check(ch.kind, ch.value, toE164(ch.value));
        }
        if (ch.kind === "email" && !EMAIL_RE.test(ch.value)) failures.push(`email: ${ch.value}`);
        if (ch.kind === "web") expect(new URL(ch.value).protocol).toBe("https:");
      }
      for (const p of c.contacts ?? []) {
        if (p.phone) check("contact phone", p.phone, toE164(p.phone));
        if (p.mobile) check("contact mobile", p.mobile, toE164(p.mobile));
        if (p.email && !EMAIL_RE.test(p.email)) failures.push(`contact email: ${p.email}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("generates German VAT IDs with a correct check digit for every company", () => {
    for (const c of customers.filter((c) => c.kind === "company")) {
      expect(c.vatId).toMatch(/^DE\d{9}$/);
      expect(checkVatId(c.vatId ?? "")).toEqual({ ok: true, value: c.vatId });
    }
  });

  it("mixes about 80 % companies with private persons", () => {
    const companies = customers.filter((c) => c.kind === "company").length;
    expect(companies / customers.length).toBeGreaterThan(0.75);
    expect(companies / customers.length).toBeLessThan(0.85);
  });

  it("gives companies a name with legal form, an industry and a phone, and no person fields", () => {
    for (const c of customers.filter((c) => c.kind === "company")) {
      expect(c.legalForm).toBeTruthy();
      expect(c.name1.endsWith(` ${c.legalForm}`)).toBe(true);
      expect(c.industry).toBeTruthy();
      expect(c.firstName).toBeUndefined();
      expect(c.channels?.filter((ch) => ch.kind === "phone")).toHaveLength(1);
    }
  });

  it("names private persons 'Firstname Lastname' with a matching salutation and no contacts", () => {
    for (const c of customers.filter((c) => c.kind === "person")) {
      expect(c.name1).toBe(`${c.firstName} ${c.lastName}`);
      expect(c.legalForm).toBeUndefined();
      expect(c.vatId).toBeUndefined();
      expect(c.contacts).toBeUndefined();
      if (c.salutation === "ms") expect(FEMALE_FIRST_NAMES).toContain(c.firstName);
      if (c.salutation === "mr") expect(MALE_FIRST_NAMES).toContain(c.firstName);
      expect(c.channels?.some((ch) => ch.kind === "phone" || ch.kind === "mobile")).toBe(true);
    }
  });

  it("has exactly one default billing address whose postal code, city and region agree", () => {
    for (const c of customers) {
      const billing = c.addresses?.filter((a) => a.type === "billing") ?? [];
      expect(billing).toHaveLength(1);
      expect(billing[0]?.isDefault).toBe(true);
      expect(c.addresses?.filter((a) => a.type === "delivery").length).toBeLessThanOrEqual(1);
      for (const a of c.addresses ?? []) {
        expect(a.country).toBe("DE");
        expect(a.street).toMatch(/ \d+[a-c]?$/);
        expect(cityByName.get(a.city)?.postalCodes).toContain(a.postalCode);
      }
      expect(c.region).toBe(cityByName.get(billing[0]?.city ?? "")?.state);
    }
  });

  it("fills the classification fields from their small lists", () => {
    for (const c of customers) {
      expect(["prospect", "active", "inactive"]).toContain(c.status);
      expect(c.tags?.length).toBeLessThanOrEqual(3);
      expect(new Set(c.tags).size).toBe(c.tags?.length);
      for (const tag of c.tags ?? []) expect(c.kind === "company" ? TAGS : PERSON_TAGS).toContain(tag);
      if (c.owner !== undefined) expect(DEMO_USERS).toContain(c.owner);
      expect(["de", "en"]).toContain(c.language);
      if (c.block) expect(c.block.reason).toBeTruthy();
    }
    const statuses = new Set(customers.map((c) => c.status));
    expect(statuses).toEqual(new Set(["prospect", "active", "inactive"]));
    expect(customers.filter((c) => c.status === "active").length).toBeGreaterThan(customers.length / 2);
  });

  it("gives every customer one default bank account, with a BIC in most", () => {
    for (const c of customers) {
      expect(c.bankAccounts).toHaveLength(1);
      expect(c.bankAccounts?.[0]?.isDefault).toBe(true);
      expect(c.bankAccounts?.[0]?.iban.replace(/ /g, "")).toMatch(/^DE\d{20}$/);
    }
    const withBic = customers.filter((c) => c.bankAccounts?.[0]?.bic).length / customers.length;
    expect(withBic).toBeGreaterThan(0.6);
    expect(withBic).toBeLessThan(0.8);
  });

  it("builds 3 contacts by default, exactly one primary, with e-mails on the company domain", () => {
    for (const c of customers.filter((c) => c.kind === "company")) {
      expect(c.contacts).toHaveLength(3);
      expect(c.contacts?.filter((p) => p.isPrimary)).toHaveLength(1);
      expect(c.contacts?.[0]?.isPrimary).toBe(true);
      const web = c.channels?.find((ch) => ch.kind === "web")?.value;
      for (const p of c.contacts ?? []) {
        if (web && p.email) expect(web.endsWith(p.email.split("@")[1] ?? "")).toBe(true);
      }
    }
  });

  it("honours the contacts and kind options", () => {
    const rng = new Random(5);
    expect(fakeCustomer(rng, { kind: "company", contacts: 0 }).contacts).toEqual([]);
    expect(fakeCustomer(rng, { kind: "company", contacts: 7 }).contacts).toHaveLength(7);
    const person = fakeCustomer(rng, { kind: "person", contacts: 5 });
    expect(person.kind).toBe("person");
    expect(person.contacts).toBeUndefined();
  });
});

describe("fakeContact", () => {
  const rng = new Random(99);
  const contacts = Array.from({ length: 2_000 }, () => fakeContact(rng, "mueller-metallbau.de", "0221 45678"));

  it("is deterministic for a seed", () => {
    const a = new Random(1);
    const b = new Random(1);
    expect(Array.from({ length: 20 }, () => fakeContact(a))).toEqual(Array.from({ length: 20 }, () => fakeContact(b)));
  });

  it("writes e-mails as firstname.lastname@domain, lower-case with umlauts folded", () => {
    const local = (s: string) => foldText(s).replace(/[^a-z0-9]+/g, "-");
    for (const c of contacts) {
      if (c.email) expect(c.email).toBe(`${local(c.firstName ?? "")}.${local(c.lastName)}@mueller-metallbau.de`);
    }
    // The surname list contains umlauts and ß; make sure they show up folded.
    expect(contacts.some((c) => /(ae|oe|ue|ss)[a-z]*@/.test(c.email ?? "") && /[äöüß]/.test(c.lastName))).toBe(true);
  });

  it("matches salutation, first name and position to each other", () => {
    const female = new Set(DEPARTMENTS.flatMap((d) => d.positions.map(([, f]) => f)));
    const male = new Set(DEPARTMENTS.flatMap((d) => d.positions.map(([m]) => m)));
    for (const c of contacts) {
      const department = DEPARTMENTS.find((d) => d.name === c.department);
      expect(department?.positions.flat()).toContain(c.position);
      if (c.salutation === "ms") {
        expect(FEMALE_FIRST_NAMES).toContain(c.firstName);
        expect(female).toContain(c.position);
      }
      if (c.salutation === "mr") {
        expect(MALE_FIRST_NAMES).toContain(c.firstName);
        expect(male).toContain(c.position);
      }
    }
  });

  it("is always reachable by a valid phone or mobile; direct lines hang off the switchboard", () => {
    for (const c of contacts) {
      expect(c.phone ?? c.mobile).toBeTruthy();
      if (c.phone) {
        expect(c.phone).toMatch(/^0221 45678-\d{2,3}$/);
        expect(toE164(c.phone).ok).toBe(true);
      }
      if (c.mobile) {
        expect(c.mobile).toMatch(/^(\+49 |0)1(51|60|70|71|72|76)[ /]\d{7,8}$/);
        expect(toE164(c.mobile).ok).toBe(true);
      }
      if (c.preferredChannel && c.preferredChannel !== "letter" && c.preferredChannel !== "fax") {
        expect(c[c.preferredChannel]).toBeTruthy();
      }
      if (c.birthday) expect(c.birthday).toMatch(/^(19[5-9]\d|200[0-2])-\d{2}-\d{2}$/);
      expect(c.language).toBe("de");
    }
    expect(contacts.filter((c) => c.title === "Dr.").length).toBeGreaterThan(0);
    expect(contacts.filter((c) => c.formal).length / contacts.length).toBeGreaterThan(0.75);
  });

  it("uses a freemail domain and a random landline without a company", () => {
    const rng = new Random(3);
    for (let i = 0; i < 200; i++) {
      const c = fakeContact(rng);
      if (c.email) expect(c.email).toMatch(/@(web\.de|gmx\.de|t-online\.de|gmail\.com|posteo\.de)$/);
      if (c.phone) expect(toE164(c.phone).ok).toBe(true);
    }
  });
});
