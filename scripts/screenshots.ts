/// <reference lib="dom" />
/**
 * `npm run screenshots`: starts the app on a fresh demo database (generated customers plus one
 * customer with a full history: contacts, documents, payments, journal, follow-up, ticket, wishes),
 * opens it in Debian's Chromium at 1366×768 and writes PNG screenshots of the customer list, the
 * quick search, the customer file (as a whole and each part, each tab) and the forms, in German
 * and English, to docs/screenshots/{de,en}/. The README shows them.
 */
import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type APIRequestContext, chromium, type Locator, type Page } from "playwright-core";
import { seedDemo } from "../packages/server/src/demo/seed.js";
import { SYSTEM_CONTEXT } from "../packages/server/src/http/context.js";
import { buildApp, migrateToLatest, openDatabase } from "../packages/server/src/index.js";
import { createUser } from "../packages/server/src/modules/auth/users.service.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const OUT = path.join(root, "docs/screenshots");
const EMAIL = "chefin@firma.de";
const PASSWORD = "correct horse battery staple";
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const at = (offset: number, hour: number) => `${day(offset)}T${String(hour).padStart(2, "0")}:15:00Z`;

/** Calls the API as the logged-in page; anything but success stops the script with the problem. */
function client(request: APIRequestContext, base: string, csrf: string) {
  return async <T = { id: number; version: number }>(method: string, url: string, data?: unknown): Promise<T> => {
    const headers: Record<string, string> = { "x-csrf-token": csrf };
    if (method === "PATCH" || method === "PUT") {
      // Changes go by version: read the current one first, as a client would.
      const current = await request.get(`${base}/api/v1${url}`);
      headers["if-match"] = current.headers().etag ?? `"${((await current.json()) as { version: number }).version}"`;
    }
    const res = await request.fetch(`${base}/api/v1${url}`, { method, data, headers });
    if (!res.ok()) throw new Error(`${method} ${url}: ${res.status()} ${await res.text()}`);
    return (res.status() === 204 ? undefined : await res.json()) as T;
  };
}

