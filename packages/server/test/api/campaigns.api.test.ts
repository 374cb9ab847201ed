import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { SYSTEM_CONTEXT } from "../../src/http/context.js";
import { previewSegment } from "../../src/modules/segments/segments.service.js";
import { fixedClock } from "../support/clock.js";
import { forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

type Api = ReturnType<typeof client>;

forEachEngine("segments and campaigns API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  const withVersion = (version: number) => ({ "if-match": `"${version}"` });
  const ids = (items: { customerId: number; contactId?: number | null }[]) => items.map((i) => i.customerId);

  const newCustomer = async (body: Record<string, unknown>) => {
    const res = await api.post("/customers", { kind: "company", ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { customer: { id: number }; contacts: { id: number; lastName: string }[] };
  };
  const invoice = async (customerId: number, documentDate: string, lines: Record<string, unknown>[]) => {
    const res = await api.post(`/customers/${customerId}/documents`, { type: "invoice", documentDate, lines });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const line = (netCents: number) => ({ text: "Leistung", quantity: 1, unitPriceCents: netCents, vatRatePercent: 19 });

  describe("segments", () => {
    const T = "SegTest";
    let a = 0; // active Industrie Bayern 80331, bought product P in 2026-02, 500 € revenue
    let b = 0; // prospect Handel Hessen 60311, bought Q in 2025-06, 2,000 € revenue
    let c = 0; // inactive Industrie Bayern 90402, never bought
    let d = 0; // active Handel Berlin 10115, other tag only
    let productP = 0;
    let productQ = 0;
    let contactsOfA: { id: number; lastName: string }[] = [];

    beforeAll(async () => {
      productP = (await api.post("/products", { articleNumber: "SEG-P", name: "Pumpe", listPriceCents: 10000 })).json()
        .id;
      productQ = (await api.post("/products", { articleNumber: "SEG-Q", name: "Quelle", listPriceCents: 5000 })).json()
        .id;
      const billing = (postalCode: string, city: string) => [{ type: "billing", street: "Weg 1", postalCode, city }];
      const A = await newCustomer({
        name1: "Alpha Segment GmbH",
        status: "active",
        customerGroup: "Industrie",
        region: "Bayern",
        tags: [T, "Newsletter"],
        addresses: billing("80331", "München"),
        contacts: [
          { lastName: "Einkauf", department: "Einkauf", isPrimary: true },
          { lastName: "Technik", department: "Technik" },
          { lastName: "Alt", department: "Einkauf", active: false },
        ],
      });
      a = A.customer.id;
      contactsOfA = A.contacts;
      b = (
        await newCustomer({
          name1: "Beta Segment KG",
          status: "prospect",
          customerGroup: "Handel",
          region: "Hessen",
          tags: [T],
          addresses: billing("60311", "Frankfurt am Main"),
          contacts: [{ lastName: "Berger" }],
        })
      ).customer.id;
      c = (
        await newCustomer({
          name1: "Gamma Segment AG",
          status: "inactive",
          customerGroup: "Industrie",
          region: "Bayern",
          tags: [T, "Export"],
          addresses: billing("90402", "Nürnberg"),
        })
      ).customer.id;
      d = (
        await newCustomer({
          name1: "Delta Segment OHG",
          status: "active",
          customerGroup: "Handel",
          region: "Berlin",
          tags: ["Anders"],
          addresses: billing("10115", "Berlin"),
        })
      ).customer.id;
      await invoice(a, "2026-02-10", [{ productId: productP, quantity: 5 }]); // 500 €
      await invoice(b, "2025-06-01", [{ productId: productQ, quantity: 40 }]); // 2,000 €
      await invoice(d, "2026-01-15", [line(99900)]);
    });

    const preview = async (filter: Record<string, unknown>, target = "customers", query = "") => {
      const res = await api.post(`/segments/preview${query}`, { target, filter });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as {
        count: number;
        items: { customerId: number; contactId: number | null }[];
        nextCursor: string | null;
      };
    };
    const tagged = (f: Record<string, unknown>) => preview({ tags: [T], ...f });

    it("each filter kind selects by one set-based evaluation: count and members by name", async () => {
      const all = await tagged({});
      expect(all.count).toBe(3);
      expect(ids(all.items)).toEqual([a, b, c]);
      expect(ids((await tagged({ statuses: ["active", "inactive"] })).items)).toEqual([a, c]);
      expect(ids((await tagged({ groups: ["Industrie"] })).items)).toEqual([a, c]);
      expect(ids((await tagged({ regions: ["Hessen", "Sachsen"] })).items)).toEqual([b]);
      expect(ids((await preview({ tags: ["Export", "Anders"] })).items)).toEqual([d, c]);
      expect(ids((await tagged({ postalCodePrefixes: ["8", "603"] })).items)).toEqual([a, b]);
      expect(ids((await preview({ postalCodePrefixes: ["90402"] })).items)).toEqual([c]);

      const months = { fromMonth: "2025-01", toMonth: "2026-12" };
      expect(ids((await tagged({ revenue: { ...months, minCents: 100000 } })).items)).toEqual([b]);
      expect(ids((await tagged({ revenue: { ...months, minCents: 1, maxCents: 100000 } })).items)).toEqual([a]);
      // No revenue counts as 0: a band starting at 0 includes customers who never bought.
      expect(ids((await tagged({ revenue: { ...months, maxCents: 60000 } })).items)).toEqual([a, c]);
      expect(ids((await tagged({ revenue: { fromMonth: "2026-01", toMonth: "2026-12", minCents: 1 } })).items)).toEqual(
        [a],
      );

      expect(ids((await tagged({ lastPurchase: { after: "2026-01-01" } })).items)).toEqual([a]);
      // "Last bought before": customers who bought, but not since.
      expect(ids((await tagged({ lastPurchase: { before: "2026-01-01" } })).items)).toEqual([b]);
      expect(ids((await tagged({ lastPurchase: { after: "2025-01-01", before: "2026-03-01" } })).items)).toEqual([
        a,
        b,
      ]);

      expect(ids((await preview({ productsBought: { productIds: [productP, productQ] } })).items)).toEqual([a, b]);
      expect(ids((await preview({ productsBought: { productIds: [productQ], since: "2026-01-01" } })).items)).toEqual(
        [],
      );
      expect(ids((await preview({ productsBought: { productIds: [productP], since: "2026-01-01" } })).items)).toEqual([
        a,
      ]);

      // Combined: every criterion must hold.
      const combined = await tagged({
        groups: ["Industrie"],
        statuses: ["active"],
        productsBought: { productIds: [productP] },
      });
      expect(combined).toMatchObject({ count: 1, items: [{ customerId: a, customerName: "Alpha Segment GmbH" }] });
    });

    it("contacts as target: active contacts of the customers, by primary flag and department", async () => {
      const contacts = await preview({ tags: [T] }, "contacts");
      // A's inactive contact is left out; C has no contacts.
      expect(contacts.count).toBe(3);
      const [einkauf, technik] = [
        contactsOfA.find((x) => x.lastName === "Einkauf")!,
        contactsOfA.find((x) => x.lastName === "Technik")!,
      ];
      expect(contacts.items.map((i) => i.contactId)).toContain(einkauf.id);
      expect(
        (await preview({ tags: [T], contacts: { primaryOnly: true } }, "contacts")).items.map((i) => i.contactId),
      ).toEqual([einkauf.id]);
      expect(
        (await preview({ tags: [T], contacts: { departments: ["Technik"] } }, "contacts")).items.map(
          (i) => i.contactId,
        ),
      ).toEqual([technik.id]);
      // Pages by customer name, then contact.
      const p1 = await preview({ tags: [T] }, "contacts", "?limit=2");
      expect(p1.items).toHaveLength(2);
      const p2 = await preview({ tags: [T] }, "contacts", `?limit=2&cursor=${p1.nextCursor}`);
      expect(p2.items).toHaveLength(1);
      expect(p2.nextCursor).toBeNull();
      expect([...p1.items, ...p2.items].map((i) => i.contactId)).toEqual(contacts.items.map((i) => i.contactId));
      expect(p2.count).toBe(3);
    });

    it("saved segments: create, evaluate, change with If-Match, 409 for a taken name, delete", async () => {
      const created = await api.post("/segments", {
        name: "Industrie Bayern",
        description: "Für die Messe",
        filter: { tags: [T], groups: ["Industrie"], regions: ["Bayern"] },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.headers.location).toBe(`/api/v1/segments/${created.json().id}`);
      const id = created.json().id;
      const evaluated = await api.post(`/segments/${id}/evaluate`, {});
      expect(evaluated.statusCode, evaluated.body).toBe(200);
      expect(evaluated.json()).toMatchObject({ count: 2, items: [{ customerId: a }, { customerId: c }] });
      const paged = (await api.post(`/segments/${id}/evaluate?limit=1`, {})).json();
      expect(paged.items).toHaveLength(1);
      expect(
        (await api.post(`/segments/${id}/evaluate?limit=1&cursor=${paged.nextCursor}`, {})).json().items[0].customerId,
      ).toBe(c);

      expectProblem(await api.post("/segments", { name: "  industrie bayern ", filter: {} }), 409, "unique_violation");
      expectProblem(await api.patch(`/segments/${id}`, { name: "x" }), 428, "precondition_required");
      const stale = expectProblem(await api.patch(`/segments/${id}`, { name: "x" }, 3), 412, "version_mismatch");
      expect(stale.current).toMatchObject({ id, version: 1, name: "Industrie Bayern" });
      const changed = await api.patch(`/segments/${id}`, { filter: { tags: [T], statuses: ["inactive"] } }, 1);
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json().version).toBe(2);
      expect((await api.post(`/segments/${id}/evaluate`, {})).json().count).toBe(1);
      expect((await api.get("/segments")).json().items.map((s: { name: string }) => s.name)).toContain(
        "Industrie Bayern",
      );
      expect((await api.get(`/segments/${id}`)).headers.etag).toBe('"2"');

      expectProblem(await api.del(`/segments/${id}`), 428, "precondition_required");
      expect((await api.del(`/segments/${id}`, 2)).statusCode).toBe(204);
      expectProblem(await api.get(`/segments/${id}`), 404, "not_found");
      expectProblem(await api.post(`/segments/${id}/evaluate`, {}), 404, "not_found");
    });

    it("refuses filters that cannot be evaluated, with the field at fault", async () => {
      const bad = expectProblem(
        await api.post("/segments/preview", {
          target: "customers",
          filter: {
            revenue: { minCents: 500, maxCents: 100, fromMonth: "2026-05", toMonth: "2026-01" },
            lastPurchase: { after: "2026-05-01", before: "2026-01-01" },
            productsBought: { productIds: [productP, 999999] },
            contacts: { primaryOnly: true },
          },
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad).sort()).toEqual(
        [
          "filter/contacts:only_for_contacts",
          "filter/lastPurchase/before:range",
          "filter/productsBought/productIds/1:unknown_product",
          "filter/revenue/maxCents:range",
          "filter/revenue/toMonth:range",
        ].sort(),
      );
      const schema = expectProblem(
        await api.post("/segments", {
          name: "",
          filter: { statuses: ["lost"], revenue: { fromMonth: "2026-13" }, postalCodePrefixes: ["8a"], colour: "rot" },
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(schema).sort()).toEqual(
        [
          "filter/colour:unknown_field",
          "filter/postalCodePrefixes/0:pattern",
          "filter/revenue/fromMonth:pattern",
          "filter/statuses/0:enum",
          "name:minLength",
        ].sort(),
      );
      expectProblem(await api.post("/segments/preview?cursor=abc", { filter: {} }), 400, "bad_request");
    });

    it("the revenue window defaults to the twelve months up to the injected clock's month", async () => {
      const filter = { tags: [T], revenue: { minCents: 1 } };
      const at = async (now: string) =>
        ids((await previewSegment(env().db, SYSTEM_CONTEXT, new Date(now), { filter }, {})).items);
      expect(await at("2027-02-01T12:00:00Z")).toEqual([]);
      expect(await at("2026-12-31T12:00:00Z")).toEqual([a]);
      // The app hands its clock to the route.
      const app: FastifyInstance = await buildApp({
        db: env().db,
        clock: fixedClock(new Date("2026-03-15T12:00:00Z")),
      });
      try {
        await app.ready();
        const res = await client(
          () => app,
          () => env().adminToken,
        ).post("/segments/preview", { filter });
        expect(ids(res.json().items)).toEqual([a, b]);
        expect(res.json().evaluatedAt).toBe("2026-03-15T12:00:00.000Z");
      } finally {
        await app.close();
      }
    });
  });

  describe("campaigns", () => {
    const TAG = "Kampagne100";
    /** Contacts in order: 19 customers × 5, "Widerspruch KG" × 3, "Teilweise GmbH" × 2. */
    const people: { customerId: number; contactId: number }[] = [];
    let objectingCustomer = 0;
    let objectionOfCustomer = 0;
    let partly = 0;
    let segmentId = 0;
    let marketing: Api;
    let readOnly: Api;

    const consent = async (customerId: number, contactId: number, state = "granted") => {
      const res = await api.post(`/customers/${customerId}/consents`, {
        contactId,
        channel: "email",
        state,
        source: "email",
      });
      expect(res.statusCode, res.body).toBe(201);
    };

    beforeAll(async () => {
      const withContacts = async (name: string, n: number) => {
        const created = await newCustomer({
          name1: name,
          tags: [TAG],
          addresses: [{ type: "billing", street: "Hauptstraße 1", postalCode: "50667", city: "Köln" }],
          contacts: Array.from({ length: n }, (_, k) => ({
            lastName: `${name.split(" ")[0]}-${k}`,
            email: `k${k}@${name.split(" ")[0]!.toLowerCase()}.test`,
          })),
        });
        for (const ct of created.contacts) people.push({ customerId: created.customer.id, contactId: ct.id });
        return created.customer.id;
      };
      for (let i = 0; i < 19; i++) await withContacts(`Kunde${String(i).padStart(2, "0")} GmbH`, 5);
      objectingCustomer = await withContacts("Widerspruch KG", 3);
      partly = await withContacts("Teilweise GmbH", 2);
      expect(people).toHaveLength(100);
      // 30 contacts lack an e-mail consent: 20 never gave one, 10 withdrew it.
      for (const [i, p] of people.entries()) {
        if (i < 20) continue;
        await consent(p.customerId, p.contactId);
        if (i < 30) await consent(p.customerId, p.contactId, "withdrawn");
      }
      // 5 objected: the customer with 3 contacts as a whole, and 2 contacts of their own.
      objectionOfCustomer = (
        await api.post(`/customers/${objectingCustomer}/advertising-objections`, { source: "letter" })
      ).json().id;
      for (const p of people.slice(98)) {
        const res = await api.post(`/customers/${partly}/advertising-objections`, {
          contactId: p.contactId,
          source: "email",
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      segmentId = (
        await api.post("/segments", { name: "Kampagne 100", target: "contacts", filter: { tags: [TAG] } })
      ).json().id;
      const mToken = (await tokenFor(env().app, env().db, "marketing@campaigns.test", ["marketing"])).token;
      marketing = client(
        () => env().app,
        () => mToken,
      );
      const rToken = (await tokenFor(env().app, env().db, "leser@campaigns.test", ["read_only"])).token;
      readOnly = client(
        () => env().app,
        () => rToken,
      );
    });

    const newCampaign = async (body: Record<string, unknown> = {}) => {
      const res = await marketing.post("/campaigns", {
        name: "Frühjahrsaktion",
        channel: "email",
        startsOn: "2026-03-01",
        endsOn: "2026-04-30",
        segmentId,
        ...body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: number; version: number; status: string };
    };

    it("100 contacts, 30 without e-mail consent, 5 objected: reaches exactly 65, records 35 exclusions with reasons", async () => {
      const campaign = await newCampaign();
      expect(campaign).toMatchObject({ status: "planned", owner: "marketing@campaigns.test" });
      const added = await marketing.post(`/campaigns/${campaign.id}/members/from-segment`, {});
      expect(added.statusCode, added.body).toBe(200);
      expect(added.json()).toEqual({
        added: 100,
        included: 65,
        excluded: { advertising_objection: 5, no_consent: 30, no_address: 0, contact_inactive: 0 },
        alreadyMembers: 0,
      });
      // Adding the segment again adds nobody.
      expect(
        (await marketing.post(`/campaigns/${campaign.id}/members/from-segment`, { segmentId })).json(),
      ).toMatchObject({
        added: 0,
        alreadyMembers: 100,
      });

      const excluded = (await api.get(`/campaigns/${campaign.id}/members?status=excluded&limit=500`)).json().items as {
        contactId: number;
        exclusionReason: string;
      }[];
      expect(excluded).toHaveLength(35);
      const reasonOf = new Map(excluded.map((m) => [m.contactId, m.exclusionReason]));
      for (const [i, p] of people.entries()) {
        const expected = i < 30 ? "no_consent" : i >= 95 ? "advertising_objection" : undefined;
        expect(reasonOf.get(p.contactId), `contact ${i}`).toBe(expected);
      }
      expect(
        (await api.get(`/campaigns/${campaign.id}/members?reason=advertising_objection`)).json().items,
      ).toHaveLength(5);

      let results = (await api.get(`/campaigns/${campaign.id}/results`)).json();
      expect(results).toMatchObject({ members: 100, included: 65, reached: 0 });

      expectProblem(
        await marketing.patch(`/campaigns/${campaign.id}`, { status: "active" }),
        428,
        "precondition_required",
      );
      const launched = await marketing.patch(`/campaigns/${campaign.id}`, { status: "active" }, campaign.version);
      expect(launched.statusCode, launched.body).toBe(200);
      expect(launched.json()).toMatchObject({ status: "active", version: campaign.version + 1 });
      expect(launched.json().launchedAt).not.toBeNull();

      results = (await api.get(`/campaigns/${campaign.id}/results`)).json();
      expect(results).toMatchObject({
        members: 100,
        included: 65,
        reached: 65,
        excluded: { advertising_objection: 5, no_consent: 30, no_address: 0, contact_inactive: 0 },
        responseRate: 0,
        customers: 13, // contacts 30–94: customers 6 to 18
      });

      // Every contact was noted in the member's journal (kind campaign); the excluded ones were not.
      const first = people[30]!;
      const journal = (await api.get(`/customers/${first.customerId}/journal?kinds=campaign`)).json().items as {
        subject: string;
        contactId: number;
        link: { type: string; id: number };
      }[];
      expect(journal).toHaveLength(5);
      expect(journal[0]).toMatchObject({
        subject: "Kampagne: Frühjahrsaktion",
        link: { type: "campaign", id: campaign.id },
      });
      expect((await api.get(`/customers/${objectingCustomer}/journal?kinds=campaign`)).json().items).toHaveLength(0);
      expect((await api.get(`/customers/${people[0]!.customerId}/journal?kinds=campaign`)).json().items).toHaveLength(
        0,
      );
    });

    it("an unsubscribe during a campaign withdraws the consent at once; later campaigns exclude the contact", async () => {
      const campaign = await newCampaign({ name: "Sommeraktion", startsOn: "2026-06-01", endsOn: null });
      await marketing.post(`/campaigns/${campaign.id}/members/from-segment`, {});
      await marketing.patch(`/campaigns/${campaign.id}`, { status: "active" }, campaign.version);
      const target = people[40]!;
      const member = (await api.get(`/campaigns/${campaign.id}/members?status=included&limit=500`))
        .json()
        .items.find((m: { contactId: number }) => m.contactId === target.contactId);
      expect(member.contactedAt).not.toBeNull();

      const respond = (m: { id: number }, body: Record<string, unknown>, version?: number) =>
        api.post(
          `/campaigns/${campaign.id}/members/${m.id}/response`,
          body,
          version === undefined ? {} : withVersion(version),
        );
      expectProblem(await respond(member, { response: "unsubscribed" }), 428, "precondition_required");
      expectProblem(await respond(member, { response: "unsubscribed" }, member.version + 5), 412, "version_mismatch");
      const res = await respond(member, { response: "unsubscribed", note: "Link in der Mail" }, member.version);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ response: "unsubscribed", responseNote: "Link in der Mail" });

      const consents = (await api.get(`/customers/${target.customerId}/consents?contactId=${target.contactId}`)).json();
      expect(consents.subjects[0].channels.find((c: { channel: string }) => c.channel === "email")).toMatchObject({
        state: "withdrawn",
        source: "unsubscribe",
      });
      const history = (
        await api.get(`/customers/${target.customerId}/consents/history?contactId=${target.contactId}`)
      ).json().items;
      expect(history[0]).toMatchObject({ state: "withdrawn", source: "unsubscribe", campaignId: campaign.id });
      const journal = (await api.get(`/customers/${target.customerId}/journal`))
        .json()
        .items.map((e: { subject: string }) => e.subject);
      expect(journal).toEqual(expect.arrayContaining(["Kampagnenantwort: Abgemeldet", "Abmeldung: E-Mail"]));

      // Other responses, the rate, and refused responses.
      const others = (await api.get(`/campaigns/${campaign.id}/members?status=included&limit=3`)).json().items;
      expect((await respond(others[0], { response: "interested" }, others[0].version)).statusCode).toBe(200);
      expect((await respond(others[1], { response: "bounced" }, others[1].version)).statusCode).toBe(200);
      const results = (await api.get(`/campaigns/${campaign.id}/results`)).json();
      expect(results.responses).toEqual({ interested: 1, not_interested: 0, ordered: 0, bounced: 1, unsubscribed: 1 });
      expect(results.responseRate).toBe(Math.round((2 / 65) * 10000) / 10000);
      const excludedMember = (await api.get(`/campaigns/${campaign.id}/members?status=excluded&limit=1`)).json()
        .items[0];
      expectProblem(await respond(excludedMember, { response: "interested" }, excludedMember.version), 409, "conflict");
      expect(
        fieldCodes(
          expectProblem(await respond(others[2], { response: "maybe" }, others[2].version), 400, "validation_failed"),
        ),
      ).toEqual(["response:enum"]);
      expectProblem(
        await api.post(`/campaigns/${campaign.id}/members/999999/response`, { response: "interested" }, withVersion(1)),
        404,
        "not_found",
      );

      // A later campaign excludes the contact for want of consent.
      const later = await newCampaign({ name: "Herbstaktion", startsOn: "2026-09-01", endsOn: null });
      const added = (await marketing.post(`/campaigns/${later.id}/members/from-segment`, {})).json();
      expect(added).toMatchObject({ included: 64, excluded: { no_consent: 31, advertising_objection: 5 } });
      const again = (await api.get(`/campaigns/${later.id}/members?reason=no_consent&limit=100`))
        .json()
        .items.map((m: { contactId: number }) => m.contactId);
      expect(again).toContain(target.contactId);
    });

    it("lifting an objection lets later campaigns reach the person; launch re-checks every member", async () => {
      const campaign = await newCampaign({ name: "Winteraktion", startsOn: "2026-12-01", endsOn: null });
      expect(
        (await marketing.post(`/campaigns/${campaign.id}/members/from-segment`, {})).json().excluded
          .advertising_objection,
      ).toBe(5);
      // Lifted after the members were added: the launch checks again and contacts them.
      const objection = (
        await api.get(`/customers/${objectingCustomer}/advertising-objections/${objectionOfCustomer}`)
      ).json();
      const lifted = await api.post(
        `/customers/${objectingCustomer}/advertising-objections/${objectionOfCustomer}/lift`,
        { reason: "Kunde wünscht wieder Angebote" },
        withVersion(objection.version),
      );
      expect(lifted.statusCode, lifted.body).toBe(200);
      expect((await api.get(`/customers/${objectingCustomer}/file`)).json().advertisingObjection.customer).toBe(false);
      await marketing.patch(`/campaigns/${campaign.id}`, { status: "active" }, campaign.version);
      const results = (await api.get(`/campaigns/${campaign.id}/results`)).json();
      expect(results).toMatchObject({ reached: 67, excluded: { advertising_objection: 2, no_consent: 31 } });
      expect((await api.get(`/customers/${objectingCustomer}/journal?kinds=campaign`)).json().items).toHaveLength(3);
    });

    it("members by hand: checked at once, per channel; 409 twice; 400 for strangers", async () => {
      const letter = await newCampaign({ name: "Brief", channel: "letter", segmentId: null });
      // Letters need no consent (UWG §7: post unless the person said no), but an address.
      const person = people[0]!; // no e-mail consent at all
      const m = await marketing.post(`/campaigns/${letter.id}/members`, {
        customerId: person.customerId,
        contactId: person.contactId,
      });
      expect(m.statusCode, m.body).toBe(201);
      expect(m.json()).toMatchObject({ status: "included", exclusionReason: null, source: "manual" });
      const homeless = (await newCustomer({ name1: "Ohne Adresse GmbH" })).customer.id;
      expect((await marketing.post(`/campaigns/${letter.id}/members`, { customerId: homeless })).json()).toMatchObject({
        status: "excluded",
        exclusionReason: "no_address",
      });
      expectProblem(
        await marketing.post(`/campaigns/${letter.id}/members`, {
          customerId: person.customerId,
          contactId: person.contactId,
        }),
        409,
        "unique_violation",
      );
      const strangers = expectProblem(
        await marketing.post(`/campaigns/${letter.id}/members`, { customerId: 999999 }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(strangers)).toEqual(["customerId:unknown_customer"]);
      expect(
        fieldCodes(
          expectProblem(
            await marketing.post(`/campaigns/${letter.id}/members`, {
              customerId: homeless,
              contactId: person.contactId,
            }),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["contactId:unknown_contact"]);
      expectProblem(await marketing.post(`/campaigns/${letter.id}/members/from-segment`, {}), 400, "validation_failed");
      expectProblem(await marketing.post("/campaigns/999999/members", { customerId: homeless }), 404, "not_found");

      // Phone: companies on presumed consent, private customers need a granted one.
      const phone = await newCampaign({ name: "Telefon", channel: "phone", segmentId: null });
      const company = await newCustomer({ name1: "Ruf GmbH", contacts: [{ lastName: "Tel", phone: "0221 123456" }] });
      const privateCustomer = await newCustomer({
        kind: "person",
        name1: "Privat",
        lastName: "Privat",
        contacts: [{ lastName: "Privat", phone: "0221 654321" }],
      });
      const viaCompany = await marketing.post(`/campaigns/${phone.id}/members`, {
        customerId: company.customer.id,
        contactId: company.contacts[0]!.id,
      });
      expect(viaCompany.json()).toMatchObject({ status: "included" });
      expect(
        (
          await marketing.post(`/campaigns/${phone.id}/members`, {
            customerId: privateCustomer.customer.id,
            contactId: privateCustomer.contacts[0]!.id,
          })
        ).json(),
      ).toMatchObject({ status: "excluded", exclusionReason: "no_consent" });
    });

    it("workflow: illegal transitions refused, closed campaigns keep their members, deletes only while planned", async () => {
      const c = await newCampaign({ name: "Ablauf" });
      expectProblem(await marketing.patch(`/campaigns/${c.id}`, { status: "completed" }, 1), 409, "illegal_transition");
      const active = (await marketing.patch(`/campaigns/${c.id}`, { status: "active" }, 1)).json();
      expectProblem(await marketing.del(`/campaigns/${c.id}`, active.version), 409, "conflict");
      const done = (await marketing.patch(`/campaigns/${c.id}`, { status: "completed" }, active.version)).json();
      expect(done.status).toBe("completed");
      const back = expectProblem(
        await marketing.patch(`/campaigns/${c.id}`, { status: "active" }, done.version),
        409,
        "illegal_transition",
      );
      expect(fieldCodes(back)).toEqual(["status:illegal_transition"]);
      expectProblem(await marketing.post(`/campaigns/${c.id}/members/from-segment`, {}), 409, "conflict");
      // The name may still be corrected.
      expect((await marketing.patch(`/campaigns/${c.id}`, { name: "Ablauf 2026" }, done.version)).statusCode).toBe(200);

      const planned = await newCampaign({ name: "Entwurf" });
      expectProblem(await marketing.del(`/campaigns/${planned.id}`), 428, "precondition_required");
      expect((await marketing.del(`/campaigns/${planned.id}`, 1)).statusCode).toBe(204);
      expectProblem(await api.get(`/campaigns/${planned.id}`), 404, "not_found");

      // A segment a campaign targets cannot be deleted.
      const seg = (await api.get(`/segments/${segmentId}`)).json();
      expectProblem(await api.del(`/segments/${segmentId}`, seg.version), 409, "reference_violation");
    });

    it("validates campaigns; lists by start with filters; read-only users read but do not plan", async () => {
      const bad = expectProblem(
        await marketing.post("/campaigns", {
          name: "Falsch",
          channel: "email",
          startsOn: "2026-05-01",
          endsOn: "2026-04-01",
          owner: "niemand@nirgends.test",
          segmentId: 999999,
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad).sort()).toEqual(["endsOn:range", "owner:unknown_user", "segmentId:unknown_segment"]);
      expect(
        fieldCodes(
          expectProblem(
            await marketing.post("/campaigns", { name: "X", channel: "fax", startsOn: "01.05.2026" }),
            400,
            "validation_failed",
          ),
        ).sort(),
      ).toEqual(["channel:enum", "startsOn:invalid_date"]);
      expectProblem(await api.get("/campaigns/999999"), 404, "not_found");
      expectProblem(await api.get("/campaigns/999999/results"), 404, "not_found");

      const mine = (await api.get("/campaigns?owner=marketing@campaigns.test&limit=2")).json();
      expect(mine.items).toHaveLength(2);
      const rest = (
        await api.get(`/campaigns?owner=marketing@campaigns.test&limit=100&cursor=${mine.nextCursor}`)
      ).json();
      const starts = [...mine.items, ...rest.items].map((x: { startsOn: string }) => x.startsOn);
      expect(starts).toEqual([...starts].sort().reverse());
      expect(
        (await api.get("/campaigns?channel=letter"))
          .json()
          .items.every((x: { channel: string }) => x.channel === "letter"),
      ).toBe(true);
      expect((await api.get("/campaigns?status=completed")).json().items.map((x: { name: string }) => x.name)).toEqual([
        "Ablauf 2026",
      ]);

      expect((await readOnly.get("/campaigns")).statusCode).toBe(200);
      expectProblem(
        await readOnly.post("/campaigns", { name: "X", channel: "email", startsOn: "2026-01-01" }),
        403,
        "forbidden",
      );
    });

    it("results count orders and revenue of reached members' customers from the start on", async () => {
      const campaign = await newCampaign({ name: "Umsatz", startsOn: "2026-02-01", endsOn: null });
      const reachedCustomer = people[50]!.customerId;
      const excludedCustomer = people[0]!.customerId; // its contacts have no consent: all excluded
      await marketing.post(`/campaigns/${campaign.id}/members`, {
        customerId: reachedCustomer,
        contactId: people[50]!.contactId,
      });
      await marketing.post(`/campaigns/${campaign.id}/members`, {
        customerId: excludedCustomer,
        contactId: people[0]!.contactId,
      });
      await marketing.patch(`/campaigns/${campaign.id}`, { status: "active" }, campaign.version);
      await invoice(reachedCustomer, "2026-01-31", [line(50000)]); // before the start
      await invoice(reachedCustomer, "2026-02-01", [line(12345)]);
      await invoice(reachedCustomer, "2026-03-10", [line(10000)]);
      const order = await api.post(`/customers/${reachedCustomer}/documents`, {
        type: "order",
        documentDate: "2026-02-15",
        lines: [line(7000)],
      });
      expect(order.statusCode, order.body).toBe(201);
      await invoice(excludedCustomer, "2026-03-10", [line(99900)]);
      const results = (await api.get(`/campaigns/${campaign.id}/results`)).json();
      expect(results).toMatchObject({ reached: 1, customers: 1, orders: 1, revenueCents: 22345 });
    });
  });
});
