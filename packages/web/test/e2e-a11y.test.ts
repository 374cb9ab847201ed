/**
 * Accessibility in Chromium: every main screen checked with axe-core (WCAG 2.x A and AA rules)
 * at 1366×768, and the page must not scroll sideways at that size. A screen with a violation
 * fails with the rule, the element and axe's help text.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe on the page as it is now; answers the violations as readable lines. */
async function violations(page: Page): Promise<string[]> {
  // Colours half-way through a dialog's fade-in are not what users read: let transitions end first.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  // Evaluated through the DevTools protocol, not as a <script> element: the app's CSP (rightly)
  // refuses inline scripts, and axe is the test's tool, not part of the page.
  await page.evaluate(AXE_SOURCE);
  const found = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations;
  })) as Violation[];
  const node = (n: Violation["nodes"][number]) =>
    `${n.target.join(" ")} [${(n.failureSummary ?? "").replace(/\s+/g, " ")}]`;
  return found.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(node).join(", ")}`);
}

/** True when the page is wider than the window (a sideways scrollbar at 1366 px). */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector(".mantine-Skeleton-root, [aria-busy=true]") === null);
}

describe("accessibility of the main screens (axe-core, 1366×768)", () => {
  let e2e: E2e;
  let customerId = 0;

  beforeAll(async () => {
    e2e = await startE2e();
    const row = await e2e.db.kysely
      .selectFrom("customers")
      .select("id")
      .where("name1", "=", "Müller Metallbau GmbH")
      .executeTakeFirstOrThrow();
    customerId = row.id;
  }, 180_000);

  afterAll(async () => e2e?.close());

  it("the login page", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: "de-DE" });
    await page.goto(`${e2e.base}/login`);
    await page.getByLabel("E-Mail").waitFor();
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it("the customer list and the quick search", async () => {
    const page = await e2e.loginAs(USERS.admin);
    await settled(page);
    expect(await violations(page)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByTestId("quick-search-button").click();
    await page.getByRole("combobox", { name: "Schnellsuche" }).fill("Mueller");
    await page.getByRole("option").first().waitFor();
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Neuer Kunde" }).click();
    await page.getByRole("dialog").waitFor();
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it("the customer file and each of its tabs", async () => {
    const page = await e2e.loginAs(USERS.admin);
    await page.goto(`${e2e.base}/customers/${customerId}`);
    await page.locator(`[data-file-parts="${customerId}"]`).waitFor();
    await settled(page);
    expect(await violations(page)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    // The forms of the file: master data in a dialog, a contact and a follow-up inline.
    await page.getByRole("button", { name: "Bearbeiten", exact: true }).click();
    await page.getByRole("dialog").waitFor();
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Kontakt hinzufügen" }).click();
    await page.getByRole("button", { name: "Wiedervorlage anlegen" }).click();
    expect(await violations(page)).toEqual([]);
    const tabs = page.getByRole("tab");
    const count = await tabs.count();
    expect(count).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < count; i++) {
      await tabs.nth(i).click();
      await settled(page);
      const name = await tabs.nth(i).textContent();
      expect({ tab: name, violations: await violations(page) }).toEqual({ tab: name, violations: [] });
      expect(await scrollsSideways(page)).toBe(false);
    }
    await page.context().close();
  });

  it("the duplicates tab with a candidate, and the merge dialog", async () => {
    const page = await e2e.loginAs(USERS.admin);
    const ids: number[] = [];
    // Different industries: the dialog shows a field to choose and a value that would be lost.
    for (const [contact, industry] of [
      ["Zora", "Feinmechanik"],
      ["Zeno", "Optik"],
    ]) {
      const res = await page.request.post(`${e2e.base}/api/v1/customers`, {
        headers: await e2e.csrf(page),
        data: {
          kind: "company",
          name1: "Zander Feinmechanik GmbH",
          industry,
          addresses: [{ type: "billing", street: "Am Markt 2", postalCode: "99084", city: "Erfurt" }],
          contacts: [{ firstName: contact, lastName: "Zander" }],
        },
      });
      ids.push(((await res.json()) as { customer: { id: number } }).customer.id);
    }
    await page.goto(`${e2e.base}/customers/${ids[0]}?tab=duplicates`);
    await page.getByRole("button", { name: "Zusammenführen…" }).waitFor();
    await settled(page);
    expect(await violations(page)).toEqual([]);
    await page.getByRole("button", { name: "Zusammenführen…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Zusammenführen", exact: true }).waitFor();
    await page.getByRole("dialog").getByText("Diese Werte gehen verloren").waitFor();
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it("the tickets tab with a ticket's workflow, and its edit and resolve dialogs", async () => {
    const page = await e2e.loginAs(USERS.admin);
    const res = await page.request.post(`${e2e.base}/api/v1/customers/${customerId}/tickets`, {
      headers: await e2e.csrf(page),
      data: { type: "complaint", subject: "Lack blättert ab" },
    });
    expect(res.status()).toBe(201);
    await page.goto(`${e2e.base}/customers/${customerId}?tab=tickets`);
    const row = page.getByRole("row").filter({ hasText: "Lack blättert ab" });
    await row.getByRole("button", { name: /^Lösen…/ }).waitFor();
    await settled(page);
    expect(await violations(page)).toEqual([]);
    for (const action of [/^Bearbeiten/, /^Lösen…/]) {
      await row.getByRole("button", { name: action }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Abbrechen" }).waitFor();
      expect(await violations(page)).toEqual([]);
      await page.keyboard.press("Escape");
      await page.getByRole("dialog").waitFor({ state: "detached" });
    }
    await page.context().close();
  });

  it("the follow-ups page", async () => {
    const page = await e2e.loginAs(USERS.sales);
    await page.getByRole("link", { name: "Wiedervorlagen" }).click();
    await page.getByRole("heading", { name: "Wiedervorlagen" }).first().waitFor();
    await settled(page);
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });
});
