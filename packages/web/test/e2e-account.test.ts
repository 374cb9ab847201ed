/**
 * End-to-end: the own account — changing the password says beforehand what ends (other
 * sessions; API tokens unless unticked), refuses a wrong current password on its field, and
 * keeps the session that made the change.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "../../server/src/http/context.js";
import { createUser } from "../../server/src/modules/auth/users.service.js";
import { type E2e, PASSWORD, startE2e } from "./support/e2e.js";

describe("web UI in Chromium: my account", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
    await createUser(e2e.db, SYSTEM_CONTEXT, {
      email: "konto@firma.de",
      name: "Kim Konto",
      password: PASSWORD,
      roles: ["sales"],
    });
  }, 180_000);

  afterAll(async () => e2e?.close());

  /** Makes an API token through the page's session; answers whether it opens the customer list. */
  async function newToken(page: Page): Promise<() => Promise<number>> {
    const made = await page.request.post(`${e2e.base}/api/v1/auth/tokens`, {
      data: { name: "Warenwirtschaft", scopes: ["read"], expiresInDays: 30 },
      headers: await e2e.csrf(page),
    });
    expect(made.status()).toBe(201);
    const { token } = (await made.json()) as { token: string };
    return async () =>
      (await fetch(`${e2e.base}/api/v1/customers`, { headers: { authorization: `Bearer ${token}` } })).status;
  }

  it("changes the password by keyboard: other sessions and API tokens end, this session stays", async () => {
    const page = await e2e.loginAs("konto@firma.de");
    const other = await e2e.loginAs("konto@firma.de");
    const tokenWorks = await newToken(page);
    expect(await tokenWorks()).toBe(200);

    await page.getByRole("link", { name: "Mein Konto" }).click();
    await page.getByRole("heading", { name: "Passwort ändern" }).waitFor();
    await page.getByText("Ihre anderen Sitzungen (andere Browser und Geräte) werden dabei beendet").waitFor();
    const revoke = page.getByRole("checkbox", { name: "Auch meine API-Schlüssel widerrufen" });
    expect(await revoke.isChecked()).toBe(true);

    await page.getByLabel("Aktuelles Passwort").fill("nicht das Passwort");
    await page.getByLabel("Neues Passwort").fill("ein neues langes Passwort");
    await page.getByLabel("Neues Passwort").press("Enter");
    await page.getByText("Das aktuelle Passwort ist falsch.").waitFor();

    await page.getByLabel("Aktuelles Passwort").fill(PASSWORD);
    await page.getByLabel("Neues Passwort").press("Enter");
    await page
      .getByText("Passwort geändert. Ihre anderen Sitzungen wurden beendet und Ihre API-Schlüssel widerrufen.")
      .waitFor();
    expect(await tokenWorks()).toBe(401);
    // This session goes on; the other browser is logged out.
    await page.getByRole("link", { name: "Kunden", exact: true }).click();
    await page.getByRole("heading", { name: "Kunden", exact: true }).waitFor();
    const otherSession = await other.request.get(`${e2e.base}/api/v1/auth/session`);
    expect(otherSession.status()).toBe(401);
    await page.context().close();
    await other.context().close();
  }, 90_000);

  it("keeps the API tokens when the user unticks it (in English too)", async () => {
    const page = await e2e.loginAs("konto@firma.de", "ein neues langes Passwort");
    const tokenWorks = await newToken(page);
    await page.getByText("EN", { exact: true }).click();
    await page.getByRole("link", { name: "My account" }).click();
    await page.getByRole("heading", { name: "Change password" }).waitFor();
    await page.getByRole("checkbox", { name: "Revoke my API tokens too" }).uncheck();
    await page.getByLabel("Current password").fill("ein neues langes Passwort");
    await page.getByLabel("New password").fill("noch ein neues Passwort");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Password changed. Your other sessions ended; your API tokens stay valid.").waitFor();
    expect(await tokenWorks()).toBe(200);
    await page.context().close();
  }, 60_000);
});
