/**
 * End-to-end: the "Neuer Kunde" form — required fields marked, the customer's own phone, e-mail,
 * web site, VAT ID and country stored, a contact's phone and e-mail without a name kept as the
 * customer's (nothing typed is dropped), errors at their field — in Chromium.
 */
import type { Channel, CustomerFile } from "@kundenakte/contract";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

// A build folder of this file's own: UI work side by side never serves another run's half-built UI.
vi.hoisted(() => {
  process.env.KUNDENAKTE_WEB_DIST = "/tmp/kundenakte-web-new-customer";
});

describe("new customer form in Chromium", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
  }, 240_000);

  afterAll(async () => e2e?.close());

  async function openForm(page: Page) {
    await page.getByRole("button", { name: "Neuer Kunde" }).click();
    return page.getByRole("dialog", { name: "Neuer Kunde" });
  }

  async function fileOf(page: Page): Promise<CustomerFile> {
    const id = /\/customers\/(\d+)/.exec(page.url())?.[1];
    const res = await page.request.get(`${e2e.base}/api/v1/customers/${id}/file`);
    expect(res.status()).toBe(200);
    return (await res.json()) as CustomerFile;
  }

  const channelsOf = (file: CustomerFile) => file.channels.map((c: Channel) => `${c.kind}:${c.value}`).sort();

  it("stores the customer's own phone, e-mail, web site, VAT ID and country, and a nameless contact's phone and e-mail as the customer's", async () => {
    const page = await e2e.loginAs(USERS.sales);
    const form = await openForm(page);
    const name = form.getByRole("textbox", { name: /^Name/ });
    // Required fields are marked: the name always, the address's parts once it is begun.
    expect(await name.getAttribute("required")).not.toBeNull();
    expect(await form.getByLabel("PLZ").getAttribute("aria-required")).toBe("false");
    await form.getByText("Mit * markierte Felder sind Pflichtfelder.").waitFor();

    await name.fill("Talbrücke Elektro GmbH");
    await form.getByLabel("Straße").fill("Brückenweg 4");
    for (const label of [/^Straße/, /^PLZ/, /^Ort/]) {
      expect(await form.getByLabel(label).getAttribute("aria-required"), String(label)).toBe("true");
    }
    await form.getByLabel("PLZ").fill("42103");
    await form.getByLabel(/^Ort/).fill("Wuppertal");
    expect(await form.getByLabel("Land", { exact: true }).inputValue()).toBe("DE");
    await form.getByLabel("Telefon", { exact: true }).fill("0202 4455660");
    await form.getByLabel("E-Mail", { exact: true }).fill("info@talbruecke.example");
    await form.getByLabel("Website").fill("https://www.talbruecke.example");
    await form.getByLabel("USt-IdNr.").fill("DE 136 695 976");
    // Contact details without a name: the form says where they go.
    await form.getByLabel("Telefon des Ansprechpartners").fill("0202 4455661");
    await form.getByLabel("E-Mail des Ansprechpartners").fill("service@talbruecke.example");
    await form.getByText("Ohne Namen eines Ansprechpartners werden diese Telefonnummer").waitFor();
    // Every field is reached by Tab: from the name to the contact's e-mail, then on to the buttons.
    await name.focus();
    const seen: string[] = [];
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press("Tab");
      seen.push(
        await page.evaluate(
          () => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.id ?? "",
        ),
      );
    }
    expect(seen).toContain("E-Mail des Ansprechpartners");
    await form.getByRole("button", { name: "Anlegen" }).click();

    await page.getByRole("heading", { name: "Talbrücke Elektro GmbH" }).waitFor();
    const file = await fileOf(page);
    expect(file.customer.vatId).toBe("DE136695976");
    expect(file.addresses.map((a) => [a.street, a.postalCode, a.city, a.country])).toEqual([
      ["Brückenweg 4", "42103", "Wuppertal", "DE"],
    ]);
    expect(channelsOf(file)).toEqual([
      "email:info@talbruecke.example",
      "email:service@talbruecke.example",
      "phone:+492024455660",
      "phone:+492024455661",
      "web:https://www.talbruecke.example",
    ]);
    expect(file.contacts).toEqual([]);
    await page.context().close();
  });

  it("a first name without a last name is refused at the field; a wrong VAT ID is shown at its field; then the customer is created with its contact", async () => {
    const page = await e2e.loginAs(USERS.sales);
    const form = await openForm(page);
    await form.getByRole("textbox", { name: /^Name/ }).fill("Nordlicht Optik KG");
    await form.getByLabel("Vorname").fill("Lena");
    const lastName = form.getByLabel("Nachname");
    expect(await lastName.getAttribute("aria-required")).toBe("true");
    await form.getByLabel("Telefon des Ansprechpartners").fill("040 7788990");
    await form.getByLabel("USt-IdNr.").fill("DE123");
    await form.getByRole("button", { name: "Anlegen" }).click();
    await form.getByText("Bitte ausfüllen").waitFor();
    expect(await lastName.getAttribute("aria-invalid")).toBe("true");
    // Nothing was created: the form stays open.
    expect(await form.isVisible()).toBe(true);

    await lastName.fill("Nordlicht");
    await form.getByRole("button", { name: "Anlegen" }).click();
    // The server checks the VAT ID: its answer lands at the field, the form keeps everything typed.
    await expect.poll(() => form.getByLabel("USt-IdNr.").getAttribute("aria-invalid")).toBe("true");
    expect(await lastName.inputValue()).toBe("Nordlicht");
    await form.getByLabel("USt-IdNr.").fill("DE136695976");
    await form.getByRole("button", { name: "Anlegen" }).click();

    await page.getByRole("heading", { name: "Nordlicht Optik KG" }).waitFor();
    const file = await fileOf(page);
    expect(file.contacts.map((c) => [c.firstName, c.lastName, c.phone])).toEqual([
      ["Lena", "Nordlicht", "+49407788990"],
    ]);
    // The contact's phone belongs to the contact, not (also) to the customer.
    expect(file.channels).toEqual([]);
    await page.getByRole("region", { name: "Kontakte" }).getByText("Lena Nordlicht").waitFor();
    await page.context().close();
  });
});
