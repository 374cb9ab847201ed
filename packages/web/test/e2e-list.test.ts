/**
 * End-to-end: the customer list in Chromium over a few thousand customers. It scrolls through all
 * of them drawing only the rows in view, lets the user choose columns and sort by a header click
 * (both in the URL), and works by keyboard alone.
 */
import type { CustomerPage } from "@kundenakte/contract";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCustomer, Random } from "../../server/src/demo/factories.js";
import { SYSTEM_CONTEXT } from "../../server/src/http/context.js";
import { createCustomersInBulk } from "../../server/src/modules/customers/customers.bulk.js";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

/** The harness holds 61 customers; these make the list longer than the API counts (1,000). */
const EXTRA = 2000;
const ALL = 61 + EXTRA;

describe("customer list in Chromium", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
    const rng = new Random(4242);
    await createCustomersInBulk(
      e2e.db,
      SYSTEM_CONTEXT,
      Array.from({ length: EXTRA }, () => fakeCustomer(rng)),
    );
  }, 240_000);

  afterAll(async () => e2e?.close());

  /** What the server answers for the list, straight from the API with the page's session. */
  async function serverList(page: Page, query: string): Promise<CustomerPage> {
    const res = await page.request.get(`${e2e.base}/api/v1/customers?${query}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as CustomerPage;
  }

  const table = (page: Page) => page.getByRole("table", { name: "Kundenliste" });
  /** Rows drawn in the DOM that hold a customer (not placeholders). */
  const drawnRows = (page: Page) => table(page).locator("tbody tr[data-index]");
  const firstName = (page: Page) => drawnRows(page).first().getByRole("link").textContent();

  it("scrolls through all customers: pages load as the end nears, only the rows in view are drawn", async () => {
    const page = await loginAs(USERS.admin);
    const requests: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/v1/customers") requests.push(r.url());
    });
    await page.goto(`${e2e.base}/customers`);
    // More than the API counts: said so, with what is loaded so far.
    await page.getByText("mehr als 1.000 Kunden · 100 geladen").waitFor();
    expect(await table(page).getAttribute("aria-rowcount")).toBe("-1");

    // Fits 1366×768: the page itself does not scroll, about 15 rows are in view below the filters.
    const scroller = table(page).locator("xpath=..");
    const fit = await scroller.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const rows = Array.from(el.querySelectorAll("tbody tr[data-index]")).filter((r) => {
        const b = r.getBoundingClientRect();
        return b.top >= box.top && b.bottom <= box.bottom;
      });
      return {
        pageScrolls: document.documentElement.scrollHeight > window.innerHeight,
        visible: rows.length,
        bottom: box.bottom,
      };
    });
    expect(fit.pageScrolls).toBe(false);
    expect(fit.visible).toBeGreaterThanOrEqual(14);
    expect(fit.bottom).toBeLessThanOrEqual(768);

    // Scroll to the end again and again: each time the next page comes, until all are there.
    for (let round = 0; round < 300; round++) {
      if (await page.getByText("2.061 Kunden", { exact: true }).count()) break;
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await page.waitForTimeout(150);
    }
    await page.getByText("2.061 Kunden", { exact: true }).waitFor();
    // Without placeholders after the last row, the end moved up a little: to the very end.
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(() => drawnRows(page).last().getAttribute("aria-rowindex")).toBe(String(ALL + 1));
    const pages = requests.filter((u) => u.includes("cursor="));
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(ALL / 100) - 1);
    // Later pages do not count again.
    expect(pages.every((u) => u.includes("count=false"))).toBe(true);

    // All 2,061 loaded, a few dozen drawn.
    expect(await table(page).getAttribute("aria-rowcount")).toBe(String(ALL + 1));
    const drawn = await drawnRows(page).count();
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(80);
    // The last row drawn is the last customer the server has by name.
    const last = drawnRows(page).last();
    expect(await last.getAttribute("aria-rowindex")).toBe(String(ALL + 1));
    const lastByName = (await serverList(page, "sort=-name&limit=1")).items[0]!;
    expect(await last.getByRole("link").textContent()).toBe(lastByName.name1);
    // The header stays on top while scrolled.
    const header = await table(page).locator("thead").boundingBox();
    const box = await scroller.boundingBox();
    expect(Math.abs(header!.y - box!.y)).toBeLessThan(3);
    await page.context().close();
  }, 180_000);

  it("shows the chosen columns, keeps them in the URL and remembers them for the next visit", async () => {
    const page = await loginAs(USERS.sales);
    await page.goto(`${e2e.base}/customers`);
    await drawnRows(page).first().waitFor();
    // The default view.
    expect(await table(page).getByRole("columnheader", { name: "Betreuer" }).count()).toBe(1);
    expect(await table(page).getByRole("columnheader", { name: "Region" }).count()).toBe(0);

    await page.getByRole("button", { name: "Spalten" }).click();
    const menu = page.getByRole("dialog", { name: "Angezeigte Spalten" });
    expect(await menu.getByRole("checkbox", { name: "Name", exact: true }).isDisabled()).toBe(true);
    await menu.getByRole("checkbox", { name: "Region" }).check();
    await menu.getByRole("checkbox", { name: "Betreuer" }).uncheck();
    await menu.getByRole("checkbox", { name: "Kundennr." }).uncheck();
    await page.keyboard.press("Escape");

    const headers = async () => (await table(page).getByRole("columnheader").allTextContents()).map((s) => s.trim());
    await table(page).getByRole("columnheader", { name: "Region" }).waitFor();
    // The table follows the URL a moment after the menu (a render later under load).
    await expect
      .poll(async () => (await headers()).some((h) => h.startsWith("Betreuer") || h.startsWith("Kundennr.")))
      .toBe(false);
    expect(new URL(page.url()).searchParams.get("cols")).toBe("name,postalCode,city,status,block,region");
    // The first row shows the region the server stored for that customer.
    const first = (await serverList(page, "sort=name&limit=1")).items[0]!;
    expect(first.region).toBeTruthy();
    const cells = await drawnRows(page).first().getByRole("cell").allTextContents();
    expect(cells).toHaveLength(6);
    expect(cells[0]).toBe(first.name1);
    expect(cells[5]).toBe(first.region);

    // The URL alone brings the view back.
    await page.reload();
    await table(page).getByRole("columnheader", { name: "Region" }).waitFor();
    expect(await table(page).getByRole("columnheader", { name: "Betreuer" }).count()).toBe(0);

    // A visit without `cols` gets the last choice …
    await page.goto(`${e2e.base}/customers?status=active`);
    await table(page).getByRole("columnheader", { name: "Region" }).waitFor();
    expect(await table(page).getByRole("columnheader", { name: "Kundennr." }).count()).toBe(0);
    // … a shared link shows its own columns.
    await page.goto(`${e2e.base}/customers?cols=number,city`);
    await table(page).getByRole("columnheader", { name: "Kundennr." }).waitFor();
    expect(await headers()).toEqual(["Kundennr.↕", "Name▲", "Ort"]);
    await page.context().close();

    // Another browser has its own memory: the default view.
    const other = await loginAs(USERS.sales);
    await drawnRows(other).first().waitFor();
    expect(await table(other).getByRole("columnheader", { name: "Betreuer" }).count()).toBe(1);
    expect(await table(other).getByRole("columnheader", { name: "Region" }).count()).toBe(0);
    await other.context().close();
  }, 90_000);

  it("sorts by a click on the name header: descending, then ascending, in the URL, announced", async () => {
    const page = await loginAs(USERS.admin);
    await drawnRows(page).first().waitFor();
    const [asc, desc] = [
      (await serverList(page, "sort=name&limit=1")).items[0]!,
      (await serverList(page, "sort=-name&limit=1")).items[0]!,
    ];
    expect(asc.name1).not.toBe(desc.name1);
    const nameHeader = table(page).getByRole("columnheader", { name: /^Name/ });
    expect(await nameHeader.getAttribute("aria-sort")).toBe("ascending");
    expect(await firstName(page)).toBe(asc.name1);

    await nameHeader.getByRole("button", { name: /^Name/ }).click();
    await expect.poll(() => firstName(page)).toBe(desc.name1);
    expect(new URL(page.url()).searchParams.get("sort")).toBe("-name");
    expect(await nameHeader.getAttribute("aria-sort")).toBe("descending");
    // The number column is sortable too, but not sorted now.
    expect(
      await table(page)
        .getByRole("columnheader", { name: /^Kundennr/ })
        .getAttribute("aria-sort"),
    ).toBeNull();

    await nameHeader.getByRole("button", { name: /^Name/ }).click();
    await expect.poll(() => firstName(page)).toBe(asc.name1);
    expect(new URL(page.url()).searchParams.get("sort")).toBe("name");
    expect(await nameHeader.getAttribute("aria-sort")).toBe("ascending");

    // Columns without a sort key of the API are no buttons.
    expect(await table(page).getByRole("columnheader", { name: "Ort" }).getByRole("button").count()).toBe(0);
    // A sorted link opens sorted.
    await page.goto(`${e2e.base}/customers?sort=-customerNumber`);
    const highest = (await serverList(page, "sort=-customerNumber&limit=1")).items[0]!;
    await expect.poll(() => firstName(page)).toBe(highest.name1);
    expect(
      await table(page)
        .getByRole("columnheader", { name: /^Kundennr/ })
        .getAttribute("aria-sort"),
    ).toBe("descending");
    await page.context().close();
  }, 90_000);

  it("works by keyboard alone: into the list, down twice, Enter opens the third customer's file", async () => {
    const page = await loginAs(USERS.admin);
    await drawnRows(page).first().waitFor();
    const third = (await serverList(page, "sort=name&limit=3")).items[2]!;
    // Tab from the top of the page until a row of the list has the focus.
    const focusedRow = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el?.tagName === "TR" ? el.getAttribute("aria-rowindex") : null;
      });
    for (let i = 0; i < 40 && (await focusedRow()) === null; i++) await page.keyboard.press("Tab");
    expect(await focusedRow()).toBe("2");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await expect.poll(focusedRow).toBe("4");
    // The focus is visible.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).toBe("solid");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: third.name1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/customers/${third.id}`);

    // Back: the same row has the focus again.
    await page.goBack();
    await drawnRows(page).first().waitFor();
    for (let i = 0; i < 40 && (await focusedRow()) === null; i++) await page.keyboard.press("Tab");
    await expect.poll(focusedRow).toBe("4");

    // End goes to the last loaded customer (and the next page follows), Home back to the first.
    await page.keyboard.press("End");
    await expect.poll(focusedRow).toBe("101");
    await expect.poll(() => drawnRows(page).last().getAttribute("aria-rowindex")).not.toBe("101");
    await page.keyboard.press("Home");
    await expect.poll(focusedRow).toBe("2");
    // Scrolled away with the mouse, the focused row leaves the DOM; the arrow keys still go on from it.
    await table(page)
      .locator("xpath=..")
      .evaluate((el) => el.scrollTo({ top: 1500 }));
    await expect.poll(() => table(page).locator('tbody tr[aria-rowindex="2"]').count()).toBe(0);
    await page.keyboard.press("ArrowDown");
    await expect.poll(focusedRow).toBe("3");
    // The name is a real link.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute("href"))).toMatch(
      /^\/customers\/\d+$/,
    );
    await page.context().close();
  }, 90_000);

  it("says so when nothing matches, and when a filter in the URL is invalid", async () => {
    const page = await loginAs(USERS.readOnly);
    await page.goto(`${e2e.base}/customers?city=Nirgendwo`);
    await table(page).getByText("Keine Kunden gefunden").waitFor();
    expect(await page.getByText("0 Kunden", { exact: true }).count()).toBe(1);
    expect(await table(page).getAttribute("aria-rowcount")).toBe("1");
    await page.goto(`${e2e.base}/customers?status=irgendwas`);
    const alert = page.getByRole("alert");
    await alert.getByText("Der Filter „Status“ in der Adresse ist ungültig", { exact: false }).waitFor();
    // No "nothing found" where nothing could be looked up.
    expect(await page.getByText("Keine Kunden gefunden").count()).toBe(0);
    await alert.getByRole("button", { name: "Filter zurücksetzen" }).click();
    await drawnRows(page).first().waitFor();
    expect(new URL(page.url()).searchParams.get("status")).toBeNull();
    await page.context().close();
  }, 90_000);

  const loginAs = (email: string) => e2e.loginAs(email);
});