/** One customer with what a real one has after a year of business. */
async function showcase(call: ReturnType<typeof client>): Promise<number> {
  const created = await call<{ customer: { id: number }; contacts: { id: number }[] }>("POST", "/customers", {
    kind: "company",
    name1: "Müller Metallbau GmbH",
    name2: "Niederlassung Köln",
    customerGroup: "Industrie",
    vatId: "DE811907980",
    status: "active",
    tags: ["Stammkunde", "Metall"],
    addresses: [
      { type: "billing", street: "Industriestraße 7", postalCode: "50667", city: "Köln", isDefault: true },
      { type: "delivery", street: "Hafenstraße 12", postalCode: "50735", city: "Köln", addition: "Tor 3" },
    ],
    channels: [
      { kind: "phone", value: "0221 4455660", isPrimary: true },
      { kind: "email", value: "info@mueller-metallbau.de" },
      { kind: "web", value: "https://mueller-metallbau.de" },
    ],
    contacts: [
      {
        salutation: "ms",
        title: "Dr.",
        firstName: "Anna",
        lastName: "Müller",
        position: "Geschäftsführerin",
        phone: "0221 4455661",
        email: "anna.mueller@mueller-metallbau.de",
        isPrimary: true,
      },
      {
        salutation: "mr",
        firstName: "Jens",
        lastName: "Becker",
        position: "Einkauf",
        department: "Einkauf",
        phone: "0221 4455665",
        mobile: "0171 2345678",
        email: "j.becker@mueller-metallbau.de",
      },
      {
        salutation: "ms",
        firstName: "Petra",
        lastName: "Wolf",
        position: "Buchhaltung",
        department: "Finanzen",
        phone: "0221 4455669",
        email: "buchhaltung@mueller-metallbau.de",
      },
    ],
    bankAccounts: [{ iban: "DE89370400440532013000", bic: "COBADEFFXXX", isDefault: true }],
  });
  const id = created.customer.id;
  const [anna, jens, petra] = created.contacts.map((c) => c.id);
  await call("PATCH", `/customers/${id}/credit`, { creditLimitCents: 2_500_000 });
  const sheet = await call("POST", "/products", {
    articleNumber: "BL-2000",
    name: "Stahlblech 2 mm, verzinkt",
    unit: "m²",
    listPriceCents: 4_850,
    vatRatePercent: 19,
  });
  const profile = await call("POST", "/products", {
    articleNumber: "PR-40",
    name: "U-Profil 40 mm",
    unit: "m",
    listPriceCents: 1_290,
    vatRatePercent: 19,
  });
  const invoice = (date: number, qty: number) =>
    call<{ id: number; grossCents: number }>("POST", `/customers/${id}/documents`, {
      type: "invoice",
      documentDate: day(date),
      contactId: jens,
      lines: [
        { productId: sheet.id, quantity: qty },
        { productId: profile.id, quantity: qty * 3 },
      ],
    });
  const paid = await invoice(-300, 120);
  await invoice(-200, 80);
  await invoice(-45, 60);
  await call("POST", `/customers/${id}/payments`, {
    amountCents: paid.grossCents,
    paymentDate: day(-280),
    reference: "Überweisung RE 1",
  });
  await call("POST", `/customers/${id}/documents`, {
    type: "quote",
    documentDate: day(-5),
    contactId: jens,
    lines: [{ productId: sheet.id, quantity: 200 }],
  });
  await call("POST", `/customers/${id}/documents`, {
    type: "order",
    documentDate: day(-2),
    contactId: jens,
    lines: [{ productId: profile.id, quantity: 500 }],
  });
  const journal: [string, string, string, number | undefined, number][] = [
    ["call", "Rückfrage zur Lieferung", "Liefertermin für die Profile bestätigt: KW 50.", jens, -1],
    ["email", "Angebot Stahlblech", "Angebot über 200 m² verschickt, Antwort bis Freitag erbeten.", jens, -5],
    ["meeting", "Jahresgespräch", "Rahmenvertrag 2027 besprochen; Staffelpreise ab 500 m² gewünscht.", anna, -20],
    ["note", "Zahlungsverhalten", "Zahlt meist pünktlich, Rechnung vom Herbst noch offen.", undefined, -30],
    ["call", "Mahnung besprochen", "Frau Wolf sagt Zahlung bis Monatsende zu.", petra, -33],
    ["letter", "Preisanpassung 2026", "Schreiben zur Preisanpassung verschickt.", undefined, -60],
  ];
  for (const [kind, subject, body, contactId, offset] of journal)
    await call("POST", `/customers/${id}/journal`, {
      kind,
      subject,
      body,
      contactId: contactId ?? null,
      occurredAt: at(offset, 10),
    });
  await call("POST", `/customers/${id}/follow-ups`, {
    subject: "Angebot Stahlblech nachfassen",
    dueAt: at(2, 9),
    contactId: jens,
  });
  await call("POST", `/customers/${id}/tickets`, {
    type: "complaint",
    subject: "Profile mit Kratzern geliefert",
    description: "12 von 150 m U-Profil zerkratzt, Fotos liegen vor.",
    priority: "high",
    contactId: jens,
  });
  await call("PUT", `/customers/${id}/preferences`, {
    deliveryDays: ["mon", "tue", "wed", "thu"],
    deliveryWindows: [{ from: "07:00", to: "12:00" }],
    shippingInstructions: "Anlieferung über Tor 3, Stapler vorhanden",
  });
  // The same company entered again by someone else: what the duplicates tab is for.
  await call("POST", "/customers", {
    kind: "company",
    name1: "Mueller Metallbau",
    addresses: [{ type: "billing", street: "Industriestr. 7", postalCode: "50667", city: "Köln" }],
    channels: [{ kind: "phone", value: "0221/4455660" }],
    contacts: [{ firstName: "Anna", lastName: "Müller", email: "anna.mueller@mueller-metallbau.de" }],
  });
  return id;
}

