import { beforeAll, expect, it } from "vitest";
import { ADMIN_EMAIL, forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

forEachEngine("follow-ups API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  let customerId = 0;
  let contactId = 0;
  let colleague: ReturnType<typeof client>;

  beforeAll(async () => {
    const created = (
      await api.post("/customers", {
        kind: "company",
        name1: "Termin GmbH",
        contacts: [{ lastName: "Kraus", firstName: "Ute" }],
      })
    ).json();
    customerId = created.customer.id;
    contactId = created.contacts[0].id;
    const t = (await tokenFor(env().app, env().db, "kollegin@kundenakte.test", ["sales"])).token;
    colleague = client(
      () => env().app,
      () => t,
    );
  });

  const hour = 3600_000;
  const iso = (offset: number) => new Date(env().clock.now().getTime() + offset).toISOString();

  it("lifecycle: create (in the journal), my open list by due date with overdue flagged, complete (in the journal)", async () => {
    const late = await api.post(`/customers/${customerId}/follow-ups`, {
      subject: "Angebot nachfassen",
      dueAt: iso(-2 * hour),
      contactId,
    });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json()).toMatchObject({
      owner: ADMIN_EMAIL,
      status: "open",
      overdue: true,
      customerName: "Termin GmbH",
      contactId,
    });
    const soon = (
      await api.post(`/customers/${customerId}/follow-ups`, {
        subject: "Muster schicken",
        dueAt: iso(24 * hour),
        note: "Farbe blau",
      })
    ).json();
    expect(soon.overdue).toBe(false);
    const forColleague = (
      await api.post(`/customers/${customerId}/follow-ups`, {
        subject: "Rückruf",
        dueAt: iso(hour),
        owner: "Kollegin@Kundenakte.test",
      })
    ).json();
    expect(forColleague.owner).toBe("kollegin@kundenakte.test");

    const mine = (await api.get("/follow-ups")).json().items;
    expect(mine.map((f: { subject: string }) => f.subject)).toEqual(["Angebot nachfassen", "Muster schicken"]);
    expect((await colleague.get("/follow-ups")).json().items.map((f: { subject: string }) => f.subject)).toEqual([
      "Rückruf",
    ]);
    expect((await api.get("/follow-ups?owner=kollegin@kundenakte.test")).json().items).toHaveLength(1);
    expect((await api.get(`/customers/${customerId}/follow-ups`)).json().items).toHaveLength(3);

    const done = await api.patch(`/customers/${customerId}/follow-ups/${late.json().id}`, { status: "done" }, 1);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: "done", overdue: false, completedBy: ADMIN_EMAIL });
    expect((await api.get("/follow-ups")).json().items.map((f: { subject: string }) => f.subject)).toEqual([
      "Muster schicken",
    ]);
    expect((await api.get("/follow-ups?status=done")).json().items).toHaveLength(1);
    await api.patch(`/customers/${customerId}/follow-ups/${soon.id}`, { status: "cancelled" }, 1);

    const journal = (await api.get(`/customers/${customerId}/journal?kinds=follow_up`))
      .json()
      .items.map((e: { subject: string }) => e.subject);
    expect(journal).toEqual(
      expect.arrayContaining([
        "Wiedervorlage: Angebot nachfassen",
        "Wiedervorlage: Muster schicken",
        "Wiedervorlage: Rückruf",
        "Wiedervorlage erledigt: Angebot nachfassen",
        "Wiedervorlage storniert: Muster schicken",
      ]),
    );
    expect(journal).toHaveLength(5);
  });

  it("refuses unknown owners, contacts and journal entries; needs the current version", async () => {
    const bad = expectProblem(
      await api.post(`/customers/${customerId}/follow-ups`, {
        subject: "x",
        dueAt: iso(hour),
        owner: "ghost@nowhere.test",
        contactId: 999999,
        journalEntryId: 999999,
      }),
      400,
      "validation_failed",
    );
    expect(fieldCodes(bad).sort()).toEqual([
      "contactId:unknown_contact",
      "journalEntryId:unknown_entry",
      "owner:unknown_user",
    ]);
    expectProblem(await api.post(`/customers/${customerId}/follow-ups`, { subject: "x" }), 400, "validation_failed");
    expectProblem(await api.post("/customers/999999/follow-ups", { subject: "x", dueAt: iso(hour) }), 404, "not_found");
    const f = (await api.post(`/customers/${customerId}/follow-ups`, { subject: "Version", dueAt: iso(hour) })).json();
    expectProblem(
      await api.patch(`/customers/${customerId}/follow-ups/${f.id}`, { subject: "y" }),
      428,
      "precondition_required",
    );
    expect(
      (await api.patch(`/customers/${customerId}/follow-ups/${f.id}`, { dueAt: iso(2 * hour) }, 1)).statusCode,
    ).toBe(200);
    expectProblem(
      await api.patch(`/customers/${customerId}/follow-ups/${f.id}`, { subject: "y" }, 1),
      412,
      "version_mismatch",
    );
    expectProblem(await api.get(`/customers/${customerId}/follow-ups/999999`), 404, "not_found");
  });

  it("pages by due date with a cursor", async () => {
    const { customer } = (await api.post("/customers", { kind: "company", name1: "Viele Termine KG" })).json();
    for (let i = 0; i < 5; i++) {
      await api.post(`/customers/${customer.id}/follow-ups`, { subject: `T${i}`, dueAt: iso((10 + i) * hour) });
    }
    const first = (await api.get(`/customers/${customer.id}/follow-ups?limit=2`)).json();
    const second = (await api.get(`/customers/${customer.id}/follow-ups?limit=2&cursor=${first.nextCursor}`)).json();
    const third = (await api.get(`/customers/${customer.id}/follow-ups?limit=2&cursor=${second.nextCursor}`)).json();
    expect([...first.items, ...second.items, ...third.items].map((f: { subject: string }) => f.subject)).toEqual([
      "T0",
      "T1",
      "T2",
      "T3",
      "T4",
    ]);
    expect(third.nextCursor).toBeNull();
  });
});
