import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { fixedClock } from "../support/clock.js";
import { ADMIN_EMAIL, forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

interface Ticket {
  id: number;
  number: string;
  customerId: number;
  status: string;
  assignee: string | null;
  dueAt: string;
  overdue: boolean;
  type: string;
  priority: string;
  subject: string;
  resolution: string | null;
  resolutionCategory: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  settlementDocumentId: number | null;
  version: number;
  createdAt: string;
  createdBy: string;
}

const HOUR = 3600_000;

/**
 * Tickets through the HTTP layer of an app with a fixed clock: "now" is whatever the test
 * sets, so due times, the overdue flag and the overdue filter are exact.
 */
forEachEngine("tickets API", (env) => {
  let now = new Date("2026-12-01T08:00:00.000Z");
  let app: FastifyInstance;
  const api = client(
    () => app,
    () => env().adminToken,
  );
  let service: ReturnType<typeof client>;
  let reader: ReturnType<typeof client>;
  let customerId = 0;
  let otherCustomerId = 0;
  let contactId = 0;
  let foreignContactId = 0;
  const COLLEAGUE = "kundendienst@kundenakte.test";

  beforeAll(async () => {
    app = await buildApp({ db: env().db, clock: fixedClock(() => now) });
    await app.ready();
    const s = await tokenFor(app, env().db, COLLEAGUE, ["service"]);
    service = client(
      () => app,
      () => s.token,
    );
    const r = await tokenFor(app, env().db, "leser@kundenakte.test", ["read_only"]);
    reader = client(
      () => app,
      () => r.token,
    );
    const created = (
      await api.post("/customers", {
        kind: "company",
        name1: "Reklamation GmbH",
        contacts: [{ lastName: "Becker", firstName: "Jonas" }],
      })
    ).json();
    customerId = created.customer.id;
    contactId = created.contacts[0].id;
    const other = (
      await api.post("/customers", { kind: "company", name1: "Andere AG", contacts: [{ lastName: "Fremd" }] })
    ).json();
    otherCustomerId = other.customer.id;
    foreignContactId = other.contacts[0].id;
  });
  afterAll(async () => {
    await app?.close();
  });

  const create = async (body: Record<string, unknown>, customer = customerId, as = api) => {
    const res = await as.post(`/customers/${customer}/tickets`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Ticket;
  };
  const patch = async (t: Ticket, body: Record<string, unknown>, as = api) => {
    const res = await as.patch(`/customers/${t.customerId}/tickets/${t.id}`, body, t.version);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Ticket;
  };
  const doc = async (customer: number, body: Record<string, unknown>) => {
    const res = await api.post(`/customers/${customer}/documents`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; number: string };
  };
  const line = [{ text: "Pumpe", quantity: 1, unitPriceCents: 10000, vatRatePercent: 19 }];
  const ticketJournal = async (customer = customerId) =>
    (await api.get(`/customers/${customer}/journal?kinds=ticket&limit=200`))
      .json()
      .items.map((e: { subject: string }) => e.subject) as string[];

  describe("SLA", () => {
    it("is seeded per type and priority and can be changed by an admin with If-Match", async () => {
      const list = (await api.get("/ticket-slas")).json().items as {
        type: string;
        priority: string;
        hours: number;
        version: number;
      }[];
      expect(list).toHaveLength(12);
      expect(list[0]).toMatchObject({ type: "inquiry", priority: "low" });
      expect(list.find((s) => s.type === "complaint" && s.priority === "urgent")?.hours).toBe(4);
      expect(list.find((s) => s.type === "complaint" && s.priority === "high")?.hours).toBe(24);
      expect((await reader.get("/ticket-slas")).statusCode).toBe(200);

      const url = "/ticket-slas/service_request/low";
      const v = list.find((s) => s.type === "service_request" && s.priority === "low")!.version;
      expectProblem(await api.patch(url, { hours: 100 }), 428, "precondition_required");
      expectProblem(await service.patch(url, { hours: 100 }, v), 403, "forbidden");
      expect(fieldCodes(expectProblem(await api.patch(url, { hours: 0 }, v), 400, "validation_failed"))).toEqual([
        "hours:minimum",
      ]);
      expectProblem(await api.patch("/ticket-slas/wish/low", { hours: 5 }, v), 400, "validation_failed");
      const changed = await api.patch(url, { hours: 100 }, v);
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ hours: 100, version: v + 1 });
      expect(changed.headers.etag).toBe(`"${v + 1}"`);
      const stale = expectProblem(await api.patch(url, { hours: 50 }, v), 412, "version_mismatch");
      expect(stale.current).toMatchObject({ hours: 100 });

      const t = await create({ type: "service_request", priority: "low", subject: "Wartung" });
      expect(Date.parse(t.dueAt) - Date.parse(t.createdAt)).toBe(100 * HOUR);
    });
  });

  describe("workflow", () => {
    it("opens a numbered ticket with its SLA due time and notes it in the journal", async () => {
      const invoice = await doc(customerId, { type: "invoice", lines: line });
      const t = await create({
        type: "complaint",
        priority: "high",
        subject: "Pumpe defekt",
        description: "Leckt nach zwei Tagen",
        contactId,
        assignee: "Kundendienst@Kundenakte.test",
        documentId: invoice.id,
      });
      expect(t).toMatchObject({
        status: "new",
        assignee: COLLEAGUE,
        contactId,
        documentId: invoice.id,
        customerName: "Reklamation GmbH",
        createdAt: now.toISOString(),
        dueAt: new Date(now.getTime() + 24 * HOUR).toISOString(),
        overdue: false,
        createdBy: ADMIN_EMAIL,
        version: 1,
      });
      expect(t.number).toMatch(/^T-\d{6}$/);
      const again = await create({ type: "inquiry", subject: "Lieferzeit?" });
      expect(Number(again.number.slice(2))).toBe(Number(t.number.slice(2)) + 1);
      expect(again).toMatchObject({ priority: "normal", assignee: null });
      expect(Date.parse(again.dueAt) - Date.parse(again.createdAt)).toBe(48 * HOUR);

      const got = await api.get(`/customers/${customerId}/tickets/${t.id}`);
      expect(got.json()).toEqual(t);
      expect(got.headers.etag).toBe('"1"');
      const journal = await ticketJournal();
      expect(journal).toContain(`Ticket ${t.number} angelegt: Pumpe defekt`);
      const entry = (await api.get(`/customers/${customerId}/journal?kinds=ticket&limit=200`))
        .json()
        .items.find((e: { subject: string }) => e.subject === `Ticket ${t.number} angelegt: Pumpe defekt`);
      expect(entry).toMatchObject({
        kind: "ticket",
        contactId,
        link: { type: "ticket", id: t.id },
        editable: false,
        body: `Reklamation · Priorität hoch · fällig 02.12.2026, 09:00 · zugewiesen an ${COLLEAGUE}`,
      });
    });

    it("walks new → in progress → waiting → in progress → resolved → reopened → resolved → closed, each step in the journal", async () => {
      let t = await create({ type: "complaint", priority: "normal", subject: "Falsche Farbe", contactId });
      const n = t.number;
      t = await patch(t, { status: "in_progress", assignee: COLLEAGUE });
      expect(t).toMatchObject({ status: "in_progress", assignee: COLLEAGUE, version: 2 });
      t = await patch(t, { status: "waiting_for_customer" }, service);
      t = await patch(t, { status: "in_progress" }, service);

      const missing = expectProblem(
        await api.patch(`/customers/${customerId}/tickets/${t.id}`, { status: "resolved" }, t.version),
        400,
        "validation_failed",
      );
      expect(fieldCodes(missing).sort()).toEqual(["resolution:required", "resolutionCategory:required"]);
      expect(
        fieldCodes(
          expectProblem(
            await api.patch(`/customers/${customerId}/tickets/${t.id}`, { resolution: "schon?" }, t.version),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["resolution:not_resolving"]);

      now = new Date(now.getTime() + HOUR);
      t = await patch(t, {
        status: "resolved",
        resolution: "Ersatz in Blau geliefert",
        resolutionCategory: "replaced",
      });
      expect(t).toMatchObject({
        status: "resolved",
        resolution: "Ersatz in Blau geliefert",
        resolutionCategory: "replaced",
        resolvedAt: now.toISOString(),
        overdue: false,
      });
      t = await patch(t, { status: "in_progress" });
      expect(t).toMatchObject({ status: "in_progress", resolution: null, resolutionCategory: null, resolvedAt: null });
      t = await patch(t, { status: "resolved", resolution: "Gutschrift statt Ersatz", resolutionCategory: "credited" });
      t = await patch(t, { assignee: null });
      t = await patch(t, { status: "closed" });
      expect(t).toMatchObject({ status: "closed", closedAt: now.toISOString(), resolution: "Gutschrift statt Ersatz" });

      const refused = expectProblem(
        await api.patch(`/customers/${customerId}/tickets/${t.id}`, { status: "in_progress" }, t.version),
        409,
        "illegal_transition",
      );
      expect(fieldCodes(refused)).toEqual(["status:illegal_transition"]);
      expectProblem(
        await api.patch(`/customers/${customerId}/tickets/${t.id}`, { subject: "anders" }, t.version),
        409,
        "illegal_transition",
      );

      const journal = (await ticketJournal()).filter((s) => s.startsWith(`Ticket ${n}`));
      expect(journal.reverse()).toEqual([
        `Ticket ${n} angelegt: Falsche Farbe`,
        `Ticket ${n} · Status: neu → in Bearbeitung`,
        `Ticket ${n} · zugewiesen an ${COLLEAGUE}`,
        `Ticket ${n} · Status: in Bearbeitung → wartet auf Kunde`,
        `Ticket ${n} · Status: wartet auf Kunde → in Bearbeitung`,
        `Ticket ${n} · Status: in Bearbeitung → gelöst`,
        `Ticket ${n} · Status: gelöst → in Bearbeitung`,
        `Ticket ${n} · Status: in Bearbeitung → gelöst`,
        `Ticket ${n} · Zuweisung aufgehoben`,
        `Ticket ${n} · Status: gelöst → geschlossen`,
      ]);
      const resolvedEntry = (await api.get(`/customers/${customerId}/journal?kinds=ticket&limit=200`))
        .json()
        .items.find((e: { subject: string }) => e.subject === `Ticket ${n} · Status: in Bearbeitung → gelöst`);
      expect(resolvedEntry.body).toBe("gutgeschrieben: Gutschrift statt Ersatz");
      expect(resolvedEntry.author).toBe(ADMIN_EMAIL);
    });

    it("refuses transitions the workflow does not allow, naming from and to", async () => {
      const t = await create({ type: "inquiry", subject: "Preisfrage" });
      for (const status of ["closed", "waiting_for_customer"]) {
        const p = expectProblem(
          await api.patch(`/customers/${customerId}/tickets/${t.id}`, { status }, t.version),
          409,
          "illegal_transition",
        );
        expect(p.detail).toContain(`a new ticket cannot become ${status}`);
      }
      // Answered at once: new → resolved is allowed.
      const resolved = await patch(t, {
        status: "resolved",
        resolution: "Preisliste gesendet",
        resolutionCategory: "answered",
      });
      expectProblem(
        await api.patch(
          `/customers/${customerId}/tickets/${t.id}`,
          { status: "waiting_for_customer" },
          resolved.version,
        ),
        409,
        "illegal_transition",
      );
      expectProblem(
        await api.patch(`/customers/${customerId}/tickets/${t.id}`, { status: "new" }, resolved.version),
        409,
        "illegal_transition",
      );
      // Nothing was written by the refused requests.
      expect((await api.get(`/customers/${customerId}/tickets/${t.id}`)).json().version).toBe(resolved.version);
    });

    it("a complaint references the credit note or replacement that settled it", async () => {
      const invoice = await doc(customerId, { type: "invoice", lines: line });
      const credit = await doc(customerId, {
        type: "credit_note",
        referenceId: invoice.id,
        lines: [{ ...line[0], quantity: -1 }],
      });
      const quote = await doc(customerId, { type: "quote", lines: line });
      const foreign = await doc(otherCustomerId, { type: "invoice", lines: line });
      const inquiry = await create({ type: "inquiry", subject: "Frage" });
      expect(
        fieldCodes(
          expectProblem(
            await api.patch(
              `/customers/${customerId}/tickets/${inquiry.id}`,
              { settlementDocumentId: credit.id },
              inquiry.version,
            ),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["settlementDocumentId:not_a_complaint"]);
      const complaint = await create({ type: "complaint", subject: "Kratzer", documentId: invoice.id });
      const bad = expectProblem(
        await api.patch(
          `/customers/${customerId}/tickets/${complaint.id}`,
          { settlementDocumentId: invoice.id, documentId: foreign.id },
          complaint.version,
        ),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad).sort()).toEqual([
        "documentId:unknown_document",
        "settlementDocumentId:wrong_document_type",
      ]);
      expectProblem(
        await api.patch(
          `/customers/${customerId}/tickets/${complaint.id}`,
          { documentId: quote.id },
          complaint.version,
        ),
        400,
        "validation_failed",
      );
      const settled = await patch(complaint, {
        status: "resolved",
        resolution: "Gutschrift erteilt",
        resolutionCategory: "credited",
        settlementDocumentId: credit.id,
      });
      expect(settled).toMatchObject({ settlementDocumentId: credit.id, documentId: invoice.id });
      // A settled complaint cannot turn into an inquiry.
      expectProblem(
        await api.patch(`/customers/${customerId}/tickets/${complaint.id}`, { type: "inquiry" }, settled.version),
        400,
        "validation_failed",
      );
    });
  });

  describe("SLA and overdue on a fixed clock", () => {
    it("an urgent complaint is due after 4 hours; overdue only while open; a new priority sets the SLA again", async () => {
      const start = now;
      const { customer } = (await api.post("/customers", { kind: "company", name1: "Eilig KG" })).json();
      let t = await create({ type: "complaint", priority: "urgent", subject: "Anlage steht" }, customer.id);
      expect(t.dueAt).toBe(new Date(start.getTime() + 4 * HOUR).toISOString());

      now = new Date(start.getTime() + 3 * HOUR + 59 * 60_000);
      expect((await api.get(`/customers/${customer.id}/tickets/${t.id}`)).json().overdue).toBe(false);
      expect((await api.get(`/customers/${customer.id}/tickets?overdue=true`)).json().items).toEqual([]);

      now = new Date(start.getTime() + 4 * HOUR + 1);
      expect((await api.get(`/customers/${customer.id}/tickets/${t.id}`)).json().overdue).toBe(true);
      expect(
        (await api.get(`/customers/${customer.id}/tickets?overdue=true`)).json().items.map((x: Ticket) => x.id),
      ).toEqual([t.id]);
      expect((await api.get(`/customers/${customer.id}/tickets?overdue=false`)).json().items).toEqual([]);
      t = await patch(t, { status: "in_progress" });
      t = await patch(t, { status: "waiting_for_customer" });
      expect(t.overdue).toBe(true);

      // Lower priority: due 48 hours after creation, so no longer overdue.
      t = await patch(t, { priority: "normal" });
      expect(t).toMatchObject({ dueAt: new Date(start.getTime() + 48 * HOUR).toISOString(), overdue: false });
      // An explicit due time wins over the SLA.
      t = await patch(t, { priority: "high", dueAt: new Date(start.getTime() + 2 * HOUR).toISOString() });
      expect(t).toMatchObject({ priority: "high", overdue: true });

      t = await patch(t, { status: "resolved", resolution: "Vor Ort repariert", resolutionCategory: "repaired" });
      expect(t.overdue).toBe(false);
      expect((await api.get(`/customers/${customer.id}/tickets?overdue=true`)).json().items).toEqual([]);
      now = start;
    });

    it("the customer file's key figures count open and overdue tickets", async () => {
      const { customer } = (await api.post("/customers", { kind: "company", name1: "Kennzahl GmbH" })).json();
      const figures = async () => (await api.get(`/customers/${customer.id}/file`)).json().keyFigures;
      expect(await figures()).toMatchObject({ openTickets: 0, overdueTickets: 0 });
      const saved = now;
      // The file judges "overdue" on the server's real clock: long past and far future are unambiguous.
      now = new Date("2020-06-01T08:00:00.000Z");
      await create({ type: "complaint", subject: "Alt und offen" }, customer.id);
      const done = await create({ type: "inquiry", subject: "Erledigt" }, customer.id);
      await patch(done, { status: "resolved", resolution: "beantwortet", resolutionCategory: "answered" });
      now = new Date("2099-01-01T08:00:00.000Z");
      await create({ type: "inquiry", subject: "Zukunft" }, customer.id);
      now = saved;
      expect(await figures()).toMatchObject({ openTickets: 2, overdueTickets: 1 });
      // Users without finance rights see them too.
      expect((await reader.get(`/customers/${customer.id}/file`)).json().keyFigures).toMatchObject({
        openTickets: 2,
        overdueTickets: 1,
      });
    });
  });

  describe("lists", () => {
    let c1 = 0;
    let c2 = 0;
    const made: Ticket[] = [];

    beforeAll(async () => {
      c1 = (await api.post("/customers", { kind: "company", name1: "Liste Eins GmbH" })).json().customer.id;
      c2 = (await api.post("/customers", { kind: "company", name1: "Liste Zwei GmbH" })).json().customer.id;
      const base = new Date("2027-03-01T08:00:00.000Z").getTime();
      const plan: [number, string, string, string, string | null][] = [
        // customer, type, priority, target status, assignee
        [c1, "complaint", "high", "new", COLLEAGUE],
        [c1, "inquiry", "normal", "in_progress", COLLEAGUE],
        [c2, "service_request", "low", "waiting_for_customer", COLLEAGUE],
        [c2, "complaint", "urgent", "resolved", COLLEAGUE],
        [c1, "inquiry", "low", "closed", COLLEAGUE],
        [c2, "inquiry", "normal", "new", null],
        [c1, "complaint", "normal", "in_progress", ADMIN_EMAIL],
        [c2, "service_request", "high", "new", COLLEAGUE],
      ];
      for (const [i, [cust, type, priority, status, assignee]] of plan.entries()) {
        now = new Date(base + i * 60_000);
        let t = await create({ type, priority, subject: `L${i}`, assignee }, cust);
        const steps: Record<string, string[]> = {
          new: [],
          in_progress: ["in_progress"],
          waiting_for_customer: ["in_progress", "waiting_for_customer"],
          resolved: ["resolved"],
          closed: ["resolved", "closed"],
        };
        for (const s of steps[status]!) {
          t = await patch(t, {
            status: s,
            ...(s === "resolved" ? { resolution: "ok", resolutionCategory: "other" } : {}),
          });
        }
        made.push(t);
      }
      // Everything above is due within two days of its creation; "now" is a day later.
      now = new Date(base + 24 * HOUR + 30 * 60_000);
    });

    const subjects = (items: Ticket[]) => items.map((t) => t.subject);
    const onlyListed = (items: Ticket[]) => items.filter((t) => [c1, c2].includes(t.customerId));

    it("filters by status (several), open, assignee (me, none, a user), type, priority and customer; newest first", async () => {
      const get = async (q: string) => {
        const res = await api.get(`/tickets?limit=500&${q}`);
        expect(res.statusCode, res.body).toBe(200);
        return subjects(onlyListed(res.json().items));
      };
      expect(await get("")).toEqual(["L7", "L6", "L5", "L4", "L3", "L2", "L1", "L0"]);
      expect(await get("status=new,in_progress")).toEqual(["L7", "L6", "L5", "L1", "L0"]);
      expect(await get("status=resolved")).toEqual(["L3"]);
      expect(await get("open=true")).toEqual(["L7", "L6", "L5", "L2", "L1", "L0"]);
      expect(await get("open=false")).toEqual(["L4", "L3"]);
      expect(await get("open=true&status=new,closed")).toEqual(["L7", "L5", "L0"]);
      expect(await get(`assignee=${COLLEAGUE}&status=new,in_progress,waiting_for_customer`)).toEqual([
        "L7",
        "L2",
        "L1",
        "L0",
      ]);
      expect(await get("assignee=me")).toEqual(["L6"]);
      expect(await get("assignee=none")).toEqual(["L5"]);
      expect(await get("type=complaint")).toEqual(["L6", "L3", "L0"]);
      expect(await get("priority=high&open=true")).toEqual(["L7", "L0"]);
      expect(await get(`customerId=${c2}`)).toEqual(["L7", "L5", "L3", "L2"]);
      expect(
        subjects((await service.get("/tickets?assignee=me&open=true&limit=500")).json().items).filter((s: string) =>
          /^L\d$/.test(s),
        ),
      ).toEqual(["L7", "L2", "L1", "L0"]);
      expect(subjects((await api.get(`/customers/${c1}/tickets?open=true`)).json().items)).toEqual(["L6", "L1", "L0"]);
      const first = (await api.get(`/tickets?customerId=${c1}`)).json().items[0];
      expect(first).toMatchObject({ customerName: "Liste Eins GmbH", number: made[6]!.number });
    });

    it("flags and filters overdue tickets against the clock", async () => {
      // Due times: high 24 h, normal 48 h, urgent 4 h, low 120 h — a day and a half later:
      // L0 (complaint high, new) and L7 (service request high, new) are overdue, the others not.
      const overdue = subjects(onlyListed((await api.get("/tickets?overdue=true&limit=500")).json().items));
      expect(overdue).toEqual(["L7", "L0"]);
      const all = onlyListed((await api.get("/tickets?limit=500")).json().items);
      expect(all.filter((t) => t.overdue).map((t) => t.subject)).toEqual(["L7", "L0"]);
      // L3 (urgent) is resolved: never overdue.
      expect(all.find((t) => t.subject === "L3")?.overdue).toBe(false);
      expect(subjects(onlyListed((await api.get("/tickets?overdue=false&open=true&limit=500")).json().items))).toEqual([
        "L6",
        "L5",
        "L2",
        "L1",
      ]);
    });

    it("pages with a cursor across the statuses' walks without gaps or repeats", async () => {
      for (const q of [`customerId=${c1}`, `customerId=${c2}`, "open=true", `assignee=${COLLEAGUE}`]) {
        const expected = onlyListed((await api.get(`/tickets?limit=500&${q}`)).json().items).map((t) => t.id);
        const seen: number[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res = await api.get(`/tickets?limit=2&${q}${cursor ? `&cursor=${cursor}` : ""}`);
          expect(res.statusCode, res.body).toBe(200);
          const body = res.json();
          expect(body.items.length).toBeLessThanOrEqual(2);
          seen.push(...onlyListed(body.items).map((t) => t.id));
          cursor = body.nextCursor;
          pages++;
        } while (cursor && pages < 50);
        expect(seen).toEqual(expected);
      }
    });

    it("answers 400 for unknown statuses, bad filters and foreign cursors; 404 for unknown customers", async () => {
      expect(fieldCodes(expectProblem(await api.get("/tickets?status=new,open"), 400, "validation_failed"))).toEqual([
        "status:unknown_status",
      ]);
      expectProblem(await api.get("/tickets?type=wish"), 400, "validation_failed");
      expectProblem(await api.get("/tickets?overdue=maybe"), 400, "validation_failed");
      expectProblem(await api.get("/tickets?limit=0"), 400, "validation_failed");
      expectProblem(await api.get("/tickets?cursor=bm90LWEtY3Vyc29y"), 400, "bad_request");
      expectProblem(await api.get("/tickets?customerId=999999"), 404, "not_found");
      expectProblem(await api.get("/customers/999999/tickets"), 404, "not_found");
      expect(fieldCodes(expectProblem(await api.get("/tickets?sort=name"), 400, "validation_failed"))).toEqual([
        "querystring/sort:unknown_field",
      ]);
    });
  });

  describe("errors", () => {
    it("validates every field of a new ticket and names it", async () => {
      const url = `/customers/${customerId}/tickets`;
      const quote = await doc(customerId, { type: "quote", lines: line });
      const bad = expectProblem(
        await api.post(url, {
          type: "complaint",
          subject: "x",
          contactId: foreignContactId,
          assignee: "ghost@nowhere.test",
          productId: 999999,
          documentId: quote.id,
        }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(bad).sort()).toEqual([
        "assignee:unknown_user",
        "contactId:unknown_contact",
        "documentId:wrong_document_type",
        "productId:unknown_product",
      ]);
      expect(fieldCodes(expectProblem(await api.post(url, { subject: "x" }), 400, "validation_failed"))).toEqual([
        "type:required",
      ]);
      expect(
        fieldCodes(
          expectProblem(
            await api.post(url, { type: "complaint", subject: "x", colour: "red" }),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["colour:unknown_field"]);
      expect(
        fieldCodes(
          expectProblem(
            await api.post(url, { type: "complaint", subject: "x", priority: "asap" }),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["priority:enum"]);
      expectProblem(await api.post(url, { type: "complaint", subject: "" }), 400, "validation_failed");
      expectProblem(await api.post("/customers/999999/tickets", { type: "inquiry", subject: "x" }), 404, "not_found");

      // Deactivated users take no new tickets.
      const { userId } = await tokenFor(app, env().db, "ehemalig@kundenakte.test", ["service"]);
      const user = (await api.get(`/users/${userId}`)).json();
      expect((await api.patch(`/users/${userId}`, { active: false }, user.version)).statusCode).toBe(200);
      expect(
        fieldCodes(
          expectProblem(
            await api.post(url, { type: "inquiry", subject: "x", assignee: "ehemalig@kundenakte.test" }),
            400,
            "validation_failed",
          ),
        ),
      ).toEqual(["assignee:inactive_user"]);
    });

    it("needs If-Match to change a ticket and answers 412 with the current ticket when stale", async () => {
      const t = await create({ type: "inquiry", subject: "Versionen" });
      const url = `/customers/${customerId}/tickets/${t.id}`;
      expectProblem(await api.patch(url, { subject: "neu" }), 428, "precondition_required");
      expectProblem(await api.patch(url, { subject: "neu" }, "x"), 400, "bad_request");
      expectProblem(await api.patch(url, {}, t.version), 400, "validation_failed");
      const changed = await patch(t, { subject: "neu" });
      const stale = expectProblem(await api.patch(url, { subject: "älter" }, t.version), 412, "version_mismatch");
      expect(stale.current).toMatchObject({ subject: "neu", version: changed.version });
      expectProblem(await api.get(`/customers/${customerId}/tickets/999999`), 404, "not_found");
      // A ticket is found only under its own customer.
      expectProblem(await api.get(`/customers/${otherCustomerId}/tickets/${t.id}`), 404, "not_found");
      expectProblem(await api.patch(`/customers/${customerId}/tickets/999999`, { subject: "x" }, 1), 404, "not_found");
    });

    it("with the row-level rule on, sales users list only tickets of customers they may see", async () => {
      const s = await tokenFor(app, env().db, "bayern@kundenakte.test", ["sales"], ["read", "write"], "Bayern");
      const salesUser = client(
        () => app,
        () => s.token,
      );
      const hidden = (
        await api.post("/customers", { kind: "company", name1: "Hamburg AG", region: "Hamburg", owner: "x@y.test" })
      ).json().customer.id;
      const visible = (await api.post("/customers", { kind: "company", name1: "Bayern KG", region: "Bayern" })).json()
        .customer.id;
      const h = await create({ type: "inquiry", subject: "Sichtbarkeit Hamburg" }, hidden);
      const v = await create({ type: "inquiry", subject: "Sichtbarkeit Bayern" }, visible);
      const settings = (await api.get("/settings")).json();
      expect((await api.patch("/settings", { rowLevelSales: true }, settings.version)).statusCode).toBe(200);
      try {
        const ids = (await salesUser.get("/tickets?limit=500")).json().items.map((t: Ticket) => t.id);
        expect(ids).toContain(v.id);
        expect(ids).not.toContain(h.id);
        expectProblem(await salesUser.get(`/customers/${hidden}/tickets`), 404, "not_found");
        expectProblem(await salesUser.get(`/customers/${hidden}/tickets/${h.id}`), 404, "not_found");
        expectProblem(await salesUser.get(`/tickets?customerId=${hidden}`), 404, "not_found");
        expect((await api.get("/tickets?limit=500")).json().items.map((t: Ticket) => t.id)).toContain(h.id);
      } finally {
        const now = (await api.get("/settings")).json();
        await api.patch("/settings", { rowLevelSales: false }, now.version);
      }
    });

    it("read-only users read tickets but cannot open or change them", async () => {
      const t = await create({ type: "inquiry", subject: "Nur lesen" });
      expect((await reader.get(`/customers/${customerId}/tickets/${t.id}`)).statusCode).toBe(200);
      expect((await reader.get("/tickets")).statusCode).toBe(200);
      expectProblem(
        await reader.post(`/customers/${customerId}/tickets`, { type: "inquiry", subject: "x" }),
        403,
        "forbidden",
      );
      expectProblem(
        await reader.patch(`/customers/${customerId}/tickets/${t.id}`, { status: "in_progress" }, t.version),
        403,
        "forbidden",
      );
      const own = await create({ type: "inquiry", subject: "Vom Kundendienst" }, customerId, service);
      expect(own.createdBy).toBe(COLLEAGUE);
    });
  });
});
