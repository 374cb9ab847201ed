import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { fixedClock } from "../support/clock.js";
import { forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

interface Opportunity {
  id: number;
  customerId: number;
  title: string;
  stageId: number;
  stageName: string;
  probability: number;
  status: string;
  valueCents: number;
  weightedCents: number;
  owner: string;
  quoteIds: number[];
  closeReason: string | null;
  closedOn: string | null;
  expectedCloseDate: string;
  version: number;
}
interface Stage {
  id: number;
  name: string;
  probability: number;
  position: number;
  active: boolean;
  version: number;
}
interface PipelineStage {
  stageId: number;
  name: string;
  count: number;
  valueCents: number;
  weightedCents: number;
}

forEachEngine("opportunities API", (env) => {
  let now = new Date("2026-12-01T10:00:00.000Z");
  let app: FastifyInstance;
  const api = client(
    () => app,
    () => env().adminToken,
  );
  let sales: ReturnType<typeof client>;
  let marketing: ReturnType<typeof client>;
  let customerId = 0;
  let otherCustomerId = 0;
  let contactId = 0;
  const stage: Record<string, number> = {};
  const SALES = "verkauf@kundenakte.test";

  beforeAll(async () => {
    app = await buildApp({ db: env().db, clock: fixedClock(() => now) });
    await app.ready();
    const s = await tokenFor(app, env().db, SALES, ["sales"]);
    sales = client(
      () => app,
      () => s.token,
    );
    const m = await tokenFor(app, env().db, "werbung@kundenakte.test", ["marketing"]);
    marketing = client(
      () => app,
      () => m.token,
    );
    const created = (
      await api.post("/customers", {
        kind: "company",
        name1: "Chance GmbH",
        contacts: [{ lastName: "Vogel", firstName: "Eva" }],
      })
    ).json();
    customerId = created.customer.id;
    contactId = created.contacts[0].id;
    otherCustomerId = (await api.post("/customers", { kind: "company", name1: "Zweite Chance AG" })).json().customer.id;
    for (const s of (await api.get("/opportunity-stages")).json().items as Stage[]) stage[s.name] = s.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  const create = async (body: Record<string, unknown>, customer = customerId, as = api) => {
    const res = await as.post(`/customers/${customer}/opportunities`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Opportunity;
  };
  const patch = async (o: Opportunity, body: Record<string, unknown>, as = api) => {
    const res = await as.patch(`/customers/${o.customerId}/opportunities/${o.id}`, body, o.version);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Opportunity;
  };
  const doc = async (customer: number, type: string) => {
    const res = await api.post(`/customers/${customer}/documents`, {
      type,
      lines: [{ text: "Anlage", quantity: 1, unitPriceCents: 500000, vatRatePercent: 19 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const journalOf = async (customer: number) =>
    (
      (await api.get(`/customers/${customer}/journal?kinds=system&limit=200`)).json().items as {
        subject: string;
        body: string | null;
        link: { type: string; id: number } | null;
      }[]
    ).filter((e) => e.link?.type === "opportunity");

  describe("stages", () => {
    it("are seeded with probabilities and configurable by admins", async () => {
      const seeded = (await api.get("/opportunity-stages")).json().items as Stage[];
      expect(seeded.map((s) => [s.name, s.probability])).toEqual([
        ["Qualifizierung", 10],
        ["Bedarfsanalyse", 25],
        ["Angebot", 50],
        ["Verhandlung", 75],
      ]);
      expect((await marketing.get("/opportunity-stages")).statusCode).toBe(200);

      expectProblem(await sales.post("/opportunity-stages", { name: "Abschluss", probability: 90 }), 403, "forbidden");
      expect(
        fieldCodes(
          expectProblem(
            await api.post("/opportunity-stages", { name: "Zu hoch", probability: 150 }),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["probability:maximum"]);
      const res = await api.post("/opportunity-stages", { name: "Abschluss", probability: 90 });
      expect(res.statusCode, res.body).toBe(201);
      const added = res.json() as Stage;
      expect(added).toMatchObject({ position: 5, active: true, version: 1 });
      expect(res.headers.location).toBe(`/api/v1/opportunity-stages/${added.id}`);
      expectProblem(
        await api.post("/opportunity-stages", { name: "Angebot", probability: 40 }),
        409,
        "unique_violation",
      );

      const url = `/opportunity-stages/${added.id}`;
      expectProblem(await api.patch(url, { probability: 95 }), 428, "precondition_required");
      const changed = await api.patch(url, { probability: 95, name: "Vertrag" }, 1);
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ probability: 95, name: "Vertrag", version: 2 });
      expectProblem(await api.patch(url, { probability: 5 }, 1), 412, "version_mismatch");
      expect((await api.get(url)).json().probability).toBe(95);
      expectProblem(await api.get("/opportunity-stages/999999"), 404, "not_found");

      // In use: the foreign key refuses the delete; deactivated, it takes no new opportunities.
      const o = await create({
        title: "In Vertrag",
        valueCents: 100,
        expectedCloseDate: "2027-01-31",
        stageId: added.id,
      });
      expectProblem(await api.del(url, 2), 409, "reference_violation");
      const off = await api.patch(url, { active: false }, 2);
      expect(off.json().active).toBe(false);
      const refused = expectProblem(
        await api.post(`/customers/${customerId}/opportunities`, {
          title: "x",
          valueCents: 1,
          expectedCloseDate: "2027-01-31",
          stageId: added.id,
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(refused)).toEqual(["stageId:inactive_stage"]);
      await api.del(`/customers/${customerId}/opportunities/${o.id}`, o.version);
      expectProblem(await api.del(url), 428, "precondition_required");
      expectProblem(await api.del(url, 1), 412, "version_mismatch");
      expect((await api.del(url, 3)).statusCode).toBe(204);
      expectProblem(await api.get(url), 404, "not_found");
      expectProblem(await api.del(url, 3), 404, "not_found");
    });
  });

  describe("opportunities", () => {
    it("are created in the first stage by default, with linked quotes of the customer, and noted in the journal", async () => {
      const quote = await doc(customerId, "quote");
      const res = await sales.post(`/customers/${customerId}/opportunities`, {
        title: "Neue Fertigungslinie",
        valueCents: 12_345_000,
        expectedCloseDate: "2027-03-31",
        contactId,
        quoteIds: [quote],
      });
      expect(res.statusCode, res.body).toBe(201);
      const o = res.json() as Opportunity;
      expect(o).toMatchObject({
        customerName: "Chance GmbH",
        stageId: stage.Qualifizierung,
        stageName: "Qualifizierung",
        probability: 10,
        status: "open",
        valueCents: 12_345_000,
        weightedCents: 1_234_500,
        currency: "EUR",
        owner: SALES,
        createdBy: SALES,
        contactId,
        quoteIds: [quote],
        closeReason: null,
        closedOn: null,
        createdAt: now.toISOString(),
        version: 1,
      });
      expect(res.headers.etag).toBe('"1"');
      expect((await api.get(`/customers/${customerId}/opportunities/${o.id}`)).json()).toEqual(o);
      const [entry] = await journalOf(customerId);
      expect(entry).toMatchObject({
        subject: "Verkaufschance angelegt: Neue Fertigungslinie",
        body: "Qualifizierung (10 %) · 123.450,00 € · Abschluss erwartet 31.03.2027",
        link: { type: "opportunity", id: o.id },
      });
    });

    it("validate owner, contact, stage and quotes and name the field", async () => {
      const invoice = await doc(customerId, "invoice");
      const foreignQuote = await doc(otherCustomerId, "quote");
      const foreignContact = (await api.post(`/customers/${otherCustomerId}/contacts`, { lastName: "Anders" })).json()
        .id as number;
      const bad = expectProblem(
        await api.post(`/customers/${customerId}/opportunities`, {
          title: "Falsch",
          valueCents: 100,
          expectedCloseDate: "2027-01-01",
          owner: "ghost@nowhere.test",
          contactId: foreignContact,
          stageId: 999999,
          quoteIds: [invoice, foreignQuote],
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad).sort()).toEqual([
        "contactId:unknown_contact",
        "owner:unknown_user",
        "quoteIds/0:wrong_document_type",
        "quoteIds/1:unknown_document",
        "stageId:unknown_stage",
      ]);
      const url = `/customers/${customerId}/opportunities`;
      expect(
        fieldCodes(expectProblem(await api.post(url, { title: "x", valueCents: 1 }), 400, "validation_failed")),
      ).toEqual(["expectedCloseDate:required"]);
      expect(
        fieldCodes(
          expectProblem(
            await api.post(url, { title: "x", valueCents: -1, expectedCloseDate: "2027-13-01" }),
            400,
            "validation_failed",
          ),
        ).sort(),
      ).toEqual(["expectedCloseDate:invalid_date", "valueCents:minimum"]);
      expectProblem(
        await api.post(url, { title: "x", valueCents: 1, expectedCloseDate: "2027-01-01", currency: "USD" }),
        400,
        "validation_failed",
      );
      expectProblem(
        await api.post("/customers/999999/opportunities", {
          title: "x",
          valueCents: 1,
          expectedCloseDate: "2027-01-01",
        }),
        404,
        "not_found",
      );
      expectProblem(
        await marketing.post(url, { title: "x", valueCents: 1, expectedCloseDate: "2027-01-01" }),
        403,
        "forbidden",
      );
      expectProblem(await api.get(`/customers/${customerId}/opportunities/999999`), 404, "not_found");
    });

    it("move through stages, are won or lost (lost needs a reason), reopened and deleted — each in the journal", async () => {
      const { customer } = (await api.post("/customers", { kind: "company", name1: "Verlauf KG" })).json();
      let o = await create(
        { title: "Wartungsvertrag", valueCents: 800_000, expectedCloseDate: "2027-02-28" },
        customer.id,
      );
      const url = `/customers/${customer.id}/opportunities/${o.id}`;
      o = await patch(o, { stageId: stage.Angebot, quoteIds: [await doc(customer.id, "quote")] });
      expect(o).toMatchObject({ stageName: "Angebot", probability: 50, weightedCents: 400_000 });
      expect(o.quoteIds).toHaveLength(1);
      o = await patch(o, { valueCents: 900_000 });

      expectProblem(await api.patch(url, { status: "won" }), 428, "precondition_required");
      const noReason = expectProblem(await api.patch(url, { status: "lost" }, o.version), 400, "validation_failed");
      expect(fieldCodes(noReason)).toEqual(["closeReason:required"]);
      expect(
        fieldCodes(expectProblem(await api.patch(url, { closeReason: "früh" }, o.version), 400, "validation_failed")),
      ).toEqual(["closeReason:not_closing"]);

      // 23:30 UTC is already the next day in Germany.
      now = new Date("2026-12-01T23:30:00.000Z");
      o = await patch(o, { status: "lost", closeReason: "Preis zu hoch" });
      expect(o).toMatchObject({ status: "lost", closeReason: "Preis zu hoch", closedOn: "2026-12-02" });
      o = await patch(o, { status: "open" });
      expect(o).toMatchObject({ status: "open", closeReason: null, closedOn: null });
      o = await patch(o, { stageId: stage.Verhandlung });
      o = await patch(o, { status: "won", closeReason: "Rahmenvertrag unterschrieben" });
      expect(o).toMatchObject({ status: "won", closedOn: "2026-12-02" });

      const stale = expectProblem(await api.patch(url, { title: "Alt" }, 1), 412, "version_mismatch");
      expect(stale.current).toMatchObject({ status: "won", version: o.version });
      expectProblem(await marketing.patch(url, { title: "x" }, o.version), 403, "forbidden");
      expectProblem(await api.del(url), 428, "precondition_required");
      expectProblem(await api.del(url, 1), 412, "version_mismatch");
      expectProblem(await marketing.del(url, o.version), 403, "forbidden");
      expect((await sales.del(url, o.version)).statusCode).toBe(204);
      expectProblem(await api.get(url), 404, "not_found");

      const journal = (await journalOf(customer.id)).map((e) => e.subject).reverse();
      expect(journal).toEqual([
        "Verkaufschance angelegt: Wartungsvertrag",
        "Verkaufschance „Wartungsvertrag“: Qualifizierung → Angebot",
        "Verkaufschance verloren: Wartungsvertrag",
        "Verkaufschance wieder geöffnet: Wartungsvertrag",
        "Verkaufschance „Wartungsvertrag“: Angebot → Verhandlung",
        "Verkaufschance gewonnen: Wartungsvertrag",
        "Verkaufschance gelöscht: Wartungsvertrag",
      ]);
      const lost = (await journalOf(customer.id)).find((e) => e.subject.startsWith("Verkaufschance verloren"));
      expect(lost?.body).toBe("9.000,00 € · Preis zu hoch");
      now = new Date("2026-12-01T10:00:00.000Z");
    });
  });

  describe("pipeline and lists", () => {
    const OWNER = "pipeline@kundenakte.test";
    let a = 0;
    let b = 0;
    let before: { total: { count: number; valueCents: number; weightedCents: number } };
    const made: Opportunity[] = [];

    beforeAll(async () => {
      await tokenFor(app, env().db, OWNER, ["sales"]);
      a = (await api.post("/customers", { kind: "company", name1: "Pipeline A GmbH" })).json().customer.id;
      b = (await api.post("/customers", { kind: "company", name1: "Pipeline B GmbH" })).json().customer.id;
      before = (await api.get("/opportunities/pipeline")).json();
      const add = async (customer: number, title: string, valueCents: number, stageName: string, date: string) => {
        const o = await create(
          { title, valueCents, expectedCloseDate: date, stageId: stage[stageName], owner: OWNER },
          customer,
        );
        made.push(o);
        return o;
      };
      await add(a, "A1", 100_000, "Qualifizierung", "2027-01-15");
      await add(a, "A2", 33_333, "Qualifizierung", "2027-01-10");
      await add(a, "A3", 200_000, "Angebot", "2027-02-01");
      const lost = await add(a, "A4", 123_457, "Verhandlung", "2027-01-20");
      await patch(lost, { status: "lost", closeReason: "Wettbewerber" });
      const won = await add(a, "A5", 50_000, "Verhandlung", "2027-01-05");
      await patch(won, { status: "won" });
      await add(b, "B1", 1_001, "Bedarfsanalyse", "2027-01-10");
    });

    const figures = (p: { stages: PipelineStage[] }) =>
      Object.fromEntries(p.stages.map((s) => [s.name, [s.count, s.valueCents, s.weightedCents]]));

    it("per customer: open opportunities per stage with value and weighted value", async () => {
      const p = (await api.get(`/customers/${a}/opportunities/pipeline`)).json();
      expect(figures(p)).toEqual({
        Qualifizierung: [2, 133_333, 13_333],
        Bedarfsanalyse: [0, 0, 0],
        Angebot: [1, 200_000, 100_000],
        Verhandlung: [0, 0, 0],
      });
      expect(p).toMatchObject({ currency: "EUR", total: { count: 3, valueCents: 333_333, weightedCents: 113_333 } });
      expect((await api.get(`/customers/${b}/opportunities/pipeline`)).json().total).toEqual({
        count: 1,
        valueCents: 1_001,
        weightedCents: 250,
      });
      expectProblem(await api.get("/customers/999999/opportunities/pipeline"), 404, "not_found");
    });

    it("in total and per owner, weighted", async () => {
      const mine = (await api.get(`/opportunities/pipeline?owner=${OWNER}`)).json();
      expect(mine.total).toEqual({ count: 4, valueCents: 334_334, weightedCents: 113_583 });
      expect(figures(mine).Bedarfsanalyse).toEqual([1, 1_001, 250]);
      const all = (await api.get("/opportunities/pipeline")).json();
      expect(all.total).toEqual({
        count: before.total.count + 4,
        valueCents: before.total.valueCents + 334_334,
        weightedCents: before.total.weightedCents + 113_583,
      });
      expect((await api.get(`/opportunities/pipeline?customerId=${b}`)).json().total.count).toBe(1);
      expect((await marketing.get("/opportunities/pipeline")).statusCode).toBe(200);
      expect((await api.get("/opportunities/pipeline?owner=me")).json().total.count).toBeGreaterThanOrEqual(0);
      expectProblem(await api.get("/opportunities/pipeline?stage=1"), 400, "validation_failed");
    });

    it("lists by expected close date with filters and a cursor", async () => {
      const titles = async (q: string) => {
        const res = await api.get(`/opportunities?${q}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items.map((o: Opportunity) => o.title);
      };
      expect(await titles(`owner=${OWNER}`)).toEqual(["A2", "B1", "A1", "A3"]);
      expect(await titles(`owner=${OWNER}&status=won`)).toEqual(["A5"]);
      expect(await titles(`owner=${OWNER}&status=lost`)).toEqual(["A4"]);
      expect(await titles(`owner=${OWNER}&stageId=${stage.Qualifizierung}`)).toEqual(["A2", "A1"]);
      expect(await titles(`customerId=${a}`)).toEqual(["A2", "A1", "A3"]);
      expect((await api.get(`/customers/${a}/opportunities?status=won`)).json().items[0]).toMatchObject({
        title: "A5",
        closedOn: "2026-12-01",
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const body: { items: Opportunity[]; nextCursor: string | null } = (
          await api.get(`/opportunities?owner=${OWNER}&limit=1${cursor ? `&cursor=${cursor}` : ""}`)
        ).json();
        seen.push(...body.items.map((o: Opportunity) => o.title));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(["A2", "B1", "A1", "A3"]);
      expectProblem(await api.get("/opportunities?status=maybe"), 400, "validation_failed");
      expectProblem(await api.get("/opportunities?cursor=xyz"), 400, "bad_request");
      expectProblem(await api.get("/opportunities?customerId=999999"), 404, "not_found");
      expectProblem(await api.get("/customers/999999/opportunities"), 404, "not_found");
    });

    it("a stage's new probability re-weights its open opportunities", async () => {
      const s = (await api.get(`/opportunity-stages/${stage.Angebot}`)).json() as Stage;
      expect((await api.patch(`/opportunity-stages/${s.id}`, { probability: 60 }, s.version)).statusCode).toBe(200);
      try {
        const p = (await api.get(`/customers/${a}/opportunities/pipeline`)).json();
        expect(figures(p).Angebot).toEqual([1, 200_000, 120_000]);
        const a3 = made.find((o) => o.title === "A3")!;
        expect((await api.get(`/customers/${a}/opportunities/${a3.id}`)).json()).toMatchObject({
          probability: 60,
          weightedCents: 120_000,
        });
      } finally {
        await api.patch(`/opportunity-stages/${s.id}`, { probability: 50 }, s.version + 1);
      }
    });
  });
});
