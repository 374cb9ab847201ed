import { beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

forEachEngine("duplicate check API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  let original = 0;

  beforeAll(async () => {
    const res = await api.post("/customers", {
      kind: "company",
      name1: "Gebrüder Schmidt Metallbau GmbH",
      vatId: "DE136695976",
      addresses: [{ type: "billing", street: "Ringstraße 4", postalCode: "70173", city: "Stuttgart" }],
      channels: [
        { kind: "phone", value: "0711 2233445" },
        { kind: "email", value: "info@schmidt-metallbau.de" },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().duplicateCandidates).toEqual([]);
    original = res.json().customer.id;
  });

  const check = async (body: Record<string, unknown>) => {
    const res = await api.post("/duplicates/check", body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().candidates as { customerId: number; score: number; reasons: { code: string; value: string }[] }[];
  };
  const reasonsOf = (c: { reasons: { code: string }[] }) => c.reasons.map((r) => r.code);

  it.each([
    ["same VAT ID", { name1: "Ganz anders AG", vatId: "DE 136 695 976" }, "same_vat_id"],
    ["same e-mail", { name1: "Irgendwer", emails: ["Info@Schmidt-Metallbau.de"] }, "same_email"],
    ["same phone, other format", { name1: "Irgendwer", phones: ["+49 711 2233445"] }, "same_phone"],
    [
      "similar name, same postal code",
      { name1: "Gebr. Schmitt Metallbau", postalCode: "70173" },
      "similar_name_same_postal_code",
    ],
    ["similar name, same city", { name1: "Schmidt Metalbau KG", city: "Stuttgart" }, "similar_name_same_city"],
    // One of two words misspelt so that it no longer sounds the same: found through the other word alone.
    [
      "a word misspelt beyond its sound, same postal code",
      { name1: "Schwidt Metallbau", postalCode: "70173" },
      "similar_name_same_postal_code",
    ],
  ])("%s", async (_label, probe, reason) => {
    const candidates = await check(probe);
    expect(candidates.map((c) => c.customerId)).toContain(original);
    const c = candidates.find((x) => x.customerId === original)!;
    expect(reasonsOf(c)).toContain(reason);
    expect(c.score).toBeGreaterThanOrEqual(50);
  });

  it("scores several shared facts higher than one", async () => {
    const one = (await check({ name1: "X", phones: ["0711 2233445"] }))[0]!;
    const two = (await check({ name1: "Schmidt Metallbau", postalCode: "70173", phones: ["0711 2233445"] }))[0]!;
    expect(two.score).toBeGreaterThan(one.score);
    expect(reasonsOf(two)).toEqual(["same_phone", "similar_name_same_postal_code"]);
  });

  it("proposes nothing for a different name elsewhere", async () => {
    expect(await check({ name1: "Gebrüder Schmidt Metallbau", postalCode: "01067", city: "Dresden" })).toEqual([]);
    expect(await check({ name1: "Bäckerei Sonnenschein", postalCode: "70173" })).toEqual([]);
  });

  it("on create and on update the response lists candidates, and the record is saved anyway", async () => {
    const created = await api.post("/customers", {
      kind: "company",
      name1: "Schmidt Metallbau",
      addresses: [{ type: "billing", street: "Ringstraße 6", postalCode: "70173", city: "Stuttgart" }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().customer.id;
    expect(created.json().duplicateCandidates.map((c: { customerId: number }) => c.customerId)).toEqual([original]);
    expect((await api.get(`/customers/${id}`)).statusCode).toBe(200);

    const other = (await api.post("/customers", { kind: "company", name1: "Kunde Ohne Bezug" })).json().customer;
    expect((await api.patch(`/customers/${other.id}`, { notes: "x" }, 1)).json().duplicateCandidates).toBeUndefined();
    const updated = await api.patch(`/customers/${other.id}`, { vatId: "DE136695976" }, 2);
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().duplicateCandidates.map((c: { customerId: number }) => c.customerId)).toContain(original);

    const stored = (await api.get(`/customers/${id}/duplicates`)).json().candidates;
    expect(stored.map((c: { customerId: number }) => c.customerId)).toEqual([original]);
  });

  it("a pair marked “not a duplicate” is not proposed again, either way round, until the mark is withdrawn", async () => {
    const twin = (
      await api.post("/customers", {
        kind: "company",
        name1: "Gebrüder Schmidt Metallbau",
        channels: [{ kind: "email", value: "info@schmidt-metallbau.de" }],
      })
    ).json().customer.id;
    expect(
      (await api.get(`/customers/${twin}/duplicates`))
        .json()
        .candidates.map((c: { customerId: number }) => c.customerId),
    ).toContain(original);

    const mark = await api.post(`/customers/${twin}/not-duplicates`, { otherId: original });
    expect(mark.statusCode, mark.body).toBe(204);
    // Marking again is harmless.
    expect((await api.post(`/customers/${original}/not-duplicates`, { otherId: twin })).statusCode).toBe(204);
    expect(
      (await api.get(`/customers/${twin}/duplicates`))
        .json()
        .candidates.map((c: { customerId: number }) => c.customerId),
    ).not.toContain(original);
    expect(
      (await api.get(`/customers/${original}/duplicates`))
        .json()
        .candidates.map((c: { customerId: number }) => c.customerId),
    ).not.toContain(twin);
    expect(
      (await check({ name1: "x", emails: ["info@schmidt-metallbau.de"], excludeCustomerId: twin })).map(
        (c) => c.customerId,
      ),
    ).not.toContain(original);

    const withdraw = await api.del(`/customers/${original}/not-duplicates/${twin}`);
    expect(withdraw.statusCode, withdraw.body).toBe(204);
    expect(
      (await api.get(`/customers/${twin}/duplicates`))
        .json()
        .candidates.map((c: { customerId: number }) => c.customerId),
    ).toContain(original);
    expectProblem(await api.del(`/customers/${original}/not-duplicates/${twin}`), 404, "not_found");
  });

  it("a similar name is looked for where the customer is now: the keys follow an address or name change", async () => {
    const created = await api.post("/customers", {
      kind: "company",
      name1: "Zwirbelhuber Holzbau GmbH",
      addresses: [{ type: "billing", street: "Am Hang 1", postalCode: "87435", city: "Kempten" }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().customer.id as number;
    const ids = async (probe: Record<string, unknown>) => (await check(probe)).map((c) => c.customerId);
    expect(await ids({ name1: "Zwirbelhuber Holzbau", postalCode: "87435" })).toContain(id);

    const [address] = (await api.get(`/customers/${id}/addresses`)).json().items;
    const moved = await api.patch(
      `/customers/${id}/addresses/${address.id}`,
      { postalCode: "94032", city: "Passau" },
      address.version,
    );
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await ids({ name1: "Zwirbelhuber Holzbau", postalCode: "87435" })).not.toContain(id);
    expect(await ids({ name1: "Zwirbelhuber Holzbau", postalCode: "94032" })).toContain(id);
    expect(await ids({ name1: "Zwirbelhuber Holzbau", city: "Passau" })).toContain(id);

    const renamed = await api.patch(`/customers/${id}`, { name1: "Quandt Schreinerei GmbH" }, 1);
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await ids({ name1: "Zwirbelhuber Holzbau", postalCode: "94032" })).not.toContain(id);
    expect(await ids({ name1: "Quandt Schreinerei", postalCode: "94032" })).toContain(id);
  });

  it("refuses bad input", async () => {
    expect(fieldCodes(expectProblem(await api.post("/duplicates/check", {}), 400, "validation_failed"))).toEqual([
      "name1:required",
    ]);
    expectProblem(await api.post("/duplicates/check", { name1: "x", extra: 1 }), 400, "validation_failed");
    expectProblem(await api.post("/duplicates/check", { name1: "x", excludeCustomerId: 999999 }), 404, "not_found");
    expectProblem(await api.get("/customers/999999/duplicates"), 404, "not_found");
    expect(
      fieldCodes(
        expectProblem(
          await api.post(`/customers/${original}/not-duplicates`, { otherId: original }),
          400,
          "validation_failed",
        ),
      ),
    ).toEqual(["otherId:same_customer"]);
    expectProblem(await api.post(`/customers/${original}/not-duplicates`, { otherId: 999999 }), 404, "not_found");
  });
});
