import { describe, expect, it } from "vitest";
import { forEachEngine } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

forEachEngine("customer parts API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  const newCustomer = async (body: Record<string, unknown> = {}) =>
    (await api.post("/customers", { kind: "company", name1: "Teile GmbH", ...body })).json().customer.id as number;

  describe("addresses", () => {
    it("keeps exactly one default per type: the first gets it, a new default takes it over", async () => {
      const id = await newCustomer();
      const a1 = (
        await api.post(`/customers/${id}/addresses`, {
          type: "billing",
          street: "A 1",
          postalCode: "50667",
          city: "Köln",
        })
      ).json();
      expect(a1.isDefault).toBe(true);
      const d1 = await api.post(`/customers/${id}/addresses`, {
        type: "delivery",
        street: "L 2",
        postalCode: "50667",
        city: "Köln",
      });
      expect(d1.statusCode).toBe(201);
      expect(d1.headers.location).toBe(`/api/v1/customers/${id}/addresses/${d1.json().id}`);
      expect(d1.json().isDefault).toBe(true);
      const a2 = (
        await api.post(`/customers/${id}/addresses`, {
          type: "billing",
          street: "B 2",
          postalCode: "80331",
          city: "München",
          isDefault: true,
        })
      ).json();
      expect(a2.isDefault).toBe(true);
      const list = (await api.get(`/customers/${id}/addresses`)).json().items;
      const defaults = list
        .filter((a: { type: string; isDefault: boolean }) => a.isDefault)
        .map((a: { id: number }) => a.id);
      expect(defaults.sort()).toEqual([d1.json().id, a2.id].sort());
      // The old default changed: its version moved on and the change is in the trail.
      const old = await api.get(`/customers/${id}/addresses/${a1.id}`);
      expect(old.json()).toMatchObject({ isDefault: false, version: 2 });
      expect(old.headers.etag).toBe('"2"');
    });

    it("refuses to unset the only default, and passes it on when the default is deleted", async () => {
      const id = await newCustomer();
      const a1 = (
        await api.post(`/customers/${id}/addresses`, {
          type: "billing",
          street: "A 1",
          postalCode: "20095",
          city: "Hamburg",
        })
      ).json();
      const a2 = (
        await api.post(`/customers/${id}/addresses`, {
          type: "billing",
          street: "A 2",
          postalCode: "20095",
          city: "Hamburg",
        })
      ).json();
      expect(a2.isDefault).toBe(false);
      const p = expectProblem(
        await api.patch(`/customers/${id}/addresses/${a1.id}`, { isDefault: false }, 1),
        400,
        "validation_failed",
      );
      expect(fieldCodes(p)).toEqual(["isDefault:flag_required"]);
      expect((await api.del(`/customers/${id}/addresses/${a1.id}`, 1)).statusCode).toBe(204);
      expect((await api.get(`/customers/${id}/addresses/${a2.id}`)).json().isDefault).toBe(true);
    });

    it("moving the default to another type keeps one default per type", async () => {
      const id = await newCustomer();
      const b = (
        await api.post(`/customers/${id}/addresses`, {
          type: "billing",
          street: "A 1",
          postalCode: "20095",
          city: "Hamburg",
        })
      ).json();
      const b2 = (
        await api.post(`/customers/${id}/addresses`, {
          type: "billing",
          street: "A 2",
          postalCode: "20095",
          city: "Hamburg",
        })
      ).json();
      const d = (
        await api.post(`/customers/${id}/addresses`, {
          type: "delivery",
          street: "D 1",
          postalCode: "20095",
          city: "Hamburg",
        })
      ).json();
      const moved = await api.patch(`/customers/${id}/addresses/${b.id}`, { type: "delivery" }, 1);
      expect(moved.statusCode, moved.body).toBe(200);
      const list = (await api.get(`/customers/${id}/addresses`)).json().items as {
        id: number;
        type: string;
        isDefault: boolean;
      }[];
      const byId = new Map(list.map((a) => [a.id, a]));
      expect(byId.get(b.id)).toMatchObject({ type: "delivery", isDefault: false });
      expect(byId.get(d.id)?.isDefault).toBe(true);
      expect(byId.get(b2.id)?.isDefault).toBe(true);
    });

    it("checks the postal code against the resulting country", async () => {
      const id = await newCustomer();
      const a = (
        await api.post(`/customers/${id}/addresses`, {
          type: "other",
          street: "Rue 1",
          postalCode: "75001",
          city: "Paris",
          country: "FR",
        })
      ).json();
      const p = expectProblem(
        await api.patch(`/customers/${id}/addresses/${a.id}`, { country: "AT" }, 1),
        400,
        "validation_failed",
      );
      expect(fieldCodes(p)).toEqual(["postalCode:invalid_postal_code"]);
      expect(
        (await api.patch(`/customers/${id}/addresses/${a.id}`, { country: "AT", postalCode: "1010", city: "Wien" }, 1))
          .statusCode,
      ).toBe(200);
    });
  });

  describe("channels", () => {
    it.each([
      ["+49 30 1234567", "+49301234567", "030 1234567"],
      ["030/1234567", "+49301234567", "030 1234567"],
      ["0301234567", "+49301234567", "030 1234567"],
      ["(089) 123 45 67", "+49891234567", "089 1234567"],
    ])("stores phone %s as %s and shows %s", async (input, e164, display) => {
      const id = await newCustomer();
      const res = await api.post(`/customers/${id}/channels`, { kind: "phone", value: input });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ value: e164, display, isPrimary: true });
    });

    it("refuses malformed phones, e-mails and web addresses", async () => {
      const id = await newCustomer();
      for (const [kind, value, code] of [
        ["phone", "12", "invalid_phone"],
        ["mobile", "call me", "invalid_phone"],
        ["email", "not-an-address", "invalid_email"],
        ["web", "http://", "invalid_url"],
      ]) {
        const p = expectProblem(await api.post(`/customers/${id}/channels`, { kind, value }), 400, "validation_failed");
        expect(fieldCodes(p)).toEqual([`value:${code}`]);
      }
      expect((await api.get(`/customers/${id}/channels`)).json().items).toEqual([]);
    });

    it("normalises web addresses and e-mails", async () => {
      const id = await newCustomer();
      expect((await api.post(`/customers/${id}/channels`, { kind: "web", value: "www.example.de" })).json().value).toBe(
        "https://www.example.de",
      );
      expect(
        (await api.post(`/customers/${id}/channels`, { kind: "email", value: " Info@Example.DE " })).json().value,
      ).toBe("info@example.de");
    });
  });

  describe("contacts", () => {
    it.each([
      [{ salutation: "ms", title: "Dr.", firstName: "Anna", lastName: "Müller" }, "Sehr geehrte Frau Dr. Müller,"],
      [{ salutation: "mr", firstName: "Tom", lastName: "Weber" }, "Sehr geehrter Herr Weber,"],
      [{ salutation: "ms", firstName: "Anna", lastName: "Müller", formal: false }, "Hallo Anna,"],
      [{ salutation: "ms", lastName: "Smith", language: "en" }, "Dear Ms Smith,"],
      [{ salutation: "mr", lastName: "Smith", language: "en", formal: false, firstName: "John" }, "Dear John,"],
      [{ salutation: "mr", lastName: "Weber", letterSalutationOverride: "Lieber Tom," }, "Lieber Tom,"],
    ])("generates the letter salutation for %o", async (input, expected) => {
      const id = await newCustomer();
      const res = await api.post(`/customers/${id}/contacts`, input);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().letterSalutation).toBe(expected);
    });

    it("stores phones as E.164 and shows them nationally; refuses malformed phones and future birthdays", async () => {
      const id = await newCustomer();
      const c = (
        await api.post(`/customers/${id}/contacts`, {
          lastName: "Kraus",
          mobile: "0151 23456789",
          birthday: "1980-02-29",
        })
      ).json();
      expect(c).toMatchObject({ mobile: "+4915123456789", mobileDisplay: "01512 3456789", birthday: "1980-02-29" });
      const p = expectProblem(
        await api.post(`/customers/${id}/contacts`, { lastName: "X", phone: "abc", birthday: "2999-01-01" }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(p).sort()).toEqual(["birthday:in_future", "phone:invalid_phone"]);
      const bad = expectProblem(
        await api.post(`/customers/${id}/contacts`, { lastName: "X", email: "nope" }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad)).toEqual(["email:invalid_email"]);
    });

    it("keeps one primary contact; update and delete need the current version", async () => {
      const id = await newCustomer();
      const c1 = (await api.post(`/customers/${id}/contacts`, { lastName: "Eins", isPrimary: true })).json();
      const c2 = (await api.post(`/customers/${id}/contacts`, { lastName: "Zwei" })).json();
      expect(c2.isPrimary).toBe(false);
      const r = await api.patch(`/customers/${id}/contacts/${c2.id}`, { isPrimary: true }, 1);
      expect(r.json().isPrimary).toBe(true);
      expect((await api.get(`/customers/${id}/contacts/${c1.id}`)).json().isPrimary).toBe(false);
      expectProblem(
        await api.patch(`/customers/${id}/contacts/${c2.id}`, { position: "Chef" }),
        428,
        "precondition_required",
      );
      expectProblem(
        await api.patch(`/customers/${id}/contacts/${c2.id}`, { position: "Chef" }, 1),
        412,
        "version_mismatch",
      );
      expectProblem(await api.del(`/customers/${id}/contacts/${c2.id}`, 1), 412, "version_mismatch");
      expect((await api.del(`/customers/${id}/contacts/${c2.id}`, 2)).statusCode).toBe(204);
      expectProblem(await api.get(`/customers/${id}/contacts/${c2.id}`), 404, "not_found");
    });

    it("answers 404 for a contact of another customer and for an unknown customer", async () => {
      const a = await newCustomer();
      const b = await newCustomer();
      const c = (await api.post(`/customers/${a}/contacts`, { lastName: "Fremd" })).json();
      expectProblem(await api.get(`/customers/${b}/contacts/${c.id}`), 404, "not_found");
      expectProblem(await api.patch(`/customers/${b}/contacts/${c.id}`, { lastName: "X" }, 1), 404, "not_found");
      expectProblem(await api.post("/customers/999999/contacts", { lastName: "X" }), 404, "not_found");
      expectProblem(await api.get("/customers/999999/contacts"), 404, "not_found");
    });
  });

  describe("bank accounts", () => {
    it("validates IBAN and BIC, formats the IBAN, refuses the same IBAN twice (409)", async () => {
      const id = await newCustomer();
      const res = await api.post(`/customers/${id}/bank-accounts`, {
        iban: "de89370400440532013000",
        bic: "cobadeffxxx",
        accountHolder: "Teile GmbH",
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ iban: "DE89370400440532013000", bic: "COBADEFFXXX", isDefault: true });
      const dup = expectProblem(
        await api.post(`/customers/${id}/bank-accounts`, { iban: "DE89 3704 0044 0532 0130 00" }),
        409,
        "unique_violation",
      );
      expect(fieldCodes(dup)).toEqual(["iban:taken"]);
      const bad = expectProblem(
        await api.post(`/customers/${id}/bank-accounts`, { iban: "DE00370400440532013000", bic: "XYZ" }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad).sort()).toEqual(["bic:invalid_bic", "iban:invalid_iban"]);
    });
  });
});
