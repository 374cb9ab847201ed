import { describe, expect, it } from "vitest";
import { ADMIN_EMAIL, forEachEngine } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

const company = (extra: Record<string, unknown> = {}) => ({
  kind: "company",
  name1: "Müller Metallbau",
  legalForm: "GmbH",
  vatId: "DE136695976",
  customerGroup: "Handel",
  owner: "anna.schulz",
  tags: ["Stammkunde", "Messe 2026"],
  addresses: [{ type: "billing", street: "Hauptstraße 1", postalCode: "10115", city: "Berlin" }],
  channels: [
    { kind: "phone", value: "030/1234567" },
    { kind: "email", value: "Info@Mueller-Metallbau.de" },
  ],
  contacts: [
    { salutation: "ms", title: "Dr.", firstName: "Anna", lastName: "Müller", isPrimary: true, phone: "+49 30 1234568" },
    { salutation: "mr", firstName: "Jonas", lastName: "Weber", formal: false },
  ],
  bankAccounts: [{ iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX" }],
  ...extra,
});

forEachEngine("customers API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );

  describe("create", () => {
    it("creates a customer with its parts, a number from the range, Location and ETag", async () => {
      const res = await api.post("/customers", company());
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(res.headers.location).toBe(`/api/v1/customers/${body.customer.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(body.customer.customerNumber).toMatch(/^\d{5}$/);
      expect(body.customer.tags).toEqual(["Messe 2026", "Stammkunde"]);
      expect(body.customer.status).toBe("active");
      expect(body.customer.letterSalutation).toBe("Sehr geehrte Damen und Herren,");
      expect(body.addresses).toHaveLength(1);
      expect(body.addresses[0]).toMatchObject({ isDefault: true, country: "DE", version: 1 });
      expect(body.channels.map((c: { value: string }) => c.value)).toEqual([
        "+49301234567",
        "info@mueller-metallbau.de",
      ]);
      expect(body.channels[0].display).toBe("030 1234567");
      const [anna, jonas] = body.contacts;
      expect(anna.letterSalutation).toBe("Sehr geehrte Frau Dr. Müller,");
      expect(anna.phone).toBe("+49301234568");
      expect(anna.isPrimary).toBe(true);
      expect(jonas.letterSalutation).toBe("Hallo Jonas,");
      expect(body.bankAccounts[0]).toMatchObject({ iban: "DE89370400440532013000", isDefault: true });
      expect(body.bankAccounts[0].ibanDisplay).toBe("DE89 3704 0044 0532 0130 00");
    });

    it("draws consecutive numbers and never the same one, also in parallel", async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => api.post("/customers", { kind: "company", name1: `Parallel ${i}` })),
      );
      for (const r of results) expect(r.statusCode, r.body).toBe(201);
      const numbers = results.map((r) => Number(r.json().customer.customerNumber)).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(10);
      expect(numbers[9]! - numbers[0]!).toBe(9);
    });

    it("accepts a given customer number and answers 409 when it is taken", async () => {
      const first = await api.post("/customers", { kind: "company", name1: "Import A", customerNumber: "ERP-1" });
      expect(first.statusCode).toBe(201);
      const second = await api.post("/customers", { kind: "company", name1: "Import B", customerNumber: "ERP-1" });
      const p = expectProblem(second, 409, "unique_violation");
      expect(fieldCodes(p)).toContain("customerNumber:taken");
    });

    it("answers 409 for a debtor number that is taken", async () => {
      expect((await api.post("/customers", { kind: "company", name1: "D1", debtorNumber: "D-4711" })).statusCode).toBe(
        201,
      );
      const p = expectProblem(
        await api.post("/customers", { kind: "company", name1: "D2", debtorNumber: "D-4711" }),
        409,
        "unique_violation",
      );
      expect(fieldCodes(p)).toContain("debtorNumber:taken");
    });

    it("refuses bad IBAN, VAT ID, postal code and phone with each field named, and writes nothing", async () => {
      const before = (await api.get("/customers?limit=1")).json().total;
      const res = await api.post(
        "/customers",
        company({
          vatId: "DE123456789",
          addresses: [{ type: "billing", street: "A 1", postalCode: "1011", city: "Berlin" }],
          channels: [{ kind: "phone", value: "12345" }],
          bankAccounts: [{ iban: "DE89370400440532013001" }],
        }),
      );
      const p = expectProblem(res, 400, "validation_failed");
      expect(fieldCodes(p).sort()).toEqual(
        [
          "vatId:invalid_vat_id",
          "addresses/0/postalCode:invalid_postal_code",
          "channels/0/value:invalid_phone",
          "bankAccounts/0/iban:invalid_iban",
        ].sort(),
      );
      expect((await api.get("/customers?limit=1")).json().total).toBe(before);
    });

    it.each([
      ["AT", "1010", 201],
      ["CH", "8001", 201],
      ["AT", "10100", 400],
      ["CH", "800", 400],
      ["FR", "75001", 201],
    ])("checks postal code for %s %s → %i", async (country, postalCode, status) => {
      const res = await api.post("/customers", {
        kind: "company",
        name1: "Postal",
        addresses: [{ type: "billing", street: "Gasse 1", postalCode, city: "Wien", country }],
      });
      expect(res.statusCode, res.body).toBe(status);
    });

    it("refuses unknown fields, also nested", async () => {
      const p = expectProblem(
        await api.post("/customers", {
          kind: "company",
          name1: "X",
          colour: "red",
          contacts: [{ lastName: "A", x: 1 }],
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(p)).toEqual(expect.arrayContaining(["colour:unknown_field", "contacts/0/x:unknown_field"]));
    });

    it("refuses missing required fields and wrong enum values", async () => {
      const p = expectProblem(await api.post("/customers", { kind: "club" }), 400, "validation_failed");
      expect(fieldCodes(p)).toEqual(expect.arrayContaining(["name1:required", "kind:enum"]));
    });

    it("answers 400 for malformed JSON, 415 for another content type, 413 for a 10 MB body", async () => {
      const app = env().app;
      const auth = `Bearer ${env().adminToken}`;
      const malformed = await app.inject({
        method: "POST",
        url: "/api/v1/customers",
        payload: '{"kind": "company",',
        headers: { "content-type": "application/json", authorization: auth },
      });
      expectProblem(malformed, 400, "malformed_json");
      const text = await app.inject({
        method: "POST",
        url: "/api/v1/customers",
        payload: "kind=company",
        headers: { "content-type": "text/plain", authorization: auth },
      });
      expectProblem(text, 415, "unsupported_media_type");
      const big = await app.inject({
        method: "POST",
        url: "/api/v1/customers",
        payload: JSON.stringify({ kind: "company", name1: "Big", notes: "x".repeat(10 * 1024 * 1024) }),
        headers: { "content-type": "application/json", authorization: auth },
      });
      expectProblem(big, 413, "payload_too_large");
    });
  });

  describe("read", () => {
    it("gets a customer with its ETag; 404 for an unknown id; 400 for a malformed id", async () => {
      const { customer } = (await api.post("/customers", company())).json();
      const res = await api.get(`/customers/${customer.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toEqual(customer);
      expectProblem(await api.get("/customers/999999"), 404, "not_found");
      const bad = expectProblem(await api.get("/customers/abc"), 400, "validation_failed");
      expect(fieldCodes(bad)[0]).toMatch(/^params\/id:/);
      expectProblem(await api.get("/nothing-here"), 404, "not_found");
    });

    it("returns the customer file: default addresses, primary contact, badges and contacts", async () => {
      const { customer } = (
        await api.post(
          "/customers",
          company({
            status: "prospect",
            block: { type: "delivery", reason: "Bonität prüfen" },
            addresses: [
              { type: "billing", street: "Hauptstraße 1", postalCode: "10115", city: "Berlin" },
              { type: "delivery", street: "Lagerweg 5", postalCode: "14469", city: "Potsdam" },
            ],
          }),
        )
      ).json();
      const res = await api.get(`/customers/${customer.id}/file`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      const file = res.json();
      expect(file.customer.id).toBe(customer.id);
      expect(file.billingAddress.city).toBe("Berlin");
      expect(file.deliveryAddress.city).toBe("Potsdam");
      expect(file.primaryContact.lastName).toBe("Müller");
      expect(file.contacts).toHaveLength(2);
      expect(file.channels).toHaveLength(2);
      expect(file.badges).toEqual([
        { code: "prospect", severity: "info", detail: null },
        { code: "delivery_block", severity: "danger", detail: "Bonität prüfen" },
      ]);
      expect(file.customer.block).toMatchObject({ type: "delivery", reason: "Bonität prüfen", setBy: ADMIN_EMAIL });
      expectProblem(await api.get("/customers/999999/file"), 404, "not_found");
    });
  });

  describe("update", () => {
    it("changes only the given fields, bumps the version and ETag", async () => {
      const { customer } = (await api.post("/customers", company())).json();
      const res = await api.patch(`/customers/${customer.id}`, { name2: "Zweigwerk Nord", tags: ["Export"] }, 1);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      const after = res.json();
      expect(after).toMatchObject({ name1: "Müller Metallbau", name2: "Zweigwerk Nord", tags: ["Export"], version: 2 });
      expect(after.vatId).toBe(customer.vatId);
    });

    it("needs If-Match (428), refuses a stale one with the current state (412), 404 for unknown", async () => {
      const { customer } = (await api.post("/customers", company())).json();
      expectProblem(await api.patch(`/customers/${customer.id}`, { name2: "x" }), 428, "precondition_required");
      expectProblem(await api.patch(`/customers/${customer.id}`, { name2: "x" }, "abc"), 400, "bad_request");
      expect((await api.patch(`/customers/${customer.id}`, { name2: "first" }, 1)).statusCode).toBe(200);
      const stale = expectProblem(
        await api.patch(`/customers/${customer.id}`, { name2: "second" }, 1),
        412,
        "version_mismatch",
      );
      expect(stale.current).toMatchObject({ name2: "first", version: 2 });
      expectProblem(await api.patch("/customers/999999", { name2: "x" }, 1), 404, "not_found");
    });

    it("validates: VAT ID, block without reason, empty patch, unknown field", async () => {
      const { customer } = (await api.post("/customers", company())).json();
      const url = `/customers/${customer.id}`;
      expect(
        fieldCodes(expectProblem(await api.patch(url, { vatId: "ATU1234" }, 1), 400, "validation_failed")),
      ).toEqual(["vatId:invalid_vat_id"]);
      expect(
        fieldCodes(expectProblem(await api.patch(url, { block: { type: "all" } }, 1), 400, "validation_failed")),
      ).toEqual(["block/reason:required"]);
      expectProblem(await api.patch(url, {}, 1), 400, "validation_failed");
      expect(fieldCodes(expectProblem(await api.patch(url, { nmae1: "x" }, 1), 400, "validation_failed"))).toEqual([
        "nmae1:unknown_field",
      ]);
      expect((await api.get(url)).json().version).toBe(1);
    });

    it("20 parallel updates with the same If-Match: exactly one wins, one change in the trail", async () => {
      const { customer } = (await api.post("/customers", company())).json();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => api.patch(`/customers/${customer.id}`, { name2: `Writer ${i}` }, 1)),
      );
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(19);
      const history = (await api.get(`/customers/${customer.id}/history`)).json();
      const updates = history.items.filter(
        (h: { action: string; entityType: string }) => h.action === "update" && h.entityType === "customer",
      );
      expect(updates).toHaveLength(1);
      const winner = results.find((r) => r.statusCode === 200)!.json();
      expect(updates[0].changes).toEqual([{ field: "name2", old: null, new: winner.name2 }]);
    });
  });

  describe("delete", () => {
    it("needs If-Match, deletes with its parts, keeps the history readable", async () => {
      const { customer } = (await api.post("/customers", company())).json();
      const url = `/customers/${customer.id}`;
      expectProblem(await api.del(url), 428, "precondition_required");
      expectProblem(await api.del(url, 7), 412, "version_mismatch");
      const res = await api.del(url, 1);
      expect(res.statusCode).toBe(204);
      expectProblem(await api.get(url), 404, "not_found");
      expectProblem(await api.get(`${url}/contacts`), 404, "not_found");
      expectProblem(await api.del(url, 1), 404, "not_found");
      const history = (await api.get(`${url}/history`)).json();
      expect(history.items[0]).toMatchObject({ action: "delete", entityType: "customer", actor: ADMIN_EMAIL });
      expectProblem(await api.get("/customers/999999/history"), 404, "not_found");
    });
  });

  describe("history", () => {
    it("records per field old → new, for the customer and its parts, newest first, paginated", async () => {
      const { customer, contacts } = (await api.post("/customers", company())).json();
      await api.patch(`/customers/${customer.id}`, { status: "inactive", vatId: null }, 1);
      await api.patch(`/customers/${customer.id}/contacts/${contacts[1].id}`, { position: "Einkauf" }, 1);
      const first = (await api.get(`/customers/${customer.id}/history?limit=2`)).json();
      expect(first.items).toHaveLength(2);
      expect(first.items[0]).toMatchObject({
        action: "update",
        entityType: "contact",
        entityId: contacts[1].id,
        changes: [{ field: "position", old: null, new: "Einkauf" }],
      });
      expect(first.items[1].changes).toEqual(
        expect.arrayContaining([
          { field: "status", old: "active", new: "inactive" },
          { field: "vatId", old: "DE136695976", new: null },
        ]),
      );
      const rest = (await api.get(`/customers/${customer.id}/history?limit=100&cursor=${first.nextCursor}`)).json();
      expect(rest.nextCursor).toBeNull();
      // create of the customer + 2 contacts + address + 2 channels + bank account
      expect(rest.items.filter((h: { action: string }) => h.action === "create")).toHaveLength(7);
      const ids = [...first.items, ...rest.items].map((h: { id: number }) => h.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    });
  });
});
