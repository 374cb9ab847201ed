/**
 * End-to-end: the finance tabs of the customer file — open items and payments, credit and
 * dunning, purchase history and documents — in Chromium against the real server. Invoices are
 * created through the API with the browser's session; what the user then does happens in the UI,
 * and what the server stored is checked through the API.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../server/src/domain/finance/calendar-date.js";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

/** What a locator shows, with the no-break spaces of formatted money ("119,00\u00a0€") as plain spaces. */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/[\u00a0\u202f]/g, " ");
}

describe("finance tabs of the customer file", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
  }, 180_000);

  afterAll(async () => e2e?.close());

  /** A calendar date `n` days before the server's business date (not the machine's UTC date). */
  const daysAgo = (n: number) => addDays(e2e.clock.today(), -n);

  /** The browser session's API: JSON in, JSON out, with the CSRF token. */
  async function apiOf(page: Page) {
    const headers = await e2e.csrf(page);
    const url = (path: string) => `${e2e.base}/api/v1${path}`;
    return {
      async post<T>(path: string, data: unknown, status = 201): Promise<T> {
        const res = await page.request.post(url(path), { headers, data });
        expect(res.status(), `${path}: ${await res.text()}`).toBe(status);
        return (await res.json()) as T;
      },
      async get<T>(path: string): Promise<T> {
        const res = await page.request.get(url(path));
        expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
        return (await res.json()) as T;
      },
      async raw(path: string) {
        return page.request.get(url(path));
      },
      async patch(path: string, data: unknown, extra: Record<string, string>) {
        return page.request.patch(url(path), { headers: { ...headers, ...extra }, data });
      },
    };
  }

  async function newCustomer(page: Page, name: string): Promise<number> {
    const api = await apiOf(page);
    const created = await api.post<{ customer: { id: number } }>("/customers", { kind: "company", name1: name });
    return created.customer.id;
  }

  async function invoice(page: Page, customerId: number, netCents: number, documentDate = daysAgo(0)) {
    const api = await apiOf(page);
    return api.post<{ id: number; number: string; grossCents: number }>(`/customers/${customerId}/documents`, {
      type: "invoice",
      documentDate,
      lines: [{ text: "Montage", quantity: 1, unitPriceCents: netCents, vatRatePercent: 19 }],
    });
  }

  /** The value of a key figure in the info panel, by its label. */
  const figure = (page: Page, label: string) =>
    page
      .getByRole("region", { name: "Kennzahlen" })
      .locator(`xpath=.//dt[normalize-space()='${label}']/following-sibling::dd[1]`);

  it("finance records a payment against a chosen invoice: open items shrink, the payment is listed, the key figures follow", async () => {
    const page = await e2e.loginAs(USERS.finance);
    const customerId = await newCustomer(page, "Zahlemann & Söhne KG");
    const older = await invoice(page, customerId, 10_000, daysAgo(30)); // 119,00 € gross
    const newer = await invoice(page, customerId, 30_000); // 357,00 € gross

    await page.goto(`${e2e.base}/customers/${customerId}?tab=open-items`);
    await page.getByRole("heading", { name: "Zahlemann & Söhne KG" }).waitFor();
    const panel = page.getByRole("tabpanel", { name: "Offene Posten und Zahlungen" });
    const openItems = panel.getByRole("table", { name: "Offene Posten" });
    await openItems.getByText(newer.number, { exact: true }).waitFor();
    await expect.poll(() => text(figure(page, "Offene Posten"))).toBe("476,00 €");
    await panel.getByText("Noch keine Zahlungen erfasst.").waitFor();

    await panel.getByRole("button", { name: "Zahlung erfassen" }).click();
    const dialog = page.getByRole("dialog", { name: "Zahlung erfassen" });
    // The amount field has the focus: typed at once.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("inputmode"))).toBe("decimal");
    // Nothing typed: the contract's schema and the form say what is missing, nothing is sent.
    await dialog.getByRole("button", { name: "Zahlung buchen" }).click();
    await dialog.getByText("Bitte ausfüllen").waitFor();

    await dialog.getByRole("textbox", { name: "Betrag", exact: true }).fill("100,00");
    await dialog.getByLabel("Verwendungszweck").fill("Kontoauszug 42");
    await dialog.getByLabel("Zahlungsart").selectOption({ label: "Überweisung" });
    await dialog.getByRole("radio", { name: "Bestimmte Rechnungen auswählen" }).check();
    // Oldest first in the list; the newer invoice is chosen, its amount is proposed from the payment.
    await dialog.getByRole("checkbox", { name: `${newer.number} zuordnen` }).check();
    const amountFor = dialog.getByRole("textbox", { name: `Betrag für ${newer.number}` });
    expect(await amountFor.inputValue()).toBe("100,00");
    await dialog.getByText("Zugeordnet: 100,00 €. Als Guthaben bleiben 0,00 €.").waitFor();
    await dialog.getByRole("button", { name: "Zahlung buchen" }).click();

    await dialog.waitFor({ state: "detached" });
    await panel.getByRole("status").getByText("Zahlung über 100,00 € erfasst.", { exact: false }).waitFor();
    // The focus is back on the button that opened the form.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Zahlung erfassen");
    // Open items: the newer invoice 357,00 → 257,00; the total 476,00 → 376,00; the older one untouched.
    const newerRow = openItems.getByRole("row").filter({ hasText: newer.number });
    await newerRow.getByText("257,00 €").waitFor();
    expect(await text(openItems.getByRole("row").filter({ hasText: older.number }))).toContain("119,00 €");
    // The total row, by name: with both invoices in one ageing bucket the bucket shows 376,00 € too.
    const totalRow = openItems.getByRole("row").filter({ hasText: "Summe offen" });
    await expect.poll(() => text(totalRow)).toContain("376,00 €");
    // The payment is listed with its allocation and reference.
    const payments = panel.getByRole("table", { name: "Zahlungen" });
    const row = payments.getByRole("row").filter({ hasText: "Kontoauszug 42" });
    await row.waitFor();
    expect(await text(row)).toContain(`${newer.number}: 100,00 €`);
    expect(await text(row)).toContain("Überweisung");
    // The info panel's key figures follow without a reload.
    await expect.poll(() => text(figure(page, "Offene Posten"))).toBe("376,00 €");

    // Stored: one payment of 100,00 € on the newer invoice.
    const api = await apiOf(page);
    const stored = await api.get<{
      items: { amountCents: number; reference: string; allocations: { documentId: number; amountCents: number }[] }[];
    }>(`/customers/${customerId}/payments`);
    expect(stored.items).toHaveLength(1);
    expect(stored.items[0]?.amountCents).toBe(10_000);
    expect(stored.items[0]?.reference).toBe("Kontoauszug 42");
    expect(stored.items[0]?.allocations).toEqual([
      expect.objectContaining({ documentId: newer.id, amountCents: 10_000 }),
    ]);
    const open = await api.get<{ totals: { openCents: number } }>(`/customers/${customerId}/open-items`);
    expect(open.totals.openCents).toBe(37_600);
    await page.context().close();
  });

  it("an allocation above what is open shows the server's problem on that invoice's field; nothing is booked", async () => {
    const page = await e2e.loginAs(USERS.finance);
    const customerId = await newCustomer(page, "Überzahl GmbH");
    const inv = await invoice(page, customerId, 10_000); // 119,00 € gross

    await page.goto(`${e2e.base}/customers/${customerId}?tab=open-items`);
    const panel = page.getByRole("tabpanel", { name: "Offene Posten und Zahlungen" });
    await panel.getByRole("table", { name: "Offene Posten" }).getByText(inv.number, { exact: true }).waitFor();
    await panel.getByRole("button", { name: "Zahlung erfassen" }).click();
    const dialog = page.getByRole("dialog", { name: "Zahlung erfassen" });
    await dialog.getByRole("textbox", { name: "Betrag", exact: true }).fill("200");
    await dialog.getByRole("radio", { name: "Bestimmte Rechnungen auswählen" }).check();
    await dialog.getByRole("checkbox", { name: `${inv.number} zuordnen` }).check();
    const amountFor = dialog.getByRole("textbox", { name: `Betrag für ${inv.number}` });
    // Proposed: what is open (119,00), not the whole payment; the user overrides it.
    expect(await amountFor.inputValue()).toBe("119,00");
    await amountFor.fill("150,00");
    const answer = page.waitForResponse((r) => r.url().endsWith(`/customers/${customerId}/payments`));
    await dialog.getByRole("button", { name: "Zahlung buchen" }).click();
    const res = await answer;
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { errors: { field: string; code: string }[] }).errors).toEqual([
      expect.objectContaining({ field: "allocations/0/amountCents", code: "exceeds_open" }),
    ]);

    // On the invoice's amount field, in the user's words; the dialog stays open with the input.
    await dialog.getByText(`Auf ${inv.number} sind nur 119,00 € offen.`).waitFor();
    expect(await amountFor.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await amountFor.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).not.toBe("");
    expect(await text(page.locator(`[id="${describedBy.split(" ").at(-1)}"]`))).toContain("119,00 €");
    expect(await amountFor.inputValue()).toBe("150,00");

    // Nothing booked.
    const api = await apiOf(page);
    expect((await api.get<{ items: unknown[] }>(`/customers/${customerId}/payments`)).items).toHaveLength(0);
    expect(
      (await api.get<{ totals: { openCents: number } }>(`/customers/${customerId}/open-items`)).totals.openCents,
    ).toBe(11_900);
    await dialog.getByRole("button", { name: "Abbrechen" }).click();
    await panel.getByText("Noch keine Zahlungen erfasst.").waitFor();
    await page.context().close();
  });

  it("finance sets the credit limit and payment terms (the info panel follows), runs credit checks, and is told of a concurrent change", async () => {
    const page = await e2e.loginAs(USERS.finance);
    const customerId = await newCustomer(page, "Kreditwürdig AG");
    await invoice(page, customerId, 10_000); // 119,00 € open
    const api = await apiOf(page);
    const terms = await api.get<{ items: { id: number; code: string; text: string }[] }>("/payment-terms");
    const skonto = terms.items.find((p) => p.code === "14-2-30");
    expect(skonto).toBeDefined();

    await page.goto(`${e2e.base}/customers/${customerId}?tab=credit`);
    await page.getByRole("heading", { name: "Kreditwürdig AG" }).waitFor();
    await expect.poll(() => text(figure(page, "Kredit beansprucht"))).toBe("119,00 € (kein Limit)");
    const settings = page.getByRole("region", { name: "Kreditlimit und Zahlungsbedingung" });
    await settings.getByText("kein Limit", { exact: true }).waitFor();
    await page.getByRole("region", { name: "Mahnungen" }).getByText("Noch keine Mahnungen").waitFor();

    await settings.getByRole("button", { name: "Bearbeiten" }).click();
    const limit = settings.getByRole("textbox", { name: "Kreditlimit" });
    await limit.fill("1.000");
    await settings.getByLabel("Zahlungsbedingung").selectOption({ label: skonto?.text ?? "" });
    await settings.getByRole("button", { name: "Speichern" }).click();
    await settings.getByText("Die Kreditdaten sind gespeichert.").waitFor();
    await settings.getByText("1.000,00 €", { exact: true }).waitFor();
    expect(await text(settings)).toContain(skonto?.text);
    // The info panel's credit figure follows without a reload.
    await expect.poll(() => text(figure(page, "Kredit beansprucht"))).toBe("119,00 € von 1.000,00 €");
    // The focus is back on "Bearbeiten".
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Bearbeiten");
    const stored = await api.get<{ creditLimitCents: number; paymentTermsId: number }>(
      `/customers/${customerId}/credit`,
    );
    expect(stored).toEqual({ creditLimitCents: 100_000, paymentTermsId: skonto?.id, dunningExcluded: false });

    // Credit check: 119 + 950 = 1.069 € over the limit of 1.000 € → blocked, with the reason.
    const check = page.getByRole("region", { name: "Kreditprüfung" });
    await check.getByLabel("Betrag des neuen Auftrags").fill("950");
    await check.getByRole("button", { name: "Prüfen" }).click();
    const result = check.getByRole("status");
    await result.getByText("Gesperrt").waitFor();
    expect(await text(result)).toContain("Kreditlimit überschritten");
    expect(await text(result)).toContain("um 69,00 € überschritten");
    // 119 + 800 = 919 € is 91,9 % of the limit → a warning.
    await check.getByLabel("Betrag des neuen Auftrags").fill("800");
    await check.getByRole("button", { name: "Prüfen" }).click();
    await result.getByText("Warnung").waitFor();
    expect(await text(result)).toContain("zu mehr als 90 % ausgeschöpft");

    // Someone else saves while this user edits: told, shown the current values, the input kept, saved on request.
    await settings.getByRole("button", { name: "Bearbeiten" }).click();
    await limit.fill("5.000");
    const current = await api.raw(`/customers/${customerId}/credit`);
    const other = await api.patch(
      `/customers/${customerId}/credit`,
      { creditLimitCents: 200_000 },
      { "if-match": current.headers().etag ?? "" },
    );
    expect(other.status()).toBe(200);
    await settings.getByRole("button", { name: "Speichern" }).click();
    const conflict = settings.getByRole("alert");
    await conflict.getByText("Inzwischen geändert").waitFor();
    expect(await text(conflict)).toContain("Kreditlimit 2.000,00 €");
    expect(await limit.inputValue()).toBe("5.000");
    await settings.getByRole("button", { name: "Meine Eingaben speichern" }).click();
    await settings.getByText("5.000,00 €", { exact: true }).waitFor();
    expect((await api.get<{ creditLimitCents: number }>(`/customers/${customerId}/credit`)).creditLimitCents).toBe(
      500_000,
    );
    await page.context().close();
  });

  it("lists the dunning notices with their level, invoices and amounts", async () => {
    const page = await e2e.loginAs(USERS.finance);
    const customerId = await newCustomer(page, "Mahnbar OHG");
    const overdue = await invoice(page, customerId, 10_000, daysAgo(60));
    const api = await apiOf(page);
    const run = await api.post<{ items: { customerId: number; level: number }[] }>("/dunning/runs", {
      customerIds: [customerId],
    });
    expect(run.items.map((n) => n.customerId)).toEqual([customerId]);
    const level = run.items[0]?.level;

    await page.goto(`${e2e.base}/customers/${customerId}?tab=credit`);
    const dunning = page.getByRole("region", { name: "Mahnungen" });
    const row = dunning.getByRole("row").filter({ hasText: overdue.number });
    await row.waitFor();
    expect(await text(row)).toContain(`Mahnstufe ${level}`);
    expect(await text(row)).toContain("119,00 €");
    expect(await text(row)).toContain("60 Tage überfällig");
    await page.context().close();
  });

  it("purchase history shows this year's revenue and the products; a document row opens its lines and chain", async () => {
    const page = await e2e.loginAs(USERS.sales);
    const customerId = await newCustomer(page, "Kaufgern GmbH");
    const api = await apiOf(page);
    const product = await api.post<{ id: number }>("/products", {
      articleNumber: "SW-100",
      name: "Schweißdraht 1,0 mm",
      unit: "kg",
      listPriceCents: 2_000,
    });
    const order = await api.post<{ id: number; number: string }>(`/customers/${customerId}/documents`, {
      type: "order",
      lines: [{ productId: product.id, quantity: 5, discountPercent: 10 }],
    });
    const inv = await api.post<{ id: number; number: string }>(`/customers/${customerId}/documents`, {
      type: "invoice",
      referenceId: order.id,
      lines: [
        { productId: product.id, quantity: 5, discountPercent: 10 },
        { text: "Anfahrt", quantity: 1, unitPriceCents: 4_000, vatRatePercent: 19 },
      ],
    });
    // Net: 5 × 20,00 − 10 % = 90,00 plus 40,00 = 130,00 €.

    await page.goto(`${e2e.base}/customers/${customerId}?tab=purchases`);
    const panel = page.getByRole("tabpanel", { name: "Einkaufshistorie" });
    const today = e2e.clock.today();
    const year = Number(today.slice(0, 4));
    const perYear = panel.getByRole("table", { name: "Umsatz je Jahr" });
    const yearRow = perYear.getByRole("row").filter({ hasText: String(year) });
    await yearRow.waitFor();
    expect(await text(yearRow)).toContain("130,00 €");
    expect(await text(panel.getByRole("region", { name: "Umsatz je Jahr" }))).toContain(
      `Umsatz ${year} (netto)130,00 €`,
    );
    const month = new Intl.DateTimeFormat("de-DE", { month: "long" }).format(new Date(`${today}T12:00:00Z`));
    const monthRow = panel.getByRole("table", { name: "Umsatz je Monat" }).getByRole("row").filter({ hasText: month });
    expect(await text(monthRow)).toContain("130,00 €");
    const products = panel.getByRole("table", { name: "Kaufhistorie" });
    const productRow = products.getByRole("row").filter({ hasText: "SW-100" });
    await productRow.waitFor();
    expect(await text(productRow)).toContain("5 kg");
    expect(await text(productRow)).toContain("90,00 €");

    // Documents: the invoice's row opens its lines, totals and chain (order → invoice).
    await page.getByRole("tab", { name: "Belege" }).click();
    const documents = page.getByRole("tabpanel", { name: "Belege" });
    const open = documents.getByRole("button", { name: inv.number });
    expect(await open.getAttribute("aria-expanded")).toBe("false");
    await open.click();
    expect(await open.getAttribute("aria-expanded")).toBe("true");
    const detail = documents.getByRole("region", { name: `Einzelheiten zu Rechnung ${inv.number}` });
    const lines = detail.getByRole("table", { name: `Positionen von Rechnung ${inv.number}` });
    const first = lines.getByRole("row").filter({ hasText: "Schweißdraht 1,0 mm" });
    await first.waitFor();
    const firstText = await text(first);
    for (const part of ["SW-100", "5 kg", "20,00 €", "10 %", "19 %", "90,00 €"]) expect(firstText).toContain(part);
    expect(await text(lines.getByRole("row").filter({ hasText: "Anfahrt" }))).toContain("40,00 €");
    expect(await text(lines.getByRole("row").filter({ hasText: "Summe netto" }))).toContain("130,00 €");
    expect(await text(lines.getByRole("row").filter({ hasText: "USt 19 % auf 130,00 €" }))).toContain("24,70 €");
    expect(await text(lines.getByRole("row").filter({ hasText: "Gesamtbetrag brutto" }))).toContain("154,70 €");
    // What is still open on an invoice is finance data: a sales user sees the document, not that row.
    expect(await lines.getByRole("row").filter({ hasText: "Noch offen" }).count()).toBe(0);
    const chain = detail.getByRole("navigation", { name: "Belegkette" });
    expect(await text(chain.locator('[aria-current="true"]'))).toBe(`Rechnung ${inv.number}`);
    // The order in the chain opens the order, whose chain leads on to the invoice.
    await chain.getByRole("button", { name: `Auftrag ${order.number}` }).click();
    const orderDetail = documents.getByRole("region", { name: `Einzelheiten zu Auftrag ${order.number}` });
    await orderDetail.waitFor();
    expect(await documents.getByRole("button", { name: order.number, exact: true }).getAttribute("aria-expanded")).toBe(
      "true",
    );
    await orderDetail
      .getByRole("navigation", { name: "Belegkette" })
      .getByRole("button", { name: `Rechnung ${inv.number}` })
      .waitFor();
    await page.context().close();
  });

  it("a sales user does not see the open-items and credit tabs, not even through the URL", async () => {
    const page = await e2e.loginAs(USERS.sales);
    const customerId = await newCustomer(page, "Vertriebskunde KG");
    await invoice(page, customerId, 10_000);
    await page.goto(`${e2e.base}/customers/${customerId}`);
    await page.getByRole("heading", { name: "Vertriebskunde KG" }).waitFor();
    const tabs = page.getByRole("tablist", { name: "Weitere Bereiche der Kundenakte" });
    await tabs.getByRole("tab", { name: "Belege" }).waitFor();
    expect(await tabs.getByRole("tab", { name: "Einkaufshistorie" }).count()).toBe(1);
    expect(await tabs.getByRole("tab", { name: "Offene Posten und Zahlungen" }).count()).toBe(0);
    expect(await tabs.getByRole("tab", { name: "Kredit und Mahnwesen" }).count()).toBe(0);
    await page.goto(`${e2e.base}/customers/${customerId}?tab=credit`);
    await page.getByRole("tabpanel", { name: "Belege" }).waitFor();
    expect(await page.getByRole("region", { name: "Kreditprüfung" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Zahlung erfassen" }).count()).toBe(0);
    // Nor does the server hand the data out.
    const api = await apiOf(page);
    expect((await api.raw(`/customers/${customerId}/payments`)).status()).toBe(403);
    expect((await api.raw(`/customers/${customerId}/credit`)).status()).toBe(403);
    await page.context().close();
  });
});
