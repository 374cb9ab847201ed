import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { fixedClock } from "../support/clock.js";
import { forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

interface Agreement {
  id: number;
  level: string;
  customerId: number | null;
  customerGroup: string | null;
  productId: number | null;
  productGroup: string | null;
  unitPriceCents: number | null;
  discountPercent: number | null;
  minQuantity: number | null;
  validFrom: string;
  validTo: string | null;
  description: string;
  version: number;
}

interface Line {
  unitPriceCents: number;
  netCents: number;
  priceSource: string;
  priceAgreementId: number | null;
  priceSourceText: string | null;
}

forEachEngine("price agreements API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  /** 19,99 €, group Werkzeug */
  let hammer = 0;
  /** 3,49 €, group Kaffee */
  let coffee = 0;
  /** 10,00 €, no group */
  let service = 0;
  /** 19,95 €, group Werkzeug */
  let saw = 0;
  /** Customers in the group "Händler" */
  let nord = 0;
  let sued = 0;
  /** A customer without a group */
  let solo = 0;

  const product = async (body: Record<string, unknown>) => {
    const res = await api.post("/products", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const customer = async (name1: string, customerGroup?: string) => {
    const res = await api.post("/customers", { kind: "company", name1, ...(customerGroup ? { customerGroup } : {}) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().customer.id as number;
  };
  const create = async (body: Record<string, unknown>) => {
    const res = await api.post("/price-agreements", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Agreement;
  };
  const createFor = async (customerId: number, body: Record<string, unknown>) => {
    const res = await api.post(`/customers/${customerId}/price-agreements`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Agreement;
  };
  const priceOf = async (customerId: number, productId: number, onDate: string, quantity = 1) => {
    const res = await api.get(
      `/customers/${customerId}/price?productId=${productId}&onDate=${onDate}&quantity=${quantity}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      unitPriceCents: number;
      listPriceCents: number;
      priceSource: string;
      level: string | null;
      priceAgreementId: number | null;
      discountPercent: number | null;
      description: string;
      onDate: string;
    };
  };
  const quote = async (customerId: number, documentDate: string, lines: Record<string, unknown>[]) => {
    const res = await api.post(`/customers/${customerId}/documents`, { type: "quote", documentDate, lines });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; version: number; netCents: number; lines: Line[] };
  };

  beforeAll(async () => {
    hammer = await product({ articleNumber: "PA-1", name: "Hammer", listPriceCents: 1999, productGroup: "Werkzeug" });
    coffee = await product({ articleNumber: "PA-2", name: "Kaffee", listPriceCents: 349, productGroup: "Kaffee" });
    service = await product({ articleNumber: "PA-3", name: "Montage", unit: "h", listPriceCents: 1000 });
    saw = await product({ articleNumber: "PA-4", name: "Säge", listPriceCents: 1995, productGroup: "Werkzeug" });
    nord = await customer("Händler Nord GmbH", "Händler");
    sued = await customer("Händler Süd GmbH", "Händler");
    solo = await customer("Solo KG");
  });

  describe("precedence", () => {
    it("customer + product beats customer group + product group beats the list price", async () => {
      const group = await create({
        customerGroup: "Händler",
        productGroup: "Werkzeug",
        discountPercent: 10,
        validFrom: "2026-01-01",
      });
      expect(group).toMatchObject({
        level: "customer_group_product_group",
        customerId: null,
        unitPriceCents: null,
        discountPercent: 10,
        validTo: null,
        description: "Rabatt Kundengruppe Händler 10 % auf Warengruppe Werkzeug ab 01.01.2026",
      });
      const own = await createFor(nord, { productId: hammer, unitPriceCents: 1500, validFrom: "2026-01-01" });
      expect(own).toMatchObject({ level: "customer_product", customerId: nord, customerName: "Händler Nord GmbH" });
      expect(own.description).toBe("Kundenpreis ab 01.01.2026");

      const nordHammer = await priceOf(nord, hammer, "2026-06-01");
      expect(nordHammer).toMatchObject({
        unitPriceCents: 1500,
        listPriceCents: 1999,
        priceSource: "agreement",
        level: "customer_product",
        priceAgreementId: own.id,
        description: "Kundenpreis ab 01.01.2026",
      });
      // 19,99 € − 10 % = 17,991 € → 17,99 €
      expect(await priceOf(sued, hammer, "2026-06-01")).toMatchObject({
        unitPriceCents: 1799,
        level: "customer_group_product_group",
        priceAgreementId: group.id,
        discountPercent: 10,
      });
      // Nord's own agreement is for the hammer only: the saw comes from the group (19,95 € − 10 % = 17,955 → 17,96 €).
      expect(await priceOf(nord, saw, "2026-06-01")).toMatchObject({
        unitPriceCents: 1796,
        priceAgreementId: group.id,
      });
      expect(await priceOf(solo, hammer, "2026-06-01")).toMatchObject({
        unitPriceCents: 1999,
        priceSource: "list_price",
        level: null,
        priceAgreementId: null,
        description: "Listenpreis",
      });
      expect(await priceOf(nord, coffee, "2026-06-01")).toMatchObject({
        unitPriceCents: 349,
        priceSource: "list_price",
      });

      // The same on a document: the line shows where its price came from; an explicit price stays manual.
      const doc = await quote(nord, "2026-06-01", [
        { productId: hammer, quantity: 3 },
        { productId: saw, quantity: 1 },
        { productId: hammer, quantity: 1, unitPriceCents: 1234 },
        { productId: service, quantity: 2 },
        { text: "Fracht", quantity: 1, unitPriceCents: 990 },
      ]);
      expect(doc.lines.map((l) => [l.unitPriceCents, l.priceSource, l.priceAgreementId, l.priceSourceText])).toEqual([
        [1500, "agreement", own.id, "Kundenpreis ab 01.01.2026"],
        [1796, "agreement", group.id, "Rabatt Kundengruppe Händler 10 % auf Warengruppe Werkzeug ab 01.01.2026"],
        [1234, "manual", null, null],
        [1000, "list_price", null, null],
        [990, "manual", null, null],
      ]);
      expect(doc.lines.map((l) => l.netCents)).toEqual([4500, 1796, 1234, 2000, 990]);
      expect(doc.netCents).toBe(4500 + 1796 + 1234 + 2000 + 990);
      const read = (await api.get(`/customers/${nord}/documents/${doc.id}`)).json();
      expect(read.lines).toEqual(doc.lines);
    });

    it("the intermediate levels rank between them: customer + group, then group + product", async () => {
      const boss = await customer("Händler Ost GmbH", "Händler");
      // Only the group + group level (from the test above): 10 % off.
      expect((await priceOf(boss, hammer, "2026-07-01")).unitPriceCents).toBe(1799);
      const groupProduct = await create({
        customerGroup: "Händler",
        productId: hammer,
        unitPriceCents: 1700,
        validFrom: "2026-01-01",
      });
      expect(await priceOf(boss, hammer, "2026-07-01")).toMatchObject({
        unitPriceCents: 1700,
        level: "customer_group_product",
        priceAgreementId: groupProduct.id,
      });
      const customerGroupOfProducts = await createFor(boss, {
        productGroup: "Werkzeug",
        discountPercent: 20,
        validFrom: "2026-01-01",
      });
      // 19,99 € − 20 % = 15,992 € → 15,99 €: customer + product group beats customer group + product.
      expect(await priceOf(boss, hammer, "2026-07-01")).toMatchObject({
        unitPriceCents: 1599,
        level: "customer_product_group",
        priceAgreementId: customerGroupOfProducts.id,
      });
      const own = await createFor(boss, { productId: hammer, unitPriceCents: 1800, validFrom: "2026-01-01" });
      // The most specific wins even when it is dearer than a less specific one.
      expect(await priceOf(boss, hammer, "2026-07-01")).toMatchObject({
        unitPriceCents: 1800,
        level: "customer_product",
        priceAgreementId: own.id,
      });
      // Süd has no agreement of its own: the group's product price beats the group's discount.
      expect((await priceOf(sued, hammer, "2026-07-01")).unitPriceCents).toBe(1700);
    });
  });

  describe("validity and arithmetic", () => {
    it("applies an agreement from its first to its last day only; open-ended ones without end", async () => {
      const march = await createFor(solo, {
        productId: coffee,
        unitPriceCents: 300,
        validFrom: "2026-03-01",
        validTo: "2026-03-31",
      });
      expect(march.description).toBe("Kundenpreis ab 01.03.2026 bis 31.03.2026");
      // 3,49 € − 50 % = 1,745 € → 1,75 € (half up, as everywhere in finance)
      const fromMay = await createFor(solo, { productId: coffee, discountPercent: 50, validFrom: "2026-05-01" });
      const at = async (day: string) => (await priceOf(solo, coffee, day)).unitPriceCents;
      expect(await at("2026-02-28")).toBe(349);
      expect(await at("2026-03-01")).toBe(300);
      expect(await at("2026-03-31")).toBe(300);
      expect(await at("2026-04-01")).toBe(349);
      expect(await at("2026-04-30")).toBe(349);
      expect(await at("2026-05-01")).toBe(175);
      expect(await at("2099-12-31")).toBe(175);

      // A document takes the agreement valid on its date.
      const inMarch = await quote(solo, "2026-03-15", [{ productId: coffee, quantity: 2 }]);
      expect(inMarch.lines[0]).toMatchObject({ unitPriceCents: 300, netCents: 600, priceAgreementId: march.id });
      const inApril = await quote(solo, "2026-04-15", [{ productId: coffee, quantity: 2 }]);
      expect(inApril.lines[0]).toMatchObject({ unitPriceCents: 349, priceSource: "list_price" });
      const inJune = await quote(solo, "2026-06-15", [{ productId: coffee, quantity: 3 }]);
      expect(inJune.lines[0]).toMatchObject({ unitPriceCents: 175, netCents: 525, priceAgreementId: fromMay.id });

      // The list filter "valid on date", newest first.
      const ids = async (query: string) =>
        (await api.get(`/customers/${solo}/price-agreements${query}`)).json().items.map((a: Agreement) => a.id);
      expect(await ids("?validOn=2026-03-15")).toEqual([march.id]);
      expect(await ids("?validOn=2026-04-15")).toEqual([]);
      expect(await ids("?validOn=2030-01-01")).toEqual([fromMay.id]);
      expect(await ids(`?productId=${coffee}`)).toEqual([fromMay.id, march.id]);
    });

    it("computes discounts in cents, rounded half up; a line discount applies on top of the agreed price", async () => {
      const c = await customer("Rabatt AG");
      await createFor(c, { productId: coffee, discountPercent: 2.5, validFrom: "2026-01-01" });
      await createFor(c, { productGroup: "Werkzeug", discountPercent: 33.33, validFrom: "2026-01-01" });
      // 3,49 € − 2,5 % = 3,40275 € → 3,40 €; 19,95 € − 33,33 % = 13,300665 € → 13,30 €; 19,99 € → 13,327333 → 13,33 €
      expect((await priceOf(c, coffee, "2026-02-01")).unitPriceCents).toBe(340);
      expect((await priceOf(c, saw, "2026-02-01")).unitPriceCents).toBe(1330);
      expect((await priceOf(c, hammer, "2026-02-01")).unitPriceCents).toBe(1333);
      const doc = await quote(c, "2026-02-01", [
        { productId: coffee, quantity: 3 },
        { productId: hammer, quantity: 1, discountPercent: 5 },
      ]);
      // 3 × 3,40 € = 10,20 €; 13,33 € − 5 % = 12,6635 € → 12,66 €
      expect(doc.lines.map((l) => [l.unitPriceCents, l.netCents])).toEqual([
        [340, 1020],
        [1333, 1266],
      ]);
    });

    it("takes the highest minimum quantity a line reaches (staggered prices)", async () => {
      const c = await customer("Staffel GmbH");
      await createFor(c, { productId: service, unitPriceCents: 900, validFrom: "2026-01-01" });
      const from10 = await createFor(c, {
        productId: service,
        unitPriceCents: 800,
        minQuantity: 10,
        validFrom: "2026-01-01",
      });
      expect(from10).toMatchObject({ minQuantity: 10, description: "Kundenpreis ab 01.01.2026, ab Menge 10" });
      expect((await priceOf(c, service, "2026-02-01", 9.5)).unitPriceCents).toBe(900);
      expect((await priceOf(c, service, "2026-02-01", 10)).unitPriceCents).toBe(800);
      const doc = await quote(c, "2026-02-01", [
        { productId: service, quantity: 2 },
        { productId: service, quantity: 12 },
      ]);
      expect(doc.lines.map((l) => l.unitPriceCents)).toEqual([900, 800]);
    });

    it("re-prices changed lines of an open quote on its own date; issued lines keep their agreement's old text", async () => {
      const c = await customer("Änderung KG");
      const a = await createFor(c, { productId: hammer, unitPriceCents: 1600, validFrom: "2026-01-01" });
      const doc = await quote(c, "2026-02-01", [{ productId: hammer, quantity: 1 }]);
      const changed = await api.patch(`/price-agreements/${a.id}`, { discountPercent: 50 }, a.version);
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ unitPriceCents: null, discountPercent: 50, version: 2 });
      expect(changed.json().description).toBe("Kundenrabatt 50 % ab 01.01.2026");
      // The written quote keeps its price and text...
      const before = (await api.get(`/customers/${c}/documents/${doc.id}`)).json();
      expect(before.lines[0]).toMatchObject({ unitPriceCents: 1600, priceSourceText: "Kundenpreis ab 01.01.2026" });
      // ...until its lines are given again: then the agreement of the quote's date applies anew.
      const relined = await api.patch(
        `/customers/${c}/documents/${doc.id}`,
        { lines: [{ productId: hammer, quantity: 2 }] },
        before.version,
      );
      expect(relined.statusCode, relined.body).toBe(200);
      // 19,99 € − 50 % = 9,995 € → 10,00 €
      expect(relined.json().lines[0]).toMatchObject({
        unitPriceCents: 1000,
        netCents: 2000,
        priceSource: "agreement",
        priceSourceText: "Kundenrabatt 50 % ab 01.01.2026",
      });
    });

    it("uses the injected clock's date when no date is given", async () => {
      const c = await customer("Uhr GmbH");
      await createFor(c, { productId: coffee, unitPriceCents: 111, validFrom: "2031-03-15", validTo: "2031-03-15" });
      const app = await buildApp({ db: env().db, clock: fixedClock(new Date("2031-03-15T23:30:00Z")) });
      try {
        await app.ready();
        const res = await app.inject({
          url: `/api/v1/customers/${c}/price?productId=${coffee}`,
          headers: { authorization: `Bearer ${env().adminToken}` },
        });
        // 23:30 UTC is already the 16th in Berlin (CET): the agreement of the 15th no longer applies.
        expect(res.json()).toMatchObject({ onDate: "2031-03-16", unitPriceCents: 349, quantity: 1 });
      } finally {
        await app.close();
      }
      const early = await buildApp({ db: env().db, clock: fixedClock(new Date("2031-03-15T08:00:00Z")) });
      try {
        await early.ready();
        const res = await early.inject({
          url: `/api/v1/customers/${c}/price?productId=${coffee}`,
          headers: { authorization: `Bearer ${env().adminToken}` },
        });
        expect(res.json()).toMatchObject({ onDate: "2031-03-15", unitPriceCents: 111, priceSource: "agreement" });
      } finally {
        await early.close();
      }
    });
  });

  describe("writing", () => {
    it("lists a customer group's agreements and all of a product's", async () => {
      const items = (await api.get("/price-agreements?customerGroup=H%C3%A4ndler")).json().items as Agreement[];
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(items.every((a) => a.customerGroup === "Händler" && a.customerId === null)).toBe(true);
      const onHammer = (await api.get(`/price-agreements?productId=${hammer}&limit=2`)).json();
      expect(onHammer.items).toHaveLength(2);
      expect(onHammer.nextCursor).not.toBeNull();
      const rest = (
        await api.get(`/price-agreements?productId=${hammer}&limit=500&cursor=${onHammer.nextCursor}`)
      ).json();
      const all = [...onHammer.items, ...rest.items] as Agreement[];
      expect(all.every((a) => a.productId === hammer)).toBe(true);
      expect(new Set(all.map((a) => a.id)).size).toBe(all.length);
      const sorted = [...all].sort((a, b) =>
        a.validFrom === b.validFrom ? b.id - a.id : a.validFrom < b.validFrom ? 1 : -1,
      );
      expect(all.map((a) => a.id)).toEqual(sorted.map((a) => a.id));
      expect(
        (await api.get(`/price-agreements?customerId=${nord}`)).json().items.map((a: Agreement) => a.customerId),
      ).toEqual([nord]);
      expectProblem(await api.get("/price-agreements?cursor=nonsense"), 400, "bad_request");
      expectProblem(await api.get("/price-agreements?customerId=999999"), 404, "not_found");
    });

    it("validates the body and names every field at fault", async () => {
      const bad = async (body: Record<string, unknown>, url = "/price-agreements") =>
        fieldCodes(expectProblem(await api.post(url, body), 400, "validation_failed"));
      expect(
        await bad({
          customerId: solo,
          customerGroup: "Händler",
          productId: hammer,
          productGroup: "Werkzeug",
          unitPriceCents: 100,
          discountPercent: 5,
          validFrom: "2026-02-01",
          validTo: "2026-01-31",
        }),
      ).toEqual([
        "customerGroup:exclusive",
        "productGroup:exclusive",
        "discountPercent:exclusive",
        "validTo:before_valid_from",
      ]);
      expect(await bad({ validFrom: "2026-01-01" })).toEqual([
        "customerId:required",
        "productId:required",
        "unitPriceCents:required",
      ]);
      expect(await bad({ customerId: 999999, productId: 999999, unitPriceCents: 1, validFrom: "2026-01-01" })).toEqual([
        "customerId:unknown_customer",
        "productId:unknown_product",
      ]);
      expect(
        await bad({ customerGroup: "Niemand", productGroup: "Nichts", unitPriceCents: 1, validFrom: "2026-01-01" }),
      ).toEqual(["customerGroup:unknown_customer_group", "productGroup:unknown_product_group"]);
      expect(
        await bad(
          { productId: hammer, discountPercent: 2.555, minQuantity: 1.0005, validFrom: "2026-01-01" },
          `/customers/${solo}/price-agreements`,
        ),
      ).toEqual(["discountPercent:too_precise", "minQuantity:too_precise"]);
      // The schema: format, ranges, unknown fields, no scope on the customer's path.
      const schema = await bad(
        {
          customerId: solo,
          productId: hammer,
          discountPercent: 100.5,
          validFrom: "01.01.2026",
          colour: "blau",
        },
        `/customers/${solo}/price-agreements`,
      );
      expect(schema).toEqual(
        expect.arrayContaining([
          "customerId:unknown_field",
          "colour:unknown_field",
          "validFrom:invalid_date",
          "discountPercent:maximum",
        ]),
      );
      expect(await bad({ customerId: solo, productId: hammer, unitPriceCents: -1, validFrom: "2026-01-01" })).toEqual([
        "unitPriceCents:minimum",
      ]);
      expectProblem(
        await api.get(`/customers/${solo}/price?productId=${hammer}&onDate=2026-02-30`),
        400,
        "validation_failed",
      );
      expectProblem(await api.get(`/customers/${solo}/price`), 400, "validation_failed");
    });

    it("answers 404 for unknown customers, products and agreements", async () => {
      const body = { productId: hammer, unitPriceCents: 1, validFrom: "2026-01-01" };
      expectProblem(await api.post("/customers/999999/price-agreements", body), 404, "not_found");
      expectProblem(await api.get("/customers/999999/price-agreements"), 404, "not_found");
      expectProblem(await api.get("/price-agreements/999999"), 404, "not_found");
      expectProblem(await api.patch("/price-agreements/999999", { note: "x" }, 1), 404, "not_found");
      expectProblem(await api.del("/price-agreements/999999", 1), 404, "not_found");
      expectProblem(await api.get(`/customers/${solo}/price?productId=999999`), 404, "not_found");
      expectProblem(await api.get(`/customers/999999/price?productId=${hammer}`), 404, "not_found");
    });

    it("refuses overlapping agreements at the same level and target with 409, also on change", async () => {
      const c = await customer("Überlappung GmbH", "Großhandel");
      const first = await createFor(c, {
        productId: hammer,
        unitPriceCents: 1500,
        validFrom: "2026-01-01",
        validTo: "2026-06-30",
      });
      const clash = expectProblem(
        await api.post(`/customers/${c}/price-agreements`, {
          productId: hammer,
          discountPercent: 5,
          validFrom: "2026-06-30",
        }),
        409,
        "price_agreement_overlap",
      );
      expect(clash.detail).toContain(String(first.id));
      expect(fieldCodes(clash)).toEqual(["validFrom:overlap"]);
      // An open-ended one that starts earlier encloses it.
      expectProblem(
        await api.post("/price-agreements", {
          customerId: c,
          productId: hammer,
          unitPriceCents: 1,
          validFrom: "2025-01-01",
        }),
        409,
        "price_agreement_overlap",
      );
      // The day after is fine; so are another product, a group and another minimum quantity on the same days.
      const next = await createFor(c, { productId: hammer, unitPriceCents: 1400, validFrom: "2026-07-01" });
      await createFor(c, { productId: saw, unitPriceCents: 1400, validFrom: "2026-01-01" });
      await createFor(c, { productGroup: "Werkzeug", discountPercent: 3, validFrom: "2026-01-01" });
      await createFor(c, { productId: hammer, unitPriceCents: 1300, minQuantity: 50, validFrom: "2026-01-01" });
      // Moving the first one's end past the next one's start overlaps; a stale version is checked first.
      const res = await api.patch(`/price-agreements/${first.id}`, { validTo: "2026-07-01" }, first.version);
      expectProblem(res, 409, "price_agreement_overlap");
      expect((await api.patch(`/price-agreements/${first.id}`, { validTo: null }, first.version)).statusCode).toBe(409);
      expect(
        (await api.patch(`/price-agreements/${next.id}`, { validFrom: "2026-08-01" }, next.version)).statusCode,
      ).toBe(200);
      expect(
        (await api.patch(`/price-agreements/${first.id}`, { validTo: "2026-07-31" }, first.version)).statusCode,
      ).toBe(200);
      // Group level: same group, product group and minimum quantity.
      await create({
        customerGroup: "Großhandel",
        productGroup: "Kaffee",
        discountPercent: 4,
        validFrom: "2026-01-01",
      });
      expectProblem(
        await api.post("/price-agreements", {
          customerGroup: "Großhandel",
          productGroup: "Kaffee",
          unitPriceCents: 300,
          validFrom: "2027-01-01",
        }),
        409,
        "price_agreement_overlap",
      );
    });

    it("lets exactly one of many concurrent overlapping creates through", async () => {
      const c = await customer("Gleichzeitig AG");
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api.post(`/customers/${c}/price-agreements`, {
            productId: coffee,
            unitPriceCents: 200 + i,
            validFrom: `2026-0${1 + (i % 3)}-01`,
          }),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes.filter((s) => s === 201)).toHaveLength(1);
      expect(codes.filter((s) => s === 409)).toHaveLength(7);
      expect((await api.get(`/customers/${c}/price-agreements`)).json().items).toHaveLength(1);
    });

    it("changes with If-Match only (428 without, 412 with the current state when stale)", async () => {
      const c = await customer("Version KG");
      const a = await createFor(c, { productId: coffee, unitPriceCents: 300, validFrom: "2026-01-01" });
      expectProblem(await api.patch(`/price-agreements/${a.id}`, { note: "x" }), 428, "precondition_required");
      const ok = await api.patch(
        `/price-agreements/${a.id}`,
        { unitPriceCents: 290, note: " Jahresgespräch " },
        a.version,
      );
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      expect(ok.json()).toMatchObject({
        unitPriceCents: 290,
        discountPercent: null,
        note: "Jahresgespräch",
        version: 2,
      });
      const stale = expectProblem(
        await api.patch(`/price-agreements/${a.id}`, { unitPriceCents: 1 }, a.version),
        412,
        "version_mismatch",
      );
      expect(stale.current).toMatchObject({ id: a.id, unitPriceCents: 290, version: 2 });
      const badPatch = expectProblem(
        await api.patch(
          `/price-agreements/${a.id}`,
          { unitPriceCents: 1, discountPercent: 1, validFrom: "2027-01-01", validTo: "2026-12-31" },
          2,
        ),
        400,
        "validation_failed",
      );
      expect(fieldCodes(badPatch)).toEqual(["discountPercent:exclusive", "validTo:before_valid_from"]);
      expectProblem(await api.patch(`/price-agreements/${a.id}`, { customerId: 1 }, 2), 400, "validation_failed");
      expectProblem(await api.patch(`/price-agreements/${a.id}`, {}, 2), 400, "validation_failed");
      const got = await api.get(`/price-agreements/${a.id}`);
      expect(got.headers.etag).toBe('"2"');
      expectProblem(await api.del(`/price-agreements/${a.id}`), 428, "precondition_required");
      expectProblem(await api.del(`/price-agreements/${a.id}`, 1), 412, "version_mismatch");
      expect((await api.del(`/price-agreements/${a.id}`, 2)).statusCode).toBe(204);
      expectProblem(await api.get(`/price-agreements/${a.id}`), 404, "not_found");
    });

    it("keeps agreements that priced a line, and products that have agreements (409)", async () => {
      const c = await customer("Benutzt GmbH");
      const p = await product({ articleNumber: "PA-9", name: "Dübel", listPriceCents: 50 });
      const a = await createFor(c, { productId: p, unitPriceCents: 40, validFrom: "2026-01-01" });
      const pv = (await api.get(`/products/${p}`)).json().version;
      expectProblem(await api.del(`/products/${p}`, pv), 409, "reference_violation");
      await quote(c, "2026-02-01", [{ productId: p, quantity: 100 }]);
      const refused = expectProblem(await api.del(`/price-agreements/${a.id}`, a.version), 409, "reference_violation");
      expect(refused.detail).toContain("validTo");
      expect((await api.patch(`/price-agreements/${a.id}`, { validTo: "2026-12-31" }, a.version)).statusCode).toBe(200);
    });

    it("notes a customer's agreements in its journal and history", async () => {
      const c = await customer("Journal GmbH");
      const a = await createFor(c, { productId: hammer, unitPriceCents: 1550, validFrom: "2026-01-01" });
      await api.patch(`/price-agreements/${a.id}`, { validTo: "2026-12-31" }, a.version);
      expect((await api.del(`/price-agreements/${a.id}`, a.version + 1)).statusCode).toBe(204);
      const journal = (await api.get(`/customers/${c}/journal?kinds=system`)).json().items as {
        subject: string;
        body: string;
        link: { type: string; id: number };
      }[];
      const ours = journal.filter((e) => e.link?.type === "price_agreement");
      expect(ours.map((e) => e.subject)).toEqual([
        "Preisvereinbarung gelöscht: Kundenpreis ab 01.01.2026 bis 31.12.2026",
        "Preisvereinbarung geändert: Kundenpreis ab 01.01.2026 bis 31.12.2026",
        "Preisvereinbarung angelegt: Kundenpreis ab 01.01.2026",
      ]);
      expect(ours[2]!.body).toBe("PA-1 Hammer: 15,50\u00a0€ netto");
      expect(ours.every((e) => e.link.id === a.id)).toBe(true);
      const history = (await api.get(`/customers/${c}/history`)).json().items as {
        entityType: string;
        action: string;
        changes: { field: string }[];
      }[];
      const audited = history.filter((h) => h.entityType === "price_agreement");
      expect(audited.map((h) => h.action)).toEqual(["delete", "update", "create"]);
      expect(audited[1]!.changes.map((ch) => ch.field)).toEqual(["validTo"]);
    });
  });

  describe("permissions", () => {
    it("sales may write agreements, finance and read-only users only read them", async () => {
      const s = await tokenFor(env().app, env().db, "vertrieb-preise@kundenakte.test", ["sales"]);
      const f = await tokenFor(env().app, env().db, "buchhaltung-preise@kundenakte.test", ["finance"]);
      const r = await tokenFor(env().app, env().db, "lesen-preise@kundenakte.test", ["read_only"]);
      const as = (token: string) =>
        client(
          () => env().app,
          () => token,
        );
      const body = { productId: service, unitPriceCents: 950, validFrom: "2026-01-01" };
      const made = await as(s.token).post(`/customers/${solo}/price-agreements`, body);
      expect(made.statusCode, made.body).toBe(201);
      for (const token of [f.token, r.token]) {
        expect((await as(token).get(`/price-agreements/${made.json().id}`)).statusCode).toBe(200);
        expect(
          (await as(token).get(`/customers/${solo}/price?productId=${service}&onDate=2026-02-01`)).json()
            .unitPriceCents,
        ).toBe(950);
        expectProblem(await as(token).post(`/customers/${solo}/price-agreements`, body), 403, "forbidden");
        expectProblem(await as(token).patch(`/price-agreements/${made.json().id}`, { note: "x" }, 1), 403, "forbidden");
      }
      expect((await as(s.token).del(`/price-agreements/${made.json().id}`, 1)).statusCode).toBe(204);
    });
  });
});
