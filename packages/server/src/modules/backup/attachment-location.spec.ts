import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.js";

// `serve` stores attachments where the configuration says; a backup copies them from there.
// The app's own fallback (a temporary directory) is for tests only and must never be used.
describe("where the attachment store lives", () => {
  it("is DATA_DIR/attachments by default", () => {
    expect(loadConfig({ DATA_DIR: "/srv/kundenakte" }).attachmentDir).toBe(path.resolve("/srv/kundenakte/attachments"));
  });

  it("is ATTACHMENT_DIR when set", () => {
    expect(loadConfig({ DATA_DIR: "/srv/kundenakte", ATTACHMENT_DIR: "/mnt/files" }).attachmentDir).toBe(
      path.resolve("/mnt/files"),
    );
  });
});
