import { type BuiltInRole, type Permission, RESOURCES, type Resource } from "@kundenakte/contract";

/** Actions as letters: r read, c create, u update, d delete. */
type Letters = string;

function grant(rights: Partial<Record<Resource, Letters>>): Permission[] {
  const actions = { r: "read", c: "create", u: "update", d: "delete" } as const;
  return Object.entries(rights).flatMap(([resource, letters]) =>
    [...(letters ?? "")].map((l) => `${resource}.${actions[l as keyof typeof actions]}` as Permission),
  );
}

const ALL = "rcud";

/** What everyone who works on customers does: keep their file (no deleting) and read its history. */
const KEEPS_CUSTOMER_FILES = {
  customers: "rcu",
  addresses: "rcu",
  channels: "rcu",
  contacts: "rcu",
  journal: "rcu",
  follow_ups: "rcu",
  history: "r",
  preferences: "ru",
} as const;

/** Sales' and finance's records that the other departments only read. */
const READS_SALES_RECORDS = {
  products: "r",
  payment_terms: "r",
  documents: "r",
  opportunities: "r",
  price_agreements: "r",
} as const;

/**
 * The built-in roles as a fresh installation has them after all migrations — the one
 * statement in code of who may do what out of the box. The migrations create and extend the
 * stored roles (admins may edit them later); a test checks that a freshly migrated database
 * holds exactly these, and README.md's role table is generated from them (`npm run docs:roles`).
 *
 * Who maintains what follows a German firm's division of work: sales (Vertrieb) sells —
 * customers, quotes and orders, opportunities, price agreements, and keeps the product list
 * current; finance (Buchhaltung) owns payment terms (a credit-risk decision: sales proposes,
 * finance sets them), payments, credit and dunning, and also maintains products, whose prices
 * and VAT rates end up on its invoices; marketing runs segments and campaigns; service
 * (Kundendienst) handles tickets.
 */
export const BUILT_IN_ROLE_DEFINITIONS: Record<BuiltInRole, { name: string; permissions: Permission[] }> = {
  admin: {
    name: "Administration",
    // Everything there is; consents are never deleted (their history is evidence), nor are preferences.
    permissions: grant({
      ...Object.fromEntries(RESOURCES.map((r) => [r, ALL])),
      consents: "rcu",
      preferences: "ru",
    }),
  },
  sales: {
    name: "Vertrieb",
    permissions: grant({
      customers: ALL,
      addresses: ALL,
      channels: ALL,
      contacts: ALL,
      journal: ALL,
      follow_ups: "rcu",
      products: "rcu",
      payment_terms: "r",
      documents: "rcu",
      history: "r",
      number_ranges: "r",
      tickets: "rcu",
      opportunities: ALL,
      price_agreements: ALL,
      consents: "rcu",
      preferences: "ru",
      segments: "r",
      campaigns: "ru",
    }),
  },
  marketing: {
    name: "Marketing",
    permissions: grant({
      ...KEEPS_CUSTOMER_FILES,
      ...READS_SALES_RECORDS,
      tickets: "r",
      consents: "rcu",
      segments: ALL,
      campaigns: ALL,
    }),
  },
  service: {
    name: "Kundendienst",
    permissions: grant({
      ...KEEPS_CUSTOMER_FILES,
      ...READS_SALES_RECORDS,
      journal: ALL,
      tickets: "rcu",
      consents: "rcu",
      segments: "r",
      campaigns: "ru",
    }),
  },
  finance: {
    name: "Buchhaltung",
    permissions: grant({
      ...KEEPS_CUSTOMER_FILES,
      ...READS_SALES_RECORDS,
      finance: ALL,
      products: "rcu",
      payment_terms: ALL,
      documents: "rcu",
      number_ranges: "r",
      tickets: "rcu",
      consents: "r",
      segments: "r",
      campaigns: "r",
    }),
  },
  read_only: {
    name: "Nur lesen",
    permissions: grant({
      customers: "r",
      addresses: "r",
      channels: "r",
      contacts: "r",
      journal: "r",
      follow_ups: "r",
      products: "r",
      payment_terms: "r",
      documents: "r",
      history: "r",
      tickets: "r",
      opportunities: "r",
      price_agreements: "r",
      consents: "r",
      preferences: "r",
      segments: "r",
      campaigns: "r",
    }),
  },
};
