import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrator.js";
import { createBackup, type Installation } from "../../src/modules/backup/backup.service.js";
import { BackupError, type BackupManifest, pathOfAttachment } from "../../src/modules/backup/backup-manifest.js";
import { restoreBackup } from "../../src/modules/backup/restore.service.js";
import { verifyBackup, verifyInstallation } from "../../src/modules/backup/verify.service.js";
import { createTestDatabase, ENGINES, scratchDatabase, TEST_PG_URL, tokenFor } from "../support/engines.js";
import { client } from "../support/http.js";

const CREATED_AT = "2026-03-29T00:30:00.000Z";
const MAX_BYTES = 1024 * 1024;

/** One installation of a test: its database, attachment store and an app over them. */
interface Live {
  installation: Installation;
  db: Database;
  app: FastifyInstance;
  token: string;
  close: () => Promise<void>;
}

async function withApp(db: Database, installation: Installation, close: () => Promise<void>): Promise<Live> {
  const app = await buildApp({ db, attachments: { dir: installation.attachmentDir, maxBytes: MAX_BYTES } });
  await app.ready();
  const { token } = await tokenFor(app, db, `admin-${randomBytes(3).toString("hex")}@kundenakte.test`, ["admin"]);
  return {
    installation,
    db,
    app,
    token,
    close: async () => {
      await app.close();
      await close();
    },
  };
}

/** SQLite: a database file (the online backup needs one); PostgreSQL: the suite's random schema. */
async function freshInstallation(engine: "sqlite" | "postgres", root: string): Promise<Live> {
  const attachmentDir = path.join(root, "attachments");
  if (engine === "sqlite") {
    const sqliteFile = path.join(root, "kundenakte.sqlite");
    const db = openDatabase({ databaseUrl: null, sqliteFile });
    await migrateToLatest(db);
    return withApp(db, { engine, sqliteFile, attachmentDir }, () => db.close());
  }
  const t = await createTestDatabase("postgres");
  return withApp(t.db, { engine, db: t.db, databaseUrl: TEST_PG_URL, attachmentDir }, t.drop);
}

/**
 * The restore target: SQLite a file that does not exist yet; PostgreSQL a database of its own
 * (pg_restore recreates the backup's schema under its name, which the source still uses).
 */
