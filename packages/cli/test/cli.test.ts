import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchDatabase } from "../../server/test/support/engines.js";

const BIN = fileURLToPath(new URL("../bin/kundenakte.js", import.meta.url));
const ENGINES = (process.env.KUNDENAKTE_TEST_ENGINES ?? "sqlite,postgres").split(",").map((s) => s.trim());

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>, stdin?: string, cwd?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: "warn", ...env },
      cwd,
    });
    child.stdin.end(stdin ?? "");
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("kundenakte CLI: configuration", () => {
  it.each([
    [{ PORT: "abc" }, "Configuration error: PORT must be a whole number"],
    [{ PORT: "70000" }, "Configuration error: PORT must be between 0 and 65535"],
    [{ DATABASE_URL: "mysql://localhost/x" }, "Configuration error: DATABASE_URL must start with postgres://"],
    [{ LOG_LEVEL: "loud" }, "Configuration error: LOG_LEVEL must be one of"],
    [{ TRUST_PROXY: "maybe" }, "Configuration error: TRUST_PROXY must be true, false, a number of proxy hops"],
    [{ TRUST_PROXY: "10.0.0.1, proxy.local" }, "Configuration error: TRUST_PROXY must be true, false"],
    [{ PUBLIC_URL: "crm.example.com" }, "Configuration error: PUBLIC_URL must be an absolute URL"],
    [{ PUBLIC_URL: "ftp://crm.example.com" }, "Configuration error: PUBLIC_URL must be an http:// or https:// URL"],
    [{ METRICS_TOKEN: "short" }, "Configuration error: METRICS_TOKEN must be at least 16 printable characters"],
    [{ SHUTDOWN_TIMEOUT_SECONDS: "0" }, "Configuration error: SHUTDOWN_TIMEOUT_SECONDS must be between 1 and 600"],
    [{ SESSION_IDLE_MINUTES: "0" }, "Configuration error: SESSION_IDLE_MINUTES must be between 1 and 10080"],
  ])("stops on %o with one clear line", async (env, message) => {
    const r = await cli(["serve"], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("reads .env in the working directory for what the environment leaves unset, and names its database first", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kundenakte-cli-env-"));
    try {
      writeFileSync(
        path.join(dir, ".env"),
        "# the same database for server and CLI\nDATA_DIR=./from-env-file\nPORT=abc\n",
      );
      const env = { ...process.env } as Record<string, string>;
      delete env.DATA_DIR;
      delete env.DATABASE_URL;
      const r = await cli(["migrate"], { ...env, PORT: "3000" }, undefined, dir);
      expect(r.code, r.stderr).toBe(0);
      const file = path.join(dir, "from-env-file", "kundenakte.sqlite");
      expect(r.stderr.split("\n")[0]).toBe(`Database: SQLite ${file} (settings from ${path.join(dir, ".env")})`);
      expect(existsSync(file)).toBe(true);
      // The environment wins over the file: its PORT=abc was not used.
      const pg = await cli(
        ["doctor"],
        { ...env, PORT: "3000", DATABASE_URL: "postgres://kundenakte:geheim@127.0.0.1:1/x" },
        undefined,
        dir,
      );
      expect(pg.stderr.split("\n")[0]).toBe(
        `Database: PostgreSQL postgres://kundenakte:***@127.0.0.1:1/x (settings from ${path.join(dir, ".env")})`,
      );
      expect(pg.stderr).not.toContain("geheim");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says when the database cannot be reached (doctor exits 1)", async () => {
    const r = await cli(["doctor"], { DATABASE_URL: "postgres://postgres@127.0.0.1:1/nothing" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("✗ database not reachable");
  });
});

for (const engine of ENGINES) {
  describe(`kundenakte CLI [${engine}]`, () => {
    let env: Record<string, string> = {};
    let cleanup = async () => {};

    beforeAll(async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "kundenakte-cli-"));
      env = { DATA_DIR: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
      if (engine === "postgres") {
        const database = await scratchDatabase("kundenakte_cli");
        env = { ...env, DATABASE_URL: database.url };
        cleanup = async () => {
          rmSync(dir, { recursive: true, force: true });
          await database.drop();
        };
      }
    });
    afterAll(() => cleanup());

    it("migrates, reports pending and current migrations", async () => {
      const before = await cli(["doctor"], env);
      expect(before.code).toBe(1);
      expect(before.stderr).toContain("pending");
      const first = await cli(["migrate"], env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain("Applied: 2026-11-26-001-foundation");
      const second = await cli(["migrate"], env);
      expect(second.stderr).toContain("Up to date");
      const doctor = await cli(["doctor"], env);
      expect(doctor.code).toBe(0);
      expect(doctor.stderr).toContain("✓ migrations current");
    });

    it("seeds demo data, acting as system, with progress", async () => {
      const r = await cli(["seed", "--demo", "--customers", "30", "--contacts", "2"], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("acting as system");
      expect(r.stderr).toMatch(/30 \/ 30 customers/);
      expect(r.stderr).toMatch(/Done: 30 customers/);
      // Finance demo data for them, through the real services: invoices, payments, the journal.
      expect(r.stderr).toMatch(/Finance: \d+ documents and \d+ payments for 30 of them/);
      const documents = Number(/Finance: (\d+) documents/.exec(r.stderr)?.[1]);
      expect(documents).toBeGreaterThanOrEqual(60);
      // A large load ends with the housekeeping OPERATIONS.md asks for.
      expect(r.stderr).toMatch(engine === "sqlite" ? /Optimized: search index/ : /Optimized: vacuum/);
      const opt = await cli(["optimize"], env);
      expect(opt.code, opt.stderr).toBe(0);
      expect(opt.stderr).toMatch(engine === "sqlite" ? /FTS5 optimize\): \d/ : /VACUUM ANALYZE\): \d/);
      const bad = await cli(["seed", "--demo", "--customers", "many"], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("--customers must be a positive whole number");
    });

    it("creates the first admin, acting as system; refuses short passwords and unknown roles", async () => {
      const r = await cli(
        ["user", "create", "--admin", "--email", "Chefin@Firma.de", "--name", "Chefin"],
        env,
        "correct horse battery\n",
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("Acting as system");
      expect(r.stderr).toContain("Created user chefin@firma.de");
      const short = await cli(["user", "create", "--admin", "--email", "x@firma.de", "--name", "X"], env, "short\n");
      expect(short.code).toBe(1);
      expect(short.stderr).toContain("at least 10 characters");
      const role = await cli(
        ["user", "create", "--roles", "boss", "--email", "y@firma.de", "--name", "Y"],
        env,
        "correct horse battery\n",
      );
      expect(role.code).toBe(1);
      expect(role.stderr).toContain('there is no role "boss"');
      const reset = await cli(["user", "password", "--email", "chefin@firma.de"], env, "another long password\n");
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stderr).toContain("0 session(s) ended, 0 API token(s) revoked");
      const event = reset.stderr.split("\n").find((l) => l.startsWith("{"));
      expect(JSON.parse(event!)).toMatchObject({ event: "auth.password_reset", security: true, actor: "system" });
    });

    it("imports e-mails as a named user; a mail nobody matches fails with exit code 1", async () => {
      const mail = (name: string) => fileURLToPath(new URL(`../../server/test/fixtures/mail/${name}`, import.meta.url));
      const ok = await cli(["import-mail", "--as", "chefin@firma.de", "--customer", "1", mail("plain.eml")], env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toContain("acting as chefin@firma.de");
      expect(ok.stderr).toMatch(/✓ plain\.eml → customer 1, journal entry \d+/);
      const bad = await cli(["import-mail", mail("plain.eml"), mail("unmatched.eml")], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("acting as system");
      expect(bad.stderr).toContain("✗ plain.eml: This e-mail was imported already");
      expect(bad.stderr).toContain("✗ unmatched.eml: No customer or contact uses any of these addresses");
      const nobody = await cli(["import-mail", "--as", "ghost@firma.de", mail("plain.eml")], env);
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toContain("there is no user ghost@firma.de");
    });

    it("backs up, verifies and restores into an empty installation, and refuses a filled one", async () => {
      const backupDir = path.join(env.DATA_DIR!, "backup-of-test");
      const made = await cli(["backup", "--to", backupDir], env);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout.trim()).toBe(backupDir);
      expect(made.stderr).toMatch(new RegExp(`Backed up ${engine}: \\d+ tables, \\d+ rows, 0 attachments`));
      const checked = await cli(["verify", "--from", backupDir], env);
      expect(checked.code, checked.stderr).toBe(0);
      expect(checked.stderr).toContain(`✓ backup ${backupDir} verified`);

      // A second installation: an empty data directory, on PostgreSQL an empty database.
      const target: Record<string, string> = { DATA_DIR: path.join(env.DATA_DIR!, "restored") };
      let dropTarget = async () => {};
      if (engine === "postgres") {
        const database = await scratchDatabase("kundenakte_restore");
        target.DATABASE_URL = database.url;
        dropTarget = database.drop;
      }
      try {
        const restored = await cli(["restore", "--from", backupDir], target);
        expect(restored.code, restored.stderr).toBe(0);
        expect(restored.stderr).toContain("✓ restored database verified");
        const live = await cli(["verify"], target);
        expect(live.code, live.stderr).toBe(0);
        const refused = await cli(["restore", "--from", backupDir], target);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain("is not empty: restore into an empty database, or replace it with --force");
        // (--force, damaged backups and attachments: packages/server/test/integration/backup.test.ts)
      } finally {
        await dropTarget();
      }
    }, 300_000); // five CLI starts, each seconds long on a busy machine

    it("serves the API and stops cleanly on SIGTERM", async () => {
      const port = 4100 + Math.floor(Math.random() * 800);
      const child: ChildProcess = spawn(process.execPath, [BIN, "serve"], {
        env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "warn" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr?.on("data", (d) => (stderr += d));
      try {
        const base = `http://127.0.0.1:${port}/api/v1`;
        for (let i = 0; i < 100; i++) {
          try {
            if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
          } catch {
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        expect((await fetch(`${base}/customers`)).status).toBe(401);
        const login = await fetch(`${base}/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "chefin@firma.de", password: "another long password" }),
        });
        expect(login.status).toBe(200);
        const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
        const body = (await (await fetch(`${base}/customers?limit=5`, { headers: { cookie } })).json()) as {
          items: unknown[];
          total: number;
        };
        expect(body?.items).toHaveLength(5);
        expect(body?.total).toBe(30);
      } finally {
        child.kill("SIGTERM");
        const code = await new Promise((r) => child.once("exit", r));
        expect(code).toBe(0);
      }
      expect(stderr).toContain("Kundenakte is running on");
    });
  });
}
