import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "../../src/http/context.js";
import { NOT_MOVED, tablesWithColumn } from "../../src/modules/merge/merge.repository.js";
import { mergeCustomers } from "../../src/modules/merge/merge.service.js";
import { forEachEngine } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

type Row = Record<string, unknown>;

forEachEngine("merge API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  let product = 0;
  let campaign = 0;

  beforeAll(async () => {
    product = (
      await api.post("/products", {
        articleNumber: "M-1",
        name: "Mehl Type 550",
        listPriceCents: 250,
        vatRatePercent: 7,
      })
    ).json().id;
    const made = await api.post("/campaigns", { name: "Mühlentag", channel: "event", startsOn: "2026-05-01" });
    expect(made.statusCode, made.body).toBe(201);
    campaign = made.json().id;
  });

  /** A customer with something of every kind: parts, tags, journal, follow-up, invoice, payment, ticket, opportunity, consents, preferences, price agreement, campaign membership. */
  async function richCustomer(name: string, n: number, extra: Row = {}) {
    const res = await api.post("/customers", {
      kind: "company",
      name1: name,
      tags: ["Stammkunde", `Tag ${n}`],
      addresses: [
        { type: "billing", street: `Mühlenweg ${n}`, postalCode: "50667", city: "Köln" },
        { type: "delivery", street: `Lagerstraße ${n}`, postalCode: "50667", city: "Köln" },
      ],
      channels: [
        { kind: "phone", value: `0221 55500${n}` },
        { kind: "email", value: `info${n}@muehle.de` },
      ],
      contacts: [
        { firstName: "Anna", lastName: `Korn${n}`, isPrimary: true },
        { firstName: "Ben", lastName: `Schrot${n}` },
      ],
      bankAccounts: [
        { iban: "DE89370400440532013000" },
        { iban: n === 1 ? "DE02120300000000202051" : "DE02500105170137075030" },
      ],
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    const id = c.customer.id as number;
    const call = await api.post(`/customers/${id}/journal`, {
      kind: "call",
      subject: `Anruf wegen Roggenschrot ${n}`,
      contactId: c.contacts[1].id,
    });
    expect(call.statusCode, call.body).toBe(201);
    const fu = await api.post(`/customers/${id}/follow-ups`, {
      subject: `Nachfassen ${n}`,
      dueAt: "2030-01-01T09:00:00.000Z",
      contactId: c.contacts[1].id,
    });
    expect(fu.statusCode, fu.body).toBe(201);
    const inv = await api.post(`/customers/${id}/documents`, {
      type: "invoice",
      documentDate: `2026-03-0${n}`,
      lines: [{ productId: product, quantity: 10 * n }],
    });
    expect(inv.statusCode, inv.body).toBe(201);
    const pay = await api.post(`/customers/${id}/payments`, { amountCents: 500, paymentDate: "2026-03-10" });
    expect(pay.statusCode, pay.body).toBe(201);
    // Requests, sales and marketing: a ticket, an opportunity, consents, preferences, a price agreement, a campaign membership.
    const contact = c.contacts[0].id;
    for (const [path, body] of [
      ["tickets", { type: "complaint", subject: `Reklamation ${n}`, contactId: contact }],
      ["opportunities", { title: `Neue Mühle ${n}`, valueCents: 100000 * n, expectedCloseDate: "2027-01-31" }],
      ["consents", { channel: "letter", state: "granted", source: "letter" }],
      ["consents", { contactId: contact, channel: "phone", state: "granted", source: "phone" }],
      ["price-agreements", { productId: product, discountPercent: n, validFrom: "2026-01-01" }],
    ] as const) {
      const r = await api.post(`/customers/${id}/${path}`, body);
      expect(r.statusCode, `${path}: ${r.body}`).toBe(201);
    }
    const prefs = await api.put(`/customers/${id}/preferences`, { shippingInstructions: `Tor ${n}` }, 1);
    expect(prefs.statusCode, prefs.body).toBe(200);
    for (const contactId of [null, contact]) {
      const m = await api.post(`/campaigns/${campaign}/members`, { customerId: id, contactId });
      expect(m.statusCode, m.body).toBe(201);
    }
    return {
      id,
      contacts: c.contacts as { id: number; version: number }[],
      number: c.customer.customerNumber as string,
    };
  }

  async function linkedTables(): Promise<string[]> {
    const all = await tablesWithColumn(env().db.kysely, env().engine, "customer_id");
    return all.filter((t) => !NOT_MOVED.has(t));
  }

  async function rowsOf(table: string, ids: number[]): Promise<Row[]> {
    const r =
      await sql<Row>`select * from ${sql.table(table)} where customer_id in (${sql.join(ids)}) order by 1, 2`.execute(
        env().db.kysely,
      );
    return r.rows;
  }

  /** Every record of the given customers in every table, for "nothing changed" comparisons. */
  async function snapshot(ids: number[]): Promise<Record<string, Row[]>> {
    const out: Record<string, Row[]> = {};
    for (const t of await tablesWithColumn(env().db.kysely, env().engine, "customer_id")) {
      out[t] = t === "merged_customers" ? [] : await rowsOf(t, ids);
    }
    out.customers = (
      await sql<Row>`select * from customers where id in (${sql.join(ids)}) order by id`.execute(env().db.kysely)
    ).rows;
    out.merged = (await sql<Row>`select * from merged_customers order by customer_id`.execute(env().db.kysely)).rows;
    return out;
  }

  const sum = (rows: Row[], col: string) => rows.reduce((a, r) => a + Number(r[col]), 0);
  const version = async (id: number) => (await api.get(`/customers/${id}`)).json().version as number;

  describe("customers", () => {
    it("moves every linked record to the survivor, loses nothing, and keeps the old numbers findable", async () => {
      const a = await richCustomer("Mühle Alt", 1);
      const b = await richCustomer("Mühle Neu", 2, { vatId: "DE136695976", notes: "Beliefert seit 1990" });
      const c = await richCustomer("Mühle Dritte", 3);
      const creditEtag = (await api.get(`/customers/${b.id}/credit`)).headers.etag as string;
      const limit = await api.patch(`/customers/${b.id}/credit`, { creditLimitCents: 500000 }, undefined, {
        "if-match": creditEtag,
      });
      expect(limit.statusCode, limit.body).toBe(200);

      const tables = await linkedTables();
      const before: Record<string, Row[]> = {};
      for (const t of tables) before[t] = await rowsOf(t, [a.id, b.id, c.id]);
      const count = (t: string) => before[t]!.length;

      const res = await api.post(
        `/customers/${a.id}/merge`,
        {
          merge: [
            { id: b.id, version: await version(b.id) },
            { id: c.id, version: await version(c.id) },
          ],
          fields: { vatId: b.id, notes: b.id, name1: a.id },
        },
        { "if-match": `"${await version(a.id)}"` },
      );
      expect(res.statusCode, res.body).toBe(200);
      const result = res.json();
      expect(result.merged.map((m: { id: number }) => m.id)).toEqual([b.id, c.id]);

      const after: Record<string, Row[]> = {};
      for (const t of tables) after[t] = await rowsOf(t, [a.id]);
      // Nothing is left on the merged customers.
      for (const t of tables) expect(await rowsOf(t, [b.id, c.id]), t).toEqual([]);

      for (const t of tables) {
        const got = after[t]!;
        switch (t) {
          case "customer_tags":
            // Union: "Stammkunde" once, plus each customer's own tag.
            expect(got.map((r) => r.tag).sort(), t).toEqual(["Stammkunde", "Tag 1", "Tag 2", "Tag 3"]);
            break;
          case "journal_counts": {
            // Kinds add up; the merge itself adds one system entry (naming the changed fields too).
            const calls = got.find((r) => r.kind === "call")!;
            expect(Number(calls.n)).toBe(3);
            expect(sum(got, "n")).toBe(sum(before[t]!, "n") + 1);
            break;
          }
          case "journal_entries":
            expect(got.length, t).toBe(count(t) + 1);
            break;
          case "audit_log":
            // Every change of every merged customer stays in the survivor's history, plus the merge and the field change.
            expect(got.length, t).toBeGreaterThanOrEqual(count(t) + 1);
            break;
          case "customer_revenue":
            expect(sum(got, "net_cents"), t).toBe(sum(before[t]!, "net_cents"));
            expect(sum(got, "invoices"), t).toBe(3);
            break;
          case "customer_product_history":
            expect(got).toHaveLength(1);
            expect(Number(got[0]!.quantity_milli), t).toBe(sum(before[t]!, "quantity_milli"));
            expect(Number(got[0]!.invoices)).toBe(3);
            expect(got[0]!.first_date).toBe("2026-03-01");
            expect(got[0]!.last_date).toBe("2026-03-03");
            break;
          case "customer_finance":
            // One per customer: the survivor had none, so the merged customer's credit limit came along.
            expect(got.map((r) => Number(r.credit_limit_cents))).toEqual([500000]);
            break;
          case "bank_accounts":
            // The same IBAN on several customers is one account: each IBAN once, one default.
            expect(got.map((r) => r.iban).sort()).toEqual([
              "DE02120300000000202051",
              "DE02500105170137075030",
              "DE89370400440532013000",
            ]);
            expect(got.filter((r) => r.is_default === true || r.is_default === 1)).toHaveLength(1);
            break;
          case "customer_preferences":
            // One per customer: the survivor's wishes stay.
            expect(got.map((r) => r.shipping_instructions)).toEqual(["Tor 1"]);
            break;
          case "campaign_members":
            // The customer itself is a member once; each contact stays a member.
            expect(got.length, t).toBe(count(t) - 2);
            expect(got.filter((r) => r.contact_id === null)).toHaveLength(1);
            break;
          case "consents":
            expect(got.length, t).toBe(count(t));
            // The customer's own letter consent: one in force, the others history.
            expect(
              got.filter((r) => r.contact_id === null && (r.is_current === true || r.is_current === 1)),
            ).toHaveLength(1);
            break;
          case "addresses":
            expect(got.length, t).toBe(count(t));
            // Still one default per type.
            for (const type of ["billing", "delivery"]) {
              expect(
                got.filter((r) => r.type === type && (r.is_default === true || r.is_default === 1)),
                type,
              ).toHaveLength(1);
            }
            break;
          case "contacts":
            expect(got.length, t).toBe(count(t));
            expect(got.filter((r) => r.is_primary === true || r.is_primary === 1)).toHaveLength(1);
            break;
          default:
            // Everything else moves one to one.
            expect(got.length, t).toBe(count(t));
        }
      }

      // The chosen values won; the merged customers are gone and lead to the survivor.
      const survivor = (await api.get(`/customers/${a.id}`)).json();
      expect(survivor).toMatchObject({ name1: "Mühle Alt", vatId: "DE136695976", notes: "Beliefert seit 1990" });
      expect(survivor.version).toBe(result.version);
      const old = await api.get(`/customers/${b.id}`);
      expect(old.statusCode).toBe(308);
      expect(old.headers.location).toBe(`/api/v1/customers/${a.id}`);
      expect(old.json().code).toBe("customer_merged");
      expect((await api.get(`/customers/${c.id}/file`)).headers.location).toBe(`/api/v1/customers/${a.id}/file`);

      const search = (await api.get(`/search?q=${encodeURIComponent(b.number)}`)).json();
      expect(search.results[0].customerId).toBe(a.id);
      expect(search.results[0].matches[0]).toMatchObject({ field: "mergedNumber", value: b.number, kind: "exact" });
      expect((await api.get("/search?q=Mühle%20Neu")).json().results).toEqual([]);

      // The file shows everything; the journal finds the merged customers' calls by full text.
      const file = (await api.get(`/customers/${a.id}/file`)).json();
      expect(file.contacts).toHaveLength(6);
      const journal = (await api.get(`/customers/${a.id}/journal?q=Roggenschrot`)).json();
      expect(journal.items).toHaveLength(3);
      const entry = (await api.get(`/customers/${a.id}/journal?kinds=system`)).json().items[0];
      expect(entry.subject).toBe(`Kunden zusammengeführt: ${b.number}, ${c.number}`);
      expect(entry.body).toContain("Mühle Neu");
      // What moved, in words a user reads: no table names, no bookkeeping counters.
      expect(entry.body).toMatch(/Übernommen: .*\d+ Kontakte/);
      expect(entry.body).not.toMatch(/[a-z]+_[a-z]+/);

      const history = (await api.get(`/customers/${a.id}/history`)).json().items;
      const merge = history.find((h: { action: string }) => h.action === "merge");
      expect(
        merge.changes.find((c: { field: string }) => c.field === "merged").old.map((m: { id: number }) => m.id),
      ).toEqual([b.id, c.id]);
    });

    it("without a choice an empty field of the survivor takes the merged customer's value; an explicit choice may empty it", async () => {
      const established = {
        kind: "company",
        name1: "Leerfeld Hydraulik GmbH",
        vatId: "DE136695976",
        customerGroup: "Großhandel",
        owner: "vera@firma.de",
        legalForm: "GmbH",
        abcRating: "A",
      };
      const make = async (body: Row) => {
        const res = await api.post("/customers", body);
        expect(res.statusCode, res.body).toBe(201);
        return res.json().customer as { id: number; version: number };
      };
      // The survivor is the empty one here: the API client picked it, and sent no field choice.
      const empty = await make({ kind: "company", name1: "Leerfeld Hydraulik GmbH", industry: "Hydraulik" });
      const full = await make({ ...established, industry: "Maschinenbau", notes: "Seit 1990" });
      const third = await make({ kind: "company", name1: "Leerfeld Hydraulik", region: "Nord", notes: "Später" });
      const res = await api.post(
        `/customers/${empty.id}/merge`,
        {
          merge: [
            { id: full.id, version: full.version },
            { id: third.id, version: third.version },
          ],
        },
        { "if-match": `"${empty.version}"` },
      );
      expect(res.statusCode, res.body).toBe(200);
      const survivor = (await api.get(`/customers/${empty.id}`)).json();
      // Every value survives; where both had one the survivor's stays; the first merged customer fills first.
      expect(survivor).toMatchObject({
        ...established,
        kind: "company",
        industry: "Hydraulik",
        notes: "Seit 1990",
        region: "Nord",
      });
      const merge = (await api.get(`/customers/${empty.id}/history`)).json().items[0];
      expect(merge.action).toBe("merge");
      expect(merge.changes.find((c: { field: string }) => c.field === "vatId")).toMatchObject({
        old: null,
        new: "DE136695976",
      });

      // A choice of the survivor's own (empty) value is honoured: the user saw it and meant it.
      const a = await make({ kind: "company", name1: "Klarwahl KG" });
      const b = await make({ kind: "company", name1: "Klarwahl KG", vatId: "DE136695976", industry: "Druck" });
      const chosen = await api.post(
        `/customers/${a.id}/merge`,
        { merge: [{ id: b.id, version: b.version }], fields: { vatId: a.id } },
        { "if-match": `"${a.version}"` },
      );
      expect(chosen.statusCode, chosen.body).toBe(200);
      expect((await api.get(`/customers/${a.id}`)).json()).toMatchObject({ vatId: null, industry: "Druck" });
    });

    it("one-per-customer settings: what the survivor leaves empty comes from the merged customer, what it has stays", async () => {
      const make = async (name1: string) => {
        const res = await api.post("/customers", { kind: "company", name1 });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().customer.id as number;
      };
      const credit = async (id: number, body: Row) => {
        const etag = (await api.get(`/customers/${id}/credit`)).headers.etag as string;
        const res = await api.patch(`/customers/${id}/credit`, body, undefined, { "if-match": etag });
        expect(res.statusCode, res.body).toBe(200);
      };
      const prefs = async (id: number, body: Row) => {
        const res = await api.put(`/customers/${id}/preferences`, body, 1);
        expect(res.statusCode, res.body).toBe(200);
      };
      const a = await make("Einstellung Alt KG");
      const b = await make("Einstellung Neu KG");
      // The survivor has settings rows, but no credit limit and no preferred channel.
      await credit(a, { dunningExcluded: true });
      await credit(b, { creditLimitCents: 300000 });
      await prefs(a, { shippingInstructions: "Tor 1" });
      await prefs(b, { shippingInstructions: "Tor 9", preferredChannel: "email" });
      const creditVersion = (await api.get(`/customers/${a}/credit`)).headers.etag;

      const res = await api.post(
        `/customers/${a}/merge`,
        { merge: [{ id: b, version: await version(b) }] },
        { "if-match": `"${await version(a)}"` },
      );
      expect(res.statusCode, res.body).toBe(200);
      const after = await api.get(`/customers/${a}/credit`);
      expect(after.json()).toMatchObject({ creditLimitCents: 300000, dunningExcluded: true });
      // Changed by the merge: whoever edits the credit settings next must have seen it.
      expect(after.headers.etag).not.toBe(creditVersion);
      expect((await api.get(`/customers/${a}/preferences`)).json()).toMatchObject({
        shippingInstructions: "Tor 1",
        preferredChannel: "email",
      });
    });

    it("a merge that fails half-way leaves every record as it was", async () => {
      const a = await richCustomer("Rollback Alpha", 1);
      const b = await richCustomer("Rollback Beta", 2);
      const before = await snapshot([a.id, b.id]);
      await expect(
        mergeCustomers(
          env().db,
          SYSTEM_CONTEXT,
          a.id,
          await version(a.id),
          { merge: [{ id: b.id, version: await version(b.id) }], fields: { name1: b.id } },
          { failBeforeCommit: true },
        ),
      ).rejects.toThrow(/forced failure/);
      expect(await snapshot([a.id, b.id])).toEqual(before);
      expect((await api.get(`/customers/${b.id}`)).statusCode).toBe(200);
      expect((await api.get("/search?q=Rollback%20Beta")).json().results[0].customerId).toBe(b.id);
    });

    it("refuses stale versions, bad lists and unknown customers", async () => {
      const a = (await api.post("/customers", { kind: "company", name1: "Ziel KG" })).json().customer;
      const b = (await api.post("/customers", { kind: "company", name1: "Quelle KG" })).json().customer;
      const body = { merge: [{ id: b.id, version: b.version }] };
      expectProblem(await api.post(`/customers/${a.id}/merge`, body), 428, "precondition_required");
      const staleSurvivor = expectProblem(
        await api.post(`/customers/${a.id}/merge`, body, { "if-match": '"99"' }),
        412,
        "version_mismatch",
      );
      expect((staleSurvivor.current as { id: number }).id).toBe(a.id);
      const staleMerged = expectProblem(
        await api.post(
          `/customers/${a.id}/merge`,
          { merge: [{ id: b.id, version: 7 }] },
          { "if-match": `"${a.version}"` },
        ),
        412,
        "version_mismatch",
      );
      expect((staleMerged.current as { id: number }).id).toBe(b.id);
      expect(
        fieldCodes(
          expectProblem(
            await api.post(
              `/customers/${a.id}/merge`,
              {
                merge: [
                  { id: a.id, version: 1 },
                  { id: b.id, version: 1 },
                  { id: b.id, version: 1 },
                ],
              },
              { "if-match": `"${a.version}"` },
            ),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["merge/0/id:is_survivor", "merge/2/id:duplicate"]);
      expect(
        fieldCodes(
          expectProblem(
            await api.post(
              `/customers/${a.id}/merge`,
              { ...body, fields: { name1: 424242 } },
              { "if-match": `"${a.version}"` },
            ),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["fields/name1:not_in_merge"]);
      expectProblem(
        await api.post(
          `/customers/${a.id}/merge`,
          { ...body, fields: { bogus: b.id } },
          { "if-match": `"${a.version}"` },
        ),
        400,
        "validation_failed",
      );
      expectProblem(
        await api.post(`/customers/${a.id}/merge`, { merge: [] }, { "if-match": `"${a.version}"` }),
        400,
        "validation_failed",
      );
      expectProblem(
        await api.post(
          `/customers/${a.id}/merge`,
          { merge: [{ id: 999999, version: 1 }] },
          { "if-match": `"${a.version}"` },
        ),
        404,
        "not_found",
      );
      // Nothing happened on the way.
      expect((await api.get(`/customers/${b.id}`)).statusCode).toBe(200);
      expect((await api.get(`/customers/${a.id}`)).json().version).toBe(a.version);
    });
  });

  describe("contacts", () => {
    it("moves journal entries and follow-ups of merged contacts to the survivor and takes the chosen fields", async () => {
      const c = await richCustomer("Kontaktmühle", 1);
      const [anna, ben] = c.contacts as [{ id: number; version: number }, { id: number; version: number }];
      const before = (await api.get(`/customers/${c.id}/journal?contactId=${ben.id}`)).json().items.length;
      expect(before).toBeGreaterThan(0);
      const res = await api.post(
        `/customers/${c.id}/contacts/${anna.id}/merge`,
        { merge: [{ id: ben.id, version: ben.version }], fields: { lastName: ben.id } },
        { "if-match": `"${anna.version}"` },
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().moved.journal_entries).toBe(before);
      expect(res.json().moved.follow_ups).toBe(1);
      const contacts = (await api.get(`/customers/${c.id}/contacts`)).json().items;
      expect(contacts).toHaveLength(1);
      expect(contacts[0]).toMatchObject({ id: anna.id, firstName: "Anna", lastName: "Schrot1", isPrimary: true });
      const entries = (await api.get(`/customers/${c.id}/journal?contactId=${anna.id}`)).json().items;
      expect(entries.map((e: { subject: string }) => e.subject)).toContain("Anruf wegen Roggenschrot 1");
      expect(entries[0].subject).toBe("Kontakte zusammengeführt: Ben Schrot1 → Anna Korn1");
      expectProblem(await api.get(`/customers/${c.id}/contacts/${ben.id}`), 404, "not_found");
    });

    it("without a choice an empty field of the survivor contact takes the merged contact's value", async () => {
      const made = await api.post("/customers", {
        kind: "company",
        name1: "Leerkontakt GmbH",
        contacts: [
          { firstName: "Petra", lastName: "Sommer", position: "Einkauf" },
          { firstName: "P.", lastName: "Sommer", email: "p.sommer@leerkontakt.de", phone: "0431 123456" },
        ],
      });
      expect(made.statusCode, made.body).toBe(201);
      const id = made.json().customer.id as number;
      const [petra, p] = made.json().contacts as [{ id: number; version: number }, { id: number; version: number }];
      const res = await api.post(
        `/customers/${id}/contacts/${petra.id}/merge`,
        { merge: [{ id: p.id, version: p.version }], fields: { phone: petra.id } },
        { "if-match": `"${petra.version}"` },
      );
      expect(res.statusCode, res.body).toBe(200);
      // The e-mail came along; the phone, chosen as the survivor's (empty), did not; the first name stays.
      expect((await api.get(`/customers/${id}/contacts/${petra.id}`)).json()).toMatchObject({
        firstName: "Petra",
        position: "Einkauf",
        email: "p.sommer@leerkontakt.de",
        phone: null,
      });
    });

    it("refuses contacts of another customer and stale versions", async () => {
      const x = await richCustomer("Fremdmühle", 2);
      const y = (
        await api.post("/customers", { kind: "company", name1: "Andere KG", contacts: [{ lastName: "Zeh" }] })
      ).json();
      const [anna] = x.contacts as [{ id: number; version: number }];
      expectProblem(
        await api.post(
          `/customers/${x.id}/contacts/${anna.id}/merge`,
          { merge: [{ id: y.contacts[0].id, version: 1 }] },
          { "if-match": `"${anna.version}"` },
        ),
        404,
        "not_found",
      );
      expectProblem(
        await api.post(
          `/customers/${x.id}/contacts/${anna.id}/merge`,
          { merge: [{ id: x.contacts[1]!.id, version: 1 }] },
          { "if-match": '"9"' },
        ),
        412,
        "version_mismatch",
      );
    });
  });
});
