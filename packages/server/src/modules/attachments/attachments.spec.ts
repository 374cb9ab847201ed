import { describe, expect, it } from "vitest";
import { sanitizeMailHtml } from "../mail/mail-html.js";
import { detectContentType, downloadType, safeFilename } from "./attachments.service.js";

describe("attachments", () => {
  it.each([
    ["Angebot.pdf", "Angebot.pdf"],
    ["../../etc/passwd", ".._.._etc_passwd"],
    ['a"b\u0000c\nd', "a_b_c_d"],
    ["", "anhang"],
    [null, "anhang"],
  ])("makes %j a safe file name: %j", (input, expected) => {
    expect(safeFilename(input)).toBe(expected);
  });

  it("detects types from the bytes, not the name", async () => {
    expect(await detectContentType(Buffer.from("%PDF-1.4\n%\u00e4"))).toBe("application/pdf");
    expect(await detectContentType(Buffer.from("Grüße\n"))).toBe("text/plain");
    expect(await detectContentType(Buffer.from([0x00, 0x81, 0x82, 0xc3, 0x28]))).toBe("application/octet-stream");
  });

  it("never labels a download as something a browser renders", () => {
    for (const t of ["text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript"]) {
      expect(downloadType(t)).toBe("application/octet-stream");
    }
    expect(downloadType("application/pdf")).toBe("application/pdf");
  });

  it("sanitises mail HTML and allows remote images only when asked", async () => {
    const html = '<p onmouseover="x()">Hi<img src="https://t.example/p.gif"><img src="cid:a"></p>';
    expect(await sanitizeMailHtml(html)).toBe('<p>Hi<img /><img src="cid:a" /></p>');
    expect(await sanitizeMailHtml(html, true)).toContain('src="https://t.example/p.gif"');
  });
});
