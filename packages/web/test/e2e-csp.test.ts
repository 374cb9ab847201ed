/**
 * End-to-end: the web UI and the API documentation work under the server's Content-Security-Policy
 * (no inline scripts, no eval): any CSP violation Chromium reports fails the test. The forms'
 * validators are compiled at build time, so they check input in the browser without eval.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

/** Collects every CSP violation of the page: Chromium's console reports and the DOM event. */
function watchCsp(page: Page, violations: string[]): void {
  page.on("console", (msg) => {
    if (/Refused to|Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  // Init scripts come from the browser, not the page: the CSP does not apply to them.
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}

describe("the UI under the Content-Security-Policy", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
  }, 180_000);

  afterAll(async () => e2e?.close());

  it("logs in, opens a customer file and its tabs with no CSP violation", async () => {
    const violations: string[] = [];
    const page = await e2e.loginAs(USERS.admin, undefined, (p) => watchCsp(p, violations));
    const res = await page.request.get(`${e2e.base}/customers`);
    const csp = String(res.headers()["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-eval");
    // Open the file through the list, as a user does.
    await page.getByRole("link", { name: "Müller Metallbau GmbH" }).first().click();
    await page.getByRole("heading", { name: "Müller Metallbau GmbH" }).waitFor();
    for (const tab of await page.getByRole("tab").all()) {
      await tab.click();
      await page.waitForLoadState("networkidle");
    }
    expect(violations).toEqual([]);
    // The check can fail: an inline script is refused and reported.
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__inline = true";
      document.body.append(s);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations.join("\n")).toMatch(/script-src/);
    expect(await page.evaluate(() => (window as { __inline?: boolean }).__inline)).toBeUndefined();
  });

  it("checks a form in the browser, before anything is sent, with no eval and no CSP violation", async () => {
    const violations: string[] = [];
    const page = await e2e.loginAs(USERS.admin, undefined, (p) => watchCsp(p, violations));
    const creates: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/v1/customers") creates.push(r.url());
    });
    await page.getByRole("button", { name: "Neuer Kunde" }).click();
    const form = page.getByRole("dialog");
    const name = form.getByRole("textbox", { name: /^Name/ });
    const email = form.getByLabel("E-Mail des Ansprechpartners");
    // Required, format and the input rules' control characters: each on its field.
    await form.getByLabel("Nachname").fill("Lind");
    await email.fill("keine-adresse");
    await form.getByRole("button", { name: "Anlegen" }).click();
    await form.getByText("Bitte ausfüllen").waitFor();
    await form.getByText("Keine gültige E-Mail-Adresse").waitFor();
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    await name.fill("Nord\u0007Licht GmbH");
    await email.fill("info@nordlicht.de");
    await form.getByRole("button", { name: "Anlegen" }).click();
    await form.getByText("Ungültige Eingabe").waitFor();
    expect(await form.getByText("Keine gültige E-Mail-Adresse").count()).toBe(0);
    expect(creates).toEqual([]);
    // Corrected, it is sent and saved.
    await name.fill("Nordlicht GmbH");
    await form.getByRole("button", { name: "Anlegen" }).click();
    await page.getByRole("heading", { name: "Nordlicht GmbH" }).waitFor();
    expect(creates).toHaveLength(1);
    expect(violations).toEqual([]);
    // Were anything in the page to compile code at run time, the CSP would refuse it and say so.
    // (A string timer: code run by the page itself; what page.evaluate runs is exempt.)
    await page.evaluate(() => {
      (window.setTimeout as unknown as (code: string, ms: number) => void)("window.__evaled = true", 0);
    });
    await expect.poll(() => violations.join("\n")).toMatch(/unsafe-eval|script-src/);
    expect(await page.evaluate(() => (window as { __evaled?: boolean }).__evaled)).toBeUndefined();
  });

  // The Swagger UI is a large bundle that renders a large document: slow on a busy machine.
  it("shows the API documentation with no CSP violation", { timeout: 180_000 }, async () => {
    const violations: string[] = [];
    const page = await e2e.loginAs(USERS.readOnly, undefined, (p) => watchCsp(p, violations));
    page.setDefaultTimeout(120_000);
    await page.goto(`${e2e.base}/api/docs/`);
    await page.getByRole("heading", { name: /Kundenakte API/ }).waitFor();
    await page.getByText("/api/v1/customers/{id}/file").first().waitFor();
    await page.waitForLoadState("networkidle");
    expect(violations).toEqual([]);
  });
});
