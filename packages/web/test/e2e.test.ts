/**
 * End-to-end: the built web UI in Debian's Chromium (driven by playwright-core), against the
 * real server and database. Users log in; what they may not do, they do not see.
 */
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../server/src/app.js";
import { addDays } from "../../server/src/domain/finance/calendar-date.js";
import { SYSTEM_CONTEXT } from "../../server/src/http/context.js";
import { getSettings, updateSettings } from "../../server/src/modules/auth/users.service.js";
import { createTestDatabase } from "../../server/test/support/engines.js";
import { buildWebIfNeeded, type E2e, launchChromium, PASSWORD, startE2e, WEB_ROOT } from "./support/e2e.js";

describe("web UI in Chromium", () => {
  let e2e: E2e;
  let browser: Browser;
  let base = "";
  let loginAs: (email: string) => Promise<Page>;

  beforeAll(async () => {
    e2e = await startE2e();
    ({ browser, base, loginAs } = e2e);
  }, 180_000);

  afterAll(async () => e2e?.close());

  it("sends a visitor to the login, refuses a wrong password in German, and says how long a lock lasts", async () => {
    const page = await browser.newPage({ locale: "de-DE" });
    await page.goto(`${base}/customers/1`);
    await expect.poll(() => page.url()).toContain("/login");
    await page.getByLabel("E-Mail").fill("vertrieb@firma.de");
    await page.getByLabel("Passwort").fill("falsch");
    await page.getByRole("button", { name: "Anmelden" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("E-Mail-Adresse oder Passwort ist falsch.");
    // An account nobody has, so the lock hinders no other test: five failures, then locked.
    await page.getByLabel("E-Mail").fill("niemand@firma.de");
    for (let i = 1; i <= 6; i++) {
      await page.getByLabel("Passwort").fill(`falsch ${i}`);
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/login")),
        page.getByRole("button", { name: "Anmelden" }).click(),
      ]);
    }
    await page
      .getByText("Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in 15 Minuten erneut.")
      .waitFor();
    await page.context().close();
  });

  it("a sales user logs in, sees the list with its total, opens a customer file, creates a customer", async () => {
    const page = await loginAs("vertrieb@firma.de");
    await page.getByRole("heading", { name: "Kunden", exact: true }).waitFor();
    await page.getByText("61 Kunden").waitFor();
    await page.getByRole("link", { name: "Müller Metallbau GmbH" }).click();
    await page.getByRole("heading", { name: "Müller Metallbau GmbH" }).waitFor();
    expect(await page.getByText("Dr. Anna Müller").count()).toBe(1);
    // Bank data is finance data: not shown, not even sent.
    expect(await page.getByText("Bankverbindungen").count()).toBe(0);
    await page.goto(`${base}/customers`);
    await page.getByRole("button", { name: "Neuer Kunde" }).click();
    const form = page.getByRole("dialog");
    // A name like an existing customer's in the same postal code: warned before saving.
    await form.getByRole("textbox", { name: /^Name/ }).fill("Mueller Metallbau");
    await form.getByLabel("PLZ").fill("50667");
    const warning = form.getByRole("status");
    await warning.getByText("Diesen Kunden gibt es vielleicht schon").waitFor();
    expect(await warning.getByRole("link", { name: "Müller Metallbau GmbH" }).count()).toBe(1);
    expect(await warning.textContent()).toContain("ähnlicher Name, gleiche PLZ");
    // A different customer after all: with its contact, in one go.
    await form.getByRole("textbox", { name: /^Name/ }).fill("Neu & Frisch KG");
    await form.getByLabel("Straße").fill("Marktplatz 1");
    await form.getByLabel(/^Ort/).fill("Köln");
    await form.getByLabel("Vorname").fill("Nina");
    await form.getByLabel("Nachname").fill("Neumann");
    await form.getByLabel("Telefon des Ansprechpartners").fill("0221/4455667");
    await form.getByRole("button", { name: "Anlegen" }).click();
    await page.getByRole("heading", { name: "Neu & Frisch KG" }).waitFor();
    const contacts = page.getByRole("region", { name: "Kontakte" });
    await contacts.getByText("Nina Neumann").waitFor();
    expect(await contacts.getByRole("link", { name: "0221 4455667" }).getAttribute("href")).toBe("tel:+492214455667");
    await page.getByRole("button", { name: "Abmelden" }).click();
    await expect.poll(() => page.url()).toContain("/login");
    await page.context().close();
  });

  it("a read-only user does not see the action to create customers; finance sees bank data", async () => {
    const reader = await loginAs("leser@firma.de");
    await reader.getByRole("heading", { name: "Kunden", exact: true }).waitFor();
    await reader.getByRole("link", { name: "Müller Metallbau GmbH" }).waitFor();
    expect(await reader.getByRole("button", { name: "Neuer Kunde" }).count()).toBe(0);
    await reader.context().close();
    const finance = await loginAs("finanz@firma.de");
    await finance.getByRole("link", { name: "Müller Metallbau GmbH" }).click();
    await finance.getByText("DE89 3704 0044 0532 0130 00").waitFor();
    await finance.context().close();
  });

  it("an admin sees an overdue invoice in the key figures, the documents and the open items", async () => {
    const page = await loginAs("chefin@firma.de");
    // Customer and invoice through the API, with the browser's session and its CSRF token.
    const headers = await e2e.csrf(page);
    const created = await page.request.post(`${base}/api/v1/customers`, {
      headers,
      data: { kind: "company", name1: "Säumig & Söhne OHG" },
    });
    expect(created.status()).toBe(201);
    const customerId = ((await created.json()) as { customer: { id: number } }).customer.id;
    // Without payment terms an invoice is due at once: 60 days later it is overdue.
    const documentDate = addDays(e2e.clock.today(), -60);
    const posted = await page.request.post(`${base}/api/v1/customers/${customerId}/documents`, {
      headers,
      data: {
        type: "invoice",
        documentDate,
        lines: [{ text: "Beratung", quantity: 1, unitPriceCents: 10000, vatRatePercent: 19 }],
      },
    });
    expect(posted.status()).toBe(201);
    const invoice = (await posted.json()) as { number: string };

    await page.goto(`${base}/customers/${customerId}`);
    await page.getByRole("heading", { name: "Säumig & Söhne OHG" }).waitFor();
    // Open and overdue: the gross 119,00 €; revenue is net, 100,00 € (this year, or last year in January).
    const figures = page.getByRole("region", { name: "Kennzahlen" });
    await figures.getByText("119,00 €").first().waitFor();
    expect(await figures.getByText("119,00 €").count()).toBeGreaterThanOrEqual(2);
    expect(await figures.getByText("100,00 €").count()).toBe(1);
    await page.getByText("Überfällig", { exact: true }).waitFor();
    expect(await page.getByText("Kreditlimit überschritten").count()).toBe(0);

    const documents = page.getByRole("tabpanel", { name: "Belege" });
    await documents.getByText(invoice.number, { exact: true }).waitFor();
    expect(await documents.getByText("Rechnung", { exact: true }).count()).toBe(1);

    await page.getByRole("tab", { name: "Offene Posten" }).click();
    const openItems = page.getByRole("tabpanel", { name: "Offene Posten" });
    await openItems.getByText(invoice.number, { exact: true }).waitFor();
    expect(await openItems.getByText("119,00 €").count()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.url()).toContain("tab=open-items");
    await page.context().close();
  });

  it("finds a customer by quick search with a spelling variant (Mueller for Müller), by keyboard alone", async () => {
    const page = await loginAs("vertrieb@firma.de");
    await page.getByRole("heading", { name: "Kunden", exact: true }).waitFor();
    await page.keyboard.press("Control+k");
    const input = page.getByRole("combobox", { name: "Schnellsuche" });
    await input.waitFor();
    await input.fill("Mueller Metall");
    const first = page.getByRole("option").first();
    await first.getByText("Müller Metallbau GmbH").waitFor();
    // The folded match is highlighted in the original spelling.
    expect(await first.locator("mark").allTextContents()).toEqual(["Müller", "Metall"]);
    await input.press("Enter");
    await page.getByRole("heading", { name: "Müller Metallbau GmbH" }).waitFor();
    // "/" opens it too, and the customer just opened is offered first.
    await page.getByRole("heading", { name: "Müller Metallbau GmbH" }).click();
    await page.keyboard.press("/");
    await page.getByText("Zuletzt geöffnet").waitFor();
    expect(await page.getByRole("option").first().textContent()).toContain("Müller Metallbau GmbH");
    // A cancelled search reopens with its text selected: typing replaces it, nothing is appended.
    await input.fill("Bremen");
    await page.keyboard.press("Escape");
    await input.waitFor({ state: "hidden" });
    await page.keyboard.press("Control+k");
    await input.waitFor();
    expect(await input.inputValue()).toBe("Bremen");
    await page.keyboard.type("Metall");
    expect(await input.inputValue()).toBe("Metall");
    await page.keyboard.press("Escape");
    await page.context().close();
  });

  it("logs a call in the customer file: it appears in the journal at once, with its contact", async () => {
    const page = await loginAs("vertrieb@firma.de");
    await page.getByRole("heading", { name: "Kunden", exact: true }).waitFor();
    await page.getByRole("link", { name: "Müller Metallbau GmbH" }).click();
    const journal = page.getByRole("region", { name: "Journal" });
    await journal.getByRole("textbox", { name: "Betreff" }).fill("Rückruf wegen Lieferung");
    await journal.getByRole("textbox", { name: "Notiz" }).fill("Liefertermin 12.12. bestätigt");
    await journal.getByLabel("Ansprechpartner", { exact: true }).click();
    await page.getByRole("option", { name: "Anna Müller" }).click();
    await journal.getByRole("button", { name: "Erfassen" }).click();
    const entry = journal.getByRole("article", { name: "Rückruf wegen Lieferung" });
    await entry.waitFor();
    expect(await entry.textContent()).toContain("Anruf");
    expect(await entry.textContent()).toContain("Anna Müller");
    expect(await entry.textContent()).toContain("Liefertermin 12.12. bestätigt");
    // The form is empty again for the next call; the chip counts the call.
    expect(await journal.getByRole("textbox", { name: "Betreff" }).inputValue()).toBe("");
    await journal.getByText(/Anruf 1/).waitFor();
    // Full text finds it, with the umlaut written out.
    await journal.getByRole("textbox", { name: "Im Journal suchen" }).fill("Rueckruf");
    await journal.getByRole("article", { name: "Rückruf wegen Lieferung" }).waitFor();
    await page.context().close();
  });

  it("two tabs edit the same customer: the second sees the conflict, decides, and neither change is lost", async () => {
    const first = await loginAs("vertrieb@firma.de");
    const created = await first.request.post(`${base}/api/v1/customers`, {
      headers: await e2e.csrf(first),
      data: { kind: "company", name1: "Zwei Tabs GmbH" },
    });
    const id = ((await created.json()) as { customer: { id: number } }).customer.id;
    const second = await first.context().newPage();
    second.setDefaultTimeout(10_000);
    for (const tab of [first, second]) {
      await tab.goto(`${base}/customers/${id}`);
      await tab.getByRole("heading", { name: "Zwei Tabs GmbH" }).waitFor();
      await tab.getByRole("button", { name: "Bearbeiten", exact: true }).click();
    }
    // Tab 1 changes the name addition and saves.
    await first.getByLabel("Namenszusatz").fill("Niederlassung Süd");
    await first.getByRole("button", { name: "Speichern" }).click();
    await first.getByRole("dialog").waitFor({ state: "detached" });
    // Tab 2, still on the old version, changes the name addition too, and the notes.
    await second.getByLabel("Namenszusatz").fill("Werk Nord");
    await second.getByLabel("Notizen").fill("Anlieferung über Tor 3");
    await second.getByRole("button", { name: "Speichern" }).click();
    const conflict = second.getByRole("group", { name: "Inzwischen geändert" });
    await conflict.waitFor();
    // Both versions side by side; nothing typed is lost.
    expect(await conflict.getByText("Werk Nord").count()).toBe(1);
    expect(await conflict.getByText("Niederlassung Süd").count()).toBe(1);
    expect(await conflict.getByText("Anlieferung über Tor 3").count()).toBe(1);
    // Keep the colleague's name addition, keep my notes.
    await conflict.getByLabel("Namenszusatz: Aktueller Stand").check();
    await second.getByRole("button", { name: "Auswahl speichern" }).click();
    await second.getByRole("dialog").waitFor({ state: "detached" });
    const saved = (await (await second.request.get(`${base}/api/v1/customers/${id}`)).json()) as {
      name2: string;
      notes: string;
    };
    expect(saved).toMatchObject({ name2: "Niederlassung Süd", notes: "Anlieferung über Tor 3" });
    await first.context().close();
  });

  it("checks a form in the browser with the server's schema before sending", async () => {
    const page = await loginAs("vertrieb@firma.de");
    await page.getByRole("link", { name: "Müller Metallbau GmbH" }).click();
    await page.getByRole("button", { name: "Bearbeiten", exact: true }).click();
    await page.getByRole("textbox", { name: /^Name\s*\*?$/ }).fill("");
    await page.getByLabel("Namenszusatz").fill("x".repeat(201));
    let sent = 0;
    page.on("request", (r) => {
      if (r.method() === "PATCH") sent++;
    });
    await page.getByRole("button", { name: "Speichern" }).click();
    await page.getByText("Bitte ausfüllen").waitFor();
    await page.getByText("Höchstens 200 Zeichen").waitFor();
    expect(sent).toBe(0);
    // What only the server knows (the VAT ID's check digit) comes back on the field.
    await page.getByRole("textbox", { name: /^Name\s*\*?$/ }).fill("Müller Metallbau GmbH");
    await page.getByLabel("Namenszusatz").fill("");
    await page.getByLabel("USt-IdNr.").fill("DE123456789");
    await page.getByRole("button", { name: "Speichern" }).click();
    await page.getByText(/check digit/).waitFor();
    expect(sent).toBe(1);
    await page.context().close();
  });

  it("filters the list by the URL: a filtered view can be bookmarked and shared", async () => {
    const page = await loginAs("vertrieb@firma.de");
    await page.goto(`${base}/customers?city=K%C3%B6ln&sort=-name`);
    await page.getByRole("link", { name: "Müller Metallbau GmbH" }).waitFor();
    expect(await page.getByLabel("Ort", { exact: true }).inputValue()).toBe("Köln");
    await page.getByLabel("Ort", { exact: true }).fill("Nirgendwo");
    await page.getByLabel("Ort", { exact: true }).press("Enter");
    await page.getByText("Keine Kunden gefunden").waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get("city")).toBe("Nirgendwo");
    expect(new URL(page.url()).searchParams.get("sort")).toBe("-name");
    await page.context().close();
  });

  it("records a complaint as a ticket in the customer file and moves it on; the journal notes both", async () => {
    const page = await loginAs("chefin@firma.de");
    await page.getByRole("link", { name: "Müller Metallbau GmbH" }).click();
    await page.getByRole("tab", { name: "Anfragen und Reklamationen" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("tab")).toBe("tickets");
    const tickets = page.getByRole("region", { name: "Anfragen und Reklamationen" });
    await tickets.getByLabel("Art").click();
    await page.getByRole("option", { name: "Reklamation" }).click();
    await tickets.getByLabel("Betreff").fill("Lieferung unvollständig");
    await tickets.getByRole("button", { name: "Anlegen" }).click();
    const row = tickets.getByRole("row").filter({ hasText: "Lieferung unvollständig" });
    await row.getByText("Neu", { exact: true }).waitFor();
    await row.getByRole("button", { name: /^In Bearbeitung nehmen/ }).click();
    await row.getByText("In Bearbeitung", { exact: true }).waitFor();
    const journal = page.getByRole("region", { name: "Journal" });
    await journal.getByText(/Ticket T-\d+ angelegt/).waitFor();
    await journal.getByText(/Status: neu → in Bearbeitung/i).waitFor();
    await page.context().close();
  });

  it("shows special wishes and an advertising objection in the info panel", async () => {
    const page = await loginAs("chefin@firma.de");
    const headers = await e2e.csrf(page);
    const created = await page.request.post(`${base}/api/v1/customers`, {
      headers,
      data: { kind: "company", name1: "Frühaufsteher KG" },
    });
    const id = ((await created.json()) as { customer: { id: number } }).customer.id;
    const prefs = await page.request.put(`${base}/api/v1/customers/${id}/preferences`, {
      headers: { ...headers, "if-match": '"1"' },
      data: { deliveryWindows: [{ from: "07:00", to: "11:00" }], shippingInstructions: "Tor 2 benutzen" },
    });
    expect(prefs.status()).toBe(200);
    const objection = await page.request.post(`${base}/api/v1/customers/${id}/advertising-objections`, {
      headers,
      data: { source: "letter" },
    });
    expect(objection.status()).toBe(201);
    await page.goto(`${base}/customers/${id}`);
    const wishes = page.getByRole("region", { name: "Wünsche und Hinweise" });
    await wishes.getByText("Keine Werbung").waitFor();
    // …and as a badge beside the name, where it is seen before anything else.
    await page.getByText("Werbewiderspruch", { exact: true }).waitFor();
    await wishes.getByText("Nur vormittags liefern").waitFor();
    await wishes.getByText("07:00–11:00").waitFor();
    await wishes.getByText("Tor 2 benutzen").waitFor();
    await page.context().close();
  });

  it("narrows the journal by contact and dates; an entry opens its object", async () => {
    const page = await loginAs("chefin@firma.de");
    const headers = await e2e.csrf(page);
    const created = await page.request.post(`${base}/api/v1/customers`, {
      headers,
      data: {
        kind: "company",
        name1: "Journal & Filter GmbH",
        contacts: [{ firstName: "Jana", lastName: "Jung" }],
      },
    });
    const body = (await created.json()) as { customer: { id: number }; contacts: { id: number }[] };
    const id = body.customer.id;
    const log = (data: Record<string, unknown>) =>
      page.request.post(`${base}/api/v1/customers/${id}/journal`, { headers, data });
    expect((await log({ kind: "call", subject: "Anruf mit Jana", contactId: body.contacts[0]!.id })).status()).toBe(
      201,
    );
    const old = new Date(e2e.clock.now().getTime() - 40 * 86_400_000).toISOString();
    expect((await log({ kind: "note", subject: "Alte Notiz", occurredAt: old })).status()).toBe(201);
    const invoice = await page.request.post(`${base}/api/v1/customers/${id}/documents`, {
      headers,
      data: {
        type: "invoice",
        lines: [{ text: "Wartung Presse", quantity: 1, unitPriceCents: 5000, vatRatePercent: 19 }],
      },
    });
    const invoiceNumber = ((await invoice.json()) as { number: string }).number;

    await page.goto(`${base}/customers/${id}`);
    const journal = page.getByRole("region", { name: "Journal" });
    await journal.getByText("Alte Notiz").waitFor();
    await journal.getByRole("combobox", { name: "Nach Ansprechpartner filtern" }).click();
    await page.getByRole("option", { name: "Jana Jung" }).click();
    await journal.getByText("Anruf mit Jana").waitFor();
    await expect.poll(() => journal.getByText("Alte Notiz").count()).toBe(0);
    await journal.getByRole("button", { name: "Filter zurücksetzen" }).click();
    await journal.getByText("Alte Notiz").waitFor();
    const today = e2e.clock.now();
    const local = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    await journal.getByLabel("Von (Datum)").fill(local);
    await expect.poll(() => journal.getByText("Alte Notiz").count()).toBe(0);
    await journal.getByText("Anruf mit Jana").waitFor();

    // The invoice's journal entry leads to the invoice in the documents tab, opened.
    await journal.getByRole("link", { name: "Beleg öffnen" }).first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get("tab")).toBe("documents");
    const documents = page.getByRole("tabpanel", { name: "Belege" });
    await documents.getByText(invoiceNumber).first().waitFor();
    await documents.getByText("Wartung Presse").waitFor();
    await page.context().close();
  });

  it("under the row-level rule a sales user's new customer opens as theirs; an owner that would hide it is explained", async () => {
    await updateSettings(e2e.db, SYSTEM_CONTEXT, (await getSettings(e2e.db)).version, { rowLevelSales: true });
    try {
      const page = await loginAs("vertrieb@firma.de");
      await page.getByRole("button", { name: "Neuer Kunde" }).click();
      const form = page.getByRole("dialog");
      await form.getByRole("textbox", { name: /^Name/ }).fill("Eigene Zeile GmbH");
      await form.getByLabel("Straße").fill("Domplatz 2");
      await form.getByLabel("PLZ").fill("50667");
      await form.getByLabel(/^Ort/).fill("Köln");
      await form.getByRole("button", { name: "Anlegen" }).click();
      await page.getByRole("heading", { name: "Eigene Zeile GmbH" }).waitFor();
      await page.getByText("Betreuer: vertrieb@firma.de").waitFor();
      await page.getByRole("button", { name: "Bearbeiten", exact: true }).click();
      await page.getByLabel("Betreuer").fill("jemand@firma.de");
      await page.getByRole("button", { name: "Speichern" }).click();
      await page.getByText("Danach könnten Sie diesen Kunden nicht mehr sehen").waitFor();
      await page.context().close();
    } finally {
      await updateSettings(e2e.db, SYSTEM_CONTEXT, (await getSettings(e2e.db)).version, { rowLevelSales: false });
    }
  });

  it("switches to English", async () => {
    const page = await loginAs("leser@firma.de");
    await page.getByRole("heading", { name: "Kunden", exact: true }).waitFor();
    await page.getByText("EN", { exact: true }).click();
    await page.getByRole("heading", { name: "Customers", exact: true }).waitFor();
    await page.getByText("DE", { exact: true }).click();
    await page.context().close();
  });
});

