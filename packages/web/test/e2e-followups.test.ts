/**
 * End-to-end: follow-ups (Wiedervorlagen) in the customer file and on the day list, "next
 * follow-up" and "last contact" in the key figures, and the change history tab — in Chromium.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

interface FollowUp {
  id: number;
  subject: string;
  owner: string;
  status: string;
  dueAt: string;
  version: number;
  customerId: number;
}

const deDate = (d: Date) =>
  new Intl.DateTimeFormat("de-DE", { day: "2-digit", month: "2-digit", year: "numeric" }).format(d);

describe("follow-ups, key figures and change history in Chromium", () => {
  let e2e: E2e;
  let base = "";

  beforeAll(async () => {
    e2e = await startE2e();
    base = e2e.base;
  }, 180_000);

  afterAll(async () => e2e?.close());

  /** Logs in and opens Müller Metallbau's file; returns the page and the customer's id. */
  async function openMueller(email: string): Promise<{ page: Page; id: number }> {
    const page = await e2e.loginAs(email);
    const list = (await (await page.request.get(`${base}/api/v1/customers?sort=name&limit=200`)).json()) as {
      items: { id: number; name1: string }[];
    };
    const id = list.items.find((c) => c.name1 === "Müller Metallbau GmbH")!.id;
    await page.goto(`${base}/customers/${id}`);
    await page.getByRole("heading", { name: "Müller Metallbau GmbH" }).waitFor();
    return { page, id };
  }

  const openFollowUps = async (page: Page, id: number) =>
    (
      (await (await page.request.get(`${base}/api/v1/customers/${id}/follow-ups?status=open`)).json()) as {
        items: FollowUp[];
      }
    ).items;

  it("a sales user adds a follow-up in the card: it shows there, as the next follow-up, on the day list; done removes it", async () => {
    const { page, id } = await openMueller(USERS.sales);
    const card = page.getByRole("region", { name: "Wiedervorlagen" });
    const figures = page.getByRole("region", { name: "Kennzahlen" });
    await card.getByText("Keine offenen Wiedervorlagen").waitFor();
    expect(await figures.textContent()).toContain("Nächste WiedervorlageKeine offene");

    await card.getByRole("button", { name: "Wiedervorlage anlegen" }).click();
    const form = card.getByRole("form", { name: "Neue Wiedervorlage" });
    // The subject field has the focus: typing goes there at once.
    await page.keyboard.type("  ");
    await form.getByRole("button", { name: "In 1 Woche" }).click();
    // Checked in the browser with the contract's schema: an empty subject is refused, nothing is sent.
    await form.getByRole("button", { name: "Anlegen" }).click();
    await form.getByText("Bitte ausfüllen").waitFor();
    expect(await openFollowUps(page, id)).toEqual([]);

    await form.getByRole("textbox", { name: "Betreff" }).fill("Angebot nachfassen");
    await form.getByLabel("Ansprechpartner (optional)").click();
    await page.getByRole("option", { name: "Dr. Anna Müller" }).click();
    await form.getByRole("button", { name: "Anlegen" }).click();
    await form.waitFor({ state: "detached" });
    const item = card.getByRole("listitem").filter({ hasText: "Angebot nachfassen" });
    await item.waitFor();
    expect(await item.textContent()).toContain("mit Dr. Anna Müller");
    // Focus is back on the button that opened the form.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Wiedervorlage anlegen");

    // What the server stored: mine, in a week at 09:00 local time, with the contact.
    const [stored] = await openFollowUps(page, id);
    expect(stored).toMatchObject({ subject: "Angebot nachfassen", owner: USERS.sales, status: "open" });
    const due = new Date(stored!.dueAt);
    const inAWeek = e2e.clock.now();
    inAWeek.setDate(inAWeek.getDate() + 7);
    expect(deDate(due)).toBe(deDate(inAWeek));
    expect([due.getHours(), due.getMinutes()]).toEqual([9, 0]);

    // The key figures show it as the next follow-up.
    await figures.getByText("Angebot nachfassen", { exact: false }).waitFor();
    expect(await figures.textContent()).toContain(`Nächste Wiedervorlage${deDate(due)}, 09:00 · Angebot nachfassen`);

    // The day list: through the navigation, the customer a link away.
    await page.getByRole("navigation").getByRole("link", { name: "Wiedervorlagen" }).click();
    await page.getByRole("heading", { name: "Meine Wiedervorlagen" }).waitFor();
    const later = page.getByRole("region", { name: "Demnächst" });
    const row = later.getByRole("row").filter({ hasText: "Angebot nachfassen" });
    await row.waitFor();
    expect(await row.getByRole("link", { name: "Müller Metallbau GmbH" }).getAttribute("href")).toBe(
      `/customers/${id}`,
    );
    await row.getByRole("button", { name: "„Angebot nachfassen“ als erledigt markieren" }).click();
    await page.getByText("Keine offenen Wiedervorlagen – alles erledigt.").waitFor();
    await page.getByRole("status").getByText("Wiedervorlage „Angebot nachfassen“ erledigt.").waitFor();
    const done = (await (
      await page.request.get(`${base}/api/v1/customers/${id}/follow-ups/${stored!.id}`)
    ).json()) as FollowUp;
    expect(done.status).toBe("done");

    // Back in the file: gone from the card and from the key figures.
    await page.goto(`${base}/customers/${id}`);
    await card.getByText("Keine offenen Wiedervorlagen").waitFor();
    expect(await figures.textContent()).toContain("Nächste WiedervorlageKeine offene");
    await page.context().close();
  });

  it("overdue follow-ups lead, in red; done in the card; a stale version (412) reloads and says so", async () => {
    const page = await e2e.loginAs(USERS.sales);
    // Another customer than the test before, so each test stands on its own.
    const first = (await (await page.request.get(`${base}/api/v1/customers?sort=name&limit=1`)).json()) as {
      items: { id: number; name1: string }[];
    };
    const { id, name1 } = first.items[0]!;
    expect(name1).not.toBe("Müller Metallbau GmbH");
    await page.goto(`${base}/customers/${id}`);
    await page.getByRole("heading", { name: name1 }).waitFor();
    const headers = await e2e.csrf(page);
    const post = async (subject: string, offsetMs: number) => {
      const res = await page.request.post(`${base}/api/v1/customers/${id}/follow-ups`, {
        headers,
        data: { subject, dueAt: new Date(e2e.clock.now().getTime() + offsetMs).toISOString() },
      });
      expect(res.status()).toBe(201);
      return (await res.json()) as FollowUp;
    };
    const late = await post("Rückruf zusagen", -2 * 3600_000);
    const soon = await post("Muster schicken", 3 * 86_400_000);
    await page.reload();
    const card = page.getByRole("region", { name: "Wiedervorlagen" });
    const items = card.getByRole("listitem");
    await items.first().getByText("Rückruf zusagen").waitFor();
    expect(await items.count()).toBe(2);
    expect(await items.first().textContent()).toContain("überfällig");
    expect(await items.nth(1).textContent()).not.toContain("überfällig");
    const figures = page.getByRole("region", { name: "Kennzahlen" });
    await figures.getByText("(überfällig) · Rückruf zusagen", { exact: false }).waitFor();
    const color = await figures
      .getByText("(überfällig) · Rückruf zusagen", { exact: false })
      .evaluate((el) => getComputedStyle(el).color);
    const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number);
    expect(r).toBeGreaterThan(180);
    expect(Math.max(g!, b!)).toBeLessThan(110);

    // The day list puts the overdue one first, under its own heading.
    await page.getByRole("navigation").getByRole("link", { name: "Wiedervorlagen" }).click();
    const overdue = page.getByRole("region", { name: "Überfällig" });
    await overdue.getByText("Rückruf zusagen").waitFor();
    expect(
      await page.locator("main section[aria-label]").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label"))),
    ).toEqual(["Überfällig", "Demnächst"]);
    await page.goBack();
    // The card has loaded what the server has now; it is not reloaded until the user acts.
    await card.getByText("Muster schicken").waitFor();
    await page.waitForLoadState("networkidle");

    // Someone changes the follow-up meanwhile; marking the stale one done is refused (412).
    const changed = await page.request.patch(`${base}/api/v1/customers/${id}/follow-ups/${soon.id}`, {
      headers: { ...headers, "if-match": `"${soon.version}"` },
      data: { subject: "Muster schicken (blau)" },
    });
    expect(changed.status()).toBe(200);
    await card.getByRole("button", { name: "„Muster schicken“ als erledigt markieren" }).click();
    await card.getByRole("status").getByText("inzwischen von jemand anderem geändert", { exact: false }).waitFor();
    await card.getByText("Muster schicken (blau)").waitFor();
    expect((await openFollowUps(page, id)).map((f) => f.subject)).toContain("Muster schicken (blau)");

    // Done in the card: the overdue one goes, the next one becomes the next follow-up.
    await card.getByRole("button", { name: "„Rückruf zusagen“ als erledigt markieren" }).click();
    await card.getByRole("status").getByText("Wiedervorlage „Rückruf zusagen“ erledigt.").waitFor();
    await figures.getByText("Muster schicken (blau)", { exact: false }).waitFor();
    await expect.poll(() => items.filter({ hasText: "Rückruf zusagen" }).count()).toBe(0);
    expect(await items.count()).toBe(1);
    expect((await openFollowUps(page, id)).map((f) => f.id)).toEqual([soon.id]);
    expect(late.id).not.toBe(soon.id);
    await page.context().close();
  });

  it("a call logged in the journal shows as the last contact in the key figures; a note does not", async () => {
    const page = await e2e.loginAs(USERS.sales);
    // A customer without any contact yet (one of the generated ones).
    const list = (await (await page.request.get(`${base}/api/v1/customers?sort=-name&limit=1`)).json()) as {
      items: { id: number; name1: string }[];
    };
    const customer = list.items[0]!;
    await page.goto(`${base}/customers/${customer.id}`);
    await page.getByRole("heading", { name: customer.name1 }).waitFor();
    const figures = page.getByRole("region", { name: "Kennzahlen" });
    await figures.getByText("Noch keiner erfasst").waitFor();

    const journal = page.getByRole("region", { name: "Journal" });
    // A note first: no contact with the customer.
    await journal.getByRole("combobox", { name: "Art", exact: true }).click();
    await page.getByRole("option", { name: "Notiz" }).click();
    await journal.getByRole("textbox", { name: "Betreff" }).fill("Interne Notiz");
    await journal.getByRole("button", { name: "Erfassen" }).click();
    await journal.getByRole("article", { name: "Interne Notiz" }).waitFor();
    await page.waitForLoadState("networkidle");
    expect(await figures.textContent()).toContain("Letzter KontaktNoch keiner erfasst");

    await journal.getByRole("combobox", { name: "Art", exact: true }).click();
    await page.getByRole("option", { name: "Anruf" }).click();
    await journal.getByRole("textbox", { name: "Betreff" }).fill("Bedarf für 2027 besprochen");
    await journal.getByRole("button", { name: "Erfassen" }).click();
    await journal.getByRole("article", { name: "Bedarf für 2027 besprochen" }).waitFor();
    await figures.getByText(`Anruf am ${deDate(e2e.clock.now())}`).waitFor();
    expect(await figures.textContent()).toContain(`Letzter KontaktAnruf am ${deDate(e2e.clock.now())}`);
    await page.context().close();
  });

  it("after master data is edited, the change history shows the fields with old and new value and the user's name", async () => {
    const { page, id } = await openMueller(USERS.sales);
    await page.getByRole("button", { name: "Bearbeiten", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Kundengruppe").fill("Großkunde");
    const longNote =
      `Rahmenvertrag bis Ende 2027; Ansprechpartnerin für Reklamationen ist Frau Dr. Müller. ${"Weitere Details folgen. ".repeat(4)}`.trim();
    await dialog.getByLabel("Notizen").fill(longNote);
    await dialog.getByRole("button", { name: "Speichern" }).click();
    await dialog.waitFor({ state: "detached" });
    // And one more change through the API: old → new of the same field.
    const headers = await e2e.csrf(page);
    const current = (await (await page.request.get(`${base}/api/v1/customers/${id}`)).json()) as { version: number };
    const patched = await page.request.patch(`${base}/api/v1/customers/${id}`, {
      headers: { ...headers, "if-match": `"${current.version}"` },
      data: { customerGroup: "Handwerk" },
    });
    expect(patched.status()).toBe(200);

    await page.getByRole("tab", { name: "Änderungshistorie" }).click();
    const panel = page.getByRole("tabpanel", { name: "Änderungshistorie" });
    const table = panel.getByRole("table", { name: "Änderungen an diesem Kunden, neueste zuerst" });
    const rows = table.getByRole("row");
    // Newest first: the API change, then the form's.
    await rows.nth(1).getByText("Kunde geändert").waitFor();
    const newest = await rows.nth(1).textContent();
    expect(newest).toContain("Vera Vertrieb");
    expect(newest).toContain("Kundengruppe:");
    expect(newest).toContain("Großkunde");
    expect(newest).toContain("Handwerk");
    expect(newest!.indexOf("Großkunde")).toBeLessThan(newest!.indexOf("Handwerk"));
    const second = rows.nth(2);
    expect(await second.textContent()).toContain("Vera Vertrieb");
    expect(await second.textContent()).toContain("Kundengruppe:");
    expect(await second.textContent()).toContain("leer");
    // The long note is cut, with the whole text in the title.
    const cut = second.locator(`[title="${longNote}"]`);
    expect(await cut.count()).toBe(1);
    expect((await cut.textContent())!.endsWith("…")).toBe(true);
    // The customer's creation is further down, by the system.
    await table.getByText("Kunde angelegt").waitFor();

    // What the server stored matches what is shown.
    const history = (await (await page.request.get(`${base}/api/v1/customers/${id}/history?limit=1`)).json()) as {
      items: { actor: string; changes: { field: string; old: unknown; new: unknown }[] }[];
    };
    expect(history.items[0]).toMatchObject({
      actor: USERS.sales,
      changes: [{ field: "customerGroup", old: "Großkunde", new: "Handwerk" }],
    });
    await page.context().close();
  });
});
