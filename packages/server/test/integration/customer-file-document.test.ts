import { expect, it } from "vitest";
import { readFileRows } from "../../src/modules/customer-file/customer-file.repository.js";
import { buildFile } from "../../src/modules/customer-file/customer-file.service.js";
import { bankAccountSpec } from "../../src/modules/customer-parts/bank-accounts.js";
import { keyFiguresOf } from "../../src/modules/figures/key-figures.js";
import { forEachEngine } from "../support/engines.js";
import { client } from "../support/http.js";

/**
 * The file endpoint serves a stored document. These tests prove it always equals the file
 * built live from the tables, after every kind of write, and that failed writes leave it alone.
 */
forEachEngine("customer file document", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );

  const expectCurrent = async (id: number) => {
    const served = await api.get(`/customers/${id}/file`);
    expect(served.statusCode).toBe(200);
    const live = (await readFileRows(env().db.kysely, [id])).get(id)!;
    // The suite's admin may see finance data: the file carries the bank accounts, and the
    // key figures of the day (computed per request, not stored).
    const expected = {
      ...buildFile(live),
      bankAccounts: live.bankAccounts.map((b) => bankAccountSpec.present(b)),
      keyFigures: await keyFiguresOf(env().db, id, true, env().clock.today(), env().clock.nowIso()),
    };
    expect(served.json()).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(served.headers.etag).toBe(`"${live.customer.version}"`);
    return served.json();
  };

  it("stays equal to the live file through creates, updates, flag moves and deletes", async () => {
    const { customer } = (
      await api.post("/customers", {
        kind: "company",
        name1: "Lebende Akte GmbH",
        addresses: [{ type: "billing", street: "A 1", postalCode: "10115", city: "Berlin" }],
        contacts: [{ lastName: "Erster", isPrimary: true }],
      })
    ).json();
    const id = customer.id as number;
    await expectCurrent(id);
    await api.patch(
      `/customers/${id}`,
      { status: "prospect", block: { type: "invoice", reason: "Prüfung" }, tags: ["A"] },
      1,
    );
    expect((await expectCurrent(id)).badges.map((b: { code: string }) => b.code)).toEqual([
      "prospect",
      "invoice_block",
    ]);
    const a2 = (
      await api.post(`/customers/${id}/addresses`, {
        type: "billing",
        street: "B 2",
        postalCode: "20095",
        city: "Hamburg",
        isDefault: true,
      })
    ).json();
    expect((await expectCurrent(id)).billingAddress.city).toBe("Hamburg");
    const inCity = async (city: string) =>
      (await api.get(`/customers?city=${city}&count=false`)).json().items.map((i: { id: number }) => i.id);
    expect(await inCity("hamburg")).toContain(id);
    expect(await inCity("berlin")).not.toContain(id);
    const c2 = (await api.post(`/customers/${id}/contacts`, { lastName: "Zweiter", isPrimary: true })).json();
    expect((await expectCurrent(id)).primaryContact.lastName).toBe("Zweiter");
    await api.patch(`/customers/${id}/contacts/${c2.id}`, { firstName: "Zora", formal: false }, 1);
    expect((await expectCurrent(id)).primaryContact.letterSalutation).toBe("Hallo Zora,");
    await api.post(`/customers/${id}/channels`, { kind: "phone", value: "040 1234567" });
    await api.del(`/customers/${id}/addresses/${a2.id}`, 1);
    expect((await expectCurrent(id)).billingAddress.city).toBe("Berlin");
    expect(await inCity("berlin")).toContain(id);
    expect(await inCity("hamburg")).not.toContain(id);
    const current = (await api.get(`/customers/${id}`)).json();
    await api.del(`/customers/${id}`, current.version);
    expect((await api.get(`/customers/${id}/file`)).statusCode).toBe(404);
  });

  it("is untouched by a write that fails", async () => {
    const { customer } = (
      await api.post("/customers", { kind: "company", name1: "Unverändert", debtorNumber: "X-1" })
    ).json();
    await api.post("/customers", { kind: "company", name1: "Andere", debtorNumber: "X-2" });
    const before = (await api.get(`/customers/${customer.id}/file`)).body;
    const clash = await api.patch(`/customers/${customer.id}`, { name1: "Geändert", debtorNumber: "X-2" }, 1);
    expect(clash.statusCode).toBe(409);
    expect((await api.get(`/customers/${customer.id}/file`)).body).toBe(before);
    await expectCurrent(customer.id);
  });

  it("is built for customers created in bulk", async () => {
    const { createCustomersInBulk } = await import("../../src/modules/customers/customers.bulk.js");
    const { fakeCustomer, Random } = await import("../../src/demo/factories.js");
    const rng = new Random(42);
    await createCustomersInBulk(env().db, { actor: "system", requestId: null }, [fakeCustomer(rng), fakeCustomer(rng)]);
    const page = (await api.get("/customers?sort=-createdAt&limit=2")).json();
    for (const item of page.items) {
      const file = await expectCurrent(item.id);
      expect(file.addresses.length).toBeGreaterThan(0);
    }
  });
});
