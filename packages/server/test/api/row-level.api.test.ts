import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { tablesWithColumn } from "../../src/modules/merge/merge.repository.js";
import { fixedClock } from "../support/clock.js";
import { forEachEngine, tokenFor } from "../support/engines.js";

/**
 * The row-level rule on every route, generated from the route table: each route is classified
 * as reaching one customer (a hidden customer must answer exactly as a customer that does not
 * exist, and nothing of it may change), as a list (no hidden customer's rows), or as having no
 * customer behind it. A route nobody classified fails the test, so a new route cannot skip the rule.
 */

/** Ids of the hidden customer's records, or of nothing at all (the ghost). */
interface Ids {
  customer: number;
  contact: number;
  contact2: number;
  address: number;
  channel: number;
  bankAccount: number;
  journal: number;
  attachment: number;
  followUp: number;
  document: number;
  payment: number;
  ticket: number;
  opportunity: number;
  objection: number;
  priceAgreement: number;
  member: number;
}

interface Req {
  url: string;
  body?: unknown;
  /** Sent as If-Match. */
  version?: number;
  contentType?: string;
}

type Probe =
  /** Reaches one customer: hidden answers as the ghost does; the admin's answer differs from it. */
  | { kind: "hidden"; req: (t: Ids) => Req | Promise<Req>; destructive?: boolean; noAdminCheck?: string }
  /** A list or an answer naming customers: hidden ones absent for sales, present for the admin. */
  | { kind: "list"; req: () => Req }
  /** Figures over customers: the sales user's figure leaves the hidden customer out. */
  | { kind: "figure"; req: () => Req; figure: (body: never) => number; sales: number; admin: number }
  /** Checked by its own test below. */
  | { kind: "own"; test: string }
  | { kind: "none"; why: string };

const GHOST = 99_999_999;
const SALES = "rl-sales@kundenakte.test";
const CLOCK = new Date("2026-06-15T10:00:00Z");
const MARK = "Verborgen";

/** A problem or body without what differs between requests (ids, request id). */
const shape = (res: LightMyRequestResponse) => {
  const body = res.body ? (res.headers["content-type"]?.toString().includes("json") ? res.json() : res.body) : null;
  if (body && typeof body === "object" && "requestId" in body) delete (body as Record<string, unknown>).requestId;
  return { status: res.statusCode, body: JSON.stringify(body).replace(/\d+/g, "N") };
};