describe("first start in Chromium", () => {
  it("a fresh installation offers the one-time setup; the new admin lands in the customer list", async () => {
    buildWebIfNeeded();
    const { db, drop } = await createTestDatabase("sqlite");
    const app = await buildApp({ db, webRoot: WEB_ROOT });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: "de-DE" });
      await page.goto(url);
      await page.getByRole("heading", { name: "Einrichtung" }).waitFor();
      await page.getByLabel("Name").fill("Chefin");
      await page.getByLabel("E-Mail").fill("chefin@firma.de");
      await page.getByLabel("Passwort").fill("kurz");
      await page.getByRole("button", { name: "Administrator anlegen" }).click();
      // The server's field message appears on the field.
      await page.getByText("must NOT have fewer than 10 characters").waitFor();
      await page.getByLabel("Passwort").fill(PASSWORD);
      await page.getByRole("button", { name: "Administrator anlegen" }).click();
      await page.getByRole("heading", { name: "Kunden", exact: true }).waitFor();
      await page.getByText("Keine Kunden gefunden").waitFor();
      // The setup is gone for good.
      const again = await page.request.post(`${url}/api/v1/auth/setup`, {
        data: { name: "X", email: "x@firma.de", password: PASSWORD },
      });
      expect(again.status()).toBe(409);
    } finally {
      await browser.close();
      await app.close();
      await drop();
    }
  }, 60_000);
});
