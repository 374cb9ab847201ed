/**
 * End-to-end: an attachment in the journal downloads; when its file is lost from the server's
 * store (a restore without attachments, a disk fault), the link says so in the user's language.
 */
import { unlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2e, startE2e, USERS } from "./support/e2e.js";

describe("journal attachments in Chromium", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
  }, 180_000);

  afterAll(async () => e2e?.close());

  it("downloads an attachment; a lost file shows a clear message instead of a failed download", async () => {
    const page = await e2e.loginAs(USERS.admin);
    const base = e2e.base;
    const list = (await (await page.request.get(`${base}/api/v1/customers?sort=name&limit=200`)).json()) as {
      items: { id: number; name1: string }[];
    };
    const id = list.items.find((c) => c.name1 === "Müller Metallbau GmbH")!.id;
    const headers = await e2e.csrf(page);
    const entry = (await (
      await page.request.post(`${base}/api/v1/customers/${id}/journal`, {
        headers,
        data: { kind: "note", subject: "Vertrag unterschrieben" },
      })
    ).json()) as { id: number };
    const upload = await page.request.post(
      `${base}/api/v1/customers/${id}/journal/${entry.id}/attachments?filename=vertrag.txt`,
      { headers: { ...headers, "content-type": "application/octet-stream" }, data: Buffer.from("Vertrag Seite 1\n") },
    );
    expect(upload.status()).toBe(201);
    const { sha256 } = (await upload.json()) as { sha256: string };

    await page.goto(`${base}/customers/${id}`);
    const link = page.getByRole("link", { name: "vertrag.txt" });
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("vertrag.txt");
    await expect(page.getByRole("alert").filter({ hasText: "Dateiablage" }).count()).resolves.toBe(0);

    unlinkSync(path.join(e2e.attachmentDir, sha256.slice(0, 2), sha256));
    // From the keyboard, as a user without a mouse would.
    await link.focus();
    await page.keyboard.press("Enter");
    await page
      .getByRole("alert")
      .filter({
        hasText:
          "Die Datei dieses Anhangs fehlt in der Dateiablage. Die Administration kann sie aus einer Datensicherung wiederherstellen.",
      })
      .waitFor();
    await page.context().close();
  });
});
