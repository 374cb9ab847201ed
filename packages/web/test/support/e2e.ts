/**
 * The end-to-end harness: the built web UI served by the real server on a fresh SQLite database
 * with demo customers and one user per role, and Debian's Chromium driven by playwright-core.
 * Every e2e test file starts its own (so files run in parallel and never share state).
 */
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { buildApp } from "../../../server/src/app.js";
import type { Database } from "../../../server/src/db/database.js";
import { fakeCustomer, Random } from "../../../server/src/demo/factories.js";
import { SYSTEM_CONTEXT } from "../../../server/src/http/context.js";
import type { BusinessClock } from "../../../server/src/lib/clock.js";
import { createUser } from "../../../server/src/modules/auth/users.service.js";
import { createCustomersInBulk } from "../../../server/src/modules/customers/customers.bulk.js";
import { testClock } from "../../../server/test/support/clock.js";
import { createTestDatabase } from "../../../server/test/support/engines.js";

const ROOT = fileURLToPath(new URL("../../../..", import.meta.url));
/**
 * Where the built UI is served from. `KUNDENAKTE_WEB_DIST` names a private build folder, always
 * built afresh: people working on the UI side by side then never serve each other's half-built UI.
 */
const PRIVATE_DIST = process.env.KUNDENAKTE_WEB_DIST;
export const WEB_ROOT = PRIVATE_DIST ?? fileURLToPath(new URL("../../dist", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const PASSWORD = "correct horse battery staple";

/** Debian's Chromium, headless, with the flags this closed network needs (no background calls). */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Builds the web UI when its sources are newer than its build (as `npm start` does). */
export function buildWebIfNeeded(): void {
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: "production" };
  if (PRIVATE_DIST) {
    execSync(`npx vite build --outDir ${JSON.stringify(PRIVATE_DIST)} --emptyOutDir --logLevel warn`, {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      stdio: "inherit",
      env,
    });
    return;
  }
  execSync("node scripts/build-web-if-needed.mjs", { cwd: ROOT, stdio: "inherit", env });
}

export interface E2e {
  base: string;
  browser: Browser;
  db: Database;
  /** The server's attachment store (tests that lose a file on purpose). */
  attachmentDir: string;
  /** The server's business clock: a fixed start (`KUNDENAKTE_TEST_NOW`), not the machine's time. */
  clock: BusinessClock;
  /**
   * A new browser context (1366×768, de-DE) logged in as the user; resolves once the customer list shows.
   * `watch` sees the page before its first navigation (to listen for console messages, say).
   */
  loginAs(email: string, password?: string, watch?: (page: Page) => void): Promise<Page>;
  /** The CSRF header of the page's session, for API calls made through `page.request`. */
  csrf(page: Page): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** Users of the demo: one per role (all with PASSWORD). */
export const USERS = {
  admin: "chefin@firma.de",
  sales: "vertrieb@firma.de",
  readOnly: "leser@firma.de",
  finance: "finanz@firma.de",
} as const;

/**
 * Starts the app on a fresh SQLite database holding "Müller Metallbau GmbH" (Köln, one bank
 * account, primary contact Dr. Anna Müller) and 60 generated customers, and launches Chromium.
 */
export async function startE2e(): Promise<E2e> {
  buildWebIfNeeded();
  const { db, drop } = await createTestDatabase("sqlite");
  const rng = new Random(7);
  await createCustomersInBulk(db, SYSTEM_CONTEXT, [
    {
      kind: "company",
      name1: "Müller Metallbau GmbH",
      addresses: [{ type: "billing", street: "Industriestraße 7", postalCode: "50667", city: "Köln" }],
      bankAccounts: [{ iban: "DE89370400440532013000" }],
      contacts: [{ salutation: "ms", title: "Dr.", firstName: "Anna", lastName: "Müller", isPrimary: true }],
    },
    ...Array.from({ length: 60 }, () => fakeCustomer(rng)),
  ]);
  // An administrator exists, so the login (not the one-time setup) is offered.
  await createUser(db, SYSTEM_CONTEXT, { email: USERS.admin, name: "Chefin", password: PASSWORD, roles: ["admin"] });
  await createUser(db, SYSTEM_CONTEXT, {
    email: USERS.sales,
    name: "Vera Vertrieb",
    password: PASSWORD,
    roles: ["sales"],
  });
  await createUser(db, SYSTEM_CONTEXT, {
    email: USERS.readOnly,
    name: "Lars Leser",
    password: PASSWORD,
    roles: ["read_only"],
  });
  await createUser(db, SYSTEM_CONTEXT, {
    email: USERS.finance,
    name: "Frida Finanz",
    password: PASSWORD,
    roles: ["finance"],
  });
  const clock = testClock();
  const app = await buildApp({ db, webRoot: WEB_ROOT, clock });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();

  async function loginAs(email: string, password = PASSWORD, watch?: (page: Page) => void): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "de-DE" });
    const page = await context.newPage();
    watch?.(page);
    // Shorter than the test's own timeout, so a failing step names itself.
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/customers`);
    await page.getByLabel("E-Mail").fill(email);
    await page.getByLabel("Passwort").fill(password);
    await page.getByRole("button", { name: "Anmelden" }).click();
    // Wait until the login has landed: a test that navigates on at once would cancel it (seen in CI under load).
    await page.getByRole("heading", { name: "Kunden", exact: true }).waitFor();
    return page;
  }

  async function csrf(page: Page): Promise<Record<string, string>> {
    const session = (await (await page.request.get(`${base}/api/v1/auth/session`)).json()) as { csrfToken: string };
    return { "x-csrf-token": session.csrfToken };
  }

  return {
    base,
    browser,
    db,
    attachmentDir: app.attachmentStore.dir,
    clock,
    loginAs,
    csrf,
    close: async () => {
      await browser.close();
      await app.close();
      await drop();
    },
  };
}
