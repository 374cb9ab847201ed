/**
 * End-to-end: contacts edited in place in the customer file, and the "Adressen und Bankdaten" tab
 * (addresses, communication channels, bank accounts), in Chromium against the real server.
 * Every test checks what the user sees and what the server stored.
 */
import type { Contact } from "@kundenakte/contract";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

describe("contacts, addresses, channels and bank data in the customer file", () => {
  let e2e: E2e;
  let customerId = 0;

  beforeAll(async () => {
    e2e = await startE2e();
  }, 180_000);

  afterAll(async () => e2e?.close());

  /** Logs in and opens Müller Metallbau's file (optionally on a tab). */
  async function openFile(email: string, tab?: string): Promise<Page> {
    const page = await e2e.loginAs(email);
    if (!customerId) {
      const res = await page.request.get(`${e2e.base}/api/v1/customers?limit=500`);
      const list = (await res.json()) as { items: { id: number; name1: string }[] };
      customerId = list.items.find((c) => c.name1 === "Müller Metallbau GmbH")!.id;
    }
    // Straight to the file (the customer list is not what these tests are about).
    await page.goto(`${e2e.base}/customers/${customerId}`);
    await page.getByRole("heading", { name: "Müller Metallbau GmbH" }).waitFor();
    if (tab) await page.getByRole("tab", { name: tab }).click();
    return page;
  }

  async function apiList<T>(page: Page, part: string): Promise<T[]> {
    const res = await page.request.get(`${e2e.base}/api/v1/customers/${customerId}/${part}`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { items: T[] }).items;
  }

  /** Counts the requests that would change data of the customer's parts. */
  function countWrites(page: Page, part: string): { count: number } {
    const seen = { count: 0 };
    page.on("request", (r) => {
      if (r.method() !== "GET" && r.url().includes(`/${part}`)) seen.count++;
    });
    return seen;
  }

  it("a sales user adds a contact inline, edits its position, makes it primary; Escape cancels", async () => {
    const page = await openFile(USERS.sales);
    const contacts = page.getByRole("region", { name: "Kontakte" });
    // A table with headers.
    expect(await contacts.getByRole("columnheader", { name: "Position, Abteilung" }).count()).toBe(1);
    await contacts.getByRole("button", { name: "Kontakt hinzufügen" }).click();
    const form = contacts.getByRole("form", { name: "Neuer Kontakt" });
    // The form opens with the focus in its first field.
    expect(await form.getByLabel("Anrede").evaluate((el) => el === document.activeElement)).toBe(true);
    await form.getByLabel("Anrede").selectOption({ label: "Herr" });
    await form.getByLabel("Vorname").fill("Bernd");
    await form.getByLabel("Nachname").fill("Becker");
    await form.getByLabel("Telefon").fill("0221/4455667");
    await form.getByLabel("Mobil").fill("0171 1234567");
    await form.getByLabel("E-Mail").fill("B.Becker@mueller-metallbau.de");
    // Enter saves.
    await form.getByLabel("E-Mail").press("Enter");
    const row = contacts.getByRole("row").filter({ hasText: "Bernd Becker" });
    await row.waitFor();
    // The saved row can render a frame before the form closes: wait for it to go (times out if it stays).
    await form.waitFor({ state: "detached" });
    expect(await row.getByRole("link", { name: "0221 4455667" }).getAttribute("href")).toBe("tel:+492214455667");
    expect(await row.getByRole("link", { name: "0171 1234567" }).getAttribute("href")).toBe("tel:+491711234567");
    expect(await row.getByRole("link", { name: "b.becker@mueller-metallbau.de" }).getAttribute("href")).toBe(
      "mailto:b.becker@mueller-metallbau.de",
    );

    // Edit the position inline; Enter saves, the focus returns to the row's edit button.
    await row.getByRole("button", { name: "Bearbeiten: Bernd Becker" }).click();
    const edit = contacts.getByRole("form", { name: "Kontakt Bernd Becker bearbeiten" });
    expect(await edit.getByLabel("Telefon").inputValue()).toBe("0221 4455667");
    await edit.getByLabel("Position").fill("Einkaufsleiter");
    await edit.getByLabel("Abteilung").fill("Einkauf");
    await edit.getByLabel("Position").press("Enter");
    await row.getByText("Einkaufsleiter").waitFor();
    expect(await row.textContent()).toContain("Einkauf");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
      .toBe("Bearbeiten: Bernd Becker");

    // Escape cancels: nothing is sent, nothing changes.
    const writes = countWrites(page, "contacts");
    await row.getByRole("button", { name: "Bearbeiten: Bernd Becker" }).click();
    await edit.getByLabel("Position").fill("Praktikant");
    await edit.getByLabel("Position").press("Escape");
    expect(await edit.count()).toBe(0);
    expect(await row.textContent()).toContain("Einkaufsleiter");
    expect(writes.count).toBe(0);

    let stored = await apiList<Contact>(page, "contacts");
    const becker = stored.find((c) => c.lastName === "Becker")!;
    expect(becker).toMatchObject({
      salutation: "mr",
      firstName: "Bernd",
      phone: "+492214455667",
      mobile: "+491711234567",
      email: "b.becker@mueller-metallbau.de",
      position: "Einkaufsleiter",
      department: "Einkauf",
      isPrimary: false,
    });

    // Make him the primary contact: Dr. Anna Müller loses the flag.
    const anna = contacts.getByRole("row").filter({ hasText: "Dr. Anna Müller" });
    expect(await anna.getByText("Hauptkontakt").count()).toBe(1);
    await row.getByRole("button", { name: "Weitere Aktionen: Bernd Becker" }).click();
    await page.getByRole("menuitem", { name: "Als Hauptkontakt festlegen" }).click();
    await row.getByText("Hauptkontakt").waitFor();
    await expect.poll(() => anna.getByText("Hauptkontakt").count()).toBe(0);
    stored = await apiList<Contact>(page, "contacts");
    expect(stored.filter((c) => c.isPrimary).map((c) => c.lastName)).toEqual(["Becker"]);

    // Delete asks first; cancelling keeps him, confirming deletes him.
    await row.getByRole("button", { name: "Weitere Aktionen: Bernd Becker" }).click();
    await page.getByRole("menuitem", { name: "Löschen" }).click();
    const confirm = page.getByRole("dialog", { name: "Kontakt löschen?" });
    expect(await confirm.textContent()).toContain("Bernd Becker");
    await confirm.getByRole("button", { name: "Abbrechen" }).click();
    expect(await row.count()).toBe(1);
    await row.getByRole("button", { name: "Weitere Aktionen: Bernd Becker" }).click();
    await page.getByRole("menuitem", { name: "Löschen" }).click();
    await confirm.getByRole("button", { name: "Löschen" }).click();
    await row.waitFor({ state: "detached" });
    stored = await apiList<Contact>(page, "contacts");
    expect(stored.map((c) => c.lastName)).toEqual(["Müller"]);
    await page.context().close();
  });

  it("a wrong e-mail is caught in the browser (nothing sent); a wrong phone gets the server's message", async () => {
    const page = await openFile(USERS.sales);
    const contacts = page.getByRole("region", { name: "Kontakte" });
    const writes = countWrites(page, "contacts");
    await contacts.getByRole("button", { name: "Kontakt hinzufügen" }).click();
    const form = contacts.getByRole("form", { name: "Neuer Kontakt" });
    await form.getByLabel("Nachname").fill("Schulz");
    await form.getByLabel("E-Mail").fill("schulz.mueller-metallbau.de");
    await form.getByRole("button", { name: "Kontakt anlegen" }).click();
    const email = form.getByLabel("E-Mail");
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    expect(await form.textContent()).toContain("Keine gültige E-Mail-Adresse");
    expect(writes.count).toBe(0);

    // The browser cannot know phone numbers; the server refuses it, on the field.
    await email.fill("schulz@mueller-metallbau.de");
    await form.getByLabel("Telefon").fill("0221-ABC");
    await form.getByRole("button", { name: "Kontakt anlegen" }).click();
    await expect.poll(() => form.getByLabel("Telefon").getAttribute("aria-invalid")).toBe("true");
    expect(await form.textContent()).toContain("Keine gültige Telefonnummer");
    expect(await email.getAttribute("aria-invalid")).not.toBe("true");
    expect(writes.count).toBe(1);
    expect((await apiList<Contact>(page, "contacts")).some((c) => c.lastName === "Schulz")).toBe(false);
    // Escape leaves the form; the focus is back on the add button.
    await form.getByLabel("Telefon").press("Escape");
    expect(await form.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Kontakt hinzufügen");
    await page.context().close();
  });

  it("412: someone changed the contact meanwhile; the user sees both values, picks, both changes land", async () => {
    const page = await openFile(USERS.sales);
    const contacts = page.getByRole("region", { name: "Kontakte" });
    const row = contacts.getByRole("row").filter({ hasText: "Dr. Anna Müller" });
    await row.getByRole("button", { name: "Bearbeiten: Dr. Anna Müller" }).click();
    const edit = contacts.getByRole("form", { name: "Kontakt Dr. Anna Müller bearbeiten" });
    await edit.getByLabel("Position").fill("Inhaberin");
    await edit.getByLabel("Abteilung").fill("Geschäftsleitung");
    await edit.getByLabel("Mobil").fill("0171 7654321");

    // Behind the page's back: a colleague changes position, department and phone.
    const anna = (await apiList<Contact>(page, "contacts")).find((c) => c.lastName === "Müller")!;
    const other = await page.request.patch(`${e2e.base}/api/v1/customers/${customerId}/contacts/${anna.id}`, {
      headers: { ...(await e2e.csrf(page)), "if-match": `"${anna.version}"` },
      data: { position: "Geschäftsführerin", department: "Leitung", phone: "+49 221 123456" },
    });
    expect(other.status()).toBe(200);

    await edit.getByRole("button", { name: "Speichern" }).click();
    const dialog = page.getByRole("dialog", { name: "Inzwischen geändert" });
    await dialog.waitFor();
    // Both values of what both changed; the mobile only the user changed is not asked about.
    const text = await dialog.textContent();
    for (const v of ["Inhaberin", "Geschäftsführerin", "Geschäftsleitung", "Leitung"]) expect(text).toContain(v);
    expect(await dialog.getByRole("radio", { name: "Mobil: Ihre Eingabe" }).count()).toBe(0);
    expect(await dialog.getByRole("radio", { name: "Position: Ihre Eingabe" }).isChecked()).toBe(true);
    await dialog.getByRole("radio", { name: "Position: Aktueller Stand" }).check();
    await dialog.getByRole("button", { name: "Auswahl speichern" }).click();
    await edit.waitFor({ state: "detached" });
    await row.getByText("Geschäftsführerin").waitFor();
    expect(await row.textContent()).toContain("Geschäftsleitung");

    const stored = (await apiList<Contact>(page, "contacts")).find((c) => c.id === anna.id)!;
    expect(stored).toMatchObject({
      position: "Geschäftsführerin", // the colleague's, as chosen
      department: "Geschäftsleitung", // the user's, as chosen
      mobile: "+491717654321", // only the user changed it
      phone: "+49221123456", // only the colleague changed it
    });
    await page.context().close();
  });

  it("addresses: a delivery address added in the tab shows in the info panel; a wrong postal code is refused on its field", async () => {
    const page = await openFile(USERS.sales, "Adressen und Bankdaten");
    const delivery = page.getByRole("region", { name: "Lieferadressen" });
    await delivery.getByText("Noch keine Lieferadresse.").waitFor();
    await delivery.getByRole("button", { name: "Lieferadresse hinzufügen" }).click();
    const form = delivery.getByRole("form", { name: "Neue Lieferadresse" });
    await form.getByLabel("Straße und Hausnummer").fill("Hafenstraße 12");
    await form.getByLabel("PLZ").fill("5066");
    await form.getByRole("textbox", { name: /^Ort/ }).fill("Köln");
    await form.getByRole("button", { name: "Adresse anlegen" }).click();
    await expect.poll(() => form.getByLabel("PLZ").getAttribute("aria-invalid")).toBe("true");
    expect(await form.textContent()).toContain("Diese PLZ passt nicht zum Land");
    await form.getByLabel("PLZ").fill("50678");
    await form.getByRole("button", { name: "Adresse anlegen" }).click();
    const card = delivery.getByRole("article", { name: /Hafenstraße 12/ });
    await card.waitFor();
    // The first delivery address becomes the default one.
    expect(await card.textContent()).toContain("Standard-Lieferadresse");

    const info = page.getByRole("complementary", { name: "Infobereich" });
    await info.getByRole("heading", { name: "Lieferadresse" }).waitFor();
    expect(await info.textContent()).toContain("Hafenstraße 12");
    expect(await info.textContent()).toContain("50678 Köln");

    const stored = await apiList<{ type: string; street: string; postalCode: string; isDefault: boolean }>(
      page,
      "addresses",
    );
    expect(stored.find((a) => a.type === "delivery")).toMatchObject({
      street: "Hafenstraße 12",
      postalCode: "50678",
      isDefault: true,
    });
    // A sales user sees no bank data in the tab.
    await page.getByRole("region", { name: "Kommunikation" }).waitFor();
    expect(await page.getByRole("region", { name: "Bankverbindungen" }).count()).toBe(0);
    expect(await page.getByText("Bankverbindungen").count()).toBe(0);
    expect(await page.getByText("IBAN").count()).toBe(0);
    await page.context().close();
  });

  it("channels: a phone number added in a loose format is listed with a tel: link", async () => {
    const page = await openFile(USERS.sales, "Adressen und Bankdaten");
    const channels = page.getByRole("region", { name: "Kommunikation" });
    await channels.getByRole("button", { name: "Telefon, E-Mail oder Web hinzufügen" }).click();
    const form = channels.getByRole("form", { name: "Neuer Kommunikationsweg" });
    await form.getByLabel("Nummer oder Adresse").fill("0221/998877");
    await form.getByLabel("Bezeichnung").fill("Zentrale");
    await form.getByLabel("Bezeichnung").press("Enter");
    const row = channels.getByRole("row").filter({ hasText: "Zentrale" });
    await row.waitFor();
    expect(await row.getByRole("link", { name: "0221 998877" }).getAttribute("href")).toBe("tel:+49221998877");
    const stored = await apiList<{ kind: string; value: string; label: string }>(page, "channels");
    expect(stored.find((c) => c.label === "Zentrale")).toMatchObject({ kind: "phone", value: "+49221998877" });
    await page.context().close();
  });

  it("bank data: finance gets the field error for a wrong IBAN, then a correct account is listed", async () => {
    const page = await openFile(USERS.finance, "Adressen und Bankdaten");
    const bank = page.getByRole("region", { name: "Bankverbindungen" });
    await bank.getByText("DE89 3704 0044 0532 0130 00", { exact: true }).waitFor();
    await bank.getByRole("button", { name: "Bankverbindung hinzufügen" }).click();
    const form = bank.getByRole("form", { name: "Neue Bankverbindung" });
    await form.getByLabel("IBAN").fill("DE02 1203 0000 0000 2020 52");
    await form.getByLabel("Kontoinhaber").fill("Müller Metallbau GmbH");
    await form.getByRole("button", { name: "Bankverbindung anlegen" }).click();
    await expect.poll(() => form.getByLabel("IBAN").getAttribute("aria-invalid")).toBe("true");
    expect(await form.textContent()).toContain("Keine gültige IBAN");
    await form.getByLabel("IBAN").fill("DE02 1203 0000 0000 2020 51");
    await form.getByLabel("Bank", { exact: true }).fill("DKB");
    await form.getByRole("button", { name: "Bankverbindung anlegen" }).click();
    const row = bank.getByRole("row").filter({ hasText: "DE02 1203 0000 0000 2020 51" });
    await row.waitFor();
    expect(await row.textContent()).toContain("DKB");
    const stored = await apiList<{ iban: string; bankName: string; isDefault: boolean }>(page, "bank-accounts");
    expect(stored.find((b) => b.iban === "DE02120300000000202051")).toMatchObject({
      bankName: "DKB",
      isDefault: false,
    });
    // The info panel lists it too.
    const info = page.getByRole("complementary", { name: "Infobereich" });
    await expect.poll(async () => info.textContent()).toContain("DE02 1203 0000 0000 2020 51");
    await page.context().close();
  });

  it("a read-only user sees contacts, addresses and channels but no add, edit or delete actions", async () => {
    const page = await openFile(USERS.readOnly, "Adressen und Bankdaten");
    const contacts = page.getByRole("region", { name: "Kontakte" });
    await contacts.getByText("Dr. Anna Müller").waitFor();
    await page.getByRole("region", { name: "Rechnungsadressen" }).getByText("Industriestraße 7").waitFor();
    await page.getByRole("region", { name: "Kommunikation" }).waitFor();
    expect(await page.getByRole("button", { name: /hinzufügen/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Bearbeiten:/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Weitere Aktionen/ }).count()).toBe(0);
    expect(await contacts.getByRole("columnheader").count()).toBe(4);
    await page.context().close();
  });
});
