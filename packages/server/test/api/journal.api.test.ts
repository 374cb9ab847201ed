import { sql } from "kysely";
import { beforeAll, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "../../src/http/context.js";
import { addJournalEntry } from "../../src/modules/journal/journal.writer.js";
import { ADMIN_EMAIL, forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

interface Entry {
  id: number;
  kind: string;
  subject: string | null;
  body: string | null;
  occurredAt: string;
  author: string;
  direction: string | null;
  editable: boolean;
  version: number;
  contactId: number | null;
  deleted: unknown;
}

forEachEngine("journal API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  let customerId = 0;
  let contactId = 0;

  beforeAll(async () => {
    const created = (
      await api.post("/customers", {
        kind: "company",
        name1: "Journal GmbH",
        contacts: [{ salutation: "ms", firstName: "Anna", lastName: "Müller" }],
      })
    ).json();
    customerId = created.customer.id;
    contactId = created.contacts[0].id;
  });

  const journal = async (query = "") => {
    const res = await api.get(`/customers/${customerId}/journal${query ? `?${query}` : ""}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      items: Entry[];
      nextCursor: string | null;
      counts: Record<string, number>;
      countsCapped: boolean;
    };
  };

  /** A customer with `n` entries written in bulk (one transaction), the i-th one `i` minutes after 2020-01-01. */
  const longJournal = async (n: number, text: (i: number) => string) => {
    const id = (await api.post("/customers", { kind: "company", name1: `Langes Journal ${n}` })).json().customer.id;
    await env()
      .db.kysely.transaction()
      .execute(async (trx) => {
        for (let i = 0; i < n; i++) {
          await addJournalEntry(trx, SYSTEM_CONTEXT, {
            customerId: id,
            kind: i % 3 === 0 ? "call" : "note",
            occurredAt: new Date(Date.UTC(2020, 0, 1, 0, i)).toISOString(),
            subject: text(i),
            editable: true,
          });
        }
      });
    const get = async (query: string) => {
      const res = await api.get(`/customers/${id}/journal?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as {
        items: Entry[];
        nextCursor: string | null;
        counts: Record<string, number>;
        countsCapped: boolean;
      };
    };
    return { id, get };
  };

  it("writes system events from the audit trail: created, contact added, master data changed, block set and lifted", async () => {
    const { customer } = (await api.post("/customers", { kind: "company", name1: "Ereignis AG" })).json();
    const id = customer.id;
    await api.post(`/customers/${id}/contacts`, { firstName: "Tom", lastName: "Weber" });
    await api.patch(`/customers/${id}`, { name2: "Werk Süd", vatId: "DE136695976" }, 1);
    await api.patch(`/customers/${id}`, { block: { type: "delivery", reason: "Zahlungsverzug" } }, 2);
    await api.patch(`/customers/${id}`, { block: { type: "none" } }, 3);
    const items = (await api.get(`/customers/${id}/journal`)).json().items as Entry[];
    expect(items.map((e) => e.subject)).toEqual([
      "Sperre aufgehoben",
      "Sperre gesetzt: Liefersperre",
      "Stammdaten geändert",
      "Kontakt hinzugefügt: Tom Weber",
      "Kunde angelegt",
    ]);
    expect(items.every((e) => e.kind === "system" && !e.editable && e.author === ADMIN_EMAIL)).toBe(true);
    expect(items[1]!.body).toBe("Zahlungsverzug");
    expect(items[2]!.body).toBe("name2, vatId");
  });

  it("logs a call with one request and sensible defaults; needs a subject or a text", async () => {
    const res = await api.post(`/customers/${customerId}/journal`, { kind: "call", subject: "Rückruf wegen Angebot" });
    expect(res.statusCode, res.body).toBe(201);
    const entry = res.json() as Entry;
    expect(entry).toMatchObject({ kind: "call", direction: "in", author: ADMIN_EMAIL, editable: true, version: 1 });
    expect(env().clock.now().getTime() - Date.parse(entry.occurredAt)).toBeLessThan(60_000);
    expect(res.headers.location).toBe(`/api/v1/customers/${customerId}/journal/${entry.id}`);
    const letter = (
      await api.post(`/customers/${customerId}/journal`, {
        kind: "letter",
        body: "Preisliste 2027 verschickt",
        contactId,
      })
    ).json();
    expect(letter).toMatchObject({ direction: "out", contactId });
    expect(
      fieldCodes(
        expectProblem(await api.post(`/customers/${customerId}/journal`, { kind: "note" }), 400, "validation_failed"),
      ),
    ).toEqual(["subject:required"]);
    expectProblem(
      await api.post(`/customers/${customerId}/journal`, { kind: "system", subject: "x" }),
      400,
      "validation_failed",
    );
    expect(
      fieldCodes(
        expectProblem(
          await api.post(`/customers/${customerId}/journal`, { kind: "note", subject: "x", contactId: 999999 }),
          400,
          "validation_failed",
        ),
      ),
    ).toEqual(["contactId:unknown_contact"]);
    expectProblem(await api.post("/customers/999999/journal", { kind: "note", subject: "x" }), 404, "not_found");
  });

  it("each loggable kind can be logged, and a backdated entry sorts by when it happened", async () => {
    for (const kind of ["note", "meeting", "email"]) {
      expect(
        (await api.post(`/customers/${customerId}/journal`, { kind, subject: `Eintrag ${kind}` })).statusCode,
      ).toBe(201);
    }
    await api.post(`/customers/${customerId}/journal`, {
      kind: "meeting",
      subject: "Messe",
      occurredAt: "2025-03-14T10:00:00Z",
    });
    const items = (await journal("limit=200")).items;
    expect(items.at(-1)!.subject).toBe("Messe");
    const times = items.map((e) => e.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("filters by kinds, contact, author, date range and full text (Müller finds Mueller), with counts per kind", async () => {
    await api.post(`/customers/${customerId}/journal`, {
      kind: "note",
      subject: "Gespräch mit Frau Müller",
      body: "Sie wünscht Lieferung dienstags",
    });
    const byKinds = await journal("kinds=call,letter");
    expect(new Set(byKinds.items.map((e) => e.kind))).toEqual(new Set(["call", "letter"]));
    expect(byKinds.counts.note).toBeGreaterThanOrEqual(2);
    expect(byKinds.counts.call).toBe(1);
    expect((await journal(`contactId=${contactId}`)).items.map((e) => e.kind)).toEqual(["letter"]);
    expect((await journal("author=nobody@else.test")).items).toEqual([]);
    expect((await journal("from=2025-01-01T00:00:00Z&to=2025-12-31T23:59:59Z")).items.map((e) => e.subject)).toEqual([
      "Messe",
    ]);
    for (const q of ["Mueller", "müller", "MÜLLER", "dienst", "Lieferung dienstags"]) {
      expect(
        (await journal(`kinds=note&q=${encodeURIComponent(q)}`)).items.map((e) => e.subject),
        q,
      ).toEqual(["Gespräch mit Frau Müller"]);
    }
    expect((await journal("q=Zahnarzt")).items).toEqual([]);
    // The system entry of the contact "Anna Müller" is found too: full text covers every kind.
    expect((await journal("kinds=system&q=mueller")).items.map((e) => e.subject)).toEqual([
      "Kontakt hinzugefügt: Anna Müller",
    ]);
    expect(
      fieldCodes(
        expectProblem(await api.get(`/customers/${customerId}/journal?kinds=gossip`), 400, "validation_failed"),
      ),
    ).toEqual(["kinds:unknown_kind"]);
  });

  it("counts of a full-text filter follow new and corrected entries at once", async () => {
    expect((await journal("q=zebrastreifen")).counts).toEqual({});
    const a = (
      await api.post(`/customers/${customerId}/journal`, { kind: "note", subject: "Zebrastreifen vor dem Lager" })
    ).json();
    expect((await journal("q=zebrastreifen")).counts).toEqual({ note: 1 });
    await api.post(`/customers/${customerId}/journal`, { kind: "call", body: "Zebrastreifen fehlt noch" });
    expect((await journal("q=zebrastreifen")).counts).toEqual({ note: 1, call: 1 });
    await api.patch(`/customers/${customerId}/journal/${a.id}`, { subject: "Ampel vor dem Lager" }, 1);
    expect((await journal("q=zebrastreifen")).counts).toEqual({ call: 1 });
  });

  it("counts stop at 1,000 matches and say so; the unfiltered counts stay exact", async () => {
    const { id, get } = await longJournal(1001, (i) => `Palette ${i}`);
    // A kind too rare to be among the newest 1,000 matches is still found.
    await api.post(`/customers/${id}/journal`, {
      kind: "meeting",
      subject: "Palette alt",
      occurredAt: "2019-05-01T10:00:00Z",
    });
    expect((await get("q=palette&kinds=meeting")).items.map((e) => e.subject)).toEqual(["Palette alt"]);
    const text = await get("q=palette&limit=5");
    expect(text.countsCapped).toBe(true);
    // Lower bounds: at most what there is of each kind (334 calls, 667 notes), 1,001 in all.
    expect(text.counts.call).toBeLessThanOrEqual(334);
    expect(text.counts.note).toBeLessThanOrEqual(667);
    expect(text.counts.call! + text.counts.note!).toBe(1001);
    const all = await get("limit=5");
    expect(all).toMatchObject({ countsCapped: false, counts: { call: 334, note: 667, system: 1 } });
    const dated = await get("from=2020-01-01T00:00:00Z&limit=5");
    expect(dated.countsCapped).toBe(true);
    const few = await get("q=palette%2017&limit=5");
    expect(few.countsCapped).toBe(false);
    expect(few.items.map((e) => e.subject)).toEqual([
      "Palette 179",
      "Palette 178",
      "Palette 177",
      "Palette 176",
      "Palette 175",
    ]);
  });

  it("full text finds a rare word far behind the newest 1,000 entries and pages a common one without gaps", async () => {
    const { id, get } = await longJournal(1200, (i) => (i < 3 ? `Seltenheit ${i}` : `Routine ${i}`));
    expect((await get("q=seltenheit")).items.map((e) => e.subject)).toEqual([
      "Seltenheit 2",
      "Seltenheit 1",
      "Seltenheit 0",
    ]);
    expect((await get("q=seltenheit&kinds=call")).items.map((e) => e.subject)).toEqual(["Seltenheit 0"]);
    const seen: string[] = [];
    let page = await get("q=routine&limit=200");
    // A new entry between the page fetches must not shift the pages.
    await api.post(`/customers/${id}/journal`, { kind: "note", subject: "Routine neu" });
    for (;;) {
      seen.push(...page.items.map((e) => e.subject ?? ""));
      if (!page.nextCursor) break;
      page = await get(`q=routine&limit=200&cursor=${encodeURIComponent(page.nextCursor)}`);
    }
    expect(seen).toHaveLength(1197);
    expect(new Set(seen).size).toBe(1197);
    expect(seen[0]).toBe("Routine 1199");
    expect(seen[1196]).toBe("Routine 3");
    expect((await get("q=routine&limit=1")).items[0]!.subject).toBe("Routine neu");
  });

  it("a corrected time moves an entry in full-text results, and only there", async () => {
    const older = (
      await api.post(`/customers/${customerId}/journal`, {
        kind: "note",
        subject: "Gabelstapler defekt",
        occurredAt: "2025-03-01T10:00:00Z",
      })
    ).json();
    await api.post(`/customers/${customerId}/journal`, {
      kind: "note",
      subject: "Gabelstapler repariert",
      occurredAt: "2025-03-02T10:00:00Z",
    });
    const subjects = async () => (await journal("q=gabelstapler")).items.map((e) => e.subject);
    expect(await subjects()).toEqual(["Gabelstapler repariert", "Gabelstapler defekt"]);
    await api.patch(`/customers/${customerId}/journal/${older.id}`, { occurredAt: "2025-03-03T10:00:00Z" }, 1);
    expect(await subjects()).toEqual(["Gabelstapler defekt", "Gabelstapler repariert"]);
    expect((await journal("q=gabelstapler&from=2025-03-02T12:00:00Z")).items.map((e) => e.subject)).toEqual([
      "Gabelstapler defekt",
    ]);
    expect((await journal("q=gabelstapler")).counts).toEqual({ note: 2 });
  });

  it("full text stays inside the customer", async () => {
    const other = (await api.post("/customers", { kind: "company", name1: "Andere KG" })).json().customer.id;
    await api.post(`/customers/${other}/journal`, { kind: "note", subject: "Müller rief an" });
    const mine = (await journal("q=mueller")).items.map((e) => e.subject);
    expect(mine).not.toContain("Müller rief an");
  });

  it("pages newest first without repeating or skipping entries when new ones arrive in between", async () => {
    const { customer } = (await api.post("/customers", { kind: "company", name1: "Seiten GmbH" })).json();
    const id = customer.id;
    for (let i = 0; i < 7; i++) {
      await api.post(`/customers/${id}/journal`, {
        kind: "note",
        subject: `Notiz ${i}`,
        occurredAt: `2026-01-0${i + 1}T09:00:00Z`,
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const res = await api.get(`/customers/${id}/journal?kinds=note&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      const page = res.json();
      seen.push(...page.items.map((e: Entry) => e.subject));
      cursor = page.nextCursor;
      // Someone logs a new note while the user pages.
      await api.post(`/customers/${id}/journal`, { kind: "note", subject: `Neu ${round++}` });
    } while (cursor);
    expect(seen).toEqual(["Notiz 6", "Notiz 5", "Notiz 4", "Notiz 3", "Notiz 2", "Notiz 1", "Notiz 0"]);
    expectProblem(await api.get(`/customers/${id}/journal?cursor=nonsense`), 400, "bad_request");
  });

  it("corrections need the current version and are audited; deletes are soft, with a reason; system entries are read-only", async () => {
    const callsBefore = (await journal()).counts.call ?? 0;
    const entry = (
      await api.post(`/customers/${customerId}/journal`, { kind: "call", subject: "Falscher Betreff" })
    ).json() as Entry;
    expect((await journal()).counts.call).toBe(callsBefore + 1);
    const url = `/customers/${customerId}/journal/${entry.id}`;
    expectProblem(await api.patch(url, { subject: "Richtig" }), 428, "precondition_required");
    const fixed = await api.patch(url, { subject: "Richtiger Betreff", direction: "out" }, 1);
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ subject: "Richtiger Betreff", direction: "out", version: 2 });
    expectProblem(await api.patch(url, { subject: "Zu spät" }, 1), 412, "version_mismatch");
    expect((await journal("q=richtiger")).items.map((e) => e.id)).toEqual([entry.id]);
    expect((await journal("q=falscher")).items).toEqual([]);
    const history = (await api.get(`/customers/${customerId}/history?limit=500`)).json().items;
    expect(
      history.find(
        (h: { entityType: string; action: string; entityId: number }) =>
          h.entityType === "journal_entry" && h.action === "update" && h.entityId === entry.id,
      ).changes,
    ).toEqual(expect.arrayContaining([{ field: "subject", old: "Falscher Betreff", new: "Richtiger Betreff" }]));
    const noIfMatch = await env().app.inject({
      method: "DELETE",
      url: `/api/v1${url}`,
      payload: { reason: "Doppelt erfasst" },
      headers: { authorization: `Bearer ${env().adminToken}` },
    });
    expectProblem(noIfMatch, 428, "precondition_required");
    const noReason = await env().app.inject({
      method: "DELETE",
      url: `/api/v1${url}`,
      payload: {},
      headers: { authorization: `Bearer ${env().adminToken}`, "if-match": '"2"' },
    });
    expectProblem(noReason, 400, "validation_failed");
    const deleted = await env().app.inject({
      method: "DELETE",
      url: `/api/v1${url}`,
      payload: { reason: "Doppelt erfasst" },
      headers: { authorization: `Bearer ${env().adminToken}`, "if-match": '"2"' },
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    // The counters (read without filters) agree with counting (with a filter that keeps all).
    const counted = (await journal("from=1970-01-01T00:00:00Z")).counts;
    expect((await journal()).counts).toEqual(counted);
    expect((await journal()).items.map((e) => e.id)).not.toContain(entry.id);
    expect((await journal()).counts.call).toBe(callsBefore);
    const withDeleted = (await journal("includeDeleted=true&limit=200")).items.find((e) => e.id === entry.id)!;
    expect(withDeleted.deleted).toMatchObject({ by: ADMIN_EMAIL, reason: "Doppelt erfasst" });
    expect((await journal("q=richtiger")).items).toEqual([]);
    const system = (await journal("kinds=system")).items[0]!;
    expectProblem(
      await api.patch(`/customers/${customerId}/journal/${system.id}`, { subject: "x" }, system.version),
      409,
      "conflict",
    );
  });

  it("read-only users read the journal but cannot log; the row-level rule hides other customers' journals", async () => {
    const reader = client(
      () => env().app,
      () => readerToken,
    );
    const readerToken = (await tokenFor(env().app, env().db, "leser@journal.test", ["read_only"])).token;
    expect((await reader.get(`/customers/${customerId}/journal`)).statusCode).toBe(200);
    expectProblem(
      await reader.post(`/customers/${customerId}/journal`, { kind: "note", subject: "x" }),
      403,
      "forbidden",
    );
    const salesToken = (
      await tokenFor(env().app, env().db, "vertrieb@journal.test", ["sales"], ["read", "write"], "Saarland")
    ).token;
    const sales = client(
      () => env().app,
      () => salesToken,
    );
    const settings = (await api.get("/settings")).json();
    await api.patch("/settings", { rowLevelSales: true }, settings.version);
    try {
      expectProblem(await sales.get(`/customers/${customerId}/journal`), 404, "not_found");
      expectProblem(
        await sales.post(`/customers/${customerId}/journal`, { kind: "note", subject: "x" }),
        404,
        "not_found",
      );
    } finally {
      await api.patch("/settings", { rowLevelSales: false }, settings.version + 1);
    }
    expect((await sales.get(`/customers/${customerId}/journal`)).statusCode).toBe(200);
  });

  it("a journal entry of a deleted customer goes with it", async () => {
    const { customer } = (await api.post("/customers", { kind: "company", name1: "Weg GmbH" })).json();
    await api.post(`/customers/${customer.id}/journal`, { kind: "note", subject: "Unikat Zebra" });
    expect((await api.del(`/customers/${customer.id}`, 1)).statusCode).toBe(204);
    const left = await sql<{
      n: number;
    }>`select count(*) as n from journal_entries where customer_id = ${customer.id}`.execute(env().db.kysely);
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