forEachEngine("the row-level rule on every route", (env) => {
  let app: FastifyInstance;
  let adminToken = "";
  let salesToken = "";
  let hidden: Ids;
  let visible = 0;
  let twin = 0;
  let product = 0;
  let hiddenNumber = "";
  let campaign = 0;
  let draftCampaign = 0;
  let segment = 0;

  const call = async (token: string, method: string, r: Req) =>
    app.inject({
      method: method as "GET",
      url: `/api/v1${r.url}`,
      payload: r.body === undefined ? undefined : (r.body as never),
      headers: {
        authorization: `Bearer ${token}`,
        ...(r.version === undefined ? {} : { "if-match": `"${r.version}"` }),
        ...(r.contentType ? { "content-type": r.contentType } : {}),
      },
    });
  const admin = (method: string, url: string, body?: unknown, version?: number) =>
    call(adminToken, method, { url, body, version });
  const created = async (method: string, url: string, body?: unknown, version?: number) => {
    const res = await admin(method, url, body, version);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.body ? res.json() : null;
  };
  const version = async (url: string) => (await created("GET", url)).version as number;

  beforeAll(async () => {
    app = await buildApp({ db: env().db, clock: fixedClock(CLOCK) });
    await app.ready();
    adminToken = env().adminToken;
    // Every role but admin: every route a restricted user can reach is reached.
    salesToken = (
      await tokenFor(
        app,
        env().db,
        SALES,
        ["sales", "finance", "marketing", "service", "read_only"],
        undefined,
        "Bayern",
      )
    ).token;
    product = (await created("POST", "/products", { articleNumber: "RL-1", name: "Quarzsand", listPriceCents: 1000 }))
      .id;
    const customer = (name: string, owner: string, region: string, n: number) =>
      created("POST", "/customers", {
        kind: "company",
        name1: name,
        tags: ["Quarz"],
        owner,
        region,
        addresses: [{ type: "billing", street: `Sandweg ${n}`, postalCode: "20095", city: "Hamburg" }],
        channels: [{ kind: "email", value: `info@quarz${n}.de` }],
        contacts: [
          { firstName: "Anna", lastName: `Quarz${n}`, email: `anna@quarz${n}.de`, isPrimary: true },
          { firstName: "Ben", lastName: `Sand${n}` },
        ],
        bankAccounts: [{ iban: "DE89370400440532013000" }],
      });
    const h = await customer(`Quarzwerk ${MARK}`, "someone@else.test", "Hamburg", 1);
    const v = await customer("Quarzwerk Sichtbar", SALES, "Hamburg", 2);
    visible = v.customer.id;
    // Like the hidden customer, and not marked "not a duplicate" of it.
    twin = (await customer("Quarzwerk Verborgn", SALES, "Bayern", 3)).customer.id;
    hiddenNumber = h.customer.customerNumber;
    const id = h.customer.id as number;
    const c = `/customers/${id}`;
    const journal = (await created("POST", `${c}/journal`, { kind: "call", subject: "Anruf" })).id;
    const attachment = (
      await app.inject({
        method: "POST",
        url: `/api/v1${c}/journal/${journal}/attachments?filename=notiz.txt`,
        payload: Buffer.from("Notiz"),
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/octet-stream" },
      })
    ).json().id;
    const document = (
      await created("POST", `${c}/documents`, {
        type: "invoice",
        documentDate: "2026-01-05",
        lines: [{ productId: product, quantity: 3 }],
      })
    ).id;
    await created("POST", `/customers/${visible}/documents`, {
      type: "invoice",
      documentDate: "2026-01-05",
      lines: [{ productId: product, quantity: 1 }],
    });
    const payment = (await created("POST", `${c}/payments`, { amountCents: 100, paymentDate: "2026-01-10" })).id;
    await created("POST", `${c}/consents`, { channel: "letter", state: "granted", source: "letter" });
    await created("POST", `/customers/${visible}/consents`, { channel: "letter", state: "granted", source: "letter" });
    const made = await created("POST", "/campaigns", { name: "Quarzbrief", channel: "letter", startsOn: "2026-06-01" });
    campaign = made.id;
    const member = (await created("POST", `/campaigns/${campaign}/members`, { customerId: id })).id;
    await created("POST", `/campaigns/${campaign}/members`, { customerId: visible });
    await created("PATCH", `/campaigns/${campaign}`, { status: "active" }, made.version);
    draftCampaign = (
      await created("POST", "/campaigns", { name: "Quarzentwurf", channel: "letter", startsOn: "2026-07-01" })
    ).id;
    segment = (await created("POST", "/segments", { name: "Alle Quarzkunden", filter: { tags: ["Quarz"] } })).id;
    hidden = {
      customer: id,
      contact: h.contacts[0].id,
      contact2: h.contacts[1].id,
      address: h.addresses[0].id,
      channel: h.channels[0].id,
      bankAccount: h.bankAccounts[0].id,
      journal,
      attachment,
      followUp: (
        await created("POST", `${c}/follow-ups`, {
          subject: "Nachfassen",
          dueAt: "2026-07-01T09:00:00.000Z",
          owner: SALES,
        })
      ).id,
      document,
      payment,
      ticket: (await created("POST", `${c}/tickets`, { type: "complaint", subject: "Reklamation", assignee: SALES }))
        .id,
      opportunity: (
        await created("POST", `${c}/opportunities`, {
          title: "Neue Anlage",
          valueCents: 500_000,
          expectedCloseDate: "2026-12-31",
          owner: SALES,
        })
      ).id,
      objection: (
        await created("POST", `${c}/advertising-objections`, { contactId: h.contacts[1].id, source: "phone" })
      ).id,
      priceAgreement: (
        await created("POST", `${c}/price-agreements`, {
          productId: product,
          discountPercent: 5,
          validFrom: "2026-01-01",
        })
      ).id,
      member,
    };
    await created("PUT", `${c}/preferences`, { shippingInstructions: "Tor 2" }, 1);
    await created("POST", `${c}/not-duplicates`, { otherId: visible });
    const settings = await created("GET", "/settings");
    await created("PATCH", "/settings", { rowLevelSales: true }, settings.version);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Ids nothing has: distinct, so no request fails for naming the same record twice. */
  const ghostIds = (): Ids => ({ ...hidden, ...Object.fromEntries(Object.keys(hidden).map((k, i) => [k, GHOST + i])) });

  const customerPart = (
    path: string,
    body: unknown,
    change: unknown,
    child: (t: Ids) => number,
    removal?: unknown,
  ): Record<string, Probe> => ({
    [`GET /customers/:id/${path}`]: { kind: "hidden", req: (t) => ({ url: `/customers/${t.customer}/${path}` }) },
    [`POST /customers/:id/${path}`]: {
      kind: "hidden",
      req: (t) => ({ url: `/customers/${t.customer}/${path}`, body }),
    },
    [`GET /customers/:id/${path}/:childId`]: {
      kind: "hidden",
      req: (t) => ({ url: `/customers/${t.customer}/${path}/${child(t)}` }),
    },
    [`PATCH /customers/:id/${path}/:childId`]: {
      kind: "hidden",
      req: (t) => ({ url: `/customers/${t.customer}/${path}/${child(t)}`, body: change, version: 1 }),
    },
    [`DELETE /customers/:id/${path}/:childId`]: {
      kind: "hidden",
      destructive: true,
      req: (t) => ({ url: `/customers/${t.customer}/${path}/${child(t)}`, body: removal, version: 1 }),
    },
  });
  const none = (why: string, ...keys: string[]): Record<string, Probe> =>
    Object.fromEntries(keys.map((k) => [k, { kind: "none", why }]));
  const at = (t: Ids, rest = "") => ({ url: `/customers/${t.customer}${rest}` });

  /** Every route of the app, classified. */
  const probes = (): Record<string, Probe | Probe[]> => ({
    ...none(
      "public or about the caller only",
      "GET /api/docs",
      "GET /api/docs/static/index.html",
      "GET /api/docs/static/swagger-initializer.js",
      "GET /api/docs/json",
      "GET /api/docs/yaml",
      "GET /api/docs/static/*",
      "GET /api/openapi.json",
      "GET /api/health",
      "GET /api/health/live",
      "GET /api/health/ready",
      "GET /business-time",
      "POST /auth/login",
      "POST /auth/logout",
      "GET /auth/session",
      "GET /auth/setup",
      "POST /auth/setup",
      "POST /auth/password",
      "GET /auth/tokens",
      "POST /auth/tokens",
      "DELETE /auth/tokens/:id",
    ),
    ...none(
      "administration and catalogues: no customer behind them",
      "GET /users",
      "GET /users/directory",
      "POST /users",
      "GET /users/:id",
      "PATCH /users/:id",
      "GET /roles",
      "PATCH /roles/:key",
      "GET /settings",
      "PATCH /settings",
      "GET /number-ranges",
      "GET /number-ranges/:key",
      "PATCH /number-ranges/:key",
      "GET /products",
      "POST /products",
      "GET /products/:id",
      "PATCH /products/:id",
      "DELETE /products/:id",
      "GET /payment-terms",
      "POST /payment-terms",
      "GET /payment-terms/:id",
      "PATCH /payment-terms/:id",
      "GET /dunning/levels",
      "PATCH /dunning/levels/:level",
      "GET /ticket-slas",
      "PATCH /ticket-slas/:type/:priority",
      "GET /opportunity-stages",
      "GET /opportunity-stages/:id",
      "POST /opportunity-stages",
      "PATCH /opportunity-stages/:id",
      "DELETE /opportunity-stages/:id",
    ),
    ...none(
      "segment definitions and campaigns as a whole: their customers are reached only through the routes below",
      "GET /segments",
      "POST /segments",
      "GET /segments/:id",
      "PATCH /segments/:id",
      "DELETE /segments/:id",
      "GET /campaigns",
      "POST /campaigns",
      "GET /campaigns/:id",
      "PATCH /campaigns/:id",
      "DELETE /campaigns/:id",
    ),

    // ------------------------------------------------------------ one customer, by its id
    "POST /customers": { kind: "own", test: "a sales user's new customer is theirs" },
    "GET /customers": { kind: "list", req: () => ({ url: "/customers?limit=500" }) },
    "GET /customers/:id": { kind: "hidden", req: (t) => at(t) },
    "PATCH /customers/:id": { kind: "hidden", req: (t) => ({ ...at(t), body: { name2: "x" }, version: 1 }) },
    "DELETE /customers/:id": { kind: "hidden", destructive: true, req: (t) => ({ ...at(t), version: 1 }) },
    "GET /customers/:id/file": { kind: "hidden", req: (t) => at(t, "/file") },
    "GET /customers/:id/history": { kind: "hidden", req: (t) => at(t, "/history") },
    ...customerPart(
      "addresses",
      { type: "delivery", street: "Neu 1", postalCode: "20095", city: "Hamburg" },
      { street: "Neu 2" },
      (t) => t.address,
    ),
    ...customerPart("channels", { kind: "phone", value: "040 123456" }, { value: "040 654321" }, (t) => t.channel),
    ...customerPart("contacts", { lastName: "Neu" }, { lastName: "Neuer" }, (t) => t.contact2),
    ...customerPart("bank-accounts", { iban: "DE02120300000000202051" }, { bic: "COBADEFFXXX" }, (t) => t.bankAccount),
    ...customerPart("journal", { kind: "note", subject: "Notiz" }, { subject: "Notiz 2" }, (t) => t.journal, {
      reason: "Irrtum",
    }),
    "GET /customers/:id/follow-ups": { kind: "hidden", req: (t) => at(t, "/follow-ups") },
    "POST /customers/:id/follow-ups": {
      kind: "hidden",
      req: (t) => ({ ...at(t, "/follow-ups"), body: { subject: "x", dueAt: "2026-08-01T09:00:00.000Z" } }),
    },
    "GET /customers/:id/follow-ups/:childId": { kind: "hidden", req: (t) => at(t, `/follow-ups/${t.followUp}`) },
    "PATCH /customers/:id/follow-ups/:childId": {
      kind: "hidden",
      req: (t) => ({ ...at(t, `/follow-ups/${t.followUp}`), body: { subject: "y" }, version: 1 }),
    },
    "POST /customers/:id/journal/:childId/attachments": {
      kind: "hidden",
      req: (t) => ({
        url: `/customers/${t.customer}/journal/${t.journal}/attachments?filename=a.txt`,
        body: Buffer.from("x"),
        contentType: "application/octet-stream",
      }),
    },
    "GET /customers/:id/journal/:childId/attachments/:attachmentId": {
      kind: "hidden",
      req: (t) => at(t, `/journal/${t.journal}/attachments/${t.attachment}`),
    },
    "GET /customers/:id/documents": { kind: "hidden", req: (t) => at(t, "/documents") },
    "POST /customers/:id/documents": {
      kind: "hidden",
      req: (t) => ({
        ...at(t, "/documents"),
        body: { type: "quote", documentDate: "2026-06-01", lines: [{ productId: product, quantity: 1 }] },
      }),
    },
    "GET /customers/:id/documents/:childId": { kind: "hidden", req: (t) => at(t, `/documents/${t.document}`) },
    "PATCH /customers/:id/documents/:childId": {
      kind: "hidden",
      req: (t) => ({ ...at(t, `/documents/${t.document}`), body: { note: "x" }, version: 1 }),
    },
    "GET /customers/:id/payments": { kind: "hidden", req: (t) => at(t, "/payments") },
    "POST /customers/:id/payments": {
      kind: "hidden",
      req: (t) => ({ ...at(t, "/payments"), body: { amountCents: 1, paymentDate: "2026-06-01" } }),
    },
    "GET /customers/:id/payments/:childId": { kind: "hidden", req: (t) => at(t, `/payments/${t.payment}`) },
    "GET /customers/:id/open-items": { kind: "hidden", req: (t) => at(t, "/open-items") },
    "GET /customers/:id/credit": { kind: "hidden", req: (t) => at(t, "/credit") },
    "PATCH /customers/:id/credit": {
      kind: "hidden",
      req: (t) => ({ ...at(t, "/credit"), body: { creditLimitCents: 1 }, version: 1 }),
    },
    "POST /customers/:id/credit-check": {
      kind: "hidden",
      req: (t) => ({ ...at(t, "/credit-check"), body: { amountCents: 1 } }),
    },
    "GET /customers/:id/product-history": { kind: "hidden", req: (t) => at(t, "/product-history") },
    "GET /customers/:id/revenue": { kind: "hidden", req: (t) => at(t, "/revenue") },
    "GET /customers/:id/dunning-notices": { kind: "hidden", req: (t) => at(t, "/dunning-notices") },
    "GET /customers/:id/duplicates": [
      { kind: "hidden", req: (t) => at(t, "/duplicates") },
      { kind: "list", req: () => ({ url: `/customers/${twin}/duplicates` }) },
    ],
    "POST /customers/:id/not-duplicates": [
      { kind: "hidden", req: (t) => ({ ...at(t, "/not-duplicates"), body: { otherId: visible } }) },
      { kind: "hidden", req: (t) => ({ url: `/customers/${visible}/not-duplicates`, body: { otherId: t.customer } }) },
    ],
    "DELETE /customers/:id/not-duplicates/:childId": [
      { kind: "hidden", destructive: true, req: (t) => at(t, `/not-duplicates/${visible}`) },
      {
        kind: "hidden",
        destructive: true,
        noAdminCheck: "the admin's request above has removed the mark",
        req: (t) => ({ url: `/customers/${visible}/not-duplicates/${t.customer}` }),
      },
    ],
    "POST /customers/:id/merge": [
      {
        kind: "hidden",
        destructive: true,
        req: async (t) => ({
          ...at(t, "/merge"),
          body: { merge: [{ id: visible, version: await version(`/customers/${visible}`) }] },
          version: 1,
        }),
      },
      {
        kind: "hidden",
        destructive: true,
        noAdminCheck: "the admin's merge above has merged the visible customer away",
        req: async (t) => ({
          url: `/customers/${visible}/merge`,
          body: { merge: [{ id: t.customer, version: 1 }] },
          version: await version(`/customers/${visible}`),
        }),
      },
    ],
    "POST /customers/:id/contacts/:childId/merge": {
      kind: "hidden",
      destructive: true,
      req: (t) => ({
        ...at(t, `/contacts/${t.contact}/merge`),
        body: { merge: [{ id: t.contact2, version: 1 }] },
        version: 1,
      }),
    },
    "GET /customers/:id/price-agreements": { kind: "hidden", req: (t) => at(t, "/price-agreements") },
    "POST /customers/:id/price-agreements": {
      kind: "hidden",
      req: (t) => ({
        ...at(t, "/price-agreements"),
        body: { productGroup: "Sand", discountPercent: 2, validFrom: "2027-01-01" },
      }),
    },
    "GET /customers/:id/price": { kind: "hidden", req: (t) => at(t, "/price?productId=1") },
    "GET /customers/:id/tickets": { kind: "hidden", req: (t) => at(t, "/tickets") },
    "POST /customers/:id/tickets": {
      kind: "hidden",
      req: (t) => ({ ...at(t, "/tickets"), body: { type: "inquiry", subject: "x" } }),
    },
    "GET /customers/:id/tickets/:childId": { kind: "hidden", req: (t) => at(t, `/tickets/${t.ticket}`) },
    "PATCH /customers/:id/tickets/:childId": {
      kind: "hidden",
      req: (t) => ({ ...at(t, `/tickets/${t.ticket}`), body: { subject: "y" }, version: 1 }),
    },
    "GET /customers/:id/opportunities": { kind: "hidden", req: (t) => at(t, "/opportunities") },
    "GET /customers/:id/opportunities/pipeline": { kind: "hidden", req: (t) => at(t, "/opportunities/pipeline") },
    "POST /customers/:id/opportunities": {
      kind: "hidden",
      req: (t) => ({
        ...at(t, "/opportunities"),
        body: { title: "x", valueCents: 1, expectedCloseDate: "2026-12-31" },
      }),
    },
    "GET /customers/:id/opportunities/:childId": {
      kind: "hidden",
      req: (t) => at(t, `/opportunities/${t.opportunity}`),
    },
    "PATCH /customers/:id/opportunities/:childId": {
      kind: "hidden",
      req: (t) => ({ ...at(t, `/opportunities/${t.opportunity}`), body: { title: "y" }, version: 1 }),
    },
    "DELETE /customers/:id/opportunities/:childId": {
      kind: "hidden",
      destructive: true,
      req: (t) => ({ ...at(t, `/opportunities/${t.opportunity}`), version: 1 }),
    },
    "GET /customers/:id/consents": { kind: "hidden", req: (t) => at(t, "/consents") },
    "GET /customers/:id/consents/history": { kind: "hidden", req: (t) => at(t, "/consents/history") },
    "POST /customers/:id/consents": {
      kind: "hidden",
      req: (t) => ({ ...at(t, "/consents"), body: { channel: "email", state: "granted", source: "letter" } }),
    },
    "POST /customers/:id/consents/unsubscribe": {
      kind: "hidden",
      req: (t) => ({ ...at(t, "/consents/unsubscribe"), body: { channel: "letter" } }),
    },
    "GET /customers/:id/advertising-objections": { kind: "hidden", req: (t) => at(t, "/advertising-objections") },
    "POST /customers/:id/advertising-objections": {
      kind: "hidden",
      req: (t) => ({ ...at(t, "/advertising-objections"), body: { source: "letter" } }),
    },
    "GET /customers/:id/advertising-objections/:childId": {
      kind: "hidden",
      req: (t) => at(t, `/advertising-objections/${t.objection}`),
    },
    "POST /customers/:id/advertising-objections/:childId/lift": {
      kind: "hidden",
      req: (t) => ({
        ...at(t, `/advertising-objections/${t.objection}/lift`),
        body: { reason: "Widerruf" },
        version: 1,
      }),
    },
    "GET /customers/:id/preferences": { kind: "hidden", req: (t) => at(t, "/preferences") },
    "PUT /customers/:id/preferences": {
      kind: "hidden",
      req: (t) => ({ ...at(t, "/preferences"), body: { shippingInstructions: "Tor 9" }, version: 2 }),
    },

    // ------------------------------------------------------------ a customer named in the query or body
    "GET /follow-ups": { kind: "list", req: () => ({ url: `/follow-ups?owner=${SALES}` }) },
    "POST /journal/import-mail": { kind: "own", test: "mail import names no hidden customer" },
    "GET /dunning/proposal": { kind: "list", req: () => ({ url: "/dunning/proposal?onDate=2030-01-01" }) },
    "POST /dunning/runs": {
      kind: "hidden",
      destructive: true,
      req: (t) => ({ url: "/dunning/runs", body: { onDate: "2030-01-01", customerIds: [t.customer] } }),
    },
    "GET /search": { kind: "list", req: () => ({ url: "/search?q=Quarzwerk" }) },
    "POST /duplicates/check": [
      {
        kind: "list",
        req: () => ({ url: "/duplicates/check", body: { name1: `Quarzwerk ${MARK}`, city: "Hamburg" } }),
      },
      {
        kind: "hidden",
        req: (t) => ({ url: "/duplicates/check", body: { name1: "Quarzwerk", excludeCustomerId: t.customer } }),
      },
    ],
    "GET /price-agreements": [
      { kind: "list", req: () => ({ url: "/price-agreements" }) },
      { kind: "hidden", req: (t) => ({ url: `/price-agreements?customerId=${t.customer}` }) },
    ],
    "POST /price-agreements": {
      kind: "hidden",
      req: (t) => ({
        url: "/price-agreements",
        body: { customerId: t.customer, productGroup: "Kies", discountPercent: 1, validFrom: "2027-01-01" },
      }),
    },
    "GET /price-agreements/:id": { kind: "hidden", req: (t) => ({ url: `/price-agreements/${t.priceAgreement}` }) },
    "PATCH /price-agreements/:id": {
      kind: "hidden",
      req: (t) => ({ url: `/price-agreements/${t.priceAgreement}`, body: { note: "x" }, version: 1 }),
    },
    "DELETE /price-agreements/:id": {
      kind: "hidden",
      destructive: true,
      req: (t) => ({ url: `/price-agreements/${t.priceAgreement}`, version: 1 }),
    },
    "GET /tickets": [
      { kind: "list", req: () => ({ url: "/tickets" }) },
      { kind: "hidden", req: (t) => ({ url: `/tickets?customerId=${t.customer}` }) },
    ],
    "GET /opportunities": [
      { kind: "list", req: () => ({ url: "/opportunities" }) },
      { kind: "hidden", req: (t) => ({ url: `/opportunities?customerId=${t.customer}` }) },
    ],
    "GET /opportunities/pipeline": [
      {
        kind: "figure",
        req: () => ({ url: "/opportunities/pipeline" }),
        figure: (b: { total: { count: number } }) => b.total.count,
        sales: 0,
        admin: 1,
      },
      { kind: "hidden", req: (t) => ({ url: `/opportunities/pipeline?customerId=${t.customer}` }) },
    ],
    "POST /segments/preview": {
      kind: "list",
      req: () => ({ url: "/segments/preview?limit=200", body: { filter: {} } }),
    },
    "POST /segments/:id/evaluate": {
      kind: "list",
      req: () => ({ url: `/segments/${segment}/evaluate?limit=200`, body: {} }),
    },
    "GET /campaigns/:id/members": { kind: "list", req: () => ({ url: `/campaigns/${campaign}/members` }) },
    "POST /campaigns/:id/members": {
      kind: "hidden",
      req: (t) => ({ url: `/campaigns/${draftCampaign}/members`, body: { customerId: t.customer } }),
    },
    "POST /campaigns/:id/members/from-segment": {
      kind: "figure",
      req: () => ({ url: `/campaigns/${draftCampaign}/members/from-segment`, body: { segmentId: segment } }),
      // Everyone the segment selected: added now or members already.
      figure: (b: { added: number; alreadyMembers: number }) => b.added + b.alreadyMembers,
      sales: 2,
      admin: 3,
    },
    "GET /campaigns/:id/members/:memberId": {
      kind: "hidden",
      req: (t) => ({ url: `/campaigns/${campaign}/members/${t.member}` }),
    },
    "POST /campaigns/:id/members/:memberId/response": {
      kind: "hidden",
      req: (t) => ({
        url: `/campaigns/${campaign}/members/${t.member}/response`,
        body: { response: "unsubscribed" },
        version: 2,
      }),
    },
    "GET /campaigns/:id/results": {
      kind: "figure",
      req: () => ({ url: `/campaigns/${campaign}/results` }),
      figure: (b: { members: number }) => b.members,
      sales: 1,
      admin: 2,
    },
  });

  const count = async (table: "customers" | "journal_entries") =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(env().db.kysely)).rows[0]!.n,
    );
  const problem = (res: LightMyRequestResponse) => ({
    status: res.statusCode,
    code: res.json().code,
    errors: (res.json().errors ?? []).map((e: { field: string; code: string }) => `${e.field}:${e.code}`),
  });

  it("a sales user's new customer is theirs; a write that would hide a customer from its author is refused", async () => {
    const sales = (method: string, url: string, body?: unknown, version?: number) =>
      call(salesToken, method, { url, body, version });
    const before = await count("customers");
    const mine = await sales("POST", "/customers", { kind: "company", name1: "Eigenbau GmbH" });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().customer.owner).toBe(SALES);
    expect((await sales("GET", `/customers/${mine.json().customer.id}`)).statusCode).toBe(200);
    expect(await count("customers")).toBe(before + 1);

    // Someone else's customer outside the user's region would be invisible to them: refused, nothing stored.
    const othersIn = (name1: string, region: string) =>
      sales("POST", "/customers", { kind: "company", name1, owner: "someone@else.test", region });
    const foreign = await othersIn("Fremdbau AG", "Hamburg");
    expect(problem(foreign)).toEqual({ status: 400, code: "validation_failed", errors: ["owner:not_visible"] });
    expect(await count("customers")).toBe(before + 1);
    // In the user's region it stays visible: allowed.
    const regional = await othersIn("Regionalbau KG", "Bayern");
    expect(regional.statusCode, regional.body).toBe(201);
    expect(regional.json().customer.owner).toBe("someone@else.test");

    // Handing one's customer to someone else (with a name change, whose duplicate check used to fail after the commit).
    const id = mine.json().customer.id;
    const handOver = await sales("PATCH", `/customers/${id}`, { name1: "Eigenbau 2 GmbH", owner: "x@else.test" }, 1);
    expect(problem(handOver)).toEqual({ status: 400, code: "validation_failed", errors: ["owner:not_visible"] });
    expect((await sales("GET", `/customers/${id}`)).json()).toMatchObject({
      name1: "Eigenbau GmbH",
      owner: SALES,
      version: 1,
    });

    // A merge whose chosen owner would hide the survivor: refused, both customers still there.
    // (The survivor keeps its own empty region by choice: left unchosen, it would take the
    // merged customer's region, in which the user sees the survivor.)
    const merged = await sales(
      "POST",
      `/customers/${id}/merge`,
      {
        merge: [{ id: regional.json().customer.id, version: 1 }],
        fields: { owner: regional.json().customer.id, region: id },
      },
      1,
    );
    expect(problem(merged)).toEqual({ status: 400, code: "validation_failed", errors: ["owner:not_visible"] });
    expect(await count("customers")).toBe(before + 2);
  });

  it("mail import names no hidden customer and matches only visible ones", async () => {
    const mail = (id: string, from: string, to = "vertrieb@firma.test") =>
      Buffer.from(
        [
          `From: ${from}`,
          `To: ${to}`,
          "Subject: Anfrage Quarzsand",
          `Message-ID: <${id}@quarz.test>`,
          "Date: Mon, 01 Jun 2026 10:00:00 +0000",
          "Content-Type: text/plain; charset=utf-8",
          "",
          "Bitte ein Angebot.",
          "",
        ].join("\r\n"),
      );
    const importAs = (token: string, raw: Buffer, query = "") =>
      app.inject({
        method: "POST",
        url: `/api/v1/journal/import-mail${query}`,
        payload: raw,
        headers: { authorization: `Bearer ${token}`, "content-type": "message/rfc822" },
      });
    const journal = await count("journal_entries");
    // The hidden customer's contact, and its domain: as if nobody used these addresses.
    for (const from of ["anna@quarz1.de", "jemand@quarz1.de"]) {
      const res = await importAs(salesToken, mail(`rl-${from}`, from));
      expect(problem(res).code, res.body).toBe("no_match");
      expect(res.body).not.toMatch(/customer \d/i);
    }
    // Named by id: as a customer that does not exist.
    const named = shape(
      await importAs(salesToken, mail("rl-named", "anna@quarz1.de"), `?customerId=${hidden.customer}`),
    );
    const ghost = shape(await importAs(salesToken, mail("rl-named", "anna@quarz1.de"), `?customerId=${GHOST}`));
    expect(named).toEqual(ghost);
    expect(await count("journal_entries")).toBe(journal);
    // Sent to a visible customer as well: that one is the match.
    const both = await importAs(salesToken, mail("rl-both", "anna@quarz1.de", "info@quarz2.de"));
    expect(both.statusCode, both.body).toBe(201);
    expect(both.json().customerId).toBe(visible);
    // Imported to the hidden customer already: said without naming where.
    expect((await importAs(adminToken, mail("rl-twice", "anna@quarz1.de"))).statusCode).toBe(201);
    const twice = await importAs(salesToken, mail("rl-twice", "anna@quarz1.de"));
    expect(problem(twice).code).toBe("conflict");
    expect(twice.json().detail).toBe("This e-mail was imported already");
    expect((await importAs(adminToken, mail("rl-twice", "anna@quarz1.de"))).json().detail).toMatch(/of customer \d+/);
  });

  it("a customer merged into a hidden one answers as absent, not with the survivor's address", async () => {
    const merged = (await created("POST", "/customers", { kind: "company", name1: "Altkunde Quarz" })).customer.id;
    const survivor = `/customers/${hidden.customer}`;
    const result = await created(
      "POST",
      `${survivor}/merge`,
      { merge: [{ id: merged, version: 1 }] },
      await version(survivor),
    );
    expect(result.survivorId).toBe(hidden.customer);
    for (const path of ["", "/file"]) {
      expect((await admin("GET", `/customers/${merged}${path}`)).statusCode).toBe(308);
      const res = await call(salesToken, "GET", { url: `/customers/${merged}${path}` });
      expect(shape(res)).toEqual(shape(await call(salesToken, "GET", { url: `/customers/${GHOST}${path}` })));
      expect(res.headers.location).toBeUndefined();
    }
  });

  it("every route is classified", () => {
    const known = probes();
    const routes = app.routeTable.map((r) => `${r.method} ${r.url.replace(/^\/api\/v1/, "")}`);
    expect(routes.filter((r) => !(r in known))).toEqual([]);
    expect(Object.keys(known).filter((k) => !routes.includes(k))).toEqual([]);
  });

  it("no route reveals or changes a hidden customer, and every list leaves it out", async () => {
    const tables = await tablesWithColumn(env().db.kysely, env().engine, "customer_id");
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const t of tables) {
        out[t] = (
          await sql`select * from ${sql.table(t)} where customer_id = ${hidden.customer} order by 1`.execute(
            env().db.kysely,
          )
        ).rows;
      }
      return out;
    };
    const before = await snapshot();
    const all = app.routeTable.flatMap((r) => {
      const key = `${r.method} ${r.url.replace(/^\/api\/v1/, "")}`;
      const p = probes()[key];
      return (Array.isArray(p) ? p : p ? [p] : []).map((probe) => ({ key, method: r.method, probe }));
    });
    const failures: string[] = [];
    const markers = () => [MARK, `"${hiddenNumber}"`, `"customerId":${hidden.customer},`];
    const ghostAnswers = new Map<number, ReturnType<typeof shape>>();
    for (const [i, { key, method, probe }] of all.entries()) {
      if (probe.kind === "hidden") {
        const g = shape(await call(salesToken, method, await probe.req(ghostIds())));
        const h = shape(await call(salesToken, method, await probe.req(hidden)));
        ghostAnswers.set(i, g);
        if (g.status >= 500 || h.status !== g.status || h.body !== g.body) {
          failures.push(`${key}: hidden → ${h.status} ${h.body}, missing → ${g.status} ${g.body}`);
        }
      } else if (probe.kind === "list") {
        const res = await call(salesToken, method, probe.req());
        const leaked = markers().filter((m) => res.body.includes(m));
        if (res.statusCode >= 300 || leaked.length > 0)
          failures.push(`${key}: ${res.statusCode}, shows ${leaked.join(", ")}`);
      } else if (probe.kind === "figure") {
        const res = await call(salesToken, method, probe.req());
        const n = res.statusCode < 300 ? probe.figure(res.json() as never) : Number.NaN;
        if (n !== probe.sales) failures.push(`${key}: ${res.statusCode}, figure ${n} (expected ${probe.sales})`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);

    // The same requests reach something for the admin: the probes above were not vacuous.
    const rank = (x: (typeof all)[number]) =>
      x.probe.kind !== "hidden" || !x.probe.destructive ? 0 : x.key === "DELETE /customers/:id" ? 2 : 1;
    const vacuous: string[] = [];
    for (const [i, x] of [...all.entries()].sort((a, b) => rank(a[1]) - rank(b[1]))) {
      const { key, method, probe } = x;
      if (probe.kind === "hidden" && !probe.noAdminCheck) {
        const a = shape(await call(adminToken, method, await probe.req(hidden)));
        const g = ghostAnswers.get(i)!;
        if (a.status === g.status && a.body === g.body) vacuous.push(`${key}: admin → ${a.status} ${a.body}`);
      } else if (probe.kind === "list") {
        const res = await call(adminToken, method, probe.req());
        if (!markers().some((m) => res.body.includes(m))) vacuous.push(`${key}: admin does not see it either`);
      } else if (probe.kind === "figure") {
        const res = await call(adminToken, method, probe.req());
        const n = probe.figure(res.json() as never);
        if (n !== probe.admin) vacuous.push(`${key}: admin's figure ${n} (expected ${probe.admin})`);
      }
    }
    expect(vacuous).toEqual([]);
  });
});