async function restoreTarget(
  engine: "sqlite" | "postgres",
  root: string,
  schema: string | null,
): Promise<{ installation: Installation; db: Database; drop: () => Promise<void> }> {
  const attachmentDir = path.join(root, "attachments");
  if (engine === "sqlite") {
    const sqliteFile = path.join(root, "kundenakte.sqlite");
    return {
      installation: { engine, sqliteFile, attachmentDir },
      db: null as unknown as Database,
      drop: async () => {},
    };
  }
  const scratch = await scratchDatabase("kundenakte_restore");
  const url = new URL(scratch.url);
  const db = openDatabase({ databaseUrl: url.toString(), pgSchema: schema, poolSize: 5 });
  return {
    installation: { engine, db, databaseUrl: url.toString(), attachmentDir },
    db,
    drop: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}

for (const engine of ENGINES) {
  describe(`backup, restore and verify [${engine}]`, () => {
    let root = "";
    let live: Live;
    let backupDir = "";
    let manifest: BackupManifest;
    const files = new Map<string, Buffer>();
    let download = "";
    let customerCount = 0;

    beforeAll(async () => {
      root = mkdtempSync(path.join(tmpdir(), "kundenakte-backup-test-"));
      live = await freshInstallation(engine, path.join(root, "live"));
      const api = client(
        () => live.app,
        () => live.token,
      );
      // Customers with journal entries and attachments, one content attached twice (stored once).
      for (let i = 1; i <= 3; i++) {
        const res = await api.post("/customers", { kind: "company", name1: `Sicherung ${i} GmbH` });
        expect(res.statusCode, res.body).toBe(201);
        const customerId = res.json().customer.id as number;
        const entry = (
          await api.post(`/customers/${customerId}/journal`, { kind: "note", subject: `Notiz ${i}` })
        ).json();
        for (const text of [`Lieferschein ${i}\n`, "Allgemeine Geschäftsbedingungen\n"]) {
          const bytes = Buffer.from(text);
          const up = await live.app.inject({
            method: "POST",
            url: `/api/v1/customers/${customerId}/journal/${entry.id}/attachments?filename=anhang.txt`,
            payload: bytes,
            headers: { "content-type": "application/octet-stream", authorization: `Bearer ${live.token}` },
          });
          expect(up.statusCode, up.body).toBe(201);
          files.set(up.json().sha256, bytes);
          download = `/customers/${customerId}/journal/${entry.id}/attachments/${up.json().id}`;
        }
      }
      customerCount = (await api.get("/customers?limit=1")).json().total;
      backupDir = path.join(root, "backup");
      const result = await createBackup(live.installation, backupDir, { appVersion: "test", now: () => CREATED_AT });
      expect(result.problems).toEqual([]);
      manifest = result.manifest;
    });

    afterAll(async () => {
      await live?.close();
      rmSync(root, { recursive: true, force: true });
    });

    it("writes a manifest: format, engine, time, migration, row counts and every attachment's hash and size", async () => {
      expect(manifest).toMatchObject({ formatVersion: 1, engine, createdAt: CREATED_AT, appVersion: "test" });
      expect(manifest.migration).toMatch(/^\d{4}-\d{2}-\d{2}-\d{3}-/);
      expect(manifest.rowCounts.customers).toBe(customerCount);
      expect(manifest.rowCounts.journal_attachments).toBe(6);
      expect(manifest.rowCounts.blobs).toBe(4);
      expect(manifest.attachments.map((a) => a.sha256).sort()).toEqual([...files.keys()].sort());
      for (const a of manifest.attachments) expect(a.size).toBe(files.get(a.sha256)!.length);
      expect((await verifyBackup(backupDir)).problems).toEqual([]);
    });

    it("refuses to back up into a directory that is not empty", async () => {
      await expect(createBackup(live.installation, backupDir, { appVersion: "test" })).rejects.toThrow(/not empty/);
    });

    it("restores into a fresh database and store: verified, same rows, attachments downloadable", async () => {
      const target = await restoreTarget(engine, path.join(root, "restored"), manifest.schema);
      try {
        const { report } = await restoreBackup(backupDir, target.installation);
        expect(report.problems).toEqual([]);
        expect(report.attachments).toBe(4);
        // The restored installation serves the same customers and the attachment's bytes.
        const db =
          engine === "sqlite"
            ? openDatabase({ databaseUrl: null, sqliteFile: path.join(root, "restored", "kundenakte.sqlite") })
            : target.db;
        const restored = await withApp(db, target.installation, async () => {
          if (engine === "sqlite") await db.close();
        });
        try {
          const api = client(
            () => restored.app,
            () => restored.token,
          );
          expect((await api.get("/customers?limit=1")).json().total).toBe(customerCount);
          const res = await api.get(download);
          expect(res.statusCode, res.body).toBe(200);
          expect(res.body).toBe("Allgemeine Geschäftsbedingungen\n");
        } finally {
          await restored.close();
        }

        // A second restore into the now filled target is refused; --force replaces it.
        await expect(restoreBackup(backupDir, target.installation)).rejects.toThrow(BackupError);
        await expect(restoreBackup(backupDir, target.installation)).rejects.toThrow(/is not empty/);
        const forced = await restoreBackup(backupDir, target.installation, { force: true });
        expect(forced.report.problems).toEqual([]);

        // A row lost after the restore: verify against the manifest names the table.
        const check =
          engine === "sqlite"
            ? openDatabase({ databaseUrl: null, sqliteFile: path.join(root, "restored", "kundenakte.sqlite") })
            : target.db;
        try {
          await sql`delete from journal_attachments where id = (select max(id) from journal_attachments)`.execute(
            check.kysely,
          );
          const after = await verifyInstallation(target.installation, manifest);
          expect(after.problems).toEqual(["table journal_attachments: 5 rows, the backup has 6"]);
        } finally {
          if (engine === "sqlite") await check.close();
        }
      } finally {
        await target.drop();
      }
    }, 180_000); // two restores and an app start: pg_dump/pg_restore take seconds each on a busy machine

    it("verify finds a missing and a damaged attachment, in a backup and in the live store", async () => {
      const [missing, damaged] = manifest.attachments;
      const copy = path.join(root, "damaged-backup");
      // A copy of the backup to damage (the other tests use the original).
      cpSync(backupDir, copy, { recursive: true });
      unlinkSync(pathOfAttachment(path.join(copy, "attachments"), missing!.sha256));
      writeFileSync(pathOfAttachment(path.join(copy, "attachments"), damaged!.sha256), "x".repeat(damaged!.size));
      const report = await verifyBackup(copy);
      expect(report.problems.sort()).toEqual(
        [
          `attachment ${missing!.sha256} (${missing!.size} bytes): missing`,
          `attachment ${damaged!.sha256} (${damaged!.size} bytes): wrong hash`,
        ].sort(),
      );
      // Such a backup is not restored unless forced.
      const target = await restoreTarget(engine, path.join(root, "from-damaged"), manifest.schema);
      try {
        await expect(restoreBackup(copy, target.installation)).rejects.toThrow(/the backup is damaged/);
      } finally {
        await target.drop();
      }

      // The live store: verify names the file, a backup reports itself incomplete.
      expect((await verifyInstallation(live.installation)).problems).toEqual([]);
      const file = pathOfAttachment(live.installation.attachmentDir, missing!.sha256);
      unlinkSync(file);
      try {
        expect((await verifyInstallation(live.installation)).problems).toEqual([
          `attachment ${missing!.sha256} (${missing!.size} bytes): missing`,
        ]);
        const incomplete = await createBackup(live.installation, path.join(root, "incomplete"), { appVersion: "test" });
        expect(incomplete.problems).toEqual([
          `attachment ${missing!.sha256} (${missing!.size} bytes): missing in ${live.installation.attachmentDir}`,
        ]);
      } finally {
        writeFileSync(file, files.get(missing!.sha256)!);
      }
    });

    it("verify finds a damaged database file in a backup", async () => {
      const copy = path.join(root, "bad-db-backup");
      mkdirSync(path.join(copy, "attachments"), { recursive: true });
      writeFileSync(path.join(copy, "manifest.json"), JSON.stringify(manifest));
      writeFileSync(path.join(copy, manifest.database.file), "not a database");
      const report = await verifyBackup(copy);
      expect(report.problems).toContain(
        `database file ${manifest.database.file}: its hash differs from the manifest (damaged)`,
      );
      await expect(verifyBackup(path.join(root, "nothing"))).rejects.toThrow(/is not a Kundenakte backup/);
    });
  });
}
