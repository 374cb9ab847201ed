import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { BackupError } from "./backup-manifest.js";

/**
 * The connection for pg_dump/pg_restore: the URL without its password (command lines are
 * visible to every user of the machine), the password in PGPASSWORD.
 */
function connection(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return { dbname: url.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

/** Runs a PostgreSQL client program; its error output becomes the BackupError's message. */
function runTool(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          err.code === "ENOENT"
            ? `${program} is not on PATH: install the PostgreSQL client programs of the server's major version (e.g. postgresql-client-15)`
            : `${program}: ${err.message}`,
        ),
      ),
    );
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new BackupError(`${program} failed (exit code ${code}): ${stderr.trim() || "no message"}`));
    });
  });
}

/** Dumps one schema in pg_dump's custom format, seeing exactly the exported snapshot. */
export async function pgDump(databaseUrl: string, schema: string, snapshot: string, file: string): Promise<void> {
  const { dbname, env } = connection(databaseUrl);
  await runTool(
    "pg_dump",
    [
      "--format=custom",
      `--schema=${schema}`,
      `--snapshot=${snapshot}`,
      "--no-owner",
      "--no-acl",
      `--file=${file}`,
      `--dbname=${dbname}`,
    ],
    env,
  );
}

/** The table of contents of a dump: reading it proves the archive is whole and readable. */
export async function pgListDump(file: string): Promise<string> {
  return runTool("pg_restore", ["--list", file], process.env);
}

/**
 * Restores a dump into the database of the URL. When the schema exists already (PostgreSQL's
 * `public` always does) its CREATE SCHEMA entry is left out of the restore list, else
 * pg_restore stops at "schema already exists". One transaction: all or nothing.
 */
export async function pgRestore(
  databaseUrl: string,
  file: string,
  schema: string,
  schemaExists: boolean,
  listFile: string,
): Promise<void> {
  const { dbname, env } = connection(databaseUrl);
  const toc = await pgListDump(file);
  const skip = (line: string) =>
    schemaExists && (line.includes(` SCHEMA - ${schema} `) || line.includes(` COMMENT - SCHEMA ${schema} `));
  await writeFile(
    listFile,
    toc
      .split("\n")
      .filter((line) => !skip(line))
      .join("\n"),
  );
  await runTool(
    "pg_restore",
    [
      "--no-owner",
      "--no-acl",
      "--single-transaction",
      "--exit-on-error",
      `--use-list=${listFile}`,
      `--dbname=${dbname}`,
      file,
    ],
    env,
  );
}
