import type { Attachment } from "@kundenakte/contract";
import { fileTypeFromBuffer } from "file-type";
import type { Kysely, Transaction } from "kysely";
import { engineOf, flag, toFlag } from "../../db/dialect.js";
import type { DB } from "../../db/schema.js";
import { AppError } from "../../http/errors.js";
import { nowIso } from "../../lib/time.js";
import type { AttachmentStore } from "./attachment-store.js";
import * as repo from "./attachments.repository.js";

type Executor = Kysely<DB> | Transaction<DB>;

export const presentAttachment = (r: repo.AttachmentRow): Attachment => ({
  id: Number(r.id),
  filename: r.filename,
  contentType: r.content_type,
  size: Number(r.size),
  inline: flag(r.inline),
  contentId: r.content_id,
  sha256: r.sha256,
});

/**
 * The content type from the bytes themselves (magic numbers), not from what the sender
 * claimed; text without a signature is text/plain when it decodes as UTF-8.
 */
export async function detectContentType(bytes: Uint8Array): Promise<string> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) return found.mime;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, 64 * 1024));
    return "text/plain";
  } catch {
    return "application/octet-stream";
  }
}

/** A name that is safe in a Content-Disposition header and on any file system. */
export function safeFilename(name: string | null | undefined): string {
  // Control characters, quotes and path separators become "_".
  const cleaned = [...(name ?? "")]
    .map((ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 || '\\/"'.includes(ch) ? "_" : ch))
    .join("")
    .trim()
    .slice(0, 200);
  return cleaned || "anhang";
}

export interface NewAttachment {
  filename: string | null | undefined;
  bytes: Uint8Array;
  inline?: boolean;
  contentId?: string | null;
}

/** Stores the bytes (once per content) and attaches them to a journal entry. */
export async function attach(
  trx: Executor,
  store: AttachmentStore,
  entryId: number,
  file: NewAttachment,
): Promise<Attachment> {
  if (file.bytes.byteLength > store.maxBytes) {
    throw new AppError(
      "payload_too_large",
      `Attachments may be at most ${Math.floor(store.maxBytes / (1024 * 1024))} MB`,
    );
  }
  const at = nowIso();
  const contentType = await detectContentType(file.bytes);
  const sha256 = await store.put(file.bytes);
  await repo.saveBlob(trx, sha256, file.bytes.byteLength, contentType, at);
  const row = await repo.insertAttachment(trx, {
    journal_entry_id: entryId,
    sha256,
    filename: safeFilename(file.filename),
    content_type: contentType,
    size: file.bytes.byteLength,
    inline: toFlag(engineOf(trx), file.inline ?? false) as never,
    content_id: file.contentId ?? null,
    created_at: at,
  });
  return presentAttachment(row);
}

/**
 * How a download is labelled: never as something a browser would render as a page.
 * HTML, SVG and XML are sent as bytes; everything goes out as an attachment with nosniff.
 */
export function downloadType(contentType: string): string {
  return /html|svg|xml|javascript/i.test(contentType) ? "application/octet-stream" : contentType;
}
