/**
 * End-to-end: the ticket workflow in the customer file — edit without a status change, assign,
 * start, wait for the customer, resume, resolve with category and text, reopen, close; only the
 * allowed steps offered; a ticket changed meanwhile — in Chromium, by a service agent.
 */
import type { Ticket } from "@kundenakte/contract";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SYSTEM_CONTEXT } from "../../server/src/http/context.js";
import { createUser } from "../../server/src/modules/auth/users.service.js";
import { type E2e, PASSWORD, startE2e, USERS } from "./support/e2e.js";

// A build folder of this file's own: UI work side by side never serves another run's half-built UI.
vi.hoisted(() => {
  process.env.KUNDENAKTE_WEB_DIST = "/tmp/kundenakte-web-tickets";
});

const SERVICE = "kundendienst@firma.de";

describe("tickets in Chromium", () => {
  let e2e: E2e;
  let customerId = 0;

  beforeAll(async () => {
    e2e = await startE2e();
    await createUser(e2e.db, SYSTEM_CONTEXT, {
      email: SERVICE,
      name: "Sven Service",
      password: PASSWORD,
      roles: ["service"],
    });
    const admin = await e2e.loginAs(USERS.admin);
    const res = await admin.request.post(`${e2e.base}/api/v1/customers`, {
      headers: await e2e.csrf(admin),
      data: { kind: "company", name1: "Pumpenwerk Tiefbrunn GmbH" },
    });
    expect(res.status()).toBe(201);
    customerId = ((await res.json()) as { customer: { id: number } }).customer.id;
    await admin.context().close();
  }, 240_000);

  afterAll(async () => e2e?.close());

  async function openTickets(page: Page) {
    await page.goto(`${e2e.base}/customers/${customerId}?tab=tickets`);
    return page.getByRole("region", { name: "Anfragen und Reklamationen" });
  }

  async function createTicket(tickets: Locator, subject: string) {
    await tickets.getByLabel("Betreff").fill(subject);
    await tickets.getByRole("button", { name: "Anlegen" }).click();
    const row = tickets.getByRole("row").filter({ hasText: subject });
    await row.getByText("Neu", { exact: true }).waitFor();
    return row;
  }

  /** The names of the workflow and edit buttons a row offers, without the ticket number. */
  const offered = async (row: Locator) =>
    (await row.getByRole("button").allTextContents()).map((s) => s.trim()).filter(Boolean);

  async function ticketsOf(page: Page): Promise<Ticket[]> {
    return (
      (await (await page.request.get(`${e2e.base}/api/v1/customers/${customerId}/tickets`)).json()) as {
        items: Ticket[];
      }
    ).items;
  }

  it("walks a complaint through the whole workflow; editing never moves its status; only allowed steps are offered", async () => {
    const page = await e2e.loginAs(SERVICE);
    const tickets = await openTickets(page);
    const row = await createTicket(tickets, "Pumpe P-200 undicht");
    expect(await offered(row)).toEqual(["Bearbeiten", "In Bearbeitung nehmen", "Lösen…"]);

    // "Bearbeiten": another priority and an assignee — the status stays "Neu".
    await row.getByRole("button", { name: /^Bearbeiten/ }).click();
    const edit = page.getByRole("dialog", { name: /^Ticket T-\d+ bearbeiten$/ });
    await edit.getByLabel("Priorität").click();
    await page.getByRole("option", { name: "hoch" }).click();
    await edit.getByLabel("Zuständig").click();
    await page.getByRole("option", { name: `Sven Service (${SERVICE})` }).click();
    await edit.getByRole("button", { name: "Speichern" }).click();
    await edit.waitFor({ state: "detached" });
    await row.getByText("zuständig: Sven Service").waitFor();
    await row.getByText("hoch", { exact: false }).waitFor();
    expect(await row.getByText("Neu", { exact: true }).count()).toBe(1);
    const [stored] = await ticketsOf(page);
    expect(stored).toMatchObject({ status: "new", priority: "high", assignee: SERVICE });

    await row.getByRole("button", { name: /^In Bearbeitung nehmen/ }).click();
    await row.getByText("In Bearbeitung", { exact: true }).waitFor();
    expect(await offered(row)).toEqual(["Bearbeiten", "Auf Kunde warten", "Lösen…"]);
    await row.getByRole("button", { name: /^Auf Kunde warten/ }).click();
    await row.getByText("Wartet auf Kunde", { exact: true }).waitFor();
    expect(await offered(row)).toEqual(["Bearbeiten", "Weiter bearbeiten", "Lösen…"]);
    await row.getByRole("button", { name: /^Weiter bearbeiten/ }).click();
    await row.getByText("In Bearbeitung", { exact: true }).waitFor();

    // Resolving needs a category and a text.
    await row.getByRole("button", { name: /^Lösen…/ }).click();
    const resolve = page.getByRole("dialog", { name: /^Ticket T-\d+ lösen$/ });
    await resolve.getByRole("button", { name: "Als gelöst markieren" }).click();
    expect(await resolve.getByText("Bitte ausfüllen").count()).toBe(2);
    await resolve.getByLabel(/^Art der Lösung/).click();
    await page.getByRole("option", { name: "Ersetzt" }).click();
    await resolve.getByLabel(/^Lösung/).fill("Dichtung getauscht");
    await resolve.getByRole("button", { name: "Als gelöst markieren" }).click();
    await resolve.waitFor({ state: "detached" });
    await row.getByText("Gelöst", { exact: true }).waitFor();
    await row.getByText("Lösung (Ersetzt): Dichtung getauscht").waitFor();
    expect(await offered(row)).toEqual(["Bearbeiten", "Schließen", "Wieder öffnen"]);

    // Reopened: the resolution is cleared; resolved again, by keyboard alone.
    await row.getByRole("button", { name: /^Wieder öffnen/ }).click();
    await row.getByText("In Bearbeitung", { exact: true }).waitFor();
    expect(await row.getByText(/^Lösung/).count()).toBe(0);
    await row.getByRole("button", { name: /^Lösen…/ }).focus();
    await page.keyboard.press("Enter");
    await resolve.waitFor();
    // The category field has the focus: open it, take the first option (Beantwortet).
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Neue Pumpe geliefert, Kunde zufrieden");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await resolve.waitFor({ state: "detached" });
    await row.getByText("Lösung (Beantwortet): Neue Pumpe geliefert, Kunde zufrieden").waitFor();

    await row.getByRole("button", { name: /^Schließen/ }).click();
    await row.getByText("Geschlossen", { exact: true }).waitFor();
    // Closed is final: nothing offered, not even editing.
    expect(await offered(row)).toEqual([]);
    const [closed] = await ticketsOf(page);
    expect(closed).toMatchObject({ status: "closed", resolutionCategory: "answered", assignee: SERVICE });

    // Every step is in the journal.
    const journal = page.getByRole("region", { name: "Journal" });
    await journal.getByText(/Status: gelöst → geschlossen/i).waitFor();
    await journal.getByText(/Status: wartet auf Kunde → in Bearbeitung/i).waitFor();
    await page.context().close();
  });

  it("a ticket someone else moved meanwhile: the user is told, the row shows its status now and offers its steps", async () => {
    const page = await e2e.loginAs(SERVICE);
    const tickets = await openTickets(page);
    const row = await createTicket(tickets, "Rückruf wegen Ersatzteil");
    const [ticket] = await ticketsOf(page);
    // A colleague answers it at once, through the API.
    const moved = await page.request.patch(`${e2e.base}/api/v1/customers/${customerId}/tickets/${ticket!.id}`, {
      headers: { ...(await e2e.csrf(page)), "if-match": `"${ticket!.version}"` },
      data: { status: "resolved", resolutionCategory: "answered", resolution: "Telefonisch geklärt" },
    });
    expect(moved.status()).toBe(200);

    await row.getByRole("button", { name: /^In Bearbeitung nehmen/ }).click();
    await tickets.getByRole("alert").getByText("Das Ticket wurde inzwischen geändert").waitFor();
    await row.getByText("Gelöst", { exact: true }).waitFor();
    expect(await offered(row)).toEqual(["Bearbeiten", "Schließen", "Wieder öffnen"]);
    expect((await ticketsOf(page)).find((x) => x.id === ticket!.id)?.status).toBe("resolved");
    await page.context().close();
  });

  it("read-only users see tickets but no workflow", async () => {
    const page = await e2e.loginAs(USERS.readOnly);
    const tickets = await openTickets(page);
    await tickets.getByText("Pumpe P-200 undicht").waitFor();
    expect(await tickets.getByRole("button").count()).toBe(0);
    await page.context().close();
  });
});
