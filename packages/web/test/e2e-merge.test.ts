/**
 * End-to-end: the "Dubletten" tab of the customer file (candidates, "not a duplicate"), merging
 * customers (field choice, what moved, old URL to the survivor, stale versions, the other way
 * round), rights, and merging two contacts of one customer — in Chromium.
 */
import type { Contact, Customer, CustomerCreated } from "@kundenakte/contract";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

// A build folder of this file's own (read by the harness when it is imported): UI work side by
// side never serves another run's half-built UI.
vi.hoisted(() => {
  process.env.KUNDENAKTE_WEB_DIST = "/tmp/kundenakte-web-merge";
});

interface NewCustomer {
  name1: string;
  postalCode: string;
  city: string;
  contact: { firstName: string; lastName: string; email?: string; phone?: string; position?: string };
  industry?: string;
  name2?: string;
}

describe("duplicates and merge in Chromium", () => {
  let e2e: E2e;
  let base = "";

  beforeAll(async () => {
    e2e = await startE2e();
    base = e2e.base;
  }, 240_000);

  afterAll(async () => e2e?.close());

  async function create(page: Page, c: NewCustomer): Promise<CustomerCreated> {
    const res = await page.request.post(`${base}/api/v1/customers`, {
      headers: await e2e.csrf(page),
      data: {
        kind: "company",
        name1: c.name1,
        ...(c.name2 ? { name2: c.name2 } : {}),
        ...(c.industry ? { industry: c.industry } : {}),
        addresses: [{ type: "billing", street: "Hauptstraße 1", postalCode: c.postalCode, city: c.city }],
        contacts: [c.contact],
      },
    });
    expect(res.status()).toBe(201);
    return (await res.json()) as CustomerCreated;
  }

  async function setCreditLimit(page: Page, id: number, creditLimitCents: number) {
    const etag = (await page.request.get(`${base}/api/v1/customers/${id}/credit`)).headers().etag!;
    const res = await page.request.patch(`${base}/api/v1/customers/${id}/credit`, {
      headers: { ...(await e2e.csrf(page)), "if-match": etag },
      data: { creditLimitCents },
    });
    expect(res.status()).toBe(200);
  }

  async function getCustomer(page: Page, id: number): Promise<Customer> {
    const res = await page.request.get(`${base}/api/v1/customers/${id}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as Customer;
  }

  async function contactsOf(page: Page, id: number): Promise<Contact[]> {
    return ((await (await page.request.get(`${base}/api/v1/customers/${id}/contacts`)).json()) as { items: Contact[] })
      .items;
  }

  /** Opens a customer's file on the duplicates tab. */
  async function openDuplicates(page: Page, c: Customer) {
    await page.goto(`${base}/customers/${c.id}?tab=duplicates`);
    await page.getByRole("heading", { name: c.name1 }).waitFor();
    return page.getByRole("tabpanel", { name: "Dubletten" });
  }

  const rowOf = (panel: ReturnType<Page["getByRole"]>, number: string) =>
    panel.getByRole("row").filter({ hasText: number });

  it("lists a similar customer with its reason; “Keine Dublette” hides it for good; a third is merged with a field choice", async () => {
    const page = await e2e.loginAs(USERS.admin);
    const { customer: a } = await create(page, {
      name1: "Quendel Orgelbau GmbH",
      postalCode: "37073",
      city: "Göttingen",
      industry: "Orgelbau",
      contact: { firstName: "Ida", lastName: "Quendel" },
    });
    const { customer: b } = await create(page, {
      name1: "Quendel Orgelbau GmbH",
      postalCode: "37073",
      city: "Göttingen",
      contact: { firstName: "Bernd", lastName: "Quendel" },
    });

    const panel = await openDuplicates(page, a);
    const row = rowOf(panel, b.customerNumber);
    await row.waitFor();
    expect(await row.textContent()).toContain("ähnlicher Name, gleiche PLZ");
    expect(await row.getByRole("link", { name: "Quendel Orgelbau GmbH" }).getAttribute("href")).toBe(
      `/customers/${b.id}`,
    );
    expect(await row.getByText(/\d+ %/).count()).toBe(1);

    await row.getByRole("button", { name: "Keine Dublette" }).click();
    await panel.getByText("Keine möglichen Dubletten gefunden.").waitFor();
    expect(await row.count()).toBe(0);
    // Stored on the server: after a reload, and from the other side, the pair is not proposed.
    await page.reload();
    await panel.getByText("Keine möglichen Dubletten gefunden.").waitFor();
    const fromB = (await (await page.request.get(`${base}/api/v1/customers/${b.id}/duplicates`)).json()) as {
      candidates: { customerId: number }[];
    };
    expect(fromB.candidates.map((x) => x.customerId)).not.toContain(a.id);

    // A third one, with another industry and a name addition.
    const { customer: c } = await create(page, {
      name1: "Quendel Orgelbau GmbH",
      name2: "Werkstatt Nord",
      postalCode: "37073",
      city: "Göttingen",
      industry: "Instrumentenbau",
      contact: { firstName: "Carla", lastName: "Quendel", email: "carla@quendel.example" },
    });
    // Both have a credit limit: the survivor's stays, the other's is named as lost.
    await setCreditLimit(page, a.id, 500000);
    await setCreditLimit(page, c.id, 100000);
    await page.reload();
    const third = rowOf(panel, c.customerNumber);
    await third.waitFor();
    expect(await rowOf(panel, b.customerNumber).count()).toBe(0);
    await third.getByRole("button", { name: "Zusammenführen…" }).click();

    const dialog = page.getByRole("dialog", { name: "Kunden zusammenführen" });
    await dialog.getByText(`Quendel Orgelbau GmbH (${a.customerNumber}) bleibt erhalten.`).waitFor();
    const fields = dialog.getByRole("table", { name: "Abweichende Angaben" });
    // Only what differs is asked; where both have a value the survivor's is preselected, where
    // only the other has one, the other's.
    expect(await fields.getByRole("rowheader").allTextContents()).toEqual(["Namenszusatz", "Branche"]);
    expect(await fields.getByRole("radio", { name: "Branche: Orgelbau" }).isChecked()).toBe(true);
    expect(await fields.getByRole("radio", { name: "Namenszusatz: Werkstatt Nord" }).isChecked()).toBe(true);
    const summary = dialog.getByRole("region", { name: "Was beim Zusammenführen geschieht" });
    const lost = summary.getByRole("list", { name: "Diese Werte gehen verloren" });
    const lostItems = async () =>
      (await lost.getByRole("listitem").allTextContents()).map((x) => x.replace(/\s/g, " "));
    expect(await lostItems()).toEqual([
      `Branche: Instrumentenbau (von ${c.customerNumber})`,
      `Kreditlimit: 1.000,00 € (von ${c.customerNumber})`,
    ]);
    await fields.getByRole("radio", { name: "Branche: Instrumentenbau" }).check();
    expect(await lostItems()).toEqual([
      `Branche: Orgelbau (von ${a.customerNumber})`,
      `Kreditlimit: 1.000,00 € (von ${c.customerNumber})`,
    ]);
    expect(await summary.textContent()).toContain(
      `Von ${c.customerNumber} kommen hinzu – Ansprechpartner: 1 (Carla Quendel); Adressen: 1.`,
    );
    expect(await dialog.textContent()).toContain("Ansprechpartner, Adressen");
    await dialog.getByRole("button", { name: "Zusammenführen", exact: true }).click();
    await dialog.waitFor({ state: "detached" });

    const notice = page.getByRole("status").filter({ hasText: "Zusammengeführt:" });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`Quendel Orgelbau GmbH (${c.customerNumber})`);
    expect(await notice.textContent()).toContain("Ansprechpartner: 1");
    // Still on the survivor, which now has both contacts.
    expect(new URL(page.url()).pathname).toBe(`/customers/${a.id}`);
    const contacts = page.getByRole("region", { name: "Kontakte" });
    await contacts.getByText("Carla Quendel").waitFor();
    await contacts.getByText("Ida Quendel").waitFor();
    expect(
      (
        (await (await page.request.get(`${base}/api/v1/customers/${a.id}/credit`)).json()) as {
          creditLimitCents: number;
        }
      ).creditLimitCents,
    ).toBe(500000);
    const stored = await getCustomer(page, a.id);
    expect(stored).toMatchObject({ industry: "Instrumentenbau", name2: "Werkstatt Nord" });

    // The merged customer's old address lands on the survivor.
    await page.goto(`${base}/customers/${c.id}`);
    await page.waitForURL(`${base}/customers/${a.id}`);
    await page.getByRole("heading", { name: "Quendel Orgelbau GmbH" }).waitFor();
    await contacts.getByText("Carla Quendel").waitFor();
    await page.context().close();
  });

  it("merging a fresh near-twin with the defaults keeps the established customer and all its data", async () => {
    const page = await e2e.loginAs(USERS.admin);
    const established = {
      vatId: "DE136695976",
      customerGroup: "Großhandel",
      owner: "Vera Vertrieb",
      legalForm: "GmbH",
      abcRating: "A",
    };
    const made = await page.request.post(`${base}/api/v1/customers`, {
      headers: await e2e.csrf(page),
      data: {
        kind: "company",
        name1: "Ortwein Hydraulik GmbH",
        ...established,
        addresses: [{ type: "billing", street: "Am Hafen 3", postalCode: "28195", city: "Bremen" }],
        contacts: [{ firstName: "Olga", lastName: "Ortwein" }],
      },
    });
    expect(made.status()).toBe(201);
    const old = ((await made.json()) as CustomerCreated).customer;
    // The near-twin, created later by a clerk who did not find the customer: almost nothing in it.
    const twin = await page.request.post(`${base}/api/v1/customers`, {
      headers: await e2e.csrf(page),
      data: {
        kind: "company",
        name1: "Ortwein Hydraulik",
        industry: "Hydraulik",
        addresses: [{ type: "billing", street: "Am Hafen 3", postalCode: "28195", city: "Bremen" }],
      },
    });
    expect(twin.status()).toBe(201);
    const fresh = ((await twin.json()) as CustomerCreated).customer;

    // From the twin's file, as the clerk who just created it would.
    const panel = await openDuplicates(page, fresh);
    await rowOf(panel, old.customerNumber).getByRole("button", { name: "Zusammenführen…" }).click();
    const dialog = page.getByRole("dialog", { name: "Kunden zusammenführen" });
    await dialog.getByText(`Ortwein Hydraulik GmbH (${old.customerNumber}) bleibt erhalten.`).waitFor();
    const stays = dialog.getByRole("radiogroup", { name: "Welcher Kunde bleibt erhalten?" });
    expect(await stays.getByRole("radio", { name: new RegExp(old.customerNumber) }).isChecked()).toBe(true);
    const summary = dialog.getByRole("region", { name: "Was beim Zusammenführen geschieht" });
    // Where both differ and both have a value (the name), the established one's is kept: nothing is lost but the twin's name.
    expect(await summary.getByRole("listitem").allTextContents()).toEqual([
      `Name: Ortwein Hydraulik (von ${fresh.customerNumber})`,
    ]);
    await dialog.getByRole("button", { name: "Zusammenführen", exact: true }).click();

    await page.waitForURL(`${base}/customers/${old.id}?tab=duplicates`);
    await page.getByRole("status").filter({ hasText: "Zusammengeführt:" }).waitFor();
    expect(await getCustomer(page, old.id)).toMatchObject({
      ...established,
      name1: "Ortwein Hydraulik GmbH",
      industry: "Hydraulik",
    });
    expect((await page.request.get(`${base}/api/v1/customers/${fresh.id}`, { maxRedirects: 0 })).status()).toBe(308);
    await page.getByRole("region", { name: "Kontakte" }).getByText("Olga Ortwein").waitFor();
    await page.context().close();
  });

  it("a customer changed after the dialog opened (412): the user is told, the choices stay, confirming again merges", async () => {
    const page = await e2e.loginAs(USERS.admin);
    const { customer: d } = await create(page, {
      name1: "Wendelin Kältetechnik KG",
      postalCode: "01067",
      city: "Dresden",
      industry: "Kälte",
      contact: { firstName: "Dora", lastName: "Wendelin" },
    });
    const { customer: e } = await create(page, {
      name1: "Wendelin Kältetechnik KG",
      postalCode: "01067",
      city: "Dresden",
      industry: "Klima",
      contact: { firstName: "Emil", lastName: "Wendelin" },
    });
    const panel = await openDuplicates(page, d);
    await rowOf(panel, e.customerNumber).getByRole("button", { name: "Zusammenführen…" }).click();
    const dialog = page.getByRole("dialog", { name: "Kunden zusammenführen" });
    const fields = dialog.getByRole("table", { name: "Abweichende Angaben" });
    await fields.getByRole("radio", { name: "Branche: Klima" }).check();

    // Meanwhile someone else adds a name addition to the other customer.
    const patched = await page.request.patch(`${base}/api/v1/customers/${e.id}`, {
      headers: { ...(await e2e.csrf(page)), "if-match": `"${e.version}"` },
      data: { name2: "Service Ost" },
    });
    expect(patched.status()).toBe(200);

    await dialog.getByRole("button", { name: "Zusammenführen", exact: true }).click();
    await dialog.getByRole("alert").getByText("Inzwischen hat jemand einen der beiden Kunden geändert").waitFor();
    // The current state is shown (the new name addition), the choice made stays.
    await fields.getByRole("radio", { name: "Namenszusatz: Service Ost" }).waitFor();
    expect(await fields.getByRole("radio", { name: "Branche: Klima" }).isChecked()).toBe(true);
    expect((await getCustomer(page, d.id)).industry).toBe("Kälte");

    await dialog.getByRole("button", { name: "Zusammenführen", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("status").filter({ hasText: "Zusammengeführt:" }).waitFor();
    // The name addition only the other one had is kept by default.
    expect(await getCustomer(page, d.id)).toMatchObject({ industry: "Klima", name2: "Service Ost" });
    expect((await page.request.get(`${base}/api/v1/customers/${e.id}`, { maxRedirects: 0 })).status()).toBe(308);
    await page.context().close();
  });

  it("the user may keep the newer customer instead: it stays and its file opens", async () => {
    const page = await e2e.loginAs(USERS.admin);
    const { customer: f } = await create(page, {
      name1: "Xaver Zimmerei GmbH",
      postalCode: "83022",
      city: "Rosenheim",
      contact: { firstName: "Franz", lastName: "Xaver" },
    });
    const { customer: g } = await create(page, {
      name1: "Xaver Zimmerei GmbH",
      postalCode: "83022",
      city: "Rosenheim",
      contact: { firstName: "Gerd", lastName: "Xaver" },
    });
    const panel = await openDuplicates(page, f);
    await rowOf(panel, g.customerNumber).getByRole("button", { name: "Zusammenführen…" }).click();
    const dialog = page.getByRole("dialog", { name: "Kunden zusammenführen" });
    await dialog.getByText("Die Stammdaten der beiden stimmen überein").waitFor();
    const stays = dialog.getByRole("radiogroup", { name: "Welcher Kunde bleibt erhalten?" });
    expect(await stays.getByRole("radio", { name: new RegExp(f.customerNumber) }).isChecked()).toBe(true);
    await stays.getByRole("radio", { name: new RegExp(g.customerNumber) }).check();
    await dialog.getByText(`Xaver Zimmerei GmbH (${g.customerNumber}) bleibt erhalten.`).waitFor();
    await dialog.getByRole("button", { name: "Zusammenführen", exact: true }).click();

    await page.waitForURL(`${base}/customers/${g.id}?tab=duplicates`);
    const notice = page.getByRole("status").filter({ hasText: "Zusammengeführt:" });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(f.customerNumber);
    const contacts = page.getByRole("region", { name: "Kontakte" });
    await contacts.getByText("Franz Xaver").waitFor();
    await contacts.getByText("Gerd Xaver").waitFor();
    expect((await page.request.get(`${base}/api/v1/customers/${f.id}`, { maxRedirects: 0 })).status()).toBe(308);
    await page.context().close();
  });

  it("without customers.delete there is no “Zusammenführen…”; without customers.update no “Keine Dublette”", async () => {
    const admin = await e2e.loginAs(USERS.admin);
    const { customer: h } = await create(admin, {
      name1: "Ysenburg Weinhandel OHG",
      postalCode: "55116",
      city: "Mainz",
      contact: { firstName: "Hanna", lastName: "Ysenburg" },
    });
    const { customer: i } = await create(admin, {
      name1: "Ysenburg Weinhandel OHG",
      postalCode: "55116",
      city: "Mainz",
      contact: { firstName: "Ingo", lastName: "Ysenburg" },
    });
    await admin.context().close();

    // Finance may change customers and contacts, not delete them.
    const finance = await e2e.loginAs(USERS.finance);
    const panel = await openDuplicates(finance, h);
    const row = rowOf(panel, i.customerNumber);
    await row.getByRole("button", { name: "Keine Dublette" }).waitFor();
    expect(await row.getByRole("button", { name: "Zusammenführen…" }).count()).toBe(0);
    await finance.context().close();

    const reader = await e2e.loginAs(USERS.readOnly);
    const readOnly = await openDuplicates(reader, h);
    await rowOf(readOnly, i.customerNumber).waitFor();
    expect(await readOnly.getByRole("button").count()).toBe(0);
    await reader.context().close();
  });

  it("merges two contacts of one customer, with a field choice; the action needs two contacts and contacts.delete", async () => {
    const page = await e2e.loginAs(USERS.admin);
    const { customer: j } = await create(page, {
      name1: "Sommer Bürotechnik GmbH",
      postalCode: "24103",
      city: "Kiel",
      contact: { firstName: "Petra", lastName: "Sommer", position: "Einkauf", phone: "0431 123456" },
    });
    const added = await page.request.post(`${base}/api/v1/customers/${j.id}/contacts`, {
      headers: await e2e.csrf(page),
      data: { firstName: "P.", lastName: "Sommer", email: "p.sommer@sommer.example" },
    });
    expect(added.status()).toBe(201);

    await page.goto(`${base}/customers/${j.id}`);
    const contacts = page.getByRole("region", { name: "Kontakte" });
    await contacts.getByRole("button", { name: "Petra Sommer: Zusammenführen mit…" }).click();
    const dialog = page.getByRole("dialog", { name: "Kontakte zusammenführen" });
    // The only other contact is preselected.
    expect(await dialog.getByLabel("Anderer Kontakt").inputValue()).not.toBe("");
    const fields = dialog.getByRole("table", { name: "Abweichende Angaben" });
    expect(await fields.getByRole("rowheader").allTextContents()).toEqual(["Vorname", "Position", "Telefon", "E-Mail"]);
    // Only the other has an e-mail: its value is preselected; where both have one, the survivor's.
    expect(await fields.getByRole("radio", { name: "E-Mail: p.sommer@sommer.example" }).isChecked()).toBe(true);
    expect(await fields.getByRole("radio", { name: "Vorname: Petra" }).isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "Zusammenführen", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await contacts
      .getByRole("status")
      .getByText("Kontakte zusammengeführt: P. Sommer ist jetzt Teil von Petra Sommer.")
      .waitFor();

    const left = await contactsOf(page, j.id);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ firstName: "Petra", position: "Einkauf", email: "p.sommer@sommer.example" });
    // One contact left: nothing to merge with.
    await contacts.getByRole("row").filter({ hasText: "p.sommer@sommer.example" }).waitFor();
    expect(await contacts.getByRole("button", { name: /Zusammenführen mit/ }).count()).toBe(0);

    // Finance may edit contacts but not delete them: no merge action, even with two contacts.
    const { customer: k } = await create(page, {
      name1: "Winter Messebau GmbH",
      postalCode: "04109",
      city: "Leipzig",
      contact: { firstName: "Paul", lastName: "Winter" },
    });
    const second = await page.request.post(`${base}/api/v1/customers/${k.id}/contacts`, {
      headers: await e2e.csrf(page),
      data: { firstName: "Paula", lastName: "Winter" },
    });
    expect(second.status()).toBe(201);
    await page.context().close();
    const finance = await e2e.loginAs(USERS.finance);
    await finance.goto(`${base}/customers/${k.id}`);
    const card = finance.getByRole("region", { name: "Kontakte" });
    await card.getByText("Paula Winter").waitFor();
    await card.getByRole("button", { name: "Bearbeiten: Paula Winter" }).waitFor();
    expect(await card.getByRole("button", { name: /Zusammenführen mit/ }).count()).toBe(0);
    await finance.context().close();
  });
});
