import type { FastifyInstance } from "fastify";
import { beforeAll, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { readFileRows } from "../../src/modules/customer-file/customer-file.repository.js";
import { buildFile } from "../../src/modules/customer-file/customer-file.service.js";
import { fixedClock } from "../support/clock.js";
import { forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

forEachEngine("consents and advertising objections API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  let customerId = 0;
  let ute = 0;
  let max = 0;
  let reader: ReturnType<typeof client>;

  beforeAll(async () => {
    const created = (
      await api.post("/customers", {
        kind: "company",
        name1: "Einwilligung GmbH",
        contacts: [
          { lastName: "Kraus", firstName: "Ute", email: "ute@einwilligung.test" },
          { lastName: "Maier", firstName: "Max" },
        ],
      })
    ).json();
    customerId = created.customer.id;
    ute = created.contacts.find((c: { lastName: string }) => c.lastName === "Kraus").id;
    max = created.contacts.find((c: { lastName: string }) => c.lastName === "Maier").id;
    const t = (await tokenFor(env().app, env().db, "leser@consents.test", ["read_only"])).token;
    reader = client(
      () => env().app,
      () => t,
    );
  });

  const consents = async (id = customerId) => (await api.get(`/customers/${id}/consents`)).json();
  interface ChannelState {
    channel: string;
    state: string;
    source: string | null;
    consentId: number | null;
    doubleOptInConfirmedAt: string | null;
  }
  const channelOf = (
    body: { subjects: { contactId: number | null; channels: ChannelState[] }[] },
    contactId: number | null,
    channel: string,
  ) => body.subjects.find((s) => s.contactId === contactId)!.channels.find((c) => c.channel === channel)!;

  it("grant with double opt-in, withdraw, unsubscribe: current state per channel, full history, journal", async () => {
    const initial = await consents();
    expect(initial.subjects.map((s: { contactId: number | null; name: string }) => [s.contactId, s.name])).toEqual([
      [null, "Einwilligung GmbH"],
      [ute, "Ute Kraus"],
      [max, "Max Maier"],
    ]);
    expect(channelOf(initial, ute, "email").state).toBe("none");

    const granted = await api.post(`/customers/${customerId}/consents`, {
      contactId: ute,
      channel: "email",
      state: "granted",
      source: "form",
      sourceDetail: "Newsletter-Anmeldung Website",
      wordingVersion: "v3",
      doubleOptIn: {
        requestedAt: "2026-03-01T10:00:00Z",
        confirmedAt: "2026-03-01T10:05:00Z",
        reference: "doi-4711",
      },
    });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json()).toMatchObject({
      contactId: ute,
      channel: "email",
      state: "granted",
      source: "form",
      occurredAt: "2026-03-01T10:05:00.000Z",
      wordingVersion: "v3",
      doubleOptIn: {
        requestedAt: "2026-03-01T10:00:00.000Z",
        confirmedAt: "2026-03-01T10:05:00.000Z",
        reference: "doi-4711",
      },
    });
    let now = await consents();
    expect(channelOf(now, ute, "email")).toMatchObject({
      state: "granted",
      source: "form",
      consentId: granted.json().id,
      doubleOptInConfirmedAt: "2026-03-01T10:05:00.000Z",
    });
    expect(channelOf(now, ute, "phone").state).toBe("none");
    expect(channelOf(now, null, "email").state).toBe("none");

    const withdrawn = await api.post(`/customers/${customerId}/consents`, {
      contactId: ute,
      channel: "email",
      state: "withdrawn",
      source: "phone",
      occurredAt: "2026-05-01T09:00:00Z",
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(201);
    // A consent recorded late (it happened before the withdrawal) joins the history but does not apply.
    const late = await api.post(`/customers/${customerId}/consents`, {
      contactId: ute,
      channel: "email",
      state: "granted",
      source: "letter",
      occurredAt: "2026-04-01T09:00:00Z",
    });
    expect(late.statusCode, late.body).toBe(201);
    now = await consents();
    expect(channelOf(now, ute, "email")).toMatchObject({ state: "withdrawn", consentId: withdrawn.json().id });

    // The customer itself (a consent without contact) and a second channel are separate.
    await api.post(`/customers/${customerId}/consents`, { channel: "letter", state: "granted", source: "letter" });
    const unsub = await api.post(`/customers/${customerId}/consents/unsubscribe`, {
      contactId: ute,
      channel: "sms",
      sourceDetail: "STOP per SMS",
    });
    expect(unsub.statusCode, unsub.body).toBe(201);
    expect(unsub.json()).toMatchObject({ state: "withdrawn", source: "unsubscribe", channel: "sms" });
    now = await consents();
    expect(channelOf(now, null, "letter").state).toBe("granted");
    expect(channelOf(now, ute, "sms")).toMatchObject({ state: "withdrawn", source: "unsubscribe" });

    const history = (await api.get(`/customers/${customerId}/consents/history?contactId=${ute}&channel=email`)).json();
    expect(history.items.map((c: { id: number }) => c.id)).toEqual([
      late.json().id,
      withdrawn.json().id,
      granted.json().id,
    ]);
    const page1 = (await api.get(`/customers/${customerId}/consents/history?limit=2`)).json();
    expect(page1.items).toHaveLength(2);
    const page2 = (
      await api.get(`/customers/${customerId}/consents/history?limit=2&cursor=${page1.nextCursor}`)
    ).json();
    const page3 = (
      await api.get(`/customers/${customerId}/consents/history?limit=2&cursor=${page2.nextCursor}`)
    ).json();
    expect([...page1.items, ...page2.items, ...page3.items]).toHaveLength(5);
    expect(page3.nextCursor).toBeNull();
    const own = (await api.get(`/customers/${customerId}/consents/history?customerLevel=true`)).json();
    expect(own.items.map((c: { channel: string }) => c.channel)).toEqual(["letter"]);

    const journal = (await api.get(`/customers/${customerId}/journal?kinds=system`))
      .json()
      .items.filter((e: { link: { type: string } | null }) => e.link?.type === "consent");
    expect(journal.map((e: { subject: string }) => e.subject).sort()).toEqual(
      [
        "Abmeldung: SMS",
        "Einwilligung erteilt: Brief",
        "Einwilligung erteilt: E-Mail",
        "Einwilligung erteilt: E-Mail",
        "Einwilligung widerrufen: E-Mail",
      ].sort(),
    );
    const doi = journal.find((e: { link: { id: number } }) => e.link.id === granted.json().id);
    expect(doi.contactId).toBe(ute);
    expect(doi.body).toContain("Double-Opt-In bestätigt");
    expect(doi.body).toContain("Kontakt: Ute Kraus");
  });

  it("refuses consents without evidence, from strangers, in the future, or unsubscribes that grant", async () => {
    const bad = expectProblem(
      await api.post(`/customers/${customerId}/consents`, {
        contactId: 999999,
        channel: "email",
        state: "granted",
        source: "form",
        occurredAt: "2999-01-01T00:00:00Z",
      }),
      400,
      "validation_failed",
    );
    expect(fieldCodes(bad).sort()).toEqual([
      "contactId:unknown_contact",
      "doubleOptIn:required",
      "occurredAt:in_future",
    ]);
    const doi = expectProblem(
      await api.post(`/customers/${customerId}/consents`, {
        contactId: ute,
        channel: "email",
        state: "granted",
        source: "form",
        doubleOptIn: { requestedAt: "2026-03-02T10:00:00Z", confirmedAt: "2026-03-01T10:00:00Z" },
      }),
      400,
      "validation_failed",
    );
    expect(fieldCodes(doi)).toContain("doubleOptIn/confirmedAt:before_request");
    expect(
      fieldCodes(
        expectProblem(
          await api.post(`/customers/${customerId}/consents`, {
            channel: "phone",
            state: "granted",
            source: "unsubscribe",
          }),
          400,
          "validation_failed",
        ),
      ),
    ).toEqual(["source:unsubscribe_withdraws"]);
    expect(
      fieldCodes(
        expectProblem(
          await api.post(`/customers/${customerId}/consents`, { channel: "fax", state: "granted", source: "phone" }),
          400,
          "validation_failed",
        ),
      ),
    ).toEqual(["channel:enum"]);
    expect(
      fieldCodes(
        expectProblem(
          await api.post(`/customers/${customerId}/consents`, {
            channel: "phone",
            state: "none",
            source: "phone",
            extra: 1,
          }),
          400,
          "validation_failed",
        ),
      ).sort(),
    ).toEqual(["extra:unknown_field", "state:enum"]);
    expectProblem(
      await api.post("/customers/999999/consents", { channel: "phone", state: "granted", source: "phone" }),
      404,
      "not_found",
    );
    expectProblem(await api.get("/customers/999999/consents"), 404, "not_found");
    expectProblem(await api.get(`/customers/${customerId}/consents?contactId=999999`), 404, "not_found");
    expectProblem(await api.get(`/customers/${customerId}/consents/history?cursor=kaputt`), 400, "bad_request");
    // Read-only users see consents but record none.
    expect((await reader.get(`/customers/${customerId}/consents`)).statusCode).toBe(200);
    expectProblem(
      await reader.post(`/customers/${customerId}/consents`, { channel: "phone", state: "granted", source: "phone" }),
      403,
      "forbidden",
    );
  });

  /** The served file equals the file built live from the tables (the stored document is current). */
  const expectFileCurrent = async (id: number) => {
    const served = (await api.get(`/customers/${id}/file`)).json();
    const live = buildFile((await readFileRows(env().db.kysely, [id])).get(id)!);
    const { bankAccounts: _b, keyFigures: _k, ...rest } = served;
    expect(rest).toEqual(JSON.parse(JSON.stringify(live)));
    return served;
  };

  it("objection on the customer and on a contact: shown in the file, 409 twice, lifted with If-Match", async () => {
    let file = await expectFileCurrent(customerId);
    expect(file.advertisingObjection).toEqual({ customer: false, since: null, contactIds: [] });

    const o = await api.post(`/customers/${customerId}/advertising-objections`, {
      objectedOn: "2026-06-01",
      source: "letter",
      note: "Schreiben vom 30.05.",
    });
    expect(o.statusCode, o.body).toBe(201);
    expect(o.headers.etag).toBe('"1"');
    expect(o.json()).toMatchObject({ contactId: null, objectedOn: "2026-06-01", active: true, version: 1 });
    const oc = await api.post(`/customers/${customerId}/advertising-objections`, { contactId: max, source: "phone" });
    expect(oc.statusCode, oc.body).toBe(201);
    file = await expectFileCurrent(customerId);
    expect(file.advertisingObjection).toEqual({ customer: true, since: "2026-06-01", contactIds: [max] });

    expectProblem(
      await api.post(`/customers/${customerId}/advertising-objections`, { source: "email" }),
      409,
      "conflict",
    );
    const c = await consents();
    expect(c.objection.id).toBe(o.json().id);
    expect(c.subjects.every((s: { advertisingBlocked: boolean }) => s.advertisingBlocked)).toBe(true);
    expect(c.subjects.find((s: { contactId: number | null }) => s.contactId === max).objection.id).toBe(oc.json().id);

    const lift = `/customers/${customerId}/advertising-objections/${o.json().id}/lift`;
    expectProblem(await api.post(lift, { reason: "Schriftlicher Widerruf" }), 428, "precondition_required");
    const stale = expectProblem(
      await api.post(lift, { reason: "Schriftlicher Widerruf" }, { "if-match": '"7"' }),
      412,
      "version_mismatch",
    );
    expect(stale.current).toMatchObject({ id: o.json().id, version: 1, active: true });
    expect(
      fieldCodes(
        expectProblem(
          await api.post(lift, { reason: "zu früh", liftedOn: "2026-05-01" }, { "if-match": '"1"' }),
          400,
          "validation_failed",
        ),
      ),
    ).toEqual(["liftedOn:before_objection"]);
    expect(
      fieldCodes(expectProblem(await api.post(lift, {}, { "if-match": '"1"' }), 400, "validation_failed")),
    ).toEqual(["reason:required"]);
    const lifted = await api.post(
      lift,
      { reason: "Schriftlicher Widerruf", liftedOn: "2026-07-01" },
      { "if-match": '"1"' },
    );
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json()).toMatchObject({ active: false, liftedOn: "2026-07-01", version: 2 });
    expect(lifted.headers.etag).toBe('"2"');
    expectProblem(await api.post(lift, { reason: "noch mal" }, { "if-match": '"2"' }), 409, "conflict");
    file = await expectFileCurrent(customerId);
    expect(file.advertisingObjection).toEqual({ customer: false, since: null, contactIds: [max] });

    // A new objection after the lift is allowed; the history keeps both.
    expect((await api.post(`/customers/${customerId}/advertising-objections`, { source: "email" })).statusCode).toBe(
      201,
    );
    const all = (await api.get(`/customers/${customerId}/advertising-objections`)).json().items;
    expect(all.map((x: { active: boolean }) => x.active)).toEqual([true, true, false]);
    expect((await api.get(`/customers/${customerId}/advertising-objections?active=false`)).json().items).toHaveLength(
      1,
    );
    expect((await api.get(`/customers/${customerId}/advertising-objections/${o.json().id}`)).json().liftReason).toBe(
      "Schriftlicher Widerruf",
    );
    expectProblem(await api.get(`/customers/${customerId}/advertising-objections/999999`), 404, "not_found");

    const journal = (await api.get(`/customers/${customerId}/journal?kinds=system`))
      .json()
      .items.filter((e: { link: { type: string } | null }) => e.link?.type === "advertising_objection")
      .map((e: { subject: string }) => e.subject);
    expect(journal.sort()).toEqual(
      [
        "Werbewiderspruch aufgehoben",
        "Werbewiderspruch eingelegt",
        "Werbewiderspruch eingelegt",
        "Werbewiderspruch eingelegt: Max Maier",
      ].sort(),
    );
    const history = (await api.get(`/customers/${customerId}/history`)).json();
    expect(JSON.stringify(history)).toContain("advertising_objection");
  });

  it("dates default to the injected clock's day in Germany, and may not be in the future", async () => {
    let app: FastifyInstance | undefined;
    try {
      // 23:30 UTC on 27 November is already 28 November in Berlin.
      app = await buildApp({ db: env().db, clock: fixedClock(new Date("2026-11-27T23:30:00Z")) });
      await app.ready();
      const at = client(
        () => app!,
        () => env().adminToken,
      );
      const other = (await at.post("/customers", { kind: "person", name1: "Uhr", lastName: "Uhr" })).json();
      const id = other.customer.id;
      const future = expectProblem(
        await at.post(`/customers/${id}/advertising-objections`, { source: "phone", objectedOn: "2026-11-29" }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(future)).toEqual(["objectedOn:in_future"]);
      const o = await at.post(`/customers/${id}/advertising-objections`, { source: "phone" });
      expect(o.json().objectedOn).toBe("2026-11-28");
      const u = await at.post(`/customers/${id}/consents/unsubscribe`, { channel: "email" });
      expect(u.json().occurredAt).toBe("2026-11-27T23:30:00.000Z");
    } finally {
      await app?.close();
    }
  });
});
