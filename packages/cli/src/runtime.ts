import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import {
  BackupError,
  type Config,
  ConfigError,
  type Database,
  isConnectionError,
  loadConfig,
  MigrationError,
  openDatabase,
} from "@kundenakte/server";

/** What the CLI says about itself goes to stderr, so stdout stays clean for data. */
export const say = (line: string) => process.stderr.write(`${line}\n`);

/** The SQLite database file under DATA_DIR (used when DATABASE_URL is not set). */
export const sqliteFileOf = (config: Config): string => path.join(config.dataDir, "kundenakte.sqlite");

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else SQLite under DATA_DIR. */
export function open(config: Config): Database {
  return openDatabase({ databaseUrl: config.databaseUrl, sqliteFile: sqliteFileOf(config) });
}

/**
 * Settings from the file `.env` in the working directory, for what the environment does not
 * set (the environment wins): `npm start` and `npm run kundenakte -- …` run in the same
 * directory, so the server and every command find the same database without repeating
 * DATA_DIR or DATABASE_URL. Returns the file read, or null when there is none.
 */
export function loadEnvFile(file = path.resolve(".env"), env: NodeJS.ProcessEnv = process.env): string | null {
  if (!existsSync(file)) return null;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, "utf8")))) {
    if (env[key] === undefined && value !== undefined) env[key] = value;
  }
  return file;
}

/** Which database a command works on, for its first line: the SQLite file, or the PostgreSQL URL without a password. */
export function databaseOf(config: Config): string {
  if (!config.databaseUrl) return `SQLite ${sqliteFileOf(config)}`;
  try {
    const url = new URL(config.databaseUrl);
    if (url.password) url.password = "***";
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return "PostgreSQL (DATABASE_URL)";
  }
}

/**
 * Runs a command: configuration and known operational errors end it with one clear line
 * and a non-zero exit code, never a stack trace.
 */
export async function run(fn: (config: Config) => Promise<number | undefined>): Promise<void> {
  try {
    const envFile = loadEnvFile();
    const config = loadConfig();
    say(`Database: ${databaseOf(config)}${envFile ? ` (settings from ${envFile})` : ""}`);
    const code = await fn(config);
    process.exitCode = code ?? 0;
  } catch (err) {
    if (err instanceof ConfigError) say(`Configuration error: ${err.message}`);
    else if (err instanceof MigrationError) say(`Migration error: ${err.message}`);
    else if (err instanceof BackupError) say(`Backup error: ${err.message}`);
    else if (isConnectionError(err)) say(`Cannot reach the database: ${(err as Error).message}`);
    else {
      say(`Error: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.LOG_LEVEL === "debug" && err instanceof Error) say(err.stack ?? "");
    }
    process.exitCode = err instanceof ConfigError ? 2 : 1;
  }
}
