/**
 * End-to-end: finance events in the journal. A payment, a dunning notice and a credit-limit
 * change recorded by finance show to a sales user as events without amounts — named in German
 * and in English, with a note who sees the amounts — and to finance with their amounts.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

/** What a locator shows, with the no-break spaces of formatted money as plain spaces. */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/[\u00a0\u202f]/g, " ");
}

describe("finance events in the journal", () => {
  let e2e: E2e;
  let customerId = 0;

  beforeAll(async () => {
    e2e = await startE2e();
    // Finance records an invoice, a dunning notice, a payment and a credit limit (fixed dates: no clock).
    const page = await e2e.loginAs(USERS.finance);
    const headers = await e2e.csrf(page);
    const url = (path: string) => `${e2e.base}/api/v1${path}`;
    const post = async (path: string, data: unknown) => {
      const res = await page.request.post(url(path), { headers, data });
      expect(res.status(), `${path}: ${await res.text()}`).toBe(201);
      return res.json();
    };
    customerId = (await post("/customers", { kind: "company", name1: "Mahnfall GmbH" })).customer.id;
    const terms = (await (await page.request.get(url("/payment-terms"))).json()).items as {
      id: number;
      code: string;
    }[];
    await post(`/customers/${customerId}/documents`, {
      type: "invoice",
      documentDate: "2026-05-01",
      paymentTermsId: terms.find((t) => t.code === "30-netto")!.id,
      lines: [{ text: "Montage", quantity: 1, unitPriceCents: 20_000, vatRatePercent: 19 }],
    });
    await post("/dunning/runs", { onDate: "2026-06-30", customerIds: [customerId] });
    await post(`/customers/${customerId}/payments`, { amountCents: 12_345, paymentDate: "2026-07-01" });
    const credit = await page.request.get(url(`/customers/${customerId}/credit`));
    const limit = await page.request.patch(url(`/customers/${customerId}/credit`), {
      headers: { ...headers, "if-match": credit.headers().etag! },
      data: { creditLimitCents: 777_777 },
    });
    expect(limit.status(), await limit.text()).toBe(200);
    await page.context().close();
  }, 180_000);

  afterAll(async () => e2e?.close());

  const journalOf = async (page: Page) => {
    await page.goto(`${e2e.base}/customers/${customerId}`);
    await page.getByRole("heading", { name: "Mahnfall GmbH" }).waitFor();
    return page.getByRole("region", { name: "Journal" });
  };

  it("a sales user sees payment, dunning notice and credit-limit change as events without amounts, in German and English", async () => {
    const page = await e2e.loginAs(USERS.sales);
    let journal = await journalOf(page);
    const note = "Beträge sehen nur Buchhaltung und Administration.";
    for (const event of ["Zahlung erfasst", "Mahnung erstellt", "Kreditlimit geändert"]) {
      const entry = journal.getByRole("article", { name: event });
      await entry.waitFor();
      const shown = await text(entry);
      expect(shown).toContain(note);
      expect(shown).not.toMatch(/€|\d+,\d\d|überfällig|undefined|journal\./);
    }
    // The invoice itself is not finance data: its entry keeps its amount.
    expect(await text(journal.getByRole("article", { name: /^Rechnung / }))).toContain("238,00 €");

    await page.getByText("EN", { exact: true }).click();
    journal = page.getByRole("region", { name: "Journal" });
    for (const event of ["Payment recorded", "Dunning notice issued", "Credit limit changed"]) {
      const entry = journal.getByRole("article", { name: event });
      await entry.waitFor();
      const shown = await text(entry);
      expect(shown).toContain("Amounts are visible to finance and administrators only.");
      expect(shown).not.toMatch(/€|\d+[.,]\d\d|undefined|journal\./);
    }
    await page.getByText("DE", { exact: true }).click();
    await page.context().close();
  });

  it("a sales user's merge shows in the history what moved, in words and without counts of finance records", async () => {
    const finance = await e2e.loginAs(USERS.finance);
    const headers = await e2e.csrf(finance);
    const url = (path: string) => `${e2e.base}/api/v1${path}`;
    const create = async (name: string) => {
      const res = await finance.request.post(url("/customers"), {
        headers,
        data: { kind: "company", name1: name, bankAccounts: [{ iban: "DE02120300000000202051" }] },
      });
      expect(res.status(), await res.text()).toBe(201);
      return (await res.json()).customer as { id: number; version: number };
    };
    const survivor = await create("Fusion Eins GmbH");
    const merged = await create("Fusion Zwei GmbH");
    const paid = await finance.request.post(url(`/customers/${merged.id}/payments`), {
      headers,
      data: { amountCents: 5_000, paymentDate: "2026-07-01" },
    });
    expect(paid.status(), await paid.text()).toBe(201);
    await finance.context().close();

    const page = await e2e.loginAs(USERS.sales);
    const version = async (id: number) =>
      ((await (await page.request.get(url(`/customers/${id}`))).json()) as { version: number }).version;
    const merge = await page.request.post(url(`/customers/${survivor.id}/merge`), {
      headers: { ...(await e2e.csrf(page)), "if-match": `"${await version(survivor.id)}"` },
      data: { merge: [{ id: merged.id, version: await version(merged.id) }] },
    });
    expect(merge.status(), await merge.text()).toBe(200);
    await page.goto(`${e2e.base}/customers/${survivor.id}?tab=changes`);
    const row = page
      .getByRole("table", { name: "Änderungen an diesem Kunden, neueste zuerst" })
      .getByRole("row")
      .filter({ hasText: "Übernommen" });
    await row.waitFor();
    const shown = await text(row);
    expect(shown).toMatch(/Übernommen: .*Journaleinträge: \d/);
    expect(shown).not.toMatch(/Bankverbindungen|Zahlungen|bank_accounts|payments|journal_entries|undefined/);
    // The journal's merge entry names the finance records without their counts.
    const entry = page
      .getByRole("region", { name: "Journal" })
      .getByRole("article", { name: /^Kunden zusammengeführt/ });
    expect(await text(entry)).toMatch(/Übernommen: .*Finanzdaten/);
    expect(await text(entry)).not.toMatch(/\d+ (Bankverbindungen|Zahlungen)/);
    await page.context().close();
  });

  it("finance sees the same events with their amounts", async () => {
    const page = await e2e.loginAs(USERS.finance);
    const journal = await journalOf(page);
    await journal.getByRole("article", { name: /^Zahlung 123,45/ }).waitFor();
    expect(await text(journal.getByRole("article", { name: "Kreditlimit geändert" }))).toContain("7.777,77 €");
    expect(await text(journal.getByRole("article", { name: /^Zahlungserinnerung/ }))).toContain("Tage überfällig");
    expect(await journal.getByText("Beträge sehen nur Buchhaltung und Administration.").count()).toBe(0);
    await page.context().close();
  });
});
