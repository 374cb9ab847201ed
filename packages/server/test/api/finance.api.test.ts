import { beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/finance/calendar-date.js";
import { forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

interface Doc {
  id: number;
  number: string;
  status: string;
  netCents: number;
  vatCents: number;
  grossCents: number;
  openCents: number | null;
  version: number;
  vatPerRate: { vatRatePercent: number; netCents: number; vatCents: number }[];
  lines: { netCents: number; priceSource: string; text: string }[];
  terms: { dueDate: string; discounts: { until: string; percent: number; amountCents: number }[] } | null;
  paymentTermsText: string | null;
  creditCheck?: { result: string; reasons: string[] };
}

/** Amounts as formatMoney writes them: a no-break space before the euro sign. */
const eur = (s: string) => s.replace(/ €/g, "\u00a0€");

forEachEngine("finance API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  let productA = 0;
  let productB = 0;
  let termsTwoStage = 0;
  let terms30 = 0;

  beforeAll(async () => {
    const a = await api.post("/products", {
      articleNumber: "A-100",
      name: "Schraubendreher-Set",
      listPriceCents: 1999,
      vatRatePercent: 19,
    });
    expect(a.statusCode, a.body).toBe(201);
    productA = a.json().id;
    productB = (
      await api.post("/products", {
        articleNumber: "B-200",
        name: "Kaffeebohnen",
        unit: "kg",
        listPriceCents: 349,
        vatRatePercent: 7,
        productGroup: "Lebensmittel",
      })
    ).json().id;
    const terms = (await api.get("/payment-terms")).json().items as { id: number; code: string; text: string }[];
    termsTwoStage = terms.find((t) => t.code === "10-3-20-2-30")!.id;
    terms30 = terms.find((t) => t.code === "30-netto")!.id;
  });

  const newCustomer = async (name: string) =>
    (await api.post("/customers", { kind: "company", name1: name })).json().customer.id as number;
  const createDoc = async (customerId: number, body: Record<string, unknown>) => {
    const res = await api.post(`/customers/${customerId}/documents`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Doc;
  };
  const getDoc = async (customerId: number, id: number) =>
    (await api.get(`/customers/${customerId}/documents/${id}`)).json() as Doc;
  /** An invoice of 100 € net + 19 % = 119 € gross. */
  const invoice119 = (customerId: number, documentDate: string, paymentTermsId = termsTwoStage) =>
    createDoc(customerId, {
      type: "invoice",
      documentDate,
      paymentTermsId,
      lines: [{ text: "Beratung", quantity: 1, unitPriceCents: 10000, vatRatePercent: 19 }],
    });
  const pay = (customerId: number, body: Record<string, unknown>) =>
    api.post(`/customers/${customerId}/payments`, body);

  describe("products and payment terms", () => {
    it("keeps article numbers unique and finds products by the beginning of number or name", async () => {
      expectProblem(
        await api.post("/products", { articleNumber: "A-100", name: "Doppelt", listPriceCents: 1 }),
        409,
        "unique_violation",
      );
      const found = (await api.get("/products?q=kaffee"))
        .json()
        .items.map((p: { articleNumber: string }) => p.articleNumber);
      expect(found).toEqual(["B-200"]);
      expect((await api.get("/products?q=A-1")).json().items.map((p: { name: string }) => p.name)).toEqual([
        "Schraubendreher-Set",
      ]);
      const p = (await api.get(`/products/${productB}`)).json();
      expect(p).toMatchObject({ unit: "kg", vatRatePercent: 7, listPriceCents: 349, productGroup: "Lebensmittel" });
      expectProblem(await api.patch(`/products/${productB}`, { name: "X" }), 428, "precondition_required");
    });

    it("changes a product with If-Match; deletes it while unused, refuses once an invoice has it", async () => {
      const made = (await api.post("/products", { articleNumber: "TMP-1", name: "Probe", listPriceCents: 500 })).json();
      const changed = await api.patch(
        `/products/${made.id}`,
        { listPriceCents: 650, name: "Probeartikel" },
        made.version,
      );
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ listPriceCents: 650, name: "Probeartikel", version: made.version + 1 });
      expectProblem(await api.patch(`/products/${made.id}`, { unit: "kg" }, made.version), 412, "version_mismatch");
      expect((await api.del(`/products/${made.id}`, made.version + 1)).statusCode).toBe(204);
      expectProblem(await api.get(`/products/${made.id}`), 404, "not_found");

      const customerId = await newCustomer("Produkt-Bindung KG");
      await createDoc(customerId, { type: "invoice", lines: [{ productId: productB, quantity: 1 }] });
      const b = (await api.get(`/products/${productB}`)).json();
      expectProblem(await api.del(`/products/${productB}`, b.version), 409, "reference_violation");
      expect((await api.get(`/products/${productB}`)).statusCode).toBe(200);
    });

    it("changes payment terms with If-Match and checks them again", async () => {
      const made = (
        await api.post("/payment-terms", { code: "7-1-21", netDays: 21, discounts: [{ days: 7, percent: 1 }] })
      ).json();
      const bad = expectProblem(
        await api.patch(`/payment-terms/${made.id}`, { netDays: 5 }, made.version),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad)).toContain("discounts/0/days:not_before_net");
      const ok = await api.patch(`/payment-terms/${made.id}`, { netDays: 28 }, made.version);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().text).toBe("7 Tage 1 % Skonto, 28 Tage netto");
    });

    it("renders payment terms as printed on invoices and refuses impossible ones", async () => {
      const terms = (await api.get("/payment-terms")).json().items as { code: string; text: string; textEn: string }[];
      expect(terms.find((t) => t.code === "14-2-30")?.text).toBe("14 Tage 2 % Skonto, 30 Tage netto");
      expect(terms.find((t) => t.code === "10-3-20-2-30")?.text).toBe(
        "10 Tage 3 % Skonto, 20 Tage 2 % Skonto, 30 Tage netto",
      );
      expect(terms.find((t) => t.code === "sofort")?.textEn).toBe("due immediately");
      const bad = expectProblem(
        await api.post("/payment-terms", { code: "kaputt", netDays: 10, discounts: [{ days: 14, percent: 2 }] }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad)).toContain("discounts/0/days:not_before_net");
      const made = await api.post("/payment-terms", {
        code: "8-2-45",
        netDays: 45,
        discounts: [{ days: 8, percent: 2 }],
      });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json().text).toBe("8 Tage 2 % Skonto, 45 Tage netto");
    });
  });

  describe("documents", () => {
    it("rounds per line with mixed VAT rates (19 % and 7 %) as a German invoice does", async () => {
      const customerId = await newCustomer("Rundung GmbH");
      const doc = await createDoc(customerId, {
        type: "invoice",
        documentDate: "2026-03-02",
        paymentTermsId: terms30,
        lines: [
          { productId: productA, quantity: 3, discountPercent: 5 },
          { productId: productB, quantity: 2.5 },
        ],
      });
      // 3 × 19,99 € − 5 % = 56,9715 € → 56,97 €; 2,5 kg × 3,49 € = 8,725 € → 8,73 €
      expect(doc.lines.map((l) => l.netCents)).toEqual([5697, 873]);
      expect(doc.lines.map((l) => l.priceSource)).toEqual(["list_price", "list_price"]);
      // VAT per rate on the rate's net: 19 % of 56,97 € = 10,8243 € → 10,82 €; 7 % of 8,73 € = 0,6111 € → 0,61 €
      expect(doc.vatPerRate).toEqual([
        { vatRatePercent: 19, netCents: 5697, vatCents: 1082 },
        { vatRatePercent: 7, netCents: 873, vatCents: 61 },
      ]);
      expect(doc).toMatchObject({ netCents: 6570, vatCents: 1143, grossCents: 7713, openCents: 7713, status: "open" });
      expect(doc.number).toMatch(/^RE-\d{6}$/);
      expect(doc.terms?.dueDate).toBe("2026-04-01");
      expect(doc.paymentTermsText).toBe("30 Tage netto");
      const journal = (await api.get(`/customers/${customerId}/journal?kinds=document`)).json().items;
      expect(journal[0]).toMatchObject({
        subject: `Rechnung ${doc.number}`,
        link: { type: "sales_document", id: doc.id },
      });
      expect(journal[0].body).toContain("77,13");
    });

    it("refuses negative quantities on an invoice and unknown products, writing nothing", async () => {
      const customerId = await newCustomer("Fehler KG");
      const bad = expectProblem(
        await api.post(`/customers/${customerId}/documents`, {
          type: "invoice",
          lines: [
            { productId: productA, quantity: -1 },
            { productId: 999999, quantity: 1 },
            { text: "Ohne Preis", quantity: 1 },
          ],
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad)).toEqual([
        "lines/0/quantity:negative_quantity",
        "lines/1/productId:unknown_product",
        "lines/2/unitPriceCents:required",
      ]);
      expect((await api.get(`/customers/${customerId}/documents`)).json().items).toEqual([]);
      expect((await api.get(`/customers/${customerId}/journal?kinds=document`)).json().items).toEqual([]);
    });

    it("follows quote → order → delivery note → invoice and moves the statuses along", async () => {
      const customerId = await newCustomer("Kette AG");
      const quote = await createDoc(customerId, {
        type: "quote",
        validUntil: "2026-12-31",
        lines: [{ productId: productA, quantity: 10 }],
      });
      expect(quote.number).toMatch(/^AN-/);
      const order = await createDoc(customerId, {
        type: "order",
        referenceId: quote.id,
        lines: [{ productId: productA, quantity: 10 }],
      });
      expect((await getDoc(customerId, quote.id)).status).toBe("accepted");
      await createDoc(customerId, {
        type: "delivery_note",
        referenceId: order.id,
        lines: [{ productId: productA, quantity: 4 }],
      });
      expect((await getDoc(customerId, order.id)).status).toBe("partly_delivered");
      await createDoc(customerId, {
        type: "delivery_note",
        referenceId: order.id,
        lines: [{ productId: productA, quantity: 6 }],
      });
      expect((await getDoc(customerId, order.id)).status).toBe("delivered");
      const inv = await createDoc(customerId, {
        type: "invoice",
        referenceId: order.id,
        lines: [{ productId: productA, quantity: 10 }],
      });
      expect(inv).toMatchObject({ referenceNumber: order.number, grossCents: 23788 });
      expectProblem(
        await api.post(`/customers/${customerId}/documents`, {
          type: "order",
          referenceId: inv.id,
          lines: [{ productId: productA, quantity: 1 }],
        }),
        400,
        "validation_failed",
      );
      const listed = (await api.get(`/customers/${customerId}/documents?types=invoice,order`)).json().items;
      expect(listed.map((d: Doc) => d.number).sort()).toEqual([inv.number, order.number].sort());
    });

    it("never changes an issued invoice (GoBD) but lets an open quote change with If-Match", async () => {
      const customerId = await newCustomer("GoBD GmbH");
      const inv = await invoice119(customerId, "2026-05-01");
      expectProblem(
        await api.patch(`/customers/${customerId}/documents/${inv.id}`, { note: "später" }, inv.version),
        409,
        "conflict",
      );
      const quote = await createDoc(customerId, { type: "quote", lines: [{ productId: productA, quantity: 1 }] });
      const changed = await api.patch(
        `/customers/${customerId}/documents/${quote.id}`,
        { lines: [{ productId: productA, quantity: 2 }], status: "rejected" },
        quote.version,
      );
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ status: "rejected", netCents: 3998 });
      expectProblem(
        await api.patch(`/customers/${customerId}/documents/${quote.id}`, { status: "open" }, quote.version),
        412,
        "version_mismatch",
      );
      expectProblem(
        await api.patch(`/customers/${customerId}/documents/${quote.id}`, { status: "paid" }, quote.version + 1),
        400,
        "validation_failed",
      );
    });

    it("corrects an invoice with a credit note: partly, then in full", async () => {
      const customerId = await newCustomer("Gutschrift OHG");
      const inv = await invoice119(customerId, "2026-05-04");
      expect(
        fieldCodes(
          expectProblem(
            await api.post(`/customers/${customerId}/documents`, {
              type: "credit_note",
              lines: [{ text: "x", quantity: -1, unitPriceCents: 100 }],
            }),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["referenceId:required"]);
      expect(
        fieldCodes(
          expectProblem(
            await api.post(`/customers/${customerId}/documents`, {
              type: "credit_note",
              referenceId: inv.id,
              lines: [{ text: "Zu viel", quantity: -2, unitPriceCents: 10000, vatRatePercent: 19 }],
            }),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["lines:exceeds_invoice"]);
      const part = await createDoc(customerId, {
        type: "credit_note",
        referenceId: inv.id,
        lines: [{ text: "Nachlass Beratung", quantity: -1, unitPriceCents: 2000, vatRatePercent: 19 }],
      });
      // −20,00 € net, −3,80 € VAT: 119,00 € − 23,80 € = 95,20 € left open
      expect(part).toMatchObject({ grossCents: -2380, openCents: 0, status: "settled" });
      expect(part.number).toMatch(/^GS-/);
      expect(await getDoc(customerId, inv.id)).toMatchObject({ openCents: 9520, status: "partly_paid" });
      await createDoc(customerId, {
        type: "credit_note",
        referenceId: inv.id,
        lines: [{ text: "Rest storniert", quantity: -1, unitPriceCents: 8000, vatRatePercent: 19 }],
      });
      expect(await getDoc(customerId, inv.id)).toMatchObject({ openCents: 0, status: "paid" });
      const other = await invoice119(customerId, "2026-05-05");
      await createDoc(customerId, {
        type: "credit_note",
        referenceId: other.id,
        lines: [{ text: "Storno", quantity: -1, unitPriceCents: 10000, vatRatePercent: 19 }],
      });
      expect(await getDoc(customerId, other.id)).toMatchObject({ openCents: 0, status: "cancelled" });
    });

    it("keeps a customer with invoices: deleting it is a conflict, not a loss", async () => {
      const customerId = await newCustomer("Bleibt GmbH");
      await invoice119(customerId, "2026-05-01");
      const c = (await api.get(`/customers/${customerId}`)).json();
      expectProblem(await api.del(`/customers/${customerId}`, c.version), 409, "reference_violation");
      expect((await api.get(`/customers/${customerId}`)).statusCode).toBe(200);
    });
  });

  describe("payments", () => {
    it("two-stage Skonto (10 days 3 %, 20 days 2 %): paid on day 10, on day 20, and too late on day 21", async () => {
      const customerId = await newCustomer("Skonto GmbH");
      const a = await invoice119(customerId, "2026-03-02");
      expect(a.terms).toEqual({
        dueDate: "2026-04-01",
        discounts: [
          { until: "2026-03-12", percent: 3, amountCents: 357 },
          { until: "2026-03-22", percent: 2, amountCents: 238 },
        ],
      });
      // Day 10: 119,00 € − 3 % (3,57 €) = 115,43 €
      const p1 = await pay(customerId, {
        amountCents: 11543,
        paymentDate: "2026-03-12",
        allocations: [{ documentId: a.id, amountCents: 11543 }],
      });
      expect(p1.statusCode, p1.body).toBe(201);
      expect(p1.json().allocations).toEqual([
        { documentId: a.id, documentNumber: a.number, amountCents: 11543, discountCents: 357 },
      ]);
      expect(await getDoc(customerId, a.id)).toMatchObject({ openCents: 0, status: "paid" });
      // Day 20: 119,00 € − 2 % (2,38 €) = 116,62 €, applied without naming the invoice
      const b = await invoice119(customerId, "2026-03-02");
      const p2 = (await pay(customerId, { amountCents: 11662, paymentDate: "2026-03-22" })).json();
      expect(p2.allocations).toEqual([
        { documentId: b.id, documentNumber: b.number, amountCents: 11662, discountCents: 238 },
      ]);
      // Day 21: the discount period is over, 2,38 € stay open
      const c = await invoice119(customerId, "2026-03-02");
      await pay(customerId, { amountCents: 11662, paymentDate: "2026-03-23" });
      expect(await getDoc(customerId, c.id)).toMatchObject({ openCents: 238, status: "partly_paid" });
    });

    it("a partial payment, then the rest; an overpayment is kept as credit", async () => {
      const customerId = await newCustomer("Raten KG");
      const inv = await invoice119(customerId, "2026-04-01", terms30);
      await pay(customerId, { amountCents: 5000, paymentDate: "2026-04-10" });
      expect(await getDoc(customerId, inv.id)).toMatchObject({ openCents: 6900, status: "partly_paid" });
      await pay(customerId, { amountCents: 6900, paymentDate: "2026-04-20", method: "cash", reference: "Quittung 17" });
      expect(await getDoc(customerId, inv.id)).toMatchObject({ openCents: 0, status: "paid" });

      const next = await invoice119(customerId, "2026-05-01", terms30);
      const over = (await pay(customerId, { amountCents: 12000, paymentDate: "2026-05-05" })).json();
      expect(over.unallocatedCents).toBe(100);
      expect(await getDoc(customerId, next.id)).toMatchObject({ openCents: 0, status: "paid" });
      const items = (await api.get(`/customers/${customerId}/open-items?onDate=2026-05-06`)).json();
      expect(items.totals).toMatchObject({ openCents: 0, creditCents: 100 });
      const one = (await api.get(`/customers/${customerId}/payments/${over.id}`)).json();
      expect(one).toMatchObject({ amountCents: 12000, unallocatedCents: 100, allocations: [{ documentId: next.id }] });
      expect(
        (await api.get(`/customers/${customerId}/documents?types=invoice&status=paid&from=2026-05-01`))
          .json()
          .items.map((d: Doc) => d.id),
      ).toEqual([next.id]);
      const payments = (await api.get(`/customers/${customerId}/payments`)).json().items;
      expect(payments.map((p: { amountCents: number }) => p.amountCents)).toEqual([12000, 6900, 5000]);
      const journal = (await api.get(`/customers/${customerId}/journal?kinds=payment`)).json().items;
      expect(journal[0].subject).toBe(eur("Zahlung 120,00 €"));
      expect(journal[0].body).toContain(eur("Guthaben 1,00 €"));
    });

    it("refuses a currency mismatch and allocations beyond the payment or the open amount, writing nothing", async () => {
      const customerId = await newCustomer("Devisen AG");
      const inv = await invoice119(customerId, "2026-04-01", terms30);
      const mismatch = expectProblem(
        await pay(customerId, {
          amountCents: 100,
          currency: "USD",
          paymentDate: "2026-04-02",
          allocations: [{ documentId: inv.id, amountCents: 100 }],
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(mismatch)).toEqual(["currency:currency_mismatch"]);
      const beyond = expectProblem(
        await pay(customerId, {
          amountCents: 100,
          paymentDate: "2026-04-02",
          allocations: [{ documentId: inv.id, amountCents: 200 }],
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(beyond)).toEqual(["allocations:exceeds_payment"]);
      const tooMuch = expectProblem(
        await pay(customerId, {
          amountCents: 20000,
          paymentDate: "2026-04-02",
          allocations: [{ documentId: inv.id, amountCents: 20000 }],
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(tooMuch)).toEqual(["allocations/0/amountCents:exceeds_open"]);
      expect((await api.get(`/customers/${customerId}/payments`)).json().items).toEqual([]);
      expect(await getDoc(customerId, inv.id)).toMatchObject({
        openCents: 11900,
        status: "open",
        version: inv.version,
      });
    });

    it("ages open items on a fixed date into not due, 1–30, 31–60, 61–90 and over 90 days", async () => {
      const customerId = await newCustomer("Alter GmbH");
      // 30 days net: due = invoice date + 30
      for (const date of ["2026-06-10", "2026-05-16", "2026-04-20", "2026-03-21", "2026-01-30"]) {
        await invoice119(customerId, date, terms30);
      }
      const r = (await api.get(`/customers/${customerId}/open-items?onDate=2026-06-30`)).json();
      expect(
        r.items.map((i: { dueDate: string; daysOverdue: number; bucket: string }) => [
          i.dueDate,
          i.daysOverdue,
          i.bucket,
        ]),
      ).toEqual([
        ["2026-03-01", 121, "over_90"],
        ["2026-04-20", 71, "61_90"],
        ["2026-05-20", 41, "31_60"],
        ["2026-06-15", 15, "1_30"],
        ["2026-07-10", 0, "not_due"],
      ]);
      expect(r.totals).toEqual({
        openCents: 59500,
        overdueCents: 47600,
        creditCents: 0,
        perBucket: { not_due: 11900, "1_30": 11900, "31_60": 11900, "61_90": 11900, over_90: 11900 },
      });
    });
  });

  describe("key figures and purchase history", () => {
    it("shows revenue this and last year, open and overdue items, credit used and payment behaviour in the file", async () => {
      const customerId = await newCustomer("Kennzahlen GmbH");
      const today = env().clock.today();
      const year = Number(today.slice(0, 4));
      await api.patch(`/customers/${customerId}/credit`, { creditLimitCents: 50_000 }, 1);
      const overdueDate = addDays(today, -60);
      const a = await createDoc(customerId, {
        type: "invoice",
        documentDate: overdueDate,
        paymentTermsId: terms30,
        lines: [{ productId: productA, quantity: 5, unitPriceCents: 2000 }],
      });
      await createDoc(customerId, {
        type: "credit_note",
        referenceId: a.id,
        lines: [{ productId: productA, quantity: -1, unitPriceCents: 1000 }],
      });
      const lastYear = `${year - 1}-06-15`;
      await createDoc(customerId, {
        type: "invoice",
        documentDate: lastYear,
        paymentTermsId: terms30,
        lines: [{ productId: productB, quantity: 10 }],
      });
      const paidDate = addDays(today, -40);
      const c = await createDoc(customerId, {
        type: "invoice",
        documentDate: paidDate,
        paymentTermsId: terms30,
        lines: [{ productId: productA, quantity: 1, unitPriceCents: 3000 }],
      });
      await pay(customerId, {
        amountCents: c.grossCents,
        paymentDate: addDays(today, -5),
        allocations: [{ documentId: c.id, amountCents: c.grossCents }],
      });
      await createDoc(customerId, { type: "quote", lines: [{ productId: productA, quantity: 1 }] });
      const order = await createDoc(customerId, {
        type: "order",
        lines: [{ text: "Montage", quantity: 1, unitPriceCents: 10000, vatRatePercent: 19 }],
      });

      // Net by document year: 100 € − 10 € (credit note) + 30 €, and 10 × 3,49 € last year — unless today's dates fall into last year too.
      const netOf: [string, number][] = [
        [overdueDate, 10000],
        [today, -1000],
        [lastYear, 3490],
        [paidDate, 3000],
      ];
      const inYear = (y: number) =>
        netOf.filter(([d]) => Number(d.slice(0, 4)) === y).reduce((sum, [, n]) => sum + n, 0);
      const file = (await api.get(`/customers/${customerId}/file`)).json();
      const open = a.grossCents - 1190;
      expect(file.keyFigures).toEqual({
        currency: "EUR",
        revenueThisYearCents: inYear(year),
        revenueLastYearCents: inYear(year - 1),
        openQuotes: 1,
        openOrders: 1,
        openTickets: 0,
        overdueTickets: 0,
        openItemsCents: open + 3734,
        overdueCents: open + 3734,
        overdue: true,
        creditLimitCents: 50_000,
        creditUsedCents: open + 3734 + order.grossCents,
        creditExceeded: false,
        // Invoice c: paid 35 days after its date, 5 days after its due date
        averageDaysToPay: 35,
        averageDaysLate: 5,
        onTimeShare: 0,
      });

      const { token } = await tokenFor(env().app, env().db, "vertrieb-kennzahlen@kundenakte.test", ["sales"]);
      const sales = client(
        () => env().app,
        () => token,
      );
      const salesFile = (await sales.get(`/customers/${customerId}/file`)).json();
      expect(Object.keys(salesFile.keyFigures).sort()).toEqual([
        "currency",
        "openOrders",
        "openQuotes",
        "openTickets",
        "overdueTickets",
        "revenueLastYearCents",
        "revenueThisYearCents",
      ]);

      const history = (await api.get(`/customers/${customerId}/product-history`)).json().items;
      expect(history).toEqual([
        {
          productId: productA,
          articleNumber: "A-100",
          name: "Schraubendreher-Set",
          unit: "Stk",
          quantity: 5,
          revenueCents: 12000,
          invoices: 2,
          firstDate: overdueDate < paidDate ? overdueDate : paidDate,
          lastDate: overdueDate < paidDate ? paidDate : overdueDate,
          lastPriceCents: overdueDate < paidDate ? 3000 : 2000,
        },
        {
          productId: productB,
          articleNumber: "B-200",
          name: "Kaffeebohnen",
          unit: "kg",
          quantity: 10,
          revenueCents: 3490,
          invoices: 1,
          firstDate: lastYear,
          lastDate: lastYear,
          lastPriceCents: 349,
        },
      ]);
      const first = (await api.get(`/customers/${customerId}/product-history?limit=1`)).json();
      expect(first.items.map((i: { productId: number }) => i.productId)).toEqual([productA]);
      const second = (
        await api.get(`/customers/${customerId}/product-history?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`)
      ).json();
      expect(second).toMatchObject({ items: [{ productId: productB }], nextCursor: null });
      const revenue = (await api.get(`/customers/${customerId}/revenue`)).json();
      expect(revenue.years.find((y: { year: number }) => y.year === year - 1)?.netCents).toBe(inYear(year - 1));
      expect(revenue.months.reduce((sum: number, m: { netCents: number }) => sum + m.netCents, 0)).toBe(15490);
      const byProduct = (await api.get(`/customers/${customerId}/documents?productId=${productB}`)).json().items;
      expect(byProduct).toHaveLength(1);
    });
  });

  describe("dunning", () => {
    it("proposes and issues notices level by level, skips excluded customers, and blocks deliveries at level 3", async () => {
      const d = await newCustomer("Mahnung GmbH");
      const excluded = await newCustomer("Ausnahme KG");
      await api.patch(`/customers/${excluded}/credit`, { dunningExcluded: true }, 1);
      // 30 days net: due 2026-05-31 (overdue) and 2026-07-15 (not yet)
      const late = await invoice119(d, "2026-05-01", terms30);
      const later = await invoice119(d, "2026-06-15", terms30);
      await invoice119(excluded, "2026-05-01", terms30);
      const proposalOn = async (onDate: string) =>
        ((await api.get(`/dunning/proposal?onDate=${onDate}`)).json().customers as { customerId: number }[]).filter(
          (c) => c.customerId === d || c.customerId === excluded,
        );
      expect(await proposalOn("2026-06-30")).toEqual([
        {
          customerId: d,
          customerNumber: expect.any(String),
          customerName: "Mahnung GmbH",
          level: 1,
          feeCents: 0,
          totalCents: 11900,
          items: [
            {
              documentId: late.id,
              number: late.number,
              dueDate: "2026-05-31",
              openCents: 11900,
              daysOverdue: 30,
              previousLevel: 0,
              level: 1,
            },
          ],
        },
      ]);
      const runOn = async (onDate: string) => {
        const res = await api.post("/dunning/runs", { onDate, customerIds: [d, excluded] });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().items as {
          level: number;
          feeCents: number;
          totalCents: number;
          deliveryBlockSet: boolean;
          items: { documentId: number; level: number }[];
        }[];
      };
      expect((await runOn("2026-06-30")).map((n) => n.level)).toEqual([1]);
      // The same day again: nothing, the customer has time to pay.
      expect(await runOn("2026-06-30")).toEqual([]);
      expect(await runOn("2026-07-10")).toMatchObject([
        { level: 2, feeCents: 500, totalCents: 12400, deliveryBlockSet: false },
      ]);
      expect(await runOn("2026-07-20")).toMatchObject([{ level: 3, feeCents: 1000, deliveryBlockSet: true }]);
      // The second invoice (due 2026-07-15) gets its first notice; the first stays at level 3.
      const fourth = await runOn("2026-08-20");
      expect(fourth).toMatchObject([{ level: 1, items: [{ documentId: later.id, level: 1 }] }]);

      const customer = (await api.get(`/customers/${d}`)).json();
      expect(customer.block).toMatchObject({ type: "delivery", reason: "Mahnstufe 3" });
      const journal = (await api.get(`/customers/${d}/journal?kinds=dunning,system`))
        .json()
        .items.map((e: { subject: string }) => e.subject);
      expect(journal).toContain(eur("Letzte Mahnung (Mahnstufe 3) über 129,00 €"));
      expect(journal).toContain("Sperre gesetzt: Liefersperre");
      expect(journal).toContain(eur("Zahlungserinnerung (Mahnstufe 1) über 119,00 €"));
      const notices = (await api.get(`/customers/${d}/dunning-notices`)).json().items;
      expect(notices.map((n: { level: number }) => n.level)).toEqual([1, 3, 2, 1]);
      const items = (await api.get(`/customers/${d}/open-items?onDate=2026-08-20`)).json().items;
      expect(items.find((i: { documentId: number }) => i.documentId === late.id)?.dunningLevel).toBe(3);
      expect((await api.get(`/customers/${excluded}/dunning-notices`)).json().items).toEqual([]);
    });

    it("keeps the levels in order of days", async () => {
      const levels = (await api.get("/dunning/levels")).json().items;
      expect(levels.map((l: { daysAfterDue: number }) => l.daysAfterDue)).toEqual([7, 21, 35]);
      expectProblem(
        await api.patch("/dunning/levels/2", { daysAfterDue: 40 }, levels[1].version),
        400,
        "validation_failed",
      );
      const ok = await api.patch("/dunning/levels/2", { feeCents: 750 }, levels[1].version);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ level: 2, feeCents: 750, daysAfterDue: 21 });
      await api.patch("/dunning/levels/2", { feeCents: 500 }, ok.json().version);
    });
  });

  describe("credit", () => {
    it("checks credit: ok without a limit, warning from 90 %, blocked above the limit or with a delivery block", async () => {
      const customerId = await newCustomer("Kredit GmbH");
      const check = async (amountCents: number) =>
        (await api.post(`/customers/${customerId}/credit-check`, { amountCents })).json() as {
          result: string;
          reasons: string[];
          exposureCents: number;
        };
      expect((await check(1_000_000)).result).toBe("ok");
      const settings = await api.get(`/customers/${customerId}/credit`);
      expect(settings.json()).toEqual({ creditLimitCents: null, paymentTermsId: null, dunningExcluded: false });
      const set = await api.patch(
        `/customers/${customerId}/credit`,
        { creditLimitCents: 100_000 },
        String(settings.headers.etag).replace(/"/g, ""),
      );
      expect(set.statusCode, set.body).toBe(200);
      // 8 × 119 € = 952 € open
      for (let i = 0; i < 8; i++) await invoice119(customerId, "2026-06-01", terms30);
      expect(await check(0)).toMatchObject({ result: "warning", reasons: ["near_limit"], exposureCents: 95200 });
      expect(await check(1000)).toMatchObject({ result: "warning", exposureCents: 96200 });
      expect(await check(5000)).toMatchObject({ result: "blocked", reasons: ["limit_exceeded"] });
      const refused = expectProblem(
        await api.post(`/customers/${customerId}/documents`, {
          type: "order",
          lines: [{ text: "Groß", quantity: 1, unitPriceCents: 10000 }],
        }),
        422,
        "credit_blocked",
      );
      expect(refused.detail).toContain("limit_exceeded");
      const small = await createDoc(customerId, {
        type: "order",
        lines: [{ text: "Klein", quantity: 1, unitPriceCents: 100, vatRatePercent: 0 }],
      });
      expect(small.creditCheck).toMatchObject({ result: "warning" });
      expect(await check(0)).toMatchObject({ exposureCents: 95300 });

      const c = (await api.get(`/customers/${customerId}`)).json();
      await api.patch(`/customers/${customerId}`, { block: { type: "delivery", reason: "Zahlungsverzug" } }, c.version);
      expect(await check(0)).toMatchObject({ result: "blocked", reasons: ["delivery_block", "near_limit"] });

      const journal = (await api.get(`/customers/${customerId}/journal?kinds=system`))
        .json()
        .items.map((e: { subject: string; body: string }) => `${e.subject}: ${e.body}`);
      expect(journal).toContain(eur("Kreditlimit geändert: kein Limit → 1.000,00 €"));
      // The delivery block stops delivery notes; invoices still go out.
      expectProblem(
        await api.post(`/customers/${customerId}/documents`, {
          type: "delivery_note",
          lines: [{ text: "Ware", quantity: 1, unitPriceCents: 100 }],
        }),
        409,
        "conflict",
      );
      await createDoc(customerId, { type: "invoice", lines: [{ text: "Service", quantity: 1, unitPriceCents: 100 }] });
      expectProblem(
        await api.patch(`/customers/${customerId}/credit`, { creditLimitCents: 1 }, 1),
        412,
        "version_mismatch",
      );
    });

    it("keeps credit and payment data from roles without finance", async () => {
      const customerId = await newCustomer("Geheim GmbH");
      const { token } = await tokenFor(env().app, env().db, "vertrieb-finance@kundenakte.test", ["sales"]);
      const sales = client(
        () => env().app,
        () => token,
      );
      expectProblem(await sales.get(`/customers/${customerId}/open-items`), 403, "forbidden");
      expectProblem(await sales.get(`/customers/${customerId}/credit`), 403, "forbidden");
      expectProblem(
        await sales.post(`/customers/${customerId}/payments`, { amountCents: 1, paymentDate: "2026-01-01" }),
        403,
        "forbidden",
      );
      expect((await sales.post(`/customers/${customerId}/credit-check`, { amountCents: 1 })).statusCode).toBe(200);
      expect((await sales.get(`/customers/${customerId}/documents`)).statusCode).toBe(200);
    });
  });
});
