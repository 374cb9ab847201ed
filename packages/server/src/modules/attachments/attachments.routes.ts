import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { Attachment, JournalEntry, MailImportQuery } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { contextOf } from "../../http/context-of.js";
import { AppError, notFound } from "../../http/errors.js";
import { errorResponses, WRITE_ERRORS } from "../../http/schemas.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { editable } from "../journal/journal.service.js";
import { importMail } from "../mail/mail-import.service.js";
import type { AttachmentStore } from "./attachment-store.js";
import { findAttachment } from "./attachments.repository.js";
import { attach, downloadType } from "./attachments.service.js";

const EntryParams = Type.Object(
  { id: Type.Integer({ minimum: 1 }), childId: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
const FileParams = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    childId: Type.Integer({ minimum: 1 }),
    attachmentId: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

/** Attachments of journal entries, and the e-mail import. */
export const attachmentRoutes: FastifyPluginAsyncTypebox<{ db: Database; store: AttachmentStore }> = async (
  app,
  { db, store },
) => {
  // Raw bodies: files and e-mails arrive as bytes, up to the attachment limit (else 413).
  app.addContentTypeParser(
    ["application/octet-stream", "message/rfc822"],
    { parseAs: "buffer", bodyLimit: store.maxBytes },
    (_req, body, done) => done(null, body),
  );

  app.post(
    "/customers/:id/journal/:childId/attachments",
    {
      config: { access: "journal.update" },
      bodyLimit: store.maxBytes,
      schema: {
        tags: ["Journal"],
        summary: "Attach a file to a logged entry",
        description:
          "Send the bytes as `application/octet-stream`; the name in `?filename=`. The content type is detected from the bytes.",
        params: EntryParams,
        querystring: Type.Object(
          { filename: Type.String({ minLength: 1, maxLength: 255 }) },
          { additionalProperties: false },
        ),
        response: { 201: Attachment, ...errorResponses(...WRITE_ERRORS, "conflict", "version_mismatch") },
      },
    },
    async (req, reply) => {
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body))
        throw new AppError("unsupported_media_type", "Send the file as application/octet-stream");
      const ctx = contextOf(req);
      const result = await db.kysely.transaction().execute(async (trx) => {
        await visibleCustomer(trx, ctx, req.params.id);
        const entry = await trx
          .selectFrom("journal_entries")
          .select("version")
          .where("id", "=", req.params.childId)
          .where("customer_id", "=", req.params.id)
          .executeTakeFirst();
        if (!entry) throw notFound("Journal entry", req.params.childId);
        await editable(trx, req.params.id, req.params.childId, entry.version);
        return attach(trx, store, req.params.childId, { filename: req.query.filename, bytes: body });
      });
      return reply.code(201).send(result);
    },
  );

  app.get(
    "/customers/:id/journal/:childId/attachments/:attachmentId",
    {
      config: { access: "journal.read" },
      schema: {
        tags: ["Journal"],
        summary: "Download an attachment",
        description:
          "Always as a download (`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`); never rendered as a page. 410 `attachment_missing` when the record exists but its file is missing from the attachment store (an operator's matter: restore it from a backup).",
        params: FileParams,
        response: { 200: { description: "The file's bytes" }, ...errorResponses("not_found", "attachment_missing") },
      },
    },
    async (req, reply) => {
      const ctx = contextOf(req);
      await visibleCustomer(db.kysely, ctx, req.params.id);
      const file = await findAttachment(db.kysely, req.params.id, req.params.childId, req.params.attachmentId);
      if (!file) throw notFound("Attachment", req.params.attachmentId);
      const stream = await store.openChecked(file.sha256, Number(file.size));
      if (!stream) {
        req.log.error(
          { attachmentId: file.id, sha256: file.sha256, dir: store.dir },
          "attachment file missing or damaged in the attachment store",
        );
        throw new AppError(
          "attachment_missing",
          `The file of attachment ${file.id} is missing from the attachment store; an administrator can restore it from a backup`,
        );
      }
      const ascii = file.filename.replace(/[^\x20-\x7e]/g, "_");
      return reply
        .header("content-type", downloadType(file.content_type))
        .header("content-length", String(file.size))
        .header(
          "content-disposition",
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        )
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .send(stream);
    },
  );

  app.post(
    "/journal/import-mail",
    {
      config: { access: "journal.create" },
      bodyLimit: store.maxBytes,
      schema: {
        tags: ["Journal"],
        summary: "Import an e-mail (.eml) into the customer's journal",
        description:
          "Send the raw message as `message/rfc822`. The customer and contact are found by e-mail address (contact, then the customer's e-mail channels, then their domain) unless given. A message is imported once (Message-ID, else a hash of the raw message): again is 409. No match is 422 listing the addresses tried.",
        querystring: MailImportQuery,
        response: { 201: JournalEntry, ...errorResponses(...WRITE_ERRORS, "conflict", "no_match") },
      },
    },
    async (req, reply) => {
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body)) throw new AppError("unsupported_media_type", "Send the e-mail as message/rfc822");
      const entry = await importMail(db, store, contextOf(req), body, req.query);
      return reply
        .code(201)
        .header("location", `/api/v1/customers/${entry.customerId}/journal/${entry.id}`)
        .send(entry);
    },
  );
};
