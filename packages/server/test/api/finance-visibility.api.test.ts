import type { LightMyRequestResponse } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "../../src/http/context.js";
import { addJournalEntry } from "../../src/modules/journal/journal.writer.js";
import { forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem } from "../support/http.js";

interface Entry {
  id: number;
  kind: string;
  subject: string | null;
  body: string | null;
  link: { type: string; id: number } | null;
  financeWithheld: string | null;
}
interface HistoryRow {
  entityType: string;
  action: string;
  changes: { field: string; old: unknown; new: unknown }[];
}

/** Roles without finance permission, and those with it. */
const WITHOUT_FINANCE = ["marketing", "sales", "service", "read_only"] as const;
const WITH_FINANCE = ["finance", "admin"] as const;

/** Figures of the finance events below: none of them may reach a reader without finance permission. */
const PAYMENT = "123,45";
const LIMIT = "7.777,77";
const FINANCE_TEXT = [PAYMENT, LIMIT, "Tage überfällig", "Mahnstufe", "Zahlungserinnerung", "Kreditlimit"];

/**
 * The field-level finance rule (bank accounts, credit, payment data: finance and admin only)
 * applied to the journal, the change history and merges: a payment, a dunning notice and a
 * credit-limit change stay in the journal as events, without their figures, for everyone else.
 */
