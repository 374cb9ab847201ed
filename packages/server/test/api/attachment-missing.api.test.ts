import { unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { forEachEngine } from "../support/engines.js";
import { client, expectProblem } from "../support/http.js";

describe("attachment downloads", () => {
  forEachEngine("a file lost from the attachment store", (env) => {
    const api = client(
      () => env().app,
      () => env().adminToken,
    );

    it("answers 410 attachment_missing (not 500), and the bytes again once the file is back", async () => {
      const customerId = (await api.post("/customers", { kind: "company", name1: "Verlust GmbH" })).json().customer.id;
      const entry = (
        await api.post(`/customers/${customerId}/journal`, { kind: "note", subject: "Mit Anhang" })
      ).json();
      const bytes = Buffer.from("Vertrag Seite 1\n");
      const up = await env().app.inject({
        method: "POST",
        url: `/api/v1/customers/${customerId}/journal/${entry.id}/attachments?filename=vertrag.txt`,
        payload: bytes,
        headers: { "content-type": "application/octet-stream", authorization: `Bearer ${env().adminToken}` },
      });
      expect(up.statusCode, up.body).toBe(201);
      const { id, sha256 } = up.json();
      const url = `/customers/${customerId}/journal/${entry.id}/attachments/${id}`;
      expect((await api.get(url)).body).toBe("Vertrag Seite 1\n");

      // The content-addressed store's layout: <dir>/<first two hex digits>/<sha256>.
      const file = path.join(env().app.attachmentStore.dir, sha256.slice(0, 2), sha256);
      unlinkSync(file);
      const gone = expectProblem(await api.get(url), 410, "attachment_missing");
      expect(gone.detail).toContain(`attachment ${id} is missing`);

      // A damaged file (other size than recorded) is not sent as if it were the attachment.
      writeFileSync(file, "Vertrag");
      expectProblem(await api.get(url), 410, "attachment_missing");

      writeFileSync(file, bytes);
      const back = await api.get(url);
      expect(back.statusCode).toBe(200);
      expect(back.body).toBe("Vertrag Seite 1\n");
      // An attachment that does not exist at all is still 404.
      expectProblem(await api.get(url.replace(/\d+$/, "999999")), 404, "not_found");
    });
  });
});
