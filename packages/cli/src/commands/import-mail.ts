import { readFile } from "node:fs/promises";
import path from "node:path";
import { migrateToLatest, SYSTEM_CONTEXT } from "@kundenakte/server";
import { AttachmentStore } from "@kundenakte/server/modules/attachments/attachment-store";
import { findUserByEmail } from "@kundenakte/server/modules/auth/auth.repository";
import { importMail } from "@kundenakte/server/modules/mail/mail-import.service";
import { open, run, say } from "../runtime.js";

/**
 * `import-mail FILE...`: imports .eml files into the journal, as the named user (`--as`) or as
 * `system`. Each file is its own transaction: one bad mail does not stop the others; the exit
 * code says whether all went in.
 */
export function importMailCommand(files: string[], opts: { as?: string; customer?: string }): Promise<void> {
  return run(async (config) => {
    const db = open(config);
    try {
      await migrateToLatest(db);
      let actor = "system";
      if (opts.as) {
        const user = await findUserByEmail(db.kysely, opts.as.trim().toLowerCase());
        if (!user) throw new Error(`there is no user ${opts.as}`);
        actor = user.email;
      }
      say(`Importing ${files.length} e-mail(s), acting as ${actor}`);
      const store = new AttachmentStore(config.attachmentDir, config.attachmentMaxBytes);
      let failed = 0;
      for (const file of files) {
        try {
          const raw = await readFile(file);
          const entry = await importMail(db, store, { ...SYSTEM_CONTEXT, actor }, raw, {
            customerId: opts.customer ? Number(opts.customer) : undefined,
          });
          say(`✓ ${path.basename(file)} → customer ${entry.customerId}, journal entry ${entry.id}`);
        } catch (err) {
          failed++;
          say(`✗ ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      say(`${files.length - failed} imported, ${failed} failed`);
      return failed === 0 ? 0 : 1;
    } finally {
      await db.close();
    }
  });
}