forEachEngine("finance data in journal, history and merges", (env) => {
  const admin = client(
    () => env().app,
    () => env().adminToken,
  );
  const tokens: Record<string, string> = {};
  const as = (role: string) =>
    client(
      () => env().app,
      () => tokens[role] ?? null,
    );
  let customerId = 0;
  let invoiceId = 0;

  const newCustomer = async (name: string, iban: string) => {
    const res = await admin.post("/customers", { kind: "company", name1: name, bankAccounts: [{ iban }] });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().customer.id as number;
  };
  const ok = async (res: Promise<LightMyRequestResponse>, status = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return r;
  };

  beforeAll(async () => {
    for (const role of [...WITHOUT_FINANCE, "finance"]) {
      tokens[role] = (await tokenFor(env().app, env().db, `${role}-fin@kundenakte.test`, [role])).token;
    }
    tokens.admin = env().adminToken;
    customerId = await newCustomer("Zahlungsfluss GmbH", "DE89370400440532013000");
    const terms = (await admin.get("/payment-terms")).json().items as { id: number; code: string }[];
    // 200 € net + 19 % = 238 € gross, 30 days net: overdue on the dunning day; 123,45 € paid later.
    const invoice = await ok(
      admin.post(`/customers/${customerId}/documents`, {
        type: "invoice",
        documentDate: "2026-05-01",
        paymentTermsId: terms.find((t) => t.code === "30-netto")!.id,
        lines: [{ text: "Beratung", quantity: 1, unitPriceCents: 20000, vatRatePercent: 19 }],
      }),
      201,
    );
    invoiceId = invoice.json().id;
    await ok(admin.post("/dunning/runs", { onDate: "2026-06-30", customerIds: [customerId] }), 201);
    await ok(admin.post(`/customers/${customerId}/payments`, { amountCents: 12345, paymentDate: "2026-07-01" }), 201);
    const etag = (await admin.get(`/customers/${customerId}/credit`)).headers.etag as string;
    await ok(
      admin.patch(`/customers/${customerId}/credit`, { creditLimitCents: 777777 }, undefined, { "if-match": etag }),
    );
    // A call that names no amount: searches must still find it for everyone.
    await ok(admin.post(`/customers/${customerId}/journal`, { kind: "call", subject: "Rückruf Zahlungsziel" }), 201);
  });

  const journalOf = async (role: string, query = "") =>
    (await ok(as(role).get(`/customers/${customerId}/journal${query}`))).json() as {
      items: Entry[];
      counts: Record<string, number>;
    };
  const financeEntries = (items: Entry[]) =>
    items.filter((e) => e.kind === "payment" || e.kind === "dunning" || e.financeWithheld === "credit_limit");

  describe.each(WITHOUT_FINANCE)("%s", (role) => {
    it("sees payments, dunning notices and credit-limit changes as events without their figures", async () => {
      const page = await journalOf(role);
      const events = financeEntries(page.items);
      expect(events.map((e) => e.financeWithheld).sort()).toEqual(["credit_limit", "dunning", "payment"]);
      for (const e of events) expect(e).toMatchObject({ subject: null, body: null, link: null });
      const text = JSON.stringify(page.items);
      for (const figure of FINANCE_TEXT) expect(text, figure).not.toContain(figure);
      // Each entry read on its own is withheld alike.
      for (const e of events) {
        const one = (await ok(as(role).get(`/customers/${customerId}/journal/${e.id}`))).json() as Entry;
        expect(one).toEqual(e);
      }
    });

    it("does not find a finance event by its amount or its words in the full text, nor count it", async () => {
      for (const q of [PAYMENT, "7.777", "überfällig", "Kreditlimit", "Zahlung"]) {
        const page = await journalOf(role, `?q=${encodeURIComponent(q)}`);
        expect(financeEntries(page.items), q).toEqual([]);
        expect(page.counts.payment ?? 0, q).toBe(0);
        expect(page.counts.dunning ?? 0, q).toBe(0);
      }
      // Everything else is still found.
      const call = await journalOf(role, "?q=Zahlungsziel");
      expect(call.items.map((e) => e.subject)).toEqual(["Rückruf Zahlungsziel"]);
    });

    it("reads a history without finance records", async () => {
      const items = (await ok(as(role).get(`/customers/${customerId}/history?limit=200`))).json().items as HistoryRow[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.map((h) => h.entityType)).not.toContain("payment");
      expect(items.map((h) => h.entityType)).not.toContain("bank_account");
      expect(items.map((h) => h.entityType)).not.toContain("credit_settings");
      expect(items.map((h) => h.entityType)).not.toContain("dunning_notice");
      const invoice = items.find((h) => h.entityType === "sales_document")!;
      expect(invoice.changes.map((c) => c.field)).toContain("grossCents");
      expect(invoice.changes.map((c) => c.field)).not.toContain("openCents");
    });

    it("reads documents without what is still open on them", async () => {
      const list = (await ok(as(role).get(`/customers/${customerId}/documents`))).json().items;
      expect(list.map((d: { id: number; openCents: unknown }) => [d.id, d.openCents])).toEqual([[invoiceId, null]]);
      const one = (await ok(as(role).get(`/customers/${customerId}/documents/${invoiceId}`))).json();
      expect(one).toMatchObject({ grossCents: 23800, openCents: null, status: "partly_paid" });
    });
  });

  describe.each(WITH_FINANCE)("%s", (role) => {
    it("sees the figures of every finance event and finds them by amount", async () => {
      const page = await journalOf(role);
      const events = financeEntries(page.items);
      expect(events.map((e) => e.kind).sort()).toEqual(["dunning", "payment"]);
      expect(page.items.every((e) => e.financeWithheld === null)).toBe(true);
      const subjects = page.items.map((e) => e.subject).join("\n");
      expect(subjects).toContain(PAYMENT);
      expect(subjects).toContain("Kreditlimit geändert");
      expect(page.items.find((e) => e.subject === "Kreditlimit geändert")!.body).toContain(LIMIT);
      expect(page.items.find((e) => e.kind === "dunning")!.body).toContain("30 Tage überfällig");
      const found = await journalOf(role, `?q=${encodeURIComponent(PAYMENT)}`);
      expect(found.items.map((e) => e.kind)).toEqual(["payment"]);
      expect(found.counts.payment).toBe(1);
      const history = (await ok(as(role).get(`/customers/${customerId}/history?limit=200`))).json()
        .items as HistoryRow[];
      const types = history.map((h) => h.entityType);
      for (const t of ["payment", "bank_account", "credit_settings", "dunning_notice"]) expect(types).toContain(t);
      const invoice = history.find((h) => h.entityType === "sales_document")!;
      expect(invoice.changes.find((c) => c.field === "openCents")?.new).toBe(23800);
      const doc = (await ok(as(role).get(`/customers/${customerId}/documents/${invoiceId}`))).json();
      expect(doc.openCents).toBe(23800 - 12345);
    });
  });

  describe("credit check", () => {
    /** A customer with a limit of 100 €: an order of 119 € is blocked. */
    const limited = async () => {
      const id = await newCustomer("Grenzfall KG", "DE02120300000000202051");
      const etag = (await admin.get(`/customers/${id}/credit`)).headers.etag as string;
      await ok(admin.patch(`/customers/${id}/credit`, { creditLimitCents: 10000 }, undefined, { "if-match": etag }));
      return id;
    };
    const order = {
      type: "order",
      lines: [{ text: "Beratung", quantity: 1, unitPriceCents: 10000, vatRatePercent: 19 }],
    };

    it("tells sales the result and its reasons, not the limit, the open items or what is left", async () => {
      const id = await limited();
      const check = (await ok(as("sales").post(`/customers/${id}/credit-check`, { amountCents: 11900 }))).json();
      expect(check).toEqual({ result: "blocked", reasons: ["limit_exceeded"], amountCents: 11900 });
      const refused = expectProblem(await as("sales").post(`/customers/${id}/documents`, order), 422, "credit_blocked");
      expect(refused.current).toEqual(check);
      expect(refused.detail).not.toMatch(/\d+,\d\d/);
    });

    it("gives finance every figure of the check", async () => {
      const id = await limited();
      const check = (await ok(as("finance").post(`/customers/${id}/credit-check`, { amountCents: 11900 }))).json();
      expect(check).toMatchObject({
        result: "blocked",
        creditLimitCents: 10000,
        exposureCents: 11900,
        availableCents: -1900,
      });
      const refused = expectProblem(
        await as("finance").post(`/customers/${id}/documents`, order),
        422,
        "credit_blocked",
      );
      expect(refused.current).toEqual(check);
      expect(refused.detail).toContain("100,00");
    });
  });

  describe("merges", () => {
    /** Two customers with bank accounts and a payment each, merged by `role`. */
    const mergeAs = async (role: "sales" | "admin", n: number) => {
      const a = await newCustomer(`Verschmelzung ${role} A`, "DE02120300000000202051");
      const b = await newCustomer(`Verschmelzung ${role} B`, "DE02500105170137075030");
      await ok(admin.post(`/customers/${b}/payments`, { amountCents: 1000 * n, paymentDate: "2026-07-01" }), 201);
      const version = async (id: number) => (await admin.get(`/customers/${id}`)).json().version as number;
      const res = await ok(
        as(role).post(
          `/customers/${a}/merge`,
          { merge: [{ id: b, version: await version(b) }] },
          {
            "if-match": `"${await version(a)}"`,
          },
        ),
      );
      return { survivor: a, result: res.json() as { moved: Record<string, number> } };
    };

    it("tells a merging sales user and the journal what moved, without counts of finance records", async () => {
      const { survivor, result } = await mergeAs("sales", 1);
      expect(Object.keys(result.moved)).not.toContain("bank_accounts");
      expect(Object.keys(result.moved)).not.toContain("payments");
      expect(result.moved.journal_entries).toBeGreaterThan(0);
      for (const role of WITHOUT_FINANCE) {
        const history = (await ok(as(role).get(`/customers/${survivor}/history`))).json().items as HistoryRow[];
        const moved = history.find((h) => h.action === "merge")!.changes.find((c) => c.field === "moved")!;
        expect(Object.keys(moved.new as object), role).not.toContain("bank_accounts");
        expect(Object.keys(moved.new as object), role).not.toContain("payments");
        expect((moved.new as Record<string, number>).journal_entries, role).toBeGreaterThan(0);
        const entry = (
          (await ok(as(role).get(`/customers/${survivor}/journal?kinds=system`))).json().items as Entry[]
        ).find((e) => e.subject?.startsWith("Kunden zusammengeführt"))!;
        expect(entry.body, role).toMatch(/Übernommen: .*Journaleinträge.*, Finanzdaten/);
        expect(entry.body, role).not.toMatch(/\d+ (Bankverbindungen|Zahlungen)/);
      }
    });

    it("reads merge entries written before this rule without their counts of finance records", async () => {
      const id = await newCustomer("Altbestand AG", "DE02500105170137075030");
      const body =
        "K-1 Alt → K-2\nÜbernommen: 2 Bankverbindungen, 4 Kontakte, 1 Zahlungen, 3 Mahnungen, 1 weitere Einträge";
      await env()
        .db.kysely.transaction()
        .execute((trx) =>
          addJournalEntry(trx, SYSTEM_CONTEXT, {
            customerId: id,
            kind: "system",
            subject: "Kunden zusammengeführt: K-1",
            body,
          }),
        );
      const read = async (role: string) =>
        ((await ok(as(role).get(`/customers/${id}/journal?kinds=system`))).json().items as Entry[]).find((e) =>
          e.subject?.startsWith("Kunden zusammengeführt"),
        )!.body;
      for (const role of WITHOUT_FINANCE) {
        expect(await read(role), role).toBe("K-1 Alt → K-2\nÜbernommen: 4 Kontakte, 1 weitere Einträge, Finanzdaten");
      }
      for (const role of WITH_FINANCE) expect(await read(role), role).toBe(body);
    });

    it("gives finance and admin the counts of finance records in the merge result and the history", async () => {
      const { survivor, result } = await mergeAs("admin", 2);
      expect(result.moved).toMatchObject({ bank_accounts: 1, payments: 1 });
      for (const role of WITH_FINANCE) {
        const history = (await ok(as(role).get(`/customers/${survivor}/history`))).json().items as HistoryRow[];
        const moved = history.find((h) => h.action === "merge")!.changes.find((c) => c.field === "moved")!;
        expect(moved.new, role).toMatchObject({ bank_accounts: 1, payments: 1 });
      }
    });
  });
});