async function main() {
  execSync("node scripts/build-web-if-needed.mjs", { cwd: root, stdio: "inherit" });
  const dir = mkdtempSync(path.join(tmpdir(), "kundenakte-screenshots-"));
  const db = openDatabase({ databaseUrl: null, sqliteFile: path.join(dir, "kundenakte.sqlite") });
  await migrateToLatest(db);
  await seedDemo(db, SYSTEM_CONTEXT, { customers: 300, seed: "screenshots" });
  await createUser(db, SYSTEM_CONTEXT, { email: EMAIL, name: "Clara Chefin", password: PASSWORD, roles: ["admin"] });
  const app = await buildApp({ db, webRoot: path.join(root, "packages/web/dist") });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    let customerId = 0;
    for (const lang of ["de", "en"] as const) {
      const out = path.join(OUT, lang);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const context = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        locale: lang === "de" ? "de-DE" : "en-GB",
      });
      await context.addInitScript(`localStorage.setItem("kundenakte.language", "${lang}")`);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${base}/customers`);
      await page.locator("input[type=email], input[autocomplete=username]").first().fill(EMAIL);
      await page.locator("input[type=password]").fill(PASSWORD);
      await page.locator("button[type=submit]").click();
      await page.waitForURL(`${base}/customers`);
      if (!customerId) {
        const session = (await (await page.request.get(`${base}/api/v1/auth/session`)).json()) as { csrfToken: string };
        customerId = await showcase(client(page.request, base, session.csrfToken));
      }
      await shoot(page, base, customerId, out);
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits until nothing on the page is loading (no skeleton, no busy table) and the fonts are in. */
async function settled(page: Page) {
  await page.waitForFunction(
    () => document.querySelector(".mantine-Skeleton-root, [aria-busy=true]") === null,
    undefined,
    { polling: 100 },
  );
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(150);
}

async function snap(target: Page | Locator, file: string, fullPage = false) {
  if ("screenshot" in target && "goto" in target) await target.screenshot({ path: file, fullPage });
  else await target.screenshot({ path: file });
  process.stdout.write(`  ${path.relative(root, file)}\n`);
}

async function shoot(page: Page, base: string, customerId: number, out: string) {
  const file = (name: string) => path.join(out, `${name}.png`);
  await settled(page);
  await snap(page, file("01-customer-list"));

  await page.getByTestId("quick-search-button").click();
  await page.locator("[aria-controls=quick-search-results]").fill("Mueller Metall");
  await page.locator("[data-results-for='Mueller Metall'] [role=option]").first().waitFor();
  await page.waitForTimeout(150);
  await snap(page, file("02-quick-search"));
  await page.keyboard.press("Escape");

  await page.goto(`${base}/customers/${customerId}`);
  await page.locator(`[data-file-parts="${customerId}"]`).waitFor();
  await settled(page);
  await snap(page, file("03-customer-file"));
  await snap(page, file("04-customer-file-full"), true);
  const parts = page.locator(`[data-file-parts="${customerId}"]`);
  await snap(parts.locator("aside"), file("05-info-panel"));
  await snap(parts.getByRole("region", { name: /^(Kontakte|Contacts)$/ }), file("06-contacts"));
  await snap(parts.getByRole("region", { name: /^Journal$/ }), file("07-journal"));

  const tabs = page.getByRole("tab");
  const count = await tabs.count();
  for (let i = 0; i < count; i++) {
    const tab = tabs.nth(i);
    const value = (await tab.getAttribute("id"))?.replace(/^.*-tab-/, "") ?? String(i);
    await tab.click();
    await settled(page);
    const panel = page.getByRole("tabpanel");
    await snap(panel.locator("xpath=ancestor::section[1]"), file(`08-tab-${String(i + 1)}-${value}`));
  }

  // Forms: edit master data, new customer (with the duplicate warning), log a call.
  await page.goto(`${base}/customers/${customerId}`);
  await settled(page);
  await page.locator(`[data-file-parts="${customerId}"]`).waitFor();
  await page
    .getByRole("button", { name: /^(Bearbeiten|Edit)$/ })
    .first()
    .click();
  await page.getByRole("dialog").waitFor();
  await page.waitForTimeout(300);
  await snap(page, file("10-form-edit-customer"));
  await page.keyboard.press("Escape");

  await page.goto(`${base}/customers`);
  await settled(page);
  await page
    .getByRole("button")
    .filter({ hasText: /^(Neuer Kunde|New customer)$/ })
    .click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await dialog
    .getByRole("textbox", { name: /^(Name|Company name)/ })
    .first()
    .fill("Mueller Metallbau");
  await dialog.getByRole("textbox", { name: /^(PLZ|Postal code)$/ }).fill("50667");
  await dialog.getByRole("textbox", { name: /^(Ort|City)$/ }).fill("Köln");
  // The server's duplicate check answers while the user types: its warning is part of the picture.
  await dialog.getByText("Müller Metallbau GmbH").first().waitFor();
  await page.waitForTimeout(300);
  await snap(page, file("11-form-new-customer"));
  await page.keyboard.press("Escape");

  // Forms of the file: log a call, a contact inline, a follow-up, an address, a payment.
  const openFile = async (tab?: string) => {
    await page.goto(`${base}/customers/${customerId}${tab ? `?tab=${tab}` : ""}`);
    await page.locator(`[data-file-parts="${customerId}"]`).waitFor();
    await settled(page);
  };
  await openFile();
  const journal = page.getByRole("region", { name: /^Journal$/ });
  await journal.getByLabel(/^(Betreff|Subject)$/).fill("Rückruf wegen Reklamation");
  await snap(journal, file("12-form-log-call"));

  const contacts = page.getByRole("region", { name: /^(Kontakte|Contacts)$/ });
  await contacts.getByRole("button", { name: /^(Kontakt hinzufügen|Add contact)$/ }).click();
  await page.waitForTimeout(300);
  await snap(contacts, file("13-form-contact-inline"));

  await openFile();
  await page.getByRole("button", { name: /^(Wiedervorlage anlegen|Add follow-up)$/ }).click();
  await page.waitForTimeout(300);
  await snap(page, file("14-form-follow-up"));

  await openFile("addresses");
  await page.getByRole("button", { name: /^(Weitere Adresse hinzufügen|Add other address)$/ }).click();
  await page.waitForTimeout(300);
  await snap(page, file("15-form-address"));

  await openFile("open-items");
  await page.getByRole("button", { name: /^(Zahlung erfassen|Record payment)$/ }).click();
  await page.getByRole("dialog").waitFor();
  await page.waitForTimeout(300);
  await snap(page, file("16-form-payment"));
}

await main();
