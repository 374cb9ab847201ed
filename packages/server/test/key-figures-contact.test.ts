import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { keyFiguresOf } from "../src/modules/figures/key-figures.js";
import { ADMIN_EMAIL, forEachEngine, tokenFor } from "./support/engines.js";
import { client } from "./support/http.js";

/**
 * The info panel's "next follow-up" and "last contact": in the key figures of the customer file,
 * on both paths (customer without finance records: no figures query; with: the one statement)
 * and for a file built live, for the roles that see the key figures.
 */
forEachEngine("key figures: next follow-up and last contact", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  const hour = 3600_000;
  const iso = (offset: number) => new Date(env().clock.now().getTime() + offset).toISOString();
  const figures = async (id: number, as = api) => {
    const res = await as.get(`/customers/${id}/file`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().keyFigures;
  };
  const newCustomer = async (name1: string) =>
    (await api.post("/customers", { kind: "company", name1, contacts: [{ lastName: "Kraus" }] })).json().customer
      .id as number;
  const followUp = async (id: number, body: Record<string, unknown>) => {
    const res = await api.post(`/customers/${id}/follow-ups`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; version: number; dueAt: string };
  };
  const log = async (id: number, body: Record<string, unknown>) => {
    const res = await api.post(`/customers/${id}/journal`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; version: number };
  };
  /** The file once without and once with finance records (credit setting → the figures statement). */
  const bothPaths = async (id: number, check: (f: Record<string, unknown>) => void) => {
    check(await figures(id));
    await api.patch(`/customers/${id}/credit`, { creditLimitCents: 100_000 }, 1);
    const f = await figures(id);
    expect(f.creditLimitCents).toBe(100_000);
    check(f);
    // The stored document and the live figures agree.
    expect(f).toEqual(
      JSON.parse(JSON.stringify(await keyFiguresOf(env().db, id, true, env().clock.today(), env().clock.nowIso()))),
    );
  };

  beforeAll(async () => {
    await tokenFor(env().app, env().db, "vera@kundenakte.test", ["sales"]);
  });

  it("a customer without open follow-ups and contacts has neither figure", async () => {
    const id = await newCustomer("Ruhige GmbH");
    // Module entries are no contact: a follow-up written and completed, a note.
    const f = await followUp(id, { subject: "Erledigt", dueAt: iso(hour) });
    await api.patch(`/customers/${id}/follow-ups/${f.id}`, { status: "done" }, f.version);
    const c = await followUp(id, { subject: "Storniert", dueAt: iso(2 * hour) });
    await api.patch(`/customers/${id}/follow-ups/${c.id}`, { status: "cancelled" }, c.version);
    await log(id, { kind: "note", subject: "Nur eine Notiz" });
    await bothPaths(id, (k) => {
      expect(k).toBeDefined();
      expect(k).not.toHaveProperty("nextFollowUp");
      expect(k).not.toHaveProperty("lastContactAt");
      expect(k).not.toHaveProperty("lastContactKind");
    });
  });

  it("the earliest open follow-up wins; done ones are ignored; overdue is flagged; the owner's name comes along", async () => {
    const id = await newCustomer("Termintreu KG");
    const later = await followUp(id, { subject: "Später", dueAt: iso(48 * hour) });
    const overdue = await followUp(id, { subject: "Überfällig", dueAt: iso(-3 * hour) });
    const soon = await followUp(id, { subject: "Bald", dueAt: iso(2 * hour), owner: "vera@kundenakte.test" });
    expect((await figures(id)).nextFollowUp).toEqual({
      id: overdue.id,
      dueAt: overdue.dueAt,
      subject: "Überfällig",
      owner: ADMIN_EMAIL,
      ownerName: "admin",
      overdue: true,
    });
    await api.patch(`/customers/${id}/follow-ups/${overdue.id}`, { status: "done" }, overdue.version);
    await bothPaths(id, (k) =>
      expect(k.nextFollowUp).toEqual({
        id: soon.id,
        dueAt: soon.dueAt,
        subject: "Bald",
        owner: "vera@kundenakte.test",
        ownerName: "vera",
        overdue: false,
      }),
    );
    await api.patch(`/customers/${id}/follow-ups/${soon.id}`, { status: "done" }, soon.version);
    expect((await figures(id)).nextFollowUp).toMatchObject({ id: later.id, subject: "Später" });
  });

  it("the last contact is the newest call, e-mail, meeting or letter — not notes, not deleted ones", async () => {
    const id = await newCustomer("Gesprächig AG");
    const letter = await log(id, { kind: "letter", subject: "Angebot", occurredAt: iso(-5 * 24 * hour) });
    const meeting = iso(-2 * 24 * hour);
    await log(id, { kind: "meeting", subject: "Besuch vor Ort", occurredAt: meeting });
    // Logged later, but it happened earlier: the meeting stays the last contact.
    await log(id, { kind: "call", subject: "Nachgetragen", occurredAt: iso(-3 * 24 * hour) });
    // Newer, but a note: no contact.
    await log(id, { kind: "note", subject: "Intern", occurredAt: iso(-hour) });
    await bothPaths(id, (k) => {
      expect(k.lastContactKind).toBe("meeting");
      expect(Date.parse(k.lastContactAt as string)).toBe(Date.parse(meeting));
    });
    const call = iso(-10 * 60_000);
    const entry = await log(id, { kind: "call", subject: "Rückruf", occurredAt: call });
    const k = await figures(id);
    expect(k.lastContactKind).toBe("call");
    expect(Date.parse(k.lastContactAt)).toBe(Date.parse(call));
    // A deleted entry is no contact any more.
    const del = await env().app.inject({
      method: "DELETE",
      url: `/api/v1/customers/${id}/journal/${entry.id}`,
      payload: { reason: "falscher Kunde" },
      headers: { authorization: `Bearer ${env().adminToken}`, "if-match": `"${entry.version}"` },
    });
    expect(del.statusCode, del.body).toBe(204);
    expect((await figures(id)).lastContactKind).toBe("meeting");
    expect(letter.id).toBeGreaterThan(0);
  });

  it("a file built live (no stored document) carries the same figures", async () => {
    const id = await newCustomer("Live GmbH");
    const f = await followUp(id, { subject: "Anrufen", dueAt: iso(hour) });
    await log(id, { kind: "email", subject: "Anfrage" });
    const stored = await figures(id);
    await sql`delete from customer_file_documents where customer_id = ${id}`.execute(env().db.kysely);
    const live = await figures(id);
    expect(live).toEqual(stored);
    expect(live.nextFollowUp.id).toBe(f.id);
    expect(live.lastContactKind).toBe("email");
  });

  describe("who sees them: everyone who sees the key figures", () => {
    let id = 0;
    beforeAll(async () => {
      id = await newCustomer("Sichtbar GmbH");
      await followUp(id, { subject: "Nachfassen", dueAt: iso(hour) });
      await log(id, { kind: "call", subject: "Erstgespräch" });
    });

    it.each([["sales"], ["read_only"], ["finance"], ["marketing"]])("%s", async (role) => {
      const { token } = await tokenFor(env().app, env().db, `${role}-kf@kundenakte.test`, [role]);
      const k = await figures(
        id,
        client(
          () => env().app,
          () => token,
        ),
      );
      expect(k.nextFollowUp).toMatchObject({ subject: "Nachfassen", overdue: false });
      expect(k.lastContactKind).toBe("call");
      // Finance figures stay where they were: finance and admin only.
      expect("openItemsCents" in k).toBe(role === "finance");
    });

    it("not for a role without documents.read: no key figures at all", async () => {
      const roles = (await api.get("/roles")).json();
      const service = (roles.items ?? roles).find((r: { key: string }) => r.key === "service");
      const res = await api.patch(
        "/roles/service",
        { permissions: service.permissions.filter((p: string) => p !== "documents.read") },
        service.version,
      );
      expect(res.statusCode, res.body).toBe(200);
      const { token } = await tokenFor(env().app, env().db, "service-kf@kundenakte.test", ["service"]);
      const file = (
        await client(
          () => env().app,
          () => token,
        ).get(`/customers/${id}/file`)
      ).json();
      expect(file.customer.name1).toBe("Sichtbar GmbH");
      expect(file.keyFigures).toBeUndefined();
    });
  });
});
