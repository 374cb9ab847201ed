/**
 * The business clock: what day it is comes from the app's clock in the firm's time zone
 * (Europe/Berlin), never from the machine's clock or UTC's date. The clock stands at 23:30 UTC on
 * the day summer time begins — already the next day in Berlin — where UTC's date is one day behind.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { fixedClock } from "../support/clock.js";
import { forEachEngine } from "../support/engines.js";
import { client, expectProblem } from "../support/http.js";

const NOW = "2027-03-28T23:30:00.000Z";
/** The Berlin date at NOW (01:30 summer time on the 29th); UTC says the 28th. */
const TODAY = "2027-03-29";

forEachEngine("business clock", (env) => {
  let app: FastifyInstance;
  const api = client(
    () => app,
    () => env().adminToken,
  );

  beforeAll(async () => {
    app = await buildApp({ db: env().db, clock: fixedClock(new Date(NOW)) });
    await app.ready();
  }, 60_000);
  afterAll(async () => app?.close());

  const newCustomer = async (name1: string) =>
    (await api.post("/customers", { kind: "company", name1 })).json().customer.id as number;

  it("tells the web UI the server's time, the business date and the business time zone", async () => {
    const res = await api.get("/business-time");
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ now: NOW, today: TODAY, timeZone: "Europe/Berlin" });
    const anonymous = await app.inject({ url: "/api/v1/business-time" });
    expect(anonymous.statusCode).toBe(401);
  });

  it("dates an invoice on the firm's day, and counts days overdue and dunning from it", async () => {
    const customerId = await newCustomer("Mitternacht GmbH");
    const today = await api.post(`/customers/${customerId}/documents`, {
      type: "invoice",
      lines: [{ text: "Montage", quantity: 1, unitPriceCents: 10_000, vatRatePercent: 19 }],
    });
    expect(today.statusCode, today.body).toBe(201);
    expect(today.json().documentDate).toBe(TODAY);
    // Due at once, 60 Berlin days before the clock's day: 60 days overdue, not 59 or 61.
    const old = await api.post(`/customers/${customerId}/documents`, {
      type: "invoice",
      documentDate: "2027-01-28",
      lines: [{ text: "Wartung", quantity: 1, unitPriceCents: 10_000, vatRatePercent: 19 }],
    });
    expect(old.statusCode, old.body).toBe(201);
    const open = (await api.get(`/customers/${customerId}/open-items`)).json();
    const item = open.items.find((i: { documentId: number }) => i.documentId === old.json().id);
    expect(item).toMatchObject({ dueDate: "2027-01-28", daysOverdue: 60 });
    const proposal = (await api.get("/dunning/proposal")).json();
    expect(proposal.onDate).toBe(TODAY);
    const run = await api.post("/dunning/runs", { customerIds: [customerId] });
    expect(run.statusCode, run.body).toBe(201);
    const notice = run.json().items[0];
    expect(notice.noticeDate).toBe(TODAY);
    expect(notice.items).toEqual([expect.objectContaining({ documentId: old.json().id, daysOverdue: 60 })]);
  });

  it("judges follow-ups overdue against the clock, not the machine", async () => {
    const customerId = await newCustomer("Wiedervorlage KG");
    const post = async (dueAt: string) => {
      const res = await api.post(`/customers/${customerId}/follow-ups`, { subject: dueAt, dueAt });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { overdue: boolean };
    };
    expect((await post("2027-03-28T23:00:00.000Z")).overdue).toBe(true);
    expect((await post("2027-03-29T00:00:00.000Z")).overdue).toBe(false);
  });

  it("takes a birthday of the firm's today, refuses tomorrow", async () => {
    const customerId = await newCustomer("Geburtstag AG");
    const ok = await api.post(`/customers/${customerId}/contacts`, { lastName: "Heute", birthday: TODAY });
    expect(ok.statusCode, ok.body).toBe(201);
    const res = await api.post(`/customers/${customerId}/contacts`, { lastName: "Morgen", birthday: "2027-03-30" });
    expect(expectProblem(res, 400, "validation_failed").errors).toEqual([
      expect.objectContaining({ field: "birthday", code: "in_future" }),
    ]);
  });
});
