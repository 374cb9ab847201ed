import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../support/engines.js";
import { client, expectProblem } from "../support/http.js";

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/mail/${name}`, import.meta.url)));

forEachEngine("e-mail import and attachments", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  let customerId = 0;
  let contactId = 0;

  beforeAll(async () => {
    const created = (
      await api.post("/customers", {
        kind: "company",
        name1: "Kunde Mail GmbH",
        channels: [{ kind: "email", value: "einkauf@kunde-mail.de" }],
        contacts: [{ salutation: "ms", firstName: "Anna", lastName: "Müller", email: "anna.mueller@kunde-mail.de" }],
      })
    ).json();
    customerId = created.customer.id;
    contactId = created.contacts[0].id;
  });

  const importEml = (name: string | Buffer, query = "") =>
    env().app.inject({
      method: "POST",
      url: `/api/v1/journal/import-mail${query}`,
      payload: typeof name === "string" ? fixture(name) : name,
      headers: { "content-type": "message/rfc822", authorization: `Bearer ${env().adminToken}` },
    });

  it("imports a plain mail from a contact: customer and contact found, incoming, once only", async () => {
    const res = await importEml("plain.eml");
    expect(res.statusCode, res.body).toBe(201);
    const entry = res.json();
    expect(entry).toMatchObject({
      customerId,
      contactId,
      kind: "email",
      direction: "in",
      subject: "Anfrage Lieferung",
      occurredAt: "2026-11-24T08:15:00.000Z",
      editable: true,
    });
    expect(entry.body).toContain("bitte liefern Sie dienstags.");
    expect(entry.body).toContain("Anna Müller");
    const again = expectProblem(await importEml("plain.eml"), 409, "conflict");
    expect(again.detail).toContain(`journal entry ${entry.id}`);
    const found = (await api.get(`/customers/${customerId}/journal?kinds=email&q=dienstags`)).json().items;
    expect(found.map((e: { id: number }) => e.id)).toEqual([entry.id]);
  });

  it("decodes ISO-8859-1 and finds the customer by its e-mail channel", async () => {
    const entry = (await importEml("latin1.eml")).json();
    expect(entry).toMatchObject({ customerId, contactId: null, subject: "Bestätigung für Größe" });
    expect(entry.body).toBe("Die Größe passt, vielen Dank für die schnelle Änderung.");
  });

  it("finds the customer by the domain of its e-mails", async () => {
    const res = await importEml("domain.eml");
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ customerId, contactId: null });
  });

  it("keeps attachments (type from the bytes), imports a mail without Message-ID once (by hash), outgoing", async () => {
    const res = await importEml("attachments.eml");
    expect(res.statusCode, res.body).toBe(201);
    const entry = res.json();
    expect(entry).toMatchObject({ direction: "out", contactId });
    const [pdf, html] = entry.attachments;
    expect(pdf).toMatchObject({ filename: "Angebot 4711.pdf", contentType: "application/pdf", inline: false });
    expect(html.filename).toBe("evil.html");
    expectProblem(await importEml("attachments.eml"), 409, "conflict");

    const download = await env().app.inject({
      method: "GET",
      url: `/api/v1/customers/${customerId}/journal/${entry.id}/attachments/${pdf.id}`,
      headers: { authorization: `Bearer ${env().adminToken}` },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toContain("attachment;");
    expect(download.headers["content-disposition"]).toContain("filename*=UTF-8''Angebot%204711.pdf");
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    expect(download.rawPayload.subarray(0, 8).toString()).toBe("%PDF-1.4");
    const evil = await env().app.inject({
      method: "GET",
      url: `/api/v1/customers/${customerId}/journal/${entry.id}/attachments/${html.id}`,
      headers: { authorization: `Bearer ${env().adminToken}` },
    });
    // HTML is never served as HTML.
    expect(evil.headers["content-type"]).not.toMatch(/html/);
    expect(evil.headers["content-disposition"]).toMatch(/^attachment/);
    expectProblem(await api.get(`/customers/${customerId}/journal/${entry.id}/attachments/999999`), 404, "not_found");
  });

  it("keeps inline images, drops remote loads unless asked", async () => {
    const entry = (await importEml("inline-image.eml")).json();
    expect(entry.attachments).toEqual([
      expect.objectContaining({
        filename: "logo.png",
        contentType: "image/png",
        inline: true,
        contentId: "logo@kunde",
      }),
    ]);
    expect(entry.bodyHtml).toContain('src="cid:logo@kunde"');
    expect(entry.bodyHtml).not.toContain("tracker.example");
  });

  it("makes malicious HTML harmless: no script, no event handlers, no javascript: links, no frames or styles", async () => {
    const entry = (await importEml("malicious.eml")).json();
    const html = entry.bodyHtml as string;
    expect(html).toContain("Hallo");
    expect(html).toContain('href="https://example.de/ok"');
    for (const bad of ["<script", "onclick", "onerror", "javascript:", "<iframe", "<style", "document.cookie"]) {
      expect(html.toLowerCase(), bad).not.toContain(bad);
    }
  });

  it("refuses a mail nobody matches, listing the addresses tried (422)", async () => {
    const p = expectProblem(await importEml("unmatched.eml"), 422, "no_match");
    expect(p.detail).toContain("wer@unbekannt.example");
    expect(p.detail).toContain("niemand@auch-unbekannt.example");
    const forced = await importEml("unmatched.eml", `?customerId=${customerId}`);
    expect(forced.statusCode, forced.body).toBe(201);
    expect(forced.json()).toMatchObject({ customerId, direction: null });
  });

  it("attaches files to logged entries with a size limit (413); not to system entries", async () => {
    const note = (await api.post(`/customers/${customerId}/journal`, { kind: "note", subject: "Mit Datei" })).json();
    const upload = (bytes: Buffer, entryId = note.id) =>
      env().app.inject({
        method: "POST",
        url: `/api/v1/customers/${customerId}/journal/${entryId}/attachments?filename=${encodeURIComponent("Lieferschein März.txt")}`,
        payload: bytes,
        headers: { "content-type": "application/octet-stream", authorization: `Bearer ${env().adminToken}` },
      });
    const res = await upload(Buffer.from("Lieferschein 123\n"));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ filename: "Lieferschein März.txt", contentType: "text/plain", size: 17 });
    const same = (await upload(Buffer.from("Lieferschein 123\n"))).json();
    expect(same.sha256).toBe(res.json().sha256);
    expect((await api.get(`/customers/${customerId}/journal/${note.id}`)).json().attachments).toHaveLength(2);
    const big = await upload(Buffer.alloc(26 * 1024 * 1024, 1));
    expectProblem(big, 413, "payload_too_large");
    const system = (await api.get(`/customers/${customerId}/journal?kinds=system`)).json().items[0];
    expectProblem(await upload(Buffer.from("x"), system.id), 409, "conflict");
  });
});
