import { createHash } from "node:crypto";
import type { JournalEntry } from "@kundenakte/contract";
import type { AddressObject } from "mailparser";
import type { Database } from "../../db/database.js";
import type { RowVisibility } from "../../db/visible-to.js";
import type { RequestContext } from "../../http/context.js";
import { AppError } from "../../http/errors.js";
import type { AttachmentStore } from "../attachments/attachment-store.js";
import { attach } from "../attachments/attachments.service.js";
import { audit } from "../audit/audit.service.js";
import { visibleCustomer } from "../customers/customers.service.js";
import { contactBelongsTo, findEntry } from "../journal/journal.repository.js";
import { withAttachments } from "../journal/journal.service.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import * as repo from "./mail.repository.js";
import { mailParser, sanitizeMailHtml } from "./mail-html.js";

const addressesOf = (o: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(o) ? o : o ? [o] : [])
    .flatMap((a) => a.value)
    .map((v) => v.address?.trim().toLowerCase())
    .filter((a): a is string => Boolean(a));

export interface MailImportOptions {
  customerId?: number;
  contactId?: number;
  remoteImages?: boolean;
}

/**
 * Imports one raw e-mail (.eml) into a customer's journal: found by the contact's e-mail, then
 * the customer's e-mail channels, then the domain of the customer's e-mails. The same message
 * (Message-ID, or a hash of the raw bytes when it has none) is imported once.
 */
export async function importMail(
  db: Database,
  store: AttachmentStore,
  ctx: RequestContext,
  raw: Buffer,
  opts: MailImportOptions = {},
): Promise<JournalEntry> {
  if (raw.byteLength > store.maxBytes) {
    throw new AppError("payload_too_large", `E-mails may be at most ${Math.floor(store.maxBytes / (1024 * 1024))} MB`);
  }
  const { simpleParser } = await mailParser();
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const messageKey = mail.messageId?.trim() || `sha256:${createHash("sha256").update(raw).digest("hex")}`;
  const from = addressesOf(mail.from);
  const recipients = [...addressesOf(mail.to), ...addressesOf(mail.cc)];
  const all = [...new Set([...from, ...recipients])];

  return db.kysely.transaction().execute(async (trx) => {
    const existing = await repo.entryByMessageKey(trx, messageKey);
    if (existing) {
      // Where it went is said only if the actor may see that customer (the row-level rule).
      const shown = await visibleCustomer(trx, ctx, existing.customer_id).then(
        () => ` (journal entry ${existing.id} of customer ${existing.customer_id})`,
        () => "",
      );
      throw new AppError("conflict", `This e-mail was imported already${shown}`);
    }
    let match: repo.AddressMatch | null = null;
    if (opts.customerId) {
      await visibleCustomer(trx, ctx, opts.customerId);
      const byContact = (await repo.contactsByEmail(trx, all)).find((m) => m.customerId === opts.customerId);
      match = {
        customerId: opts.customerId,
        contactId: byContact?.contactId ?? null,
        address: byContact?.address ?? "",
      };
    } else {
      // Only customers the actor may see are candidates: a hidden one is never named.
      match = await findCustomerByAddresses(trx, from, recipients, ctx.visibility ?? null);
      if (!match) {
        throw new AppError(
          "no_match",
          `No customer or contact uses any of these addresses: ${all.join(", ") || "(none)"}`,
          {
            errors: all.map((a) => ({ field: "addresses", code: "no_match", message: a })),
          },
        );
      }
      await visibleCustomer(trx, ctx, match.customerId);
    }
    if (opts.contactId) {
      if (!(await contactBelongsTo(trx, opts.contactId, match.customerId))) {
        throw new AppError("validation_failed", "contactId: not a contact of this customer", {
          errors: [{ field: "contactId", code: "unknown_contact", message: "not a contact of this customer" }],
        });
      }
      match.contactId = opts.contactId;
    }
    const incoming = match.address !== "" && from.includes(match.address);
    const html = typeof mail.html === "string" ? await sanitizeMailHtml(mail.html, opts.remoteImages) : null;
    const row = await addJournalEntry(trx, ctx, {
      customerId: match.customerId,
      kind: "email",
      occurredAt: mail.date?.toISOString(),
      contactId: match.contactId,
      direction: match.address === "" ? null : incoming ? "in" : "out",
      subject: mail.subject?.trim() || null,
      body: mail.text?.trim() || null,
      bodyHtml: html,
      messageKey,
      editable: true,
    });
    for (const part of mail.attachments) {
      await attach(trx, store, Number(row.id), {
        filename: part.filename,
        bytes: part.content,
        inline: part.contentDisposition === "inline" || Boolean(part.related),
        contentId: part.contentId?.replace(/^<|>$/g, "") ?? null,
      });
    }
    const entry = await withAttachments(trx, (await findEntry(trx, match.customerId, Number(row.id)))!);
    await audit(trx, ctx, row.recorded_at, {
      customerId: match.customerId,
      entityType: "journal_entry",
      entityId: entry.id,
      before: null,
      after: { ...entry, body: entry.body?.slice(0, 200) ?? null, bodyHtml: null },
    });
    return entry;
  });
}

/** Contact e-mail first, then the customer's e-mail channels, then the domain — sender before recipients. */
async function findCustomerByAddresses(
  db: Parameters<typeof repo.contactsByEmail>[0],
  from: string[],
  recipients: string[],
  visibleTo: RowVisibility | null,
): Promise<repo.AddressMatch | null> {
  for (const group of [from, recipients]) {
    const byContact = await repo.contactsByEmail(db, group, visibleTo);
    if (byContact[0]) return byContact[0];
    const byChannel = await repo.customersByEmailChannel(db, group, visibleTo);
    if (byChannel[0]) return byChannel[0];
  }
  for (const group of [from, recipients]) {
    for (const address of group) {
      const domain = address.split("@")[1];
      if (!domain) continue;
      const customers = await repo.customersByDomain(db, domain, visibleTo);
      if (customers.length === 1) return { customerId: customers[0]!, contactId: null, address };
    }
  }
  return null;
}
